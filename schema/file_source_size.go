package schema

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/mkctl/mkctl/internal/imagesize"
)

// Image dimensions, as Misskey's getFileInfo reads them (probe-image-size)
// for the types it measures: an image of one of these types whose size it
// cannot read, or wider or taller than 16383 px, is stored as
// application/octet-stream, which the default role policy refuses. The
// readers below follow the emulator's (provider/emulator/sniff.go), which
// the conformance suite checks against a real server, and
// sniff_crosscheck_test.go compares the two. They read headers only,
// through ReaderAt, never the whole file:
//   - PNG, APNG, GIF, BMP, WebP, PSD: the first 30 bytes;
//   - JPEG: its segments' headers, up to the frame header (SOFn), as
//     probe-image-size walks them (the emulator uses Go's image/jpeg);
//   - TIFF: the header and the first directory (at most 65535 entries of
//     12 bytes);
//   - AVIF: the first "ispe" property within the first maxAVIFScanBytes,
//     read in chunks of scanChunkBytes (the emulator searches the whole
//     file: an AVIF whose ispe lies further is refused here, accepted
//     there);
//   - SVG: the first <svg ...> tag, read in chunks of scanChunkBytes until
//     it ends, within the first maxSVGBytes. A bound of 64 KiB would do
//     for nearly every SVG, but detection (isSVG) has already read the
//     whole document, which is at most maxSVGBytes long, and a root tag
//     after a long comment or doctype is still found, as the emulator and
//     probe-image-size find it.

// measuredImageTypes are the types getFileInfo reads dimensions of.
var measuredImageTypes = map[string]bool{
	"image/png": true, "image/gif": true, "image/jpeg": true, "image/webp": true, "image/avif": true,
	"image/apng": true, "image/bmp": true, "image/tiff": true, "image/svg+xml": true,
	"image/vnd.adobe.photoshop": true,
}

// maxAVIFScanBytes bounds the search for an AVIF's "ispe" (image spatial
// extents) property; it lies in the meta box, near the start of the files
// encoders write.
const maxAVIFScanBytes = 1 << 20

// scanChunkBytes is the chunk AVIF and SVG headers are read in.
const scanChunkBytes = 64 << 10

// Summaries of the errors that mean Misskey would store an image as
// application/octet-stream.
const (
	summaryImageTooLarge   = "Image too large"
	summaryImageSizeUnread = "Image size unreadable"
)

// checkImageSize applies Misskey's rule that an image of a type it
// measures is stored as application/octet-stream (and so refused under
// the default policy) when it is wider or taller than 16383 px, or when
// its size cannot be read.
func checkImageSize(r io.ReaderAt, size int64, t fileType, p string) *sourceError {
	if !measuredImageTypes[t.mime] {
		return nil
	}
	w, h, ok := measureImage(r, size, t.mime)
	if !ok {
		hint := "Hint: the header is damaged or cut short; open the image in an editor and save it again, or convert it to PNG or JPEG."
		switch t.mime {
		case "image/svg+xml":
			hint = "Hint: give the root element a width and a height in px (plain numbers), or a viewBox, e.g. <svg width=\"64\" height=\"64\" ...> or <svg viewBox=\"0 0 64 64\" ...>."
		case "image/tiff":
			hint = "Hint: the first image directory of the TIFF needs ImageWidth and ImageLength tags; save it again, or convert it to PNG."
		case "image/avif":
			hint = fmt.Sprintf("Hint: mkctl reads the size from the image's ispe property within its first %d bytes; save the image again, or convert it to PNG or WebP.", maxAVIFScanBytes)
		}
		return srcErr(summaryImageSizeUnread, "Misskey cannot read the width and height of %q (%s): it stores an image whose size it cannot read as application/octet-stream, which its default role policy refuses (UNALLOWED_FILE_TYPE). %s", p, t.mime, hint)
	}
	if w > maxImageSide || h > maxImageSide {
		return srcErr(summaryImageTooLarge, "%q is %d×%d px; Misskey stores an image wider or taller than %d px as application/octet-stream, which its default role policy refuses (UNALLOWED_FILE_TYPE). Hint: scale the image down.", p, w, h, maxImageSide)
	}
	return nil
}

