package emulator

import (
	"bytes"
	"encoding/binary"
	"image/jpeg"
	"regexp"
	"strings"

	"github.com/mkctl/mkctl/internal/imagesize"
)

// Type detection as FileInfoService.getFileInfo does it: the content's
// magic bytes (the file-type package) decide, never the part's
// Content-Type; an unknown content is application/octet-stream unless the
// name ends in .txt, .csv or .json; an image whose size cannot be read, or
// wider or taller than 16383 px, is application/octet-stream too.

const typeOctetStream = "application/octet-stream"

// fileInfo is what getFileInfo reports of an upload.
type fileInfo struct {
	mime          string
	ext           string // "" for file-type's null (unknown content)
	width, height int    // 0: no dimensions
	orientation   int    // the EXIF orientation of a JPEG, 0: none
}

// imageTypesWithSize are the types getFileInfo reads dimensions of.
var imageTypesWithSize = map[string]bool{
	"image/png": true, "image/gif": true, "image/jpeg": true, "image/webp": true, "image/avif": true,
	"image/apng": true, "image/bmp": true, "image/tiff": true, "image/svg+xml": true,
	"image/vnd.adobe.photoshop": true,
}

// blurhashTypes get a blurhash; sharp can also make a thumbnail of them
// (and of bmp, 'sharp-convertible-image-with-bmp').
var blurhashTypes = map[string]bool{
	"image/jpeg": true, "image/gif": true, "image/png": true, "image/apng": true, "image/webp": true,
	"image/avif": true, "image/svg+xml": true,
}

// detectFile is getFileInfo for the emulator: data is the whole upload,
// name the name it will get (nil: none).
func detectFile(data []byte, name *string) fileInfo {
	info := detectType(data)
	if info.mime == typeOctetStream && name != nil {
		parts := strings.Split(*name, ".")
		switch parts[len(parts)-1] {
		case "txt":
			info = fileInfo{mime: "text/plain", ext: "txt"}
		case "csv":
			info = fileInfo{mime: "text/csv", ext: "csv"}
		case "json":
			info = fileInfo{mime: "application/json", ext: "json"}
		}
	}
	if imageTypesWithSize[info.mime] {
		w, h, ok := imageSize(info.mime, data)
		if !ok || w > 16383 || h > 16383 {
			return fileInfo{mime: typeOctetStream}
		}
		info.width, info.height = w, h
		if info.mime == "image/jpeg" {
			info.orientation = jpegOrientation(data)
		}
	}
	return info
}

// jpegSegments calls fn with each marker segment's marker and payload
// before the image data.
func jpegSegments(b []byte, fn func(marker byte, payload []byte)) {
	for i := 2; i+4 <= len(b) && b[i] == 0xff; {
		marker := b[i+1]
		if marker == 0xda || marker == 0xd9 { // start of scan, end of image
			return
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return
		}
		fn(marker, b[i+4:i+2+n])
		i += 2 + n
	}
}

// jpegOrientation is the Orientation tag (0x0112) of a JPEG's Exif
// segment, as image-size reads it; 0 when there is none.
func jpegOrientation(b []byte) int {
	orientation := 0
	jpegSegments(b, func(marker byte, p []byte) {
		if marker != 0xe1 || !bytes.HasPrefix(p, []byte("Exif\x00\x00")) || len(p) < 14 {
			return
		}
		tiff := p[6:]
		var order binary.ByteOrder
		switch string(tiff[:2]) {
		case "II":
			order = binary.LittleEndian
		case "MM":
			order = binary.BigEndian
		default:
			return
		}
		ifd := int(order.Uint32(tiff[4:]))
		if ifd+2 > len(tiff) {
			return
		}
		count := int(order.Uint16(tiff[ifd:]))
		for k := 0; k < count; k++ {
			e := ifd + 2 + 12*k
			if e+12 > len(tiff) {
				return
			}
			if order.Uint16(tiff[e:]) == 0x0112 {
				orientation = int(order.Uint16(tiff[e+8:]))
				return
			}
		}
	})
	return orientation
}

