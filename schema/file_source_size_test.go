package schema

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// countingReader counts the bytes read through it, and the furthest
// offset reached.
type countingReader struct {
	r        io.ReaderAt
	read     int64
	furthest int64
}

func (c *countingReader) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.read += int64(n)
	c.furthest = max(c.furthest, off+int64(n))
	return n, err
}

// tiffWith is a little-endian TIFF whose first directory holds the tags
// given as tag, type (3 SHORT, 4 LONG), value.
func tiffWith(tags ...[3]uint32) []byte {
	b := []byte("II*\x00\x08\x00\x00\x00")
	b = binary.LittleEndian.AppendUint16(b, uint16(len(tags)))
	for _, tg := range tags {
		b = binary.LittleEndian.AppendUint16(b, uint16(tg[0]))
		b = binary.LittleEndian.AppendUint16(b, uint16(tg[1]))
		b = binary.LittleEndian.AppendUint32(b, 1)
		if tg[1] == 3 {
			b = binary.LittleEndian.AppendUint16(b, uint16(tg[2]))
			b = binary.LittleEndian.AppendUint16(b, 0)
		} else {
			b = binary.LittleEndian.AppendUint32(b, tg[2])
		}
	}
	return append(b, 0, 0, 0, 0)
}

func TestMeasureImage(t *testing.T) {
	const svgNS = `xmlns="http://www.w3.org/2000/svg"`
	avif := func(w, h uint32) []byte {
		b := []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miafispe\x00\x00\x00\x00")
		return binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(b, w), h)
	}
	psd := cat([]byte("8BPS\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x05\x00\x00\x00\x07\x00\x08\x00\x03"), make([]byte, 8))
	bigTIFF := cat([]byte("MM\x00*\x00\x00\x00\x08\x00\x02"),
		[]byte{0x01, 0x00, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0x40, 0x00}, // ImageWidth LONG 16384
		[]byte{0x01, 0x01, 0x00, 0x03, 0, 0, 0, 1, 0, 2, 0, 0})       // ImageLength SHORT 2
	tests := []struct {
		name string
		b    []byte
		mime string
		w, h int
		ok   bool
	}{
		{"tiff LONG", tiffWith([3]uint32{256, 4, 3}, [3]uint32{257, 4, 2}), "image/tiff", 3, 2, true},
		{"tiff SHORT", tiffWith([3]uint32{258, 3, 8}, [3]uint32{256, 3, 640}, [3]uint32{257, 3, 480}), "image/tiff", 640, 480, true},
		{"tiff big-endian", bigTIFF, "image/tiff", 16384, 2, true},
		{"tiff without ImageLength", tiffWith([3]uint32{256, 4, 3}), "image/tiff", 0, 0, false},
		{"tiff without size tags", tiffWith([3]uint32{258, 3, 8}), "image/tiff", 0, 0, false},
		{"tiff zero width", tiffWith([3]uint32{256, 4, 0}, [3]uint32{257, 4, 2}), "image/tiff", 0, 0, false},
		{"tiff directory cut", tiffWith([3]uint32{256, 4, 3}, [3]uint32{257, 4, 2})[:30], "image/tiff", 3, 0, false},
		{"tiff directory past the end", []byte("II*\x00\xff\x00\x00\x00"), "image/tiff", 0, 0, false},
		{"avif", avif(300, 200), "image/avif", 300, 200, true},
		{"avif without ispe", []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"), "image/avif", 0, 0, false},
		{"psd", psd, "image/vnd.adobe.photoshop", 7, 5, true},
		{"psd cut", psd[:20], "image/vnd.adobe.photoshop", 0, 0, false},
		{"apng", cat([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", []byte{0, 0, 0, 9, 0, 0, 0, 4, 8, 6, 0, 0, 0}), pngChunk("acTL", make([]byte, 8))), "image/apng", 9, 4, true},
		{"svg width height", []byte(`<svg ` + svgNS + ` width="64" height="32"/>`), "image/svg+xml", 64, 32, true},
		{"svg px", []byte(`<svg ` + svgNS + ` width='64px' height='32px'/>`), "image/svg+xml", 64, 32, true},
		{"svg viewBox", []byte(`<svg ` + svgNS + ` viewBox="0 0 120 80"/>`), "image/svg+xml", 120, 80, true},
		{"svg width and viewBox", []byte(`<svg ` + svgNS + ` width="60" viewBox="0,0,120,80"/>`), "image/svg+xml", 60, 40, true},
		{"svg height and viewBox", []byte(`<svg ` + svgNS + ` height="40" viewBox="0 0 120 80"/>`), "image/svg+xml", 60, 40, true},
		{"svg without size", []byte(`<svg ` + svgNS + `><rect width="5" height="5"/></svg>`), "image/svg+xml", 0, 0, false},
		{"svg width only", []byte(`<svg ` + svgNS + ` width="60"/>`), "image/svg+xml", 0, 0, false},
		{"svg in percent", []byte(`<svg ` + svgNS + ` width="100%" height="100%"/>`), "image/svg+xml", 0, 0, false},
		{"svg after a long comment", []byte("<!--" + strings.Repeat("-x", 40<<10) + "-->\n<svg " + svgNS + ` width="5" height="6"/>`), "image/svg+xml", 5, 6, true},
		{"webp cut", []byte("RIFF\x24\x00\x00\x00WEBPVP8X\x0a\x00"), "image/webp", 0, 0, false},
		{"png cut", pngBytes(t, 3, 3)[:20], "image/png", 0, 0, false},
		{"gif", gifBytes(t, 5, 9), "image/gif", 5, 9, true},
		{"bmp negative width", cat([]byte("BM"), make([]byte, 12), []byte{40, 0, 0, 0}, []byte{0xF0, 0xFF, 0xFF, 0xFF}, []byte{0xF0, 0xFF, 0xFF, 0xFF}), "image/bmp", -16, 16, true},
		{"jpeg without a frame", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xD9}, "image/jpeg", 0, 0, false},
		{"not measured", []byte("fLaC"), "audio/flac", 0, 0, false},
	}
	for _, tc := range tests {
		w, h, ok := measureImage(bytes.NewReader(tc.b), int64(len(tc.b)), tc.mime)
		if ok != tc.ok || ok && (w != tc.w || h != tc.h) {
			t.Errorf("%s: %d×%d %v, want %d×%d %v", tc.name, w, h, ok, tc.w, tc.h, tc.ok)
		}
	}
}

// TestMeasureImageBounded: sizes come from headers and bounded prefixes,
// never from the whole file.
func TestMeasureImageBounded(t *testing.T) {
	const big = 64 << 20
	// An AVIF with no ispe: the search stops after maxAVIFScanBytes.
	avif := make([]byte, big)
	copy(avif, "\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf")
	c := &countingReader{r: bytes.NewReader(avif)}
	if _, _, ok := measureImage(c, big, "image/avif"); ok || c.furthest > maxAVIFScanBytes {
		t.Errorf("avif: ok %v, read up to %d (bound %d)", ok, c.furthest, maxAVIFScanBytes)
	}
	// An AVIF with ispe near the start: one chunk (and the first 30 bytes,
	// read for every type).
	copy(avif[40:], "ispe\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x04")
	c = &countingReader{r: bytes.NewReader(avif)}
	if w, h, ok := measureImage(c, big, "image/avif"); !ok || w != 5 || h != 4 || c.read > scanChunkBytes+30 {
		t.Errorf("avif: %d×%d %v, read %d bytes", w, h, ok, c.read)
	}
	// An SVG's root tag is found in the first chunk.
	svg := append([]byte(`<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">`), bytes.Repeat([]byte("<g/>"), 200<<10)...)
	c = &countingReader{r: bytes.NewReader(svg)}
	if w, h, ok := measureImage(c, int64(len(svg)), "image/svg+xml"); !ok || w != 8 || h != 8 || c.read > scanChunkBytes+30 {
		t.Errorf("svg: %d×%d %v, read %d bytes", w, h, ok, c.read)
	}
	// A TIFF reads its header and its directory.
	tiff := append(tiffWith([3]uint32{256, 4, 3}, [3]uint32{257, 4, 2}), make([]byte, big)...)
	c = &countingReader{r: bytes.NewReader(tiff)}
	if w, h, ok := measureImage(c, int64(len(tiff)), "image/tiff"); !ok || w != 3 || h != 2 || c.read > 64 {
		t.Errorf("tiff: %d×%d %v, read %d bytes", w, h, ok, c.read)
	}
}

func TestCheckImageSizeErrors(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"nosize.svg": []byte(`<svg xmlns="http://www.w3.org/2000/svg"><circle r="3"/></svg>`),
		"nosize.tif": tiffWith([3]uint32{258, 3, 8}),
		"cut.jpg":    []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xD9},
		"wide.svg":   []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="16384" height="1"/>`),
		"wide.tif":   tiffWith([3]uint32{256, 4, 16384}, [3]uint32{257, 4, 1}),
		"ok.tif":     tiffWith([3]uint32{256, 4, 16383}, [3]uint32{257, 4, 16383}),
		"ok.svg":     []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"/>`),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ file, summary, detail string }{
		{"nosize.svg", summaryImageSizeUnread, `<svg viewBox="0 0 64 64" ...>`},
		{"nosize.tif", summaryImageSizeUnread, "ImageWidth and ImageLength"},
		{"cut.jpg", summaryImageSizeUnread, "damaged or cut short"},
		{"wide.svg", summaryImageTooLarge, "16384×1 px"},
		{"wide.tif", summaryImageTooLarge, "16384×1 px"},
		{"ok.tif", "", ""},
		{"ok.svg", "", ""},
	} {
		src, _, err := loadFileSource(dir, tc.file, tc.file)
		switch {
		case tc.summary == "" && err != nil:
			t.Errorf("%s: %v", tc.file, err)
		case tc.summary != "" && (err == nil || err.summary != tc.summary || !strings.Contains(err.detail, tc.detail) || !strings.Contains(err.detail, "Hint:")):
			t.Errorf("%s: %v, want %s: …%s…", tc.file, err, tc.summary, tc.detail)
		}
		if src.Type == octetStream {
			t.Errorf("%s: type %s; the detected type is kept, the error tells the rest", tc.file, src.Type)
		}
	}
}

// imageSize is measureImage with 0, 0 for a size it cannot read, for
// tables that list such files as 0×0.
func imageSize(r io.ReaderAt, size int64, mime string) (int, int) {
	w, h, ok := measureImage(r, size, mime)
	if !ok {
		return 0, 0
	}
	return w, h
}
