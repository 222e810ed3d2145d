package schema

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

// testImage is a small two-colour checkerboard.
func testImage(w, h int) image.Image {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{200, 40, 40, 255}
			if (x/4+y/4)%2 == 0 {
				c = color.RGBA{250, 250, 250, 255}
			}
			m.Set(x, y, c)
		}
	}
	return m
}

func pngBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, testImage(w, h)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gifBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, testImage(w, h), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngChunk is one PNG chunk (with a zero CRC: the sniffer does not check it).
func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	b.Write([]byte{0, 0, 0, 0})
	return b.Bytes()
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestSniffType(t *testing.T) {
	pngSig := []byte{0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}
	ihdr := pngChunk("IHDR", make([]byte, 13))
	ebml := func(docType string) []byte {
		// EBML header: id 1A45DFA3, size, then DocType (0x4282).
		body := cat([]byte{0x42, 0x86, 0x81, 0x01}, []byte{0x42, 0x82, byte(0x80 | len(docType))}, []byte(docType))
		return cat([]byte{0x1A, 0x45, 0xDF, 0xA3, byte(0x80 | len(body))}, body)
	}
	ogg := func(packet string) []byte {
		h := make([]byte, 28)
		copy(h, "OggS")
		return cat(h, []byte(packet))
	}
	ftyp := func(brand string) []byte {
		return cat([]byte{0, 0, 0, 0x18}, []byte("ftyp"), []byte(brand), []byte{0, 0, 0, 0}, []byte("isommp42"))
	}
	box := func(typ string, parts ...[]byte) []byte {
		body := cat(parts...)
		return cat(binary.BigEndian.AppendUint32(nil, uint32(8+len(body))), []byte(typ), body)
	}
	trak := func(handler string) []byte {
		return box("trak", box("tkhd", make([]byte, 20)), box("mdia", box("mdhd", make([]byte, 24)), box("hdlr", make([]byte, 8), []byte(handler), make([]byte, 12))))
	}
	mp4 := func(parts ...[]byte) []byte {
		return cat(ftyp("isom"), box("mdat", make([]byte, 64)), box("moov", parts...))
	}
	coverArt := box("udta", box("meta", make([]byte, 4), box("hdlr", make([]byte, 20)), box("ilst", box("covr", box("data", make([]byte, 16))))))
	riff := func(form string) []byte {
		return cat([]byte("RIFF"), []byte{0x24, 0, 0, 0}, []byte(form), []byte("fmt "))
	}
	id3 := cat([]byte("ID3"), []byte{4, 0, 0, 0, 0, 0, 4}, []byte{0, 0, 0, 0}, []byte{0xFF, 0xFB, 0x90, 0x00})
	tiffLE := cat([]byte("II*\x00"), []byte{8, 0, 0, 0}, []byte{1, 0}, []byte{0x00, 0x01, 3, 0, 1, 0, 0, 0, 1, 0, 0, 0})
	dngLE := cat([]byte("II*\x00"), []byte{8, 0, 0, 0}, []byte{1, 0}, []byte{0x12, 0xC6, 1, 0, 4, 0, 0, 0, 1, 0, 0, 0})

	tests := []struct {
		name string
		head []byte
		file string // the upload name
		mime string
		ext  string
	}{
		{"png", pngBytes(t, 4, 4), "a.png", "image/png", "png"},
		{"png by chunks", cat(pngSig, ihdr, pngChunk("IDAT", []byte{1})), "a", "image/png", "png"},
		{"apng", cat(pngSig, ihdr, pngChunk("acTL", make([]byte, 8)), pngChunk("IDAT", []byte{1})), "a.png", "image/apng", "apng"},
		{"png without IHDR", cat(pngSig, pngChunk("tEXt", []byte("x"))), "a.png", octetStream, ""},
		{"jpeg", jpegBytes(t, 4, 4), "a.jpg", "image/jpeg", "jpg"},
		{"jpeg magic", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F'}, "a", "image/jpeg", "jpg"},
		{"jpeg-ls", []byte{0xFF, 0xD8, 0xFF, 0xF7, 0}, "a", "image/jls", "jls"},
		{"gif", gifBytes(t, 4, 4), "a.gif", "image/gif", "gif"},
		{"webp", cat([]byte("RIFF"), []byte{0x24, 0, 0, 0}, []byte("WEBPVP8 ")), "a", "image/webp", "webp"},
		{"avif", ftyp("avif"), "a", "image/avif", "avif"},
		{"heic", ftyp("heic"), "a", "image/heic", "heic"},
		{"bmp", cat([]byte("BM"), make([]byte, 24)), "a", "image/bmp", "bmp"},
		{"tiff", tiffLE, "a", "image/tiff", "tif"},
		{"dng", dngLE, "a", "image/x-adobe-dng", "dng"},
		{"ico (imprecise)", []byte{0, 0, 1, 0, 1, 0, 16, 16}, "a", "image/x-icon", "ico"},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><rect width="1" height="1"/></svg>`), "a.png", "image/svg+xml", "svg"},
		{"svg with xml declaration", []byte("<?xml version=\"1.0\"?>\n<!-- logo -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"), "a", "image/svg+xml", "svg"},
		{"svg with BOM", []byte("\xEF\xBB\xBF<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "a", "image/svg+xml", "svg"},
		{"broken svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><g></svg>`), "a", octetStream, ""},
		{"xml not svg", []byte(`<?xml version="1.0"?><html/>`), "a", "application/xml", "xml"},
		{"html", []byte(`<!DOCTYPE html><html><body>x</body></html>`), "a.html", octetStream, ""},
		{"mp4", ftyp("isom"), "a", "video/mp4", "mp4"},
		{"mp4 with a video track", mp4(box("mvhd", make([]byte, 100)), trak("soun"), trak("vide")), "a", "video/mp4", "mp4"},
		{"mp4 with sound only", mp4(box("mvhd", make([]byte, 100)), trak("soun")), "a", "audio/mp4", "m4a"},
		{"mp4 with sound and cover art", mp4(trak("soun"), coverArt), "a", "video/mp4", "mp4"},
		{"quicktime with sound only", cat(box("ftyp", []byte("qt  "), make([]byte, 4)), box("moov", trak("soun"))), "a", "audio/quicktime", "mov"},
		{"mp4 mp42", ftyp("mp42"), "a", "video/mp4", "mp4"},
		{"m4a", ftyp("M4A "), "a", "audio/x-m4a", "m4a"},
		{"3gp", ftyp("3gp5"), "a", "video/3gpp", "3gp"},
		{"quicktime", cat([]byte{0, 0, 0, 8}, []byte("moov")), "a", "video/quicktime", "mov"},
		{"webm", ebml("webm"), "a", "video/webm", "webm"},
		{"mkv", ebml("matroska"), "a", "video/matroska", "mkv"},
		{"mp3 with ID3", id3, "a", "audio/mpeg", "mp3"},
		{"mp3 ID3 longer than the file", cat([]byte("ID3"), []byte{4, 0, 0, 0, 0, 0x7F, 0x7F}), "a", "audio/mpeg", "mp3"},
		{"ID3 header cut short", cat([]byte("ID3"), []byte{4, 0, 0, 0, 0x7F, 0x7F}), "a", octetStream, ""},
		{"mp3 frame", []byte{0xFF, 0xFB, 0x90, 0x00}, "a", "audio/mpeg", "mp3"},
		{"mp2 frame", []byte{0xFF, 0xFD, 0x90, 0x00}, "a", "audio/mpeg", "mp2"},
		{"aac", []byte{0xFF, 0xF1, 0x50, 0x80}, "a", "audio/aac", "aac"},
		{"ogg vorbis", ogg("\x01vorbis"), "a", "audio/ogg", "ogg"},
		{"ogg opus", ogg("OpusHead"), "a", "audio/ogg; codecs=opus", "opus"},
		{"ogg theora", ogg("\x80theora"), "a", "video/ogg", "ogv"},
		{"ogg unknown", ogg("whatever"), "a", "application/ogg", "ogx"},
		{"wav", riff("WAVE"), "a", "audio/wav", "wav"},
		{"avi", riff("AVI "), "a", "video/vnd.avi", "avi"},
		{"flac", []byte("fLaC\x00\x00\x00\x22"), "a", "audio/flac", "flac"},
		{"midi", []byte("MThd\x00\x00\x00\x06"), "a", "audio/midi", "mid"},
		{"pdf", []byte("%PDF-1.7\n"), "a", "application/pdf", "pdf"},
		{"zip", []byte("PK\x03\x04\x14\x00"), "a", "application/zip", "zip"},
		{"gzip", []byte{0x1F, 0x8B, 0x08, 0}, "a", "application/gzip", "gz"},
		{"webvtt", []byte("WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n"), "a", "text/vtt", "vtt"},
		{"text named .txt", []byte("hello\n"), "notes.txt", "text/plain", "txt"},
		{"text named .csv", []byte("a,b\n1,2\n"), "data.csv", "text/csv", "csv"},
		{"json named .json", []byte(`{"a": 1}`), "data.json", "application/json", "json"},
		{"text named .md", []byte("# hello\n"), "README.md", octetStream, ""},
		{"text without extension", []byte("hello\n"), "README", octetStream, ""},
		{"text named .TXT", []byte("hello\n"), "NOTES.TXT", octetStream, ""}, // split('.').pop() is case-sensitive
		{"empty", nil, "a.png", octetStream, ""},
		{"empty named .txt", nil, "a.txt", "text/plain", "txt"},
		{"png named .txt", pngBytes(t, 2, 2), "a.txt", "image/png", "png"}, // content wins
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := SniffType(tc.head, tc.file); got != tc.mime {
				t.Errorf("SniffType = %q, want %q", got, tc.mime)
			}
			if got := sniff(bytes.NewReader(tc.head), int64(len(tc.head)), tc.file); got.ext != tc.ext {
				t.Errorf("ext = %q, want %q", got.ext, tc.ext)
			}
		})
	}
}