// hasMetadata is sharp's metadata().exif ?? iptc ?? xmp ?? tifftagPhotoshop
// for the formats the emulator reads: a JPEG's Exif, XMP or Photoshop
// segment, a PNG's eXIf or XMP chunk, a WebP's EXIF or XMP flag.
func hasMetadata(mime string, b []byte) bool {
	switch mime {
	case "image/jpeg":
		found := false
		jpegSegments(b, func(marker byte, p []byte) {
			if marker == 0xe1 && (bytes.HasPrefix(p, []byte("Exif\x00")) || bytes.HasPrefix(p, []byte("http://ns.adobe.com/xap/1.0/\x00"))) ||
				marker == 0xed && bytes.HasPrefix(p, []byte("Photoshop 3.0\x00")) {
				found = true
			}
		})
		return found
	case "image/png":
		for off := 8; off+8 <= len(b); {
			n := int(binary.BigEndian.Uint32(b[off:]))
			kind := string(b[off+4 : off+8])
			if kind == "eXIf" || kind == "iTXt" && bytes.HasPrefix(b[off+8:], []byte("XML:com.adobe.xmp\x00")) {
				return true
			}
			if kind == "IDAT" || n < 0 {
				return false
			}
			off += 12 + n
		}
	case "image/webp":
		return len(b) > 20 && string(b[12:16]) == "VP8X" && b[20]&0x0c != 0
	}
	return false
}

// animated reports an animated WebP (sharp's pages > 1); GIF and APNG
// never get a webpublic copy anyway.
func animated(mime string, b []byte) bool {
	return mime == "image/webp" && len(b) > 20 && string(b[12:16]) == "VP8X" && b[20]&0x02 != 0
}

// hasWebpublic is DriveService.generateAlts' choice of a webpublic copy:
// for JPEG, WebP, AVIF, PNG, BMP and SVG that are not animated, when the
// original does not "satisfy" the web — SVG and AVIF always, others when
// they carry metadata or exceed 2048 px.
func hasWebpublic(info fileInfo, b []byte) bool {
	switch info.mime {
	case "image/svg+xml", "image/avif":
		return true
	case "image/jpeg", "image/webp", "image/png", "image/bmp":
		return !animated(info.mime, b) && (hasMetadata(info.mime, b) || info.width > 2048 || info.height > 2048)
	}
	return false
}

