package schema

import (
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// Type detection as Misskey does it (FileInfoService.detectType and
// getFileInfo, 2026.5.4): the `file-type` package (22.x) reads magic bytes;
// when it finds nothing, or finds XML, `is-svg` decides whether the content
// is SVG; what is still unknown is application/octet-stream, except that a
// name ending .txt, .csv or .json makes it text/plain, text/csv or
// application/json. Misskey ignores the name otherwise, and the
// Content-Type of the upload always.
//
// The detectors below follow file-type's order for every format that
// Misskey's default role policy accepts (image/*, video/*, audio/*, text/*,
// application/json) and for the common other ones (PDF, archives,
// executables). Formats file-type knows but mkctl does not are reported as
// application/octet-stream; they are all outside the default policy too.
//
// Video without a video track: Misskey asks ffprobe and reports audio (an
// MP4 with sound only becomes audio/mp4 with the extension m4a). mkctl
// reads the tracks of ISO media files (MP4, MOV, 3GP, M4V) itself; for
// WebM, Matroska and Ogg it assumes a video track, which changes the type
// Misskey reports (audio/webm) but not the extension it appends.

// fileType is what file-type answers: a MIME type and the extension
// Misskey appends to a name that does not end with it.
type fileType struct {
	mime string
	ext  string // "" for application/octet-stream
}

const octetStream = "application/octet-stream"

var typeOctetStream = fileType{mime: octetStream}

// Sniffing reads at most this much of a file up front; PNG chunks, TIFF
// directories and ID3 tags are followed further with ReadAt, and SVG is
// read whole (at most maxSVGBytes).
const sniffHeadBytes = 4100

// maxSVGBytes is Misskey's checkSvg limit: a larger file is never SVG.
const maxSVGBytes = 1 << 20

// maxImageSide is the largest width or height Misskey accepts as an image;
// a larger one is stored as application/octet-stream.
const maxImageSide = 16383

// SniffType returns the MIME type Misskey would give a file whose bytes
// start with head (the whole file when it is shorter than a few KiB) and
// that is uploaded under name. It decides by content; the name matters only
// for content nothing recognises (see above). It does not measure images:
// Load also refuses an image Misskey stores as application/octet-stream
// because its size is unreadable or over 16383 px (checkImageSize).
func SniffType(head []byte, name string) string {
	return sniff(bytes.NewReader(head), int64(len(head)), name).mime
}

// DetectedExt is the extension (without a dot) Misskey appends to a file's
// name when the name does not already end with it, for a type SniffType
// returns: image/jpeg → "jpg", image/png → "png", image/svg+xml → "svg".
// It is "" for application/octet-stream and for types mkctl does not
// detect. A few types have several extensions (audio/mpeg is mp3, mp2 or
// mp1 by the layer); DetectedExt gives the usual one.
func DetectedExt(mime string) string {
	if ext, ok := extByMIME[mime]; ok {
		return ext
	}
	return ""
}

// extByMIME lists the usual extension of every type the detectors return.
var extByMIME = map[string]string{
	"image/png": "png", "image/apng": "apng", "image/jpeg": "jpg", "image/gif": "gif",
	"image/webp": "webp", "image/avif": "avif", "image/bmp": "bmp", "image/svg+xml": "svg",
	"image/tiff": "tif", "image/x-icon": "ico", "image/heic": "heic", "image/heif": "heic",
	"image/heic-sequence": "heic", "image/heif-sequence": "heic", "image/jxl": "jxl",
	"image/vnd.adobe.photoshop": "psd", "image/icns": "icns", "image/jp2": "jp2", "image/jpx": "jpx",
	"image/jpm": "jpm", "image/mj2": "mj2", "image/j2c": "j2c", "image/jls": "jls", "image/flif": "flif",
	"image/bpg": "bpg", "image/vnd.ms-photo": "jxr", "image/x-xcf": "xcf", "image/ktx": "ktx",
	"image/x-canon-cr2": "cr2", "image/x-canon-cr3": "cr3", "image/x-nikon-nef": "nef",
	"image/x-adobe-dng": "dng", "image/x-sony-arw": "arw", "image/x-olympus-orf": "orf",
	"image/x-panasonic-rw2": "rw2", "image/x-fujifilm-raf": "raf", "image/vnd.dwg": "dwg",
	"video/mp4": "mp4", "video/webm": "webm", "video/matroska": "mkv", "video/quicktime": "mov",
	"video/x-m4v": "m4v", "video/3gpp": "3gp", "video/3gpp2": "3g2", "video/vnd.avi": "avi",
	"video/x-flv": "flv", "video/mpeg": "mpg", "video/MP1S": "mpg", "video/MP2P": "mpg",
	"video/mp2t": "mts", "video/ogg": "ogv",
	"audio/mpeg": "mp3", "audio/ogg": "ogg", "audio/ogg; codecs=opus": "opus", "audio/wav": "wav",
	"audio/flac": "flac", "audio/aac": "aac", "audio/x-m4a": "m4a", "audio/mp4": "m4a",
	"audio/aiff": "aif", "audio/midi": "mid", "audio/amr": "amr", "audio/ape": "ape",
	"audio/wavpack": "wv", "audio/x-musepack": "mpc", "audio/x-dsf": "dsf", "audio/qcelp": "qcp",
	"audio/vnd.dolby.dd-raw": "ac3", "audio/x-it": "it", "audio/x-xm": "xm", "audio/x-s3m": "s3m",
	"audio/x-voc": "voc",
	"text/plain":  "txt", "text/csv": "csv", "application/json": "json", "text/vtt": "vtt",
	"text/vcard": "vcf", "text/calendar": "ics",
	"application/pdf": "pdf", "application/zip": "zip", "application/gzip": "gz",
	"application/x-bzip2": "bz2", "application/x-xz": "xz", "application/x-7z-compressed": "7z",
	"application/x-rar-compressed": "rar", "application/x-tar": "tar", "application/xml": "xml",
	"application/x-msdownload": "exe", "application/x-elf": "elf", "application/wasm": "wasm",
	"application/ogg": "ogx", "application/x-sqlite3": "sqlite", "application/zstd": "zst",
	"application/rtf": "rtf", "application/postscript": "ps", "font/woff": "woff", "font/woff2": "woff2",
	"font/otf": "otf", "font/ttf": "ttf",
}

// sniff detects the type of the size bytes readable from r as Misskey
// would for a file uploaded under name.
func sniff(r io.ReaderAt, size int64, name string) fileType {
	t, ok := detectType(r, size)
	if !ok || t.mime == octetStream {
		// getFileInfo: split('.').pop(), so case-sensitive.
		switch name[strings.LastIndexByte(name, '.')+1:] {
		case "txt":
			return fileType{"text/plain", "txt"}
		case "csv":
			return fileType{"text/csv", "csv"}
		case "json":
			return fileType{"application/json", "json"}
		}
		return typeOctetStream
	}
	return t
}

// detectType is FileInfoService.detectType: file-type, then SVG.
func detectType(r io.ReaderAt, size int64) (fileType, bool) {
	if size == 0 {
		return typeOctetStream, true
	}
	d := &detector{r: r, size: size}
	t, ok := d.detect(0, 0)
	if ok && t.mime == "application/xml" && isSVG(r, size) {
		return fileType{"image/svg+xml", "svg"}, true
	}
	if ok {
		// fixMime
		switch t.mime {
		case "audio/x-flac":
			t.mime = "audio/flac"
		case "audio/vnd.wave":
			t.mime = "audio/wav"
		}
		return t, true
	}
	if isSVG(r, size) {
		return fileType{"image/svg+xml", "svg"}, true
	}
	return typeOctetStream, true
}

type detector struct {
	r    io.ReaderAt
	size int64
}

// read returns up to n bytes at off (fewer at the end of the file).
func (d *detector) read(off int64, n int) []byte {
	if off >= d.size || off < 0 {
		return nil
	}
	if rest := d.size - off; int64(n) > rest {
		n = int(rest)
	}
	b := make([]byte, n)
	m, err := d.r.ReadAt(b, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return b[:m]
	}
	return b[:m]
}

// maxReentry bounds BOM and ID3 skipping, as file-type does.
const maxReentry = 5

// detect runs file-type's detectors on the content starting at base.
func (d *detector) detect(base int64, depth int) (fileType, bool) {
	b := d.read(base, 512)
	if len(b) == 0 {
		return fileType{}, false
	}
	has := func(off int, sig ...byte) bool {
		if off+len(sig) > len(b) {
			return false
		}
		return bytes.Equal(b[off:off+len(sig)], sig)
	}
	str := func(off int, s string) bool { return has(off, []byte(s)...) }
	t := func(ext, mime string) (fileType, bool) { return fileType{mime: mime, ext: ext}, true }

	// -- 2-byte signatures --
	switch {
	case str(0, "BM"):
		return t("bmp", "image/bmp")
	case has(0, 0x0B, 0x77):
		return t("ac3", "audio/vnd.dolby.dd-raw")
	case has(0, 0x78, 0x01):
		return t("dmg", "application/x-apple-diskimage")
	case str(0, "MZ"):
		return t("exe", "application/x-msdownload")
	case str(0, "%!"):
		if str(2, "PS-Adobe-") && str(14, " EPSF-") {
			return t("eps", "application/eps")
		}
		return t("ps", "application/postscript")
	case has(0, 0x1F, 0xA0), has(0, 0x1F, 0x9D):
		return t("Z", "application/x-compress")
	}
	// -- 3-byte signatures --
	switch {
	case has(0, 0xEF, 0xBB, 0xBF):
		if depth >= maxReentry {
			return fileType{}, false
		}
		return d.detect(base+3, depth+1)
	case str(0, "GIF"):
		return t("gif", "image/gif")
	case has(0, 0x49, 0x49, 0xBC):
		return t("jxr", "image/vnd.ms-photo")
	case has(0, 0x1F, 0x8B, 0x08):
		return t("gz", "application/gzip")
	case str(0, "BZh"):
		return t("bz2", "application/x-bzip2")
	case str(0, "ID3"):
		if len(b) < 10 {
			return fileType{}, false
		}
		n := int64(b[6]&0x7F)<<21 | int64(b[7]&0x7F)<<14 | int64(b[8]&0x7F)<<7 | int64(b[9]&0x7F)
		next := base + 10 + n
		if next > d.size {
			return t("mp3", "audio/mpeg")
		}
		if depth >= maxReentry {
			return fileType{}, false
		}
		return d.detect(next, depth+1)
	case str(0, "MP+"):
		return t("mpc", "audio/x-musepack")
	case (str(0, "CWS") || str(0, "FWS")):
		return t("swf", "application/x-shockwave-flash")
	}
	// -- 4-byte signatures --
	switch {
	case has(0, 0xFF, 0xD8, 0xFF):
		if has(3, 0xF7) {
			return t("jls", "image/jls")
		}
		return t("jpg", "image/jpeg")
	case str(0, "FLIF"):
		return t("flif", "image/flif")
	case str(0, "8BPS"):
		return t("psd", "image/vnd.adobe.photoshop")
	case str(0, "MPCK"):
		return t("mpc", "audio/x-musepack")
	case str(0, "FORM"):
		return t("aif", "audio/aiff")
	case str(0, "icns"):
		return t("icns", "image/icns")
	case has(0, 'P', 'K', 3, 4):
		// file-type looks inside for OOXML, ODF, EPUB, JAR and APK; all
		// are outside Misskey's default policy, like zip.
		return t("zip", "application/zip")
	case str(0, "OggS"):
		h := d.read(base+28, 8)
		switch {
		case bytes.HasPrefix(h, []byte("OpusHead")):
			return t("opus", "audio/ogg; codecs=opus")
		case bytes.HasPrefix(h, []byte("\x80theora")):
			return t("ogv", "video/ogg")
		case bytes.HasPrefix(h, []byte("\x01video\x00")):
			return t("ogm", "video/ogg")
		case bytes.HasPrefix(h, []byte("\x7FFLAC")):
			return t("oga", "audio/ogg")
		case bytes.HasPrefix(h, []byte("Speex  ")):
			return t("spx", "audio/ogg")
		case bytes.HasPrefix(h, []byte("\x01vorbis")):
			return t("ogg", "audio/ogg")
		}
		return t("ogx", "application/ogg")
	case str(0, "PK") && len(b) >= 4 && (b[2] == 3 || b[2] == 5 || b[2] == 7) && (b[3] == 4 || b[3] == 6 || b[3] == 8):
		return t("zip", "application/zip")
	case str(0, "MThd"):
		return t("mid", "audio/midi")
	case (str(0, "wOFF") || str(0, "wOF2")) && (has(4, 0, 1, 0, 0) || str(4, "OTTO")):
		if str(0, "wOFF") {
			return t("woff", "font/woff")
		}
		return t("woff2", "font/woff2")
	case str(0, "DSD "):
		return t("dsf", "audio/x-dsf")
	case str(0, "fLaC"):
		return t("flac", "audio/flac")
	case has(0, 0x42, 0x50, 0x47, 0xFB):
		return t("bpg", "image/bpg")
	case str(0, "wvpk"):
		return t("wv", "audio/wavpack")
	case str(0, "%PDF"):
		return t("pdf", "application/pdf")
	case has(0, 0x00, 0x61, 0x73, 0x6D):
		return t("wasm", "application/wasm")
	case str(0, "II") || str(0, "MM"):
		if ft, ok := d.tiff(base, b); ok {
			return ft, true
		}
	}
	switch {
	case str(0, "MAC "):
		return t("ape", "audio/ape")
	case has(0, 0x1A, 0x45, 0xDF, 0xA3):
		switch d.ebmlDocType(base) {
		case "webm":
			return t("webm", "video/webm")
		case "matroska":
			return t("mkv", "video/matroska")
		}
		return fileType{}, false
	case str(0, "SQLi"):
		return t("sqlite", "application/x-sqlite3")
	case has(0, 0x28, 0xB5, 0x2F, 0xFD):
		return t("zst", "application/zstd")
	case has(0, 0x7F, 'E', 'L', 'F'):
		return t("elf", "application/x-elf")
	// -- 5-byte signatures --
	case has(0, 'O', 'T', 'T', 'O', 0):
		return t("otf", "font/otf")
	case str(0, "#!AMR"):
		return t("amr", "audio/amr")
	case str(0, `{\rtf`):
		return t("rtf", "application/rtf")
	case has(0, 'F', 'L', 'V', 0x01):
		return t("flv", "video/x-flv")
	case str(0, "IMPM"):
		return t("it", "audio/x-it")
	case has(0, 0x00, 0x00, 0x01, 0xBA) && len(b) > 4 && b[4]&0xF1 == 0x21:
		return t("mpg", "video/MP1S")
	case has(0, 0x00, 0x00, 0x01, 0xBA) && len(b) > 4 && b[4]&0xC4 == 0x44:
		return t("mpg", "video/MP2P")
	// -- 6-byte signatures --
	case has(0, 0xFD, '7', 'z', 'X', 'Z', 0x00):
		return t("xz", "application/x-xz")
	case str(0, "<?xml "):
		return t("xml", "application/xml")
	case has(0, '7', 'z', 0xBC, 0xAF, 0x27, 0x1C):
		return t("7z", "application/x-7z-compressed")
	case has(0, 'R', 'a', 'r', '!', 0x1A, 0x07) && len(b) > 6 && (b[6] == 0 || b[6] == 1):
		return t("rar", "application/x-rar-compressed")
	case str(0, "AC") && len(b) >= 6 && isDWGVersion(b[2:6]):
		return t("dwg", "image/vnd.dwg")
	// -- 7-byte signatures --
	case str(0, "WEBVTT") && (len(b) == 6 || bytes.IndexByte([]byte("\n\r\t \x00"), b[6]) >= 0):
		return t("vtt", "text/vtt")
	// -- 8-byte signatures --
	case has(0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A):
		return d.png(base)
	case has(4, 'f', 'r', 'e', 'e'), has(4, 'm', 'd', 'a', 't'), has(4, 'm', 'o', 'o', 'v'), has(4, 'w', 'i', 'd', 'e'):
		return t("mov", "video/quicktime")
	// -- 9-byte signatures --
	case has(0, 0x49, 0x49, 0x52, 0x4F, 0x08, 0x00, 0x00, 0x00, 0x18):
		return t("orf", "image/x-olympus-orf")
	case str(0, "gimp xcf "):
		return t("xcf", "image/x-xcf")
	case str(4, "ftyp") && len(b) > 8 && b[8]&0x60 != 0:
		ft, ok := ftypBrand(b[8:min(12, len(b))])
		if ok && strings.HasPrefix(ft.mime, "video/") && d.isoVideoTrack(base) == noVideo {
			// detectType: a video without a video track is audio.
			if ft.mime == "video/mp4" {
				return fileType{"audio/mp4", "m4a"}, true
			}
			ft.mime = "audio/" + strings.TrimPrefix(ft.mime, "video/")
		}
		return ft, ok
	case str(0, "RIFF") && str(8, "WEBP"):
		return t("webp", "image/webp")
	case str(0, "RIFF") && str(8, "AVI"):
		return t("avi", "video/vnd.avi")
	case str(0, "RIFF") && str(8, "WAVE"):
		return t("wav", "audio/wav")
	case str(0, "RIFF") && str(8, "QLCM"):
		return t("qcp", "audio/qcelp")
	case has(0, 0x49, 0x49, 0x55, 0x00, 0x18, 0x00, 0x00, 0x00, 0x88, 0xE7, 0x74, 0xD8):
		return t("rw2", "image/x-panasonic-rw2")
	case has(0, 0xAB, 0x4B, 0x54, 0x58, 0x20, 0x31, 0x31, 0xBB, 0x0D, 0x0A, 0x1A, 0x0A):
		return t("ktx", "image/ktx")
	case has(0, 0xFF, 0x4F, 0xFF, 0x51):
		return t("j2c", "image/j2c")
	case has(0, 0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A):
		switch string(d.read(base+20, 4)) {
		case "jp2 ":
			return t("jp2", "image/jp2")
		case "jpx ":
			return t("jpx", "image/jpx")
		case "jpm ":
			return t("jpm", "image/jpm")
		case "mjp2":
			return t("mj2", "image/mj2")
		}
		return fileType{}, false
	case has(0, 0xFF, 0x0A), has(0, 0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20, 0x0D, 0x0A, 0x87, 0x0A):
		return t("jxl", "image/jxl")
	case has(0, 0xFE, 0xFF):
		if has(2, utf16BE("<?xml ")...) {
			return t("xml", "application/xml")
		}
		return fileType{}, false
	// -- 256-byte window --
	case str(0, "BEGIN:VCARD"):
		return t("vcf", "text/vcard")
	case str(0, "BEGIN:VCALENDAR"):
		return t("ics", "text/calendar")
	case str(0, "FUJIFILMCCD-RAW"):
		return t("raf", "image/x-fujifilm-raf")
	case str(0, "Extended Module:"):
		return t("xm", "audio/x-xm")
	case str(0, "Creative Voice File"):
		return t("voc", "audio/x-voc")
	case str(44, "SCRM"):
		return t("s3m", "audio/x-s3m")
	case has(0, 0x47) && has(188, 0x47), has(4, 0x47) && has(196, 0x47):
		return t("mts", "video/mp2t")
	// -- 512-byte window --
	case str(257, "ustar") && (has(262, 0) || has(262, ' ')):
		return t("tar", "application/x-tar")
	case has(0, 0xFF, 0xFE):
		if has(2, utf16LE("<?xml ")...) {
			return t("xml", "application/xml")
		}
		return fileType{}, false
	}
	return d.imprecise(b)
}

// imprecise is file-type's detectImprecise: short signatures tried last.
func (d *detector) imprecise(b []byte) (fileType, bool) {
	has := func(sig ...byte) bool { return bytes.HasPrefix(b, sig) }
	switch {
	case has(0, 0, 1, 0xBA), has(0, 0, 1, 0xB3):
		return fileType{"video/mpeg", "mpg"}, true
	case has(0, 1, 0, 0, 0):
		return fileType{"font/ttf", "ttf"}, true
	case has(0, 0, 1, 0):
		return fileType{"image/x-icon", "ico"}, true
	case has(0, 0, 2, 0):
		return fileType{"image/x-icon", "cur"}, true
	}
	// MPEG audio frame sync (mpegOffsetTolerance 0).
	if len(b) >= 2 && b[0] == 0xFF && b[1]&0xE0 == 0xE0 {
		switch {
		case b[1]&0x16 == 0x10:
			return fileType{"audio/aac", "aac"}, true
		case b[1]&0x06 == 0x02:
			return fileType{"audio/mpeg", "mp3"}, true
		case b[1]&0x06 == 0x04:
			return fileType{"audio/mpeg", "mp2"}, true
		case b[1]&0x06 == 0x06:
			return fileType{"audio/mpeg", "mp1"}, true
		}
	}
	return fileType{}, false
}

// png tells PNG from APNG: an acTL chunk before the first IDAT.
func (d *detector) png(base int64) (fileType, bool) {
	png, apng := fileType{"image/png", "png"}, fileType{"image/apng", "apng"}
	pos := base + 8
	seenIHDR := false
	for i := 0; i < 1000 && pos+8 < d.size; i++ {
		h := d.read(pos, 8)
		if len(h) < 8 {
			break
		}
		n := int32(binary.BigEndian.Uint32(h))
		if n < 0 {
			return fileType{}, false
		}
		switch typ := string(h[4:8]); typ {
		case "IHDR":
			if n != 13 {
				return fileType{}, false
			}
			seenIHDR = true
		case "IDAT":
			return png, true
		case "acTL":
			return apng, true
		default:
			if !seenIHDR && typ != "CgBI" {
				return fileType{}, false
			}
		}
		pos += 8 + int64(n) + 4
	}
	return png, true
}

// tiff is file-type's readTiffHeader: TIFF and the raw formats built on it.
func (d *detector) tiff(base int64, b []byte) (fileType, bool) {
	if len(b) < 8 {
		return fileType{}, false
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if b[0] == 'M' {
		bo = binary.BigEndian
	}
	tif := fileType{"image/tiff", "tif"}
	switch bo.Uint16(b[2:4]) {
	case 42:
		ifd := bo.Uint32(b[4:8])
		if ifd >= 6 {
			if len(b) >= 10 && string(b[8:10]) == "CR" {
				return fileType{"image/x-canon-cr2", "cr2"}, true
			}
			if ifd >= 8 && len(b) >= 12 {
				id1, id2 := bo.Uint16(b[8:10]), bo.Uint16(b[10:12])
				if (id1 == 0x1C && id2 == 0xFE) || (id1 == 0x1F && id2 == 0x0B) {
					return fileType{"image/x-nikon-nef", "nef"}, true
				}
			}
		}
		// The directory's offset counts from the start of the file
		// (file-type has only peeked so far).
		pos := base + int64(ifd)
		if pos > d.size {
			return fileType{}, false
		}
		h := d.read(pos, 2)
		if len(h) < 2 {
			return fileType{}, false
		}
		n := int(bo.Uint16(h))
		tags := d.read(pos+2, n*12)
		for i := 0; i+2 <= len(tags) && i/12 < n; i += 12 {
			switch bo.Uint16(tags[i : i+2]) {
			case 50341:
				return fileType{"image/x-sony-arw", "arw"}, true
			case 50706:
				return fileType{"image/x-adobe-dng", "dng"}, true
			}
		}
		if len(tags) < n*12 {
			return fileType{}, false // the directory is cut short
		}
		return tif, true
	case 43:
		return tif, true
	}
	return fileType{}, false
}

// ebmlDocType reads the DocType of a Matroska/WebM EBML header.
func (d *detector) ebmlDocType(base int64) string {
	pos := base
	readVint := func(keepMarker bool) (uint64, bool) {
		h := d.read(pos, 1)
		if len(h) == 0 || h[0] == 0 {
			return 0, false
		}
		n := 1
		for mask := byte(0x80); h[0]&mask == 0; mask >>= 1 {
			n++
		}
		raw := d.read(pos, n)
		if len(raw) < n {
			return 0, false
		}
		pos += int64(n)
		if !keepMarker {
			raw[0] ^= 0x80 >> (n - 1)
		}
		var v uint64
		for _, c := range raw {
			v = v<<8 | uint64(c)
		}
		return v, true
	}
	if _, ok := readVint(true); !ok { // root id
		return ""
	}
	rootLen, ok := readVint(false)
	if !ok {
		return ""
	}
	end := pos + int64(min(rootLen, uint64(d.size)))
	for i := 0; i < 256 && pos < end; i++ {
		id, ok1 := readVint(true)
		n, ok2 := readVint(false)
		if !ok1 || !ok2 {
			return ""
		}
		if id == 0x4282 {
			if n > 64 {
				return ""
			}
			s := string(d.read(pos, int(n)))
			if i := strings.IndexByte(s, 0); i >= 0 {
				s = s[:i]
			}
			return s
		}
		if n > uint64(d.size) {
			return ""
		}
		pos += int64(n)
	}
	return ""
}

type trackKind int

const (
	unknownTracks trackKind = iota // not readable: assume video, as Misskey does when ffprobe fails
	hasVideo
	noVideo
)

// isoVideoTrack tells whether ffprobe would see a video stream in an ISO
// media file: a track whose handler is "vide", or cover art (an iTunes
// "covr" item, which ffprobe shows as an attached picture, a video stream).
func (d *detector) isoVideoTrack(base int64) trackKind {
	moov, moovEnd, ok := d.findBox(base, d.size, "moov")
	if !ok {
		return unknownTracks
	}
	found := false
	video := false
	d.eachBox(moov, moovEnd, func(typ string, start, end int64) {
		switch typ {
		case "trak":
			found = true
			if mdia, mdiaEnd, ok := d.findBox(start, end, "mdia"); ok {
				if hdlr, _, ok := d.findBox(mdia, mdiaEnd, "hdlr"); ok && string(d.read(hdlr+8, 4)) == "vide" {
					video = true
				}
			}
		case "udta":
			if meta, metaEnd, ok := d.findBox(start, end, "meta"); ok {
				// meta is a full box in MP4 (4 bytes of version and
				// flags before its children), a plain box in QuickTime.
				for _, skip := range []int64{4, 0} {
					if ilst, ilstEnd, ok := d.findBox(meta+skip, metaEnd, "ilst"); ok {
						if _, _, ok := d.findBox(ilst, ilstEnd, "covr"); ok {
							video = true
						}
						break
					}
				}
			}
		}
	})
	switch {
	case video:
		return hasVideo
	case found:
		return noVideo
	}
	return unknownTracks
}

// eachBox calls f with the type and payload range of each box in
// [start, end), stopping at the first malformed one.
func (d *detector) eachBox(start, end int64, f func(typ string, payload, payloadEnd int64)) {
	pos := start
	for i := 0; i < 10000 && pos+8 <= end; i++ {
		h := d.read(pos, 16)
		if len(h) < 8 {
			return
		}
		size := int64(binary.BigEndian.Uint32(h))
		header := int64(8)
		switch size {
		case 0:
			size = end - pos
		case 1:
			if len(h) < 16 {
				return
			}
			size = int64(binary.BigEndian.Uint64(h[8:16]))
			header = 16
		}
		if size < header || pos+size > end {
			return
		}
		f(string(h[4:8]), pos+header, pos+size)
		pos += size
	}
}

// findBox finds the first box of a type in [start, end).
func (d *detector) findBox(start, end int64, typ string) (int64, int64, bool) {
	var from, to int64
	found := false
	d.eachBox(start, end, func(t string, s, e int64) {
		if !found && t == typ {
			from, to, found = s, e, true
		}
	})
	return from, to, found
}

// ftypBrand maps an ISO BMFF major brand as file-type does.
func ftypBrand(raw []byte) (fileType, bool) {
	brand := strings.TrimSpace(strings.Replace(string(raw), "\x00", " ", 1))
	t := func(ext, mime string) (fileType, bool) { return fileType{mime, ext}, true }
	switch brand {
	case "avif", "avis":
		return t("avif", "image/avif")
	case "mif1":
		return t("heic", "image/heif")
	case "msf1":
		return t("heic", "image/heif-sequence")
	case "heic", "heix":
		return t("heic", "image/heic")
	case "hevc", "hevx":
		return t("heic", "image/heic-sequence")
	case "qt":
		return t("mov", "video/quicktime")
	case "M4V", "M4VH", "M4VP":
		return t("m4v", "video/x-m4v")
	case "M4P":
		return t("m4p", "video/mp4")
	case "M4B":
		return t("m4b", "audio/mp4")
	case "M4A":
		return t("m4a", "audio/x-m4a")
	case "F4V":
		return t("f4v", "video/mp4")
	case "F4P":
		return t("f4p", "video/mp4")
	case "F4A":
		return t("f4a", "audio/mp4")
	case "F4B":
		return t("f4b", "audio/mp4")
	case "crx":
		return t("cr3", "image/x-canon-cr3")
	}
	if strings.HasPrefix(brand, "3g2") {
		return t("3g2", "video/3gpp2")
	}
	if strings.HasPrefix(brand, "3g") {
		return t("3gp", "video/3gpp")
	}
	return t("mp4", "video/mp4")
}

func isDWGVersion(v []byte) bool {
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	s := string(v)
	return s >= "1000" && s <= "1050"
}

func utf16BE(s string) []byte {
	var out []byte
	for _, c := range []byte(s) {
		out = append(out, 0, c)
	}
	return out
}

func utf16LE(s string) []byte {
	var out []byte
	for _, c := range []byte(s) {
		out = append(out, c, 0)
	}
	return out
}

// isSVG is Misskey's checkSvg with is-svg 6: at most 1 MiB, well-formed
// XML (the whole document is scanned) whose root element is svg.
func isSVG(r io.ReaderAt, size int64) bool {
	if size > maxSVGBytes {
		return false
	}
	b := make([]byte, size)
	if n, err := r.ReadAt(b, 0); int64(n) != size && err != nil {
		return false
	}
	s := strings.TrimFunc(string(b), isJSWhitespace)
	if s == "" || s[0] != '<' {
		return false
	}
	dec := xml.NewDecoder(strings.NewReader(s))
	dec.Strict = true
	root := ""
	depth := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return false
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			} else if depth == 0 {
				return false // a second root element
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(tok)) > 0 {
				return false // text outside the root element
			}
		}
	}
	return strings.EqualFold(root, "svg") && depth == 0
}