func TestDetectedExt(t *testing.T) {
	for mime, want := range map[string]string{
		"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
		"image/avif": "avif", "image/bmp": "bmp", "image/svg+xml": "svg", "image/apng": "apng",
		"video/mp4": "mp4", "video/webm": "webm", "audio/mpeg": "mp3", "audio/ogg": "ogg",
		"audio/wav": "wav", "application/pdf": "pdf", "text/plain": "txt",
		octetStream: "", "application/x-unknown": "",
	} {
		if got := DetectedExt(mime); got != want {
			t.Errorf("DetectedExt(%q) = %q, want %q", mime, got, want)
		}
	}
}

// TestCorrectFilename is Misskey's correct-filename.ts on the cases of its
// own tests and of samples 53-54.
func TestCorrectFilename(t *testing.T) {
	tests := []struct{ name, ext, want string }{
		{"logo.png", "png", "logo.png"},
		{"LOGO.PNG", "png", "LOGO.PNG"},
		{"photo.jpg", "png", "photo.jpg.png"}, // sample 54
		{"copy", "png", "copy.png"},           // sample 53
		{"photo.jpeg", "jpg", "photo.jpeg"},
		{"photo.JPEG", "jpg", "photo.JPEG"},
		{"photo.jpg", "jpeg", "photo.jpg.jpeg"},
		{"scan.tiff", "tif", "scan.tiff"},
		{"a.tar.gz", "gz", "a.tar.gz"},
		{"archive.bin", "zip", "archive.bin"},
		{"file.", "png", "file..png"},
		{"v1.2", "png", "v1.2.png"}, // ".2" is an extension to Misskey, not png's
		{"notes.txt", "txt", "notes.txt"},
		{"x.unknownthing", "", "x.unknownthing"},
		{"noext", "", "noext.unknown"},
	}
	for _, tc := range tests {
		if got := correctFilename(tc.name, tc.ext); got != tc.want {
			t.Errorf("correctFilename(%q, %q) = %q, want %q", tc.name, tc.ext, got, tc.want)
		}
	}
}