// detectType is FileInfoService.detectType: file-type's magic bytes, then
// an SVG check, else application/octet-stream.
func detectType(b []byte) fileInfo {
	if len(b) == 0 {
		return fileInfo{mime: typeOctetStream}
	}
	has := func(off int, sig string) bool {
		return len(b) >= off+len(sig) && string(b[off:off+len(sig)]) == sig
	}
	switch {
	case has(0, "\x89PNG\r\n\x1a\n"):
		if pngIsAnimated(b) {
			return fileInfo{mime: "image/apng", ext: "apng"}
		}
		return fileInfo{mime: "image/png", ext: "png"}
	case has(0, "\xff\xd8\xff"):
		return fileInfo{mime: "image/jpeg", ext: "jpg"}
	case has(0, "GIF8"):
		return fileInfo{mime: "image/gif", ext: "gif"}
	case has(0, "RIFF") && has(8, "WEBP"):
		return fileInfo{mime: "image/webp", ext: "webp"}
	case has(0, "RIFF") && has(8, "WAVE"):
		return fileInfo{mime: "audio/wav", ext: "wav"}
	case has(0, "RIFF") && has(8, "AVI"):
		return fileInfo{mime: "video/vnd.avi", ext: "avi"}
	case has(0, "II*\x00"), has(0, "MM\x00*"):
		return fileInfo{mime: "image/tiff", ext: "tif"}
	case has(0, "\x00\x00\x01\x00") && len(b) >= 22:
		return fileInfo{mime: "image/x-icon", ext: "ico"}
	case has(0, "8BPS"):
		return fileInfo{mime: "image/vnd.adobe.photoshop", ext: "psd"}
	case has(0, "FLV\x01"):
		return fileInfo{mime: "video/x-flv", ext: "flv"}
	case has(0, "FORM") && (has(8, "AIFF") || has(8, "AIFC")):
		return fileInfo{mime: "audio/aiff", ext: "aif"}
	case has(0, "MThd"):
		return fileInfo{mime: "audio/midi", ext: "mid"}
	case has(0, "MZ"):
		return fileInfo{mime: "application/x-msdownload", ext: "exe"}
	case has(0, "7z\xbc\xaf\x27\x1c"):
		return fileInfo{mime: "application/x-7z-compressed", ext: "7z"}
	case has(0, "Rar!\x1a\x07"):
		return fileInfo{mime: "application/x-rar-compressed", ext: "rar"}
	case has(0, "BZh"):
		return fileInfo{mime: "application/x-bzip2", ext: "bz2"}
	case has(0, "BM") && len(b) >= 26:
		return fileInfo{mime: "image/bmp", ext: "bmp"}
	case has(0, "%PDF"):
		return fileInfo{mime: "application/pdf", ext: "pdf"}
	case has(4, "ftyp") && len(b) >= 12 && b[8]&0x60 != 0:
		t := isoBrand(strings.TrimSpace(strings.Replace(string(b[8:12]), "\x00", " ", 1)))
		if strings.HasPrefix(t.mime, "video/") && isoTracks(b) == tracksNoVideo {
			// detectType asks ffprobe for a video track: a file with
			// sound only is audio (an MP4 is audio/mp4, extension m4a).
			if t.mime == "video/mp4" {
				return fileInfo{mime: "audio/mp4", ext: "m4a"}
			}
			return fileInfo{mime: "audio/" + strings.TrimPrefix(t.mime, "video/"), ext: t.ext}
		}
		return t
	case has(0, "\x1a\x45\xdf\xa3"):
		head := b[:min(len(b), 4096)]
		if bytes.Contains(head, []byte("webm")) {
			return fileInfo{mime: "video/webm", ext: "webm"}
		}
		return fileInfo{mime: "video/matroska", ext: "mkv"}
	case has(0, "OggS"):
		return oggType(b)
	case has(0, "ID3") && len(b) >= 10:
		// file-type skips the tag (its size is syncsafe) and reads what
		// follows; a tag running past the end is taken for MP3.
		size := int(b[6]&0x7f)<<21 | int(b[7]&0x7f)<<14 | int(b[8]&0x7f)<<7 | int(b[9]&0x7f)
		if 10+size > len(b) {
			return fileInfo{mime: "audio/mpeg", ext: "mp3"}
		}
		if t := detectType(b[10+size:]); t.mime != "image/svg+xml" && t.mime != "application/xml" {
			return t
		}
		return fileInfo{mime: typeOctetStream}
	case len(b) >= 2 && b[0] == 0xff && b[1]&0xf6 == 0xf0: // ADTS
		return fileInfo{mime: "audio/aac", ext: "aac"}
	case len(b) >= 2 && b[0] == 0xff && b[1]&0xe0 == 0xe0 && b[1]&0x06 != 0:
		switch b[1] & 0x06 {
		case 0x02:
			return fileInfo{mime: "audio/mpeg", ext: "mp3"}
		case 0x04:
			return fileInfo{mime: "audio/mpeg", ext: "mp2"}
		default:
			return fileInfo{mime: "audio/mpeg", ext: "mp1"}
		}
	case has(0, "fLaC"):
		return fileInfo{mime: "audio/flac", ext: "flac"}
	case has(0, "PK\x03\x04"), has(0, "PK\x05\x06"), has(0, "PK\x07\x08"):
		return fileInfo{mime: "application/zip", ext: "zip"}
	case has(0, "\x1f\x8b\x08"):
		return fileInfo{mime: "application/gzip", ext: "gz"}
	}
	// XML may be SVG (checkSvg); file-type names other XML by its
	// declaration.
	if len(b) <= 1<<20 && isSVG(b) {
		return fileInfo{mime: "image/svg+xml", ext: "svg"}
	}
	if has(0, "<?xml ") || has(0, "\xef\xbb\xbf<?xml ") {
		return fileInfo{mime: "application/xml", ext: "xml"}
	}
	return fileInfo{mime: typeOctetStream}
}

// isoBrand is file-type's reading of an ISO BMFF major brand.
func isoBrand(brand string) fileInfo {
	switch brand {
	case "avif", "avis":
		return fileInfo{mime: "image/avif", ext: "avif"}
	case "mif1":
		return fileInfo{mime: "image/heif", ext: "heic"}
	case "msf1":
		return fileInfo{mime: "image/heif-sequence", ext: "heic"}
	case "heic", "heix":
		return fileInfo{mime: "image/heic", ext: "heic"}
	case "hevc", "hevx":
		return fileInfo{mime: "image/heic-sequence", ext: "heic"}
	case "qt":
		return fileInfo{mime: "video/quicktime", ext: "mov"}
	case "M4V", "M4VH", "M4VP":
		return fileInfo{mime: "video/x-m4v", ext: "m4v"}
	case "M4P":
		return fileInfo{mime: "video/mp4", ext: "m4p"}
	case "M4B":
		return fileInfo{mime: "audio/mp4", ext: "m4b"}
	case "M4A":
		return fileInfo{mime: "audio/x-m4a", ext: "m4a"}
	case "F4V", "F4P":
		return fileInfo{mime: "video/mp4", ext: strings.ToLower(brand)}
	case "F4A", "F4B":
		return fileInfo{mime: "audio/mp4", ext: strings.ToLower(brand)}
	}
	if strings.HasPrefix(brand, "3g2") {
		return fileInfo{mime: "video/3gpp2", ext: "3g2"}
	}
	if strings.HasPrefix(brand, "3g") {
		return fileInfo{mime: "video/3gpp", ext: "3gp"}
	}
	return fileInfo{mime: "video/mp4", ext: "mp4"}
}