// measureImage reads an image's dimensions from its header; ok is false
// when Misskey could not read them (or does not measure the type).
func measureImage(r io.ReaderAt, size int64, mime string) (w, h int, ok bool) {
	b := make([]byte, 30)
	n, _ := r.ReadAt(b, 0)
	b = b[:n]
	switch mime {
	case "image/png", "image/apng":
		if len(b) >= 24 && string(b[12:16]) == "IHDR" {
			return int(binary.BigEndian.Uint32(b[16:20])), int(binary.BigEndian.Uint32(b[20:24])), true
		}
	case "image/gif":
		if len(b) >= 10 {
			return int(binary.LittleEndian.Uint16(b[6:8])), int(binary.LittleEndian.Uint16(b[8:10])), true
		}
	case "image/bmp":
		if len(b) >= 26 {
			if binary.LittleEndian.Uint32(b[14:18]) == 12 { // BITMAPCOREHEADER
				return int(binary.LittleEndian.Uint16(b[18:20])), int(binary.LittleEndian.Uint16(b[20:22])), true
			}
			// A top-down BMP has a negative height; a negative width is
			// nonsense, and no larger than 16383 to Misskey (nor to the
			// emulator, which reads it as a signed number too).
			w := int(int32(binary.LittleEndian.Uint32(b[18:22])))
			h := int(int32(binary.LittleEndian.Uint32(b[22:26])))
			return w, max(h, -h), true
		}
	case "image/webp":
		return imagesize.WebP(b)
	case "image/jpeg":
		return jpegSize(r, size)
	case "image/vnd.adobe.photoshop":
		if len(b) >= 22 {
			return int(binary.BigEndian.Uint32(b[18:22])), int(binary.BigEndian.Uint32(b[14:18])), true
		}
	case "image/tiff":
		return tiffSize(r, size)
	case "image/avif":
		return avifSize(r, size)
	case "image/svg+xml":
		return svgSize(r, size)
	}
	return 0, 0, false
}

// jpegSize walks a JPEG's segments to its frame header (SOFn).
func jpegSize(r io.ReaderAt, size int64) (int, int, bool) {
	pos := int64(2)
	h := make([]byte, 9)
	for i := 0; i < 10000 && pos+4 <= size; i++ {
		if n, _ := r.ReadAt(h, pos); n < 4 {
			return 0, 0, false
		}
		if h[0] != 0xFF {
			return 0, 0, false
		}
		marker := h[1]
		switch {
		case marker == 0xFF: // fill byte
			pos++
			continue
		case marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7):
			pos += 2 // no length
			continue
		case marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
			if n, _ := r.ReadAt(h, pos); n < 9 {
				return 0, 0, false
			}
			return int(binary.BigEndian.Uint16(h[7:9])), int(binary.BigEndian.Uint16(h[5:7])), true
		}
		pos += 2 + int64(binary.BigEndian.Uint16(h[2:4]))
	}
	return 0, 0, false
}

// tiffSize reads ImageWidth (256) and ImageLength (257) of the first
// directory, a SHORT or a LONG each; both must be there and not 0.
func tiffSize(r io.ReaderAt, size int64) (int, int, bool) {
	hdr := make([]byte, 8)
	if n, _ := r.ReadAt(hdr, 0); n < 8 {
		return 0, 0, false
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if hdr[0] == 'M' {
		bo = binary.BigEndian
	}
	ifd := int64(bo.Uint32(hdr[4:8]))
	cnt := make([]byte, 2)
	if ifd+2 > size {
		return 0, 0, false
	}
	if n, _ := r.ReadAt(cnt, ifd); n < 2 {
		return 0, 0, false
	}
	// The entries that lie within the file, at most 65535 × 12 bytes.
	entries := min(int64(bo.Uint16(cnt)), (size-ifd-2)/12)
	tags := make([]byte, entries*12)
	if n, _ := r.ReadAt(tags, ifd+2); int64(n) < entries*12 {
		return 0, 0, false
	}
	w, h := 0, 0
	for e := 0; e+12 <= len(tags); e += 12 {
		v := int(bo.Uint32(tags[e+8:]))
		if bo.Uint16(tags[e+2:]) == 3 { // SHORT
			v = int(bo.Uint16(tags[e+8:]))
		}
		switch bo.Uint16(tags[e:]) {
		case 256:
			w = v
		case 257:
			h = v
		}
	}
	return w, h, w > 0 && h > 0
}

// avifSize reads the first "ispe" property (width, height after four
// bytes of version and flags) within the first maxAVIFScanBytes.
func avifSize(r io.ReaderAt, size int64) (int, int, bool) {
	b, _ := readPrefix(r, size, maxAVIFScanBytes, func(b []byte) bool {
		i := bytes.Index(b, []byte("ispe"))
		return i >= 0 && len(b) >= i+16
	})
	i := bytes.Index(b, []byte("ispe"))
	if i < 0 || len(b) < i+16 {
		return 0, 0, false
	}
	return int(binary.BigEndian.Uint32(b[i+8:])), int(binary.BigEndian.Uint32(b[i+12:])), true
}

// readPrefix reads the file from its start in chunks of scanChunkBytes
// until done says the bytes read so far suffice, the file ends, or limit
// bytes are read.
func readPrefix(r io.ReaderAt, size, limit int64, done func([]byte) bool) ([]byte, error) {
	end := min(size, limit)
	var b []byte
	for int64(len(b)) < end {
		n := min(int64(scanChunkBytes), end-int64(len(b)))
		chunk := make([]byte, n)
		m, err := r.ReadAt(chunk, int64(len(b)))
		b = append(b, chunk[:m]...)
		if int64(m) < n {
			return b, err
		}
		if done(b) {
			break
		}
	}
	return b, nil
}

// svgSize reads the SVG's first <svg ...> tag from a bounded prefix and
// measures it as imagesize.SVG does.
func svgSize(r io.ReaderAt, size int64) (int, int, bool) {
	b, _ := readPrefix(r, size, maxSVGBytes, imagesize.HasSVGRoot)
	return imagesize.SVG(b)
}