func TestIsSVGLimit(t *testing.T) {
	big := `<svg xmlns="http://www.w3.org/2000/svg">` + strings.Repeat("<g/>", maxSVGBytes/4) + `</svg>`
	if got := SniffType([]byte(big), "big.svg"); got != octetStream {
		t.Errorf("SVG over 1 MiB: %q, want %q (Misskey's checkSvg skips it)", got, octetStream)
	}
}

// FuzzSniffType: no input makes the detectors panic or loop, and the
// answer always has a known extension or none.
func FuzzSniffType(f *testing.F) {
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"), "a.png")
	f.Add([]byte("\x00\x00\x00\x18ftypisom\x00\x00\x00\x00\x00\x00\x00\x08moov"), "a.mp4")
	f.Add([]byte("\x1a\x45\xdf\xa3\x84\x42\x82\x84webm"), "a")
	f.Add([]byte("II*\x00\x08\x00\x00\x00\xff\xff"), "a")
	f.Add([]byte("ID3\x04\x00\x00\x00\x00\x00\x00ID3"), "a")
	f.Add([]byte("<?xml version=\"1.0\"?><svg/>"), "a.txt")
	f.Fuzz(func(t *testing.T, b []byte, name string) {
		ft := sniff(bytes.NewReader(b), int64(len(b)), name)
		if ft.mime == "" || (ft.mime == octetStream) != (ft.ext == "") {
			t.Errorf("sniff = %+v", ft)
		}
		imageSize(bytes.NewReader(b), int64(len(b)), ft.mime)
	})
}