type isoTrackKind int

const (
	tracksUnknown isoTrackKind = iota // unreadable: ffprobe fails, and Misskey assumes video
	tracksVideo
	tracksNoVideo
)

// isoBoxes calls f with the type and payload of each box in b, stopping at
// a malformed one.
func isoBoxes(b []byte, f func(typ string, payload []byte)) {
	for pos := 0; pos+8 <= len(b); {
		size := int(binary.BigEndian.Uint32(b[pos:]))
		header := 8
		switch size {
		case 0:
			size = len(b) - pos
		case 1:
			if pos+16 > len(b) {
				return
			}
			big := binary.BigEndian.Uint64(b[pos+8:])
			if big > uint64(len(b)) {
				return
			}
			size, header = int(big), 16
		}
		if size < header || pos+size > len(b) {
			return
		}
		f(string(b[pos+4:pos+8]), b[pos+header:pos+size])
		pos += size
	}
}

func isoBox(b []byte, typ string) []byte {
	var out []byte
	isoBoxes(b, func(t string, p []byte) {
		if out == nil && t == typ {
			out = p
		}
	})
	return out
}

// isoTracks is what ffprobe would say of an ISO media file's streams: a
// video track is a trak whose handler is "vide", and cover art (an iTunes
// "covr" item) shows as a video stream too.
func isoTracks(b []byte) isoTrackKind {
	moov := isoBox(b, "moov")
	if moov == nil {
		return tracksUnknown
	}
	traks, video := 0, false
	isoBoxes(moov, func(t string, p []byte) {
		switch t {
		case "trak":
			traks++
			if hdlr := isoBox(isoBox(p, "mdia"), "hdlr"); len(hdlr) >= 12 && string(hdlr[8:12]) == "vide" {
				video = true
			}
		case "udta":
			if meta := isoBox(p, "meta"); meta != nil {
				for _, skip := range []int{4, 0} { // a full box in MP4, a plain one in QuickTime
					if len(meta) >= skip {
						if ilst := isoBox(meta[skip:], "ilst"); ilst != nil {
							video = video || isoBox(ilst, "covr") != nil
							break
						}
					}
				}
			}
		}
	})
	switch {
	case video:
		return tracksVideo
	case traks > 0:
		return tracksNoVideo
	}
	return tracksUnknown
}

// oggType reads the codec of an Ogg stream's first page. An Ogg stream
// without video (application/ogg) becomes audio/ogg, as detectType does
// after asking ffprobe for a video track.
func oggType(b []byte) fileInfo {
	head := b[:min(len(b), 64)]
	switch {
	case bytes.Contains(head, []byte("OpusHead")):
		return fileInfo{mime: "audio/ogg; codecs=opus", ext: "opus"}
	case bytes.Contains(head, []byte("\x80theora")):
		return fileInfo{mime: "video/ogg", ext: "ogv"}
	case bytes.Contains(head, []byte("\x01video\x00")):
		return fileInfo{mime: "video/ogg", ext: "ogm"}
	case bytes.Contains(head, []byte("\x7fFLAC")):
		return fileInfo{mime: "audio/ogg", ext: "oga"}
	case bytes.Contains(head, []byte("Speex  ")):
		return fileInfo{mime: "audio/ogg", ext: "spx"}
	case bytes.Contains(head, []byte("\x01vorbis")):
		return fileInfo{mime: "audio/ogg", ext: "ogg"}
	}
	return fileInfo{mime: "audio/ogg", ext: "ogx"}
}

// pngIsAnimated: an acTL chunk before the first IDAT makes an APNG.
func pngIsAnimated(b []byte) bool {
	for off := 8; off+8 <= len(b); {
		n := int(binary.BigEndian.Uint32(b[off:]))
		kind := string(b[off+4 : off+8])
		switch kind {
		case "acTL":
			return true
		case "IDAT", "IEND":
			return false
		}
		off += 12 + n
		if n < 0 {
			return false
		}
	}
	return false
}

var (
	svgPrologue = regexp.MustCompile(`^(?s:\s*(<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>|\s)*)<svg[\s>/]`)
)

// isSVG is the is-svg package's test, simplified: after an XML
// declaration, comments and a doctype, the root element is <svg>.
func isSVG(b []byte) bool {
	return svgPrologue.Match(b) && bytes.Contains(b, []byte("</svg>")) || svgPrologue.Match(b) && bytes.Contains(b, []byte("/>"))
}

// imageSize is the image-size package for the types the emulator
// detects: ok is false when the size cannot be read.
func imageSize(mime string, b []byte) (w, h int, ok bool) {
	switch mime {
	case "image/png", "image/apng":
		if len(b) < 24 {
			return 0, 0, false
		}
		return int(binary.BigEndian.Uint32(b[16:])), int(binary.BigEndian.Uint32(b[20:])), true
	case "image/gif":
		if len(b) < 10 {
			return 0, 0, false
		}
		return int(binary.LittleEndian.Uint16(b[6:])), int(binary.LittleEndian.Uint16(b[8:])), true
	case "image/jpeg":
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
		if err != nil {
			return 0, 0, false
		}
		return cfg.Width, cfg.Height, true
	case "image/bmp":
		w, h := int32(binary.LittleEndian.Uint32(b[18:])), int32(binary.LittleEndian.Uint32(b[22:]))
		return int(w), int(max(h, -h)), true
	case "image/webp":
		return imagesize.WebP(b)
	case "image/avif":
		i := bytes.Index(b, []byte("ispe"))
		if i < 0 || len(b) < i+16 {
			return 0, 0, false
		}
		return int(binary.BigEndian.Uint32(b[i+8:])), int(binary.BigEndian.Uint32(b[i+12:])), true
	case "image/svg+xml":
		return imagesize.SVG(b)
	case "image/tiff":
		return tiffSize(b)
	case "image/vnd.adobe.photoshop":
		if len(b) < 22 {
			return 0, 0, false
		}
		return int(binary.BigEndian.Uint32(b[18:])), int(binary.BigEndian.Uint32(b[14:])), true
	}
	return 0, 0, false
}

// tiffSize reads ImageWidth (256) and ImageLength (257) of the first IFD.
func tiffSize(b []byte) (int, int, bool) {
	if len(b) < 8 {
		return 0, 0, false
	}
	var order binary.ByteOrder = binary.LittleEndian
	if b[0] == 'M' {
		order = binary.BigEndian
	}
	ifd := int(order.Uint32(b[4:]))
	if ifd+2 > len(b) {
		return 0, 0, false
	}
	w, h := 0, 0
	for k := range int(order.Uint16(b[ifd:])) {
		e := ifd + 2 + 12*k
		if e+12 > len(b) {
			break
		}
		v := int(order.Uint32(b[e+8:]))
		if order.Uint16(b[e+2:]) == 3 { // SHORT
			v = int(order.Uint16(b[e+8:]))
		}
		switch order.Uint16(b[e:]) {
		case 256:
			w = v
		case 257:
			h = v
		}
	}
	return w, h, w > 0 && h > 0
}

// correctFilename is misc/correct-filename.ts: the detected extension is
// appended unless the name already ends with it (jpeg for jpg, tiff for
// tif) or the content is unknown and the name has an extension.
func correctFilename(name, ext string) string {
	dotExt := ".unknown"
	if ext != "" {
		dotExt = "." + ext
	}
	m := fileExtPattern.FindString(name)
	if m == "" {
		return name + dotExt
	}
	have := strings.ToLower(m)
	switch {
	case ext == "", have == dotExt,
		dotExt == ".jpg" && have == ".jpeg", dotExt == ".tif" && have == ".tiff", dotExt == ".exe" && have == ".dll":
		return name
	}
	switch dotExt {
	case ".gz", ".tar", ".tgz", ".bz2", ".xz", ".zip", ".7z":
		return name
	}
	return name + dotExt
}

var fileExtPattern = regexp.MustCompile(`\.[0-9a-zA-Z]+$`)

// validFileName is DriveFileEntityService.validateFileName; lengths are
// JavaScript's (UTF-16 units).
func validFileName(name string) bool {
	return jsTrim(name) != "" && jsLength(name) <= 200 &&
		!strings.Contains(name, `\`) && !strings.Contains(name, "/") && !strings.Contains(name, "..")
}
