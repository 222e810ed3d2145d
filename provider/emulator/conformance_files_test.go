package emulator

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// Conformance cases of drive files, the avatar and banner, and notes with
// files: uploads go through the multipart form (step.form, step.file).

// Test content, the same bytes on both servers.

// testPNG is a w×h PNG of one colour.
func testPNG(w, h int, c color.RGBA) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func testJPEG(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 16), uint8(y * 16), 128, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func testGIF(w, h int) []byte {
	img := image.NewPaletted(image.Rect(0, 0, w, h), color.Palette{color.Black, color.White})
	var buf bytes.Buffer
	if err := gif.Encode(&buf, img, nil); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

var (
	pngRed    = testPNG(4, 4, color.RGBA{255, 0, 0, 255})
	pngGreen  = testPNG(6, 3, color.RGBA{0, 255, 0, 255})
	pngBlue   = testPNG(2, 8, color.RGBA{0, 0, 255, 255})
	jpegSmall = testJPEG(8, 5)
	gifSmall  = testGIF(3, 7)
	svgIcon   = []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="12" height="10"><rect width="12" height="10" fill="red"/></svg>`)
	textNotes = []byte("remember the milk\nand eggs\n")
	pdfTiny   = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
)

// testBMP is a 2×2 24-bit BMP.
func testBMP() []byte {
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("BM")
	le(uint32(70))
	le(uint32(0))
	le(uint32(54))
	le(uint32(40))
	le(int32(2))
	le(int32(2))
	le(uint16(1))
	le(uint16(24))
	le(uint32(0))
	le(uint32(16))
	le(int32(2835))
	le(int32(2835))
	le(uint32(0))
	le(uint32(0))
	for range 2 {
		b.Write([]byte{0, 0, 255, 255, 0, 0, 0, 0}) // red, blue, padding
	}
	return b.Bytes()
}

// withExif is a JPEG with an Exif segment holding Orientation.
func withExif(jpg []byte, orientation uint16) []byte {
	var tiff bytes.Buffer
	tiff.WriteString("II*\x00")
	binary.Write(&tiff, binary.LittleEndian, uint32(8))
	binary.Write(&tiff, binary.LittleEndian, uint16(1))
	binary.Write(&tiff, binary.LittleEndian, []uint16{0x0112, 3, 1, 0})
	binary.Write(&tiff, binary.LittleEndian, []uint16{orientation, 0})
	binary.Write(&tiff, binary.LittleEndian, uint32(0))
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xff, 0xe1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	return slices.Concat(jpg[:2], seg, payload, jpg[2:])
}

// withPNGChunk inserts a chunk after a PNG's IHDR.
func withPNGChunk(png []byte, kind string, data []byte) []byte {
	var c bytes.Buffer
	binary.Write(&c, binary.BigEndian, uint32(len(data)))
	c.WriteString(kind)
	c.Write(data)
	binary.Write(&c, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(kind), data...)))
	return slices.Concat(png[:33], c.Bytes(), png[33:])
}

// isoBoxBytes is an ISO BMFF box.
func isoBoxBytes(typ string, payload ...[]byte) []byte {
	body := slices.Concat(payload...)
	out := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(out, typ...), body...)
}

// testMP4 is an MP4 with one track of each handler given ("vide", "soun").
func testMP4(handlers ...string) []byte {
	var traks [][]byte
	for _, h := range handlers {
		hdlr := isoBoxBytes("hdlr", make([]byte, 8), []byte(h), make([]byte, 13))
		traks = append(traks, isoBoxBytes("trak", isoBoxBytes("mdia", hdlr)))
	}
	return slices.Concat(isoBoxBytes("ftyp", []byte("isom\x00\x00\x02\x00isomiso2mp41")), isoBoxBytes("moov", traks...), isoBoxBytes("mdat"))
}

// tiffSized is an uncompressed 3×2 grey TIFF.
var tiffSized = func() []byte {
	var b bytes.Buffer
	le := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("II*\x00")
	le(uint32(8))
	tags := [][2]uint32{{256, 3}, {257, 2}, {258, 8}, {259, 1}, {262, 1}, {273, 8 + 2 + 9*12 + 4}, {277, 1}, {278, 2}, {279, 6}}
	le(uint16(len(tags)))
	for _, tg := range tags {
		le(uint16(tg[0]))
		le(uint16(4)) // LONG
		le(uint32(1))
		le(tg[1])
	}
	le(uint32(0))
	b.Write([]byte{0, 128, 255, 255, 128, 0})
	return b.Bytes()
}()

// icoPNG is an icon holding one 4×4 PNG.
var icoPNG = slices.Concat([]byte{0, 0, 1, 0, 1, 0, 4, 4, 0, 0, 1, 0, 32, 0},
	binary.LittleEndian.AppendUint32(nil, uint32(len(pngRed))), binary.LittleEndian.AppendUint32(nil, 22), pngRed)

// Media headers: enough for the type to be sniffed, not to be played.
var (
	webpTiny, _    = base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==") // 1×1, lossless
	bmpSmall       = testBMP()
	mp3Frames      = append([]byte("ID3\x03\x00\x00\x00\x00\x00\x00"), bytes.Repeat([]byte{0xff, 0xfb, 0x90, 0x00}, 64)...)
	wavHeader      = append([]byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"), make([]byte, 16)...)
	oggVorbis      = append(append([]byte("OggS\x00\x02"), make([]byte, 22)...), []byte("\x01vorbis\x00\x00\x00\x00\x01\x44\xac\x00\x00")...)
	mp4Header      = append([]byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), make([]byte, 32)...)
	webmHeader     = append([]byte("\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm\x42\x87\x81\x02\x42\x85\x81\x02"), make([]byte, 32)...)
	zipEmpty       = []byte("PK\x05\x06" + strings.Repeat("\x00", 18))
	xmlNotSVG      = []byte(`<?xml version="1.0"?><note><to>you</to></note>`)
	svgNoSize      = []byte(`<svg xmlns="http://www.w3.org/2000/svg"><circle r="3"/></svg>`)
	svgWithViewBox = []byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 30 20"><rect width="30" height="20"/></svg>`)
)

// file is a file part.
func file(name string, data []byte) *confFile { return &confFile{name: name, data: data} }

// uploadStep is a drive/files/create step by user as.
func uploadStep(as string, f *confFile, form obj, save string) step {
	if form == nil {
		form = obj{}
	}
	return step{as: as, ep: "drive/files/create", form: form, file: f, save: save}
}

// racyFileDelete: drive/files/delete answers before the row is gone.
const fileDeleteSettle = time.Second

func init() {
	confCases = append(confCases, driveFileCases()...)
}

func driveFileCases() []confCase {
	return []confCase{
		{name: "drive/files/create", users: "a b", steps: seq(
			step{as: "a", ep: "drive/folders/create", body: obj{"name": "pics"}, save: "fd"},
			step{as: "b", ep: "drive/folders/create", body: obj{"name": "bobs"}, save: "bfd"},
			uploadStep("a", file("avatar.png", pngRed), obj{"name": "avatar.png", "comment": "profile picture"}, "f1"),
			// The same bytes: the old file, unchanged but for isSensitive;
			// the unknown folder is not even looked at.
			uploadStep("a", file("renamed.png", pngRed), obj{"name": "renamed.png", "folderId": "0000000000", "comment": "other", "isSensitive": true}, ""),
			uploadStep("a", file("copy.png", pngRed), obj{"name": "copy", "folderId": "$fd.id", "force": true}, "f2"),
			uploadStep("a", file("photo.jpg", pngRed), obj{"name": "photo.jpg", "force": "true"}, ""),
			uploadStep("a", file("blob", pngRed), obj{"force": true}, ""),
			uploadStep("a", file("x.png", pngRed), obj{"name": "blob", "force": true}, ""),
			uploadStep("a", file("x.png", pngRed), obj{"name": "  spaced.PNG  ", "force": true}, ""),
			uploadStep("a", file("x.png", pngRed), obj{"name": "", "force": true}, ""),
			uploadStep("a", file("from-part.png", pngGreen), nil, "f3"),
			uploadStep("a", file("x.png", pngRed), obj{"name": "a/b.png", "force": true}, ""),
			uploadStep("a", file("x.png", pngRed), obj{"name": "a..b.png", "force": true}, ""),
			uploadStep("a", file("x.png", pngRed), obj{"name": `a\b.png`, "force": true}, ""),
			uploadStep("a", file("x.png", pngRed), obj{"name": strings.Repeat("n", 201), "force": true}, ""),
			uploadStep("a", file("x.png", pngRed), obj{"name": strings.Repeat("n", 200), "force": true}, ""),
			uploadStep("a", file("x.png", pngBlue), obj{"folderId": "0000000000"}, ""),
			uploadStep("a", file("x.png", pngBlue), obj{"folderId": "null"}, ""),
			uploadStep("a", file("x.png", pngBlue), obj{"folderId": "$bfd.id"}, ""),
			uploadStep("a", file("x.png", pngBlue), obj{"folderId": "$fd.id", "isSensitive": true, "comment": "c"}, ""),
			uploadStep("a", file("x.png", pngBlue), obj{"comment": strings.Repeat("c", 513), "force": true}, ""),
			uploadStep("a", file("x.png", pngBlue), obj{"isSensitive": "yes", "force": true}, ""),
			uploadStep("a", file("x.png", pngBlue), obj{"force": 1}, ""),
			step{as: "a", ep: "drive/files/create", form: obj{"force": true, "feeling": "lucky"}, file: file("x.png", pngBlue), unknown: []string{"feeling"}},
			// Types are sniffed; a name ending .txt/.csv/.json types
			// unknown content; anything else unknown is refused.
			uploadStep("a", file("notes.txt", textNotes), nil, ""),
			uploadStep("a", file("README", []byte("# readme\nplain text here\n")), obj{"force": true}, ""),
			uploadStep("a", file("table.csv", []byte("a,b\n1,2\n")), nil, ""),
			uploadStep("a", file("data.json", []byte(`{"k": [1, 2]}`)), nil, ""),
			uploadStep("a", file("data.JSON", []byte(`{"k": [3]}`)), nil, ""),
			uploadStep("a", file("photo.jpeg", jpegSmall), nil, ""),
			uploadStep("a", file("anim.gif", gifSmall), obj{"name": "anim.png"}, ""),
			uploadStep("a", file("icon.svg", svgIcon), nil, ""),
			uploadStep("a", file("doc.pdf", pdfTiny), nil, ""),
			uploadStep("a", file("empty.txt", []byte{}), nil, ""),
			uploadStep("a", &confFile{field: "attachment", name: "other-field.png", ctype: "text/plain", data: testPNG(5, 5, color.RGBA{1, 2, 3, 255})}, nil, ""),
			step{as: "a", ep: "drive/files/create", form: obj{}, file: file("bearer.png", testPNG(7, 7, color.RGBA{9, 9, 9, 255})), bearer: true},
			// No file, or not multipart at all: a bare 400.
			step{as: "a", ep: "drive/files/create", form: obj{"name": "x"}},
			step{as: "a", ep: "drive/files/create", body: obj{"name": "x"}},
			step{ep: "drive/files/create", form: obj{}, file: file("x.png", pngRed)},
			miauth("ro", "a", "read:drive"),
			step{as: "$ro.token", ep: "drive/files/create", form: obj{}, file: file("x.png", pngRed)},
			step{as: "a", ep: "drive"},
			step{as: "a", ep: "drive/files", body: obj{"limit": 100}},
			step{as: "a", ep: "drive/files", body: obj{"folderId": "$fd.id"}},
		)},

		// Role policies, one case per role so that their set-ups (which
		// wait for the role to be in effect) run side by side.
		{name: "drive/files/policies/size", users: "a b", policies: map[string]map[string]any{"a": {"maxFileSizeMb": 1}, "b": {"driveCapacityMb": 1}}, steps: []step{
			uploadStep("a", file("big.txt", bytes.Repeat([]byte("a"), 1<<20+1)), nil, ""),
			uploadStep("a", file("fits.txt", bytes.Repeat([]byte("a"), 1<<20)), nil, ""),
			// The type is checked before the size.
			uploadStep("a", file("BIG", bytes.Repeat([]byte("d"), 1<<20+1)), nil, ""),
			// Bytes already uploaded are returned before any check.
			uploadStep("a", file("again.txt", bytes.Repeat([]byte("a"), 1<<20)), obj{"name": "README"}, ""),
			uploadStep("b", file("half.txt", bytes.Repeat([]byte("b"), 600_000)), nil, ""),
			uploadStep("b", file("half2.txt", bytes.Repeat([]byte("c"), 600_000)), nil, ""),
			// A deduplicated upload needs no space.
			uploadStep("b", file("again.txt", bytes.Repeat([]byte("b"), 600_000)), nil, ""),
			{as: "b", ep: "drive"},
		}},
		{name: "drive/files/policies/types", users: "c", policies: map[string]map[string]any{"c": {"uploadableFileTypes": []any{"image/png", "application/pdf"}}}, steps: []step{
			uploadStep("c", file("notes.txt", textNotes), nil, ""),
			uploadStep("c", file("doc.pdf", pdfTiny), nil, ""),
			uploadStep("c", file("red.png", pngRed), nil, ""),
			uploadStep("c", file("anim.gif", gifSmall), nil, ""),
		}},
		{name: "drive/files/policies/nsfw", users: "d", policies: map[string]map[string]any{"d": {"alwaysMarkNsfw": true}}, steps: []step{
			uploadStep("d", file("red.png", pngRed), nil, "df"),
			{as: "d", ep: "drive/files/update", body: obj{"fileId": "$df.id", "isSensitive": false}},
			{as: "d", ep: "drive/files/update", body: obj{"fileId": "$df.id", "isSensitive": true}},
			{as: "d", ep: "i/update", body: obj{"alwaysMarkNsfw": true}},
		}},
		{name: "drive/files/policies/bio", users: "e", policies: map[string]map[string]any{"e": {"canUpdateBioMedia": false}}, steps: []step{
			uploadStep("e", file("red.png", pngRed), nil, "ef"),
			{as: "e", ep: "i/update", body: obj{"avatarId": "$ef.id"}},
			{as: "e", ep: "i/update", body: obj{"bannerId": "0000000000"}},
			{as: "e", ep: "i/update", body: obj{"avatarId": nil}},
		}},

		{name: "drive/files", users: "a b", steps: []step{
			{as: "a", ep: "drive/folders/create", body: obj{"name": "sub"}, save: "fd"},
			uploadStep("a", file("m.png", pngRed), nil, "f1"),
			uploadStep("a", file("z.gif", gifSmall), nil, "f2"),
			uploadStep("a", file("a.txt", textNotes), nil, "f3"),
			uploadStep("a", file("in-sub.png", pngGreen), obj{"folderId": "$fd.id"}, "f4"),
			uploadStep("b", file("bobs.png", pngBlue), nil, "bf"),
			{as: "a", ep: "drive/files"},
			{as: "a", ep: "drive/files", body: obj{"limit": 2}, save: "p1"},
			{as: "a", ep: "drive/files", body: obj{"untilId": "$p1.1.id"}},
			{as: "a", ep: "drive/files", body: obj{"sinceId": "$f1.id"}},
			{as: "a", ep: "drive/files", body: obj{"folderId": "$fd.id"}},
			{as: "a", ep: "drive/files", body: obj{"folderId": "0000000000"}},
			{as: "a", ep: "drive/files", body: obj{"type": "image/*"}},
			{as: "a", ep: "drive/files", body: obj{"type": "text/*"}},
			{as: "a", ep: "drive/files", body: obj{"type": "image/gif"}},
			{as: "a", ep: "drive/files", body: obj{"type": "video/mp4"}},
			{as: "a", ep: "drive/files", body: obj{"type": "image/svg+xml"}},
			{as: "a", ep: "drive/files", body: obj{"sort": "+name"}},
			{as: "a", ep: "drive/files", body: obj{"sort": "-name"}},
			{as: "a", ep: "drive/files", body: obj{"sort": "+size"}},
			{as: "a", ep: "drive/files", body: obj{"sort": "-size", "limit": 2}},
			{as: "a", ep: "drive/files", body: obj{"sort": "+createdAt"}},
			{as: "a", ep: "drive/files", body: obj{"sort": "-createdAt"}},
			{as: "a", ep: "drive/files", body: obj{"sort": "-createdAt", "untilId": "$f3.id"}},
			{as: "a", ep: "drive/files", body: obj{"sort": "name"}},
			{as: "a", ep: "drive/stream"},
			{as: "a", ep: "drive/stream", body: obj{"type": "image/*", "limit": 2}},
			{as: "a", ep: "drive/stream", body: obj{"sinceId": "$f2.id"}},
			{as: "a", ep: "drive/files/find", body: obj{"name": "m.png"}},
			{as: "a", ep: "drive/files/find", body: obj{"name": "in-sub.png"}},
			{as: "a", ep: "drive/files/find", body: obj{"name": "in-sub.png", "folderId": "$fd.id"}},
			{as: "a", ep: "drive/files/find", body: obj{"name": "bobs.png"}},
			{as: "a", ep: "drive/files/find-by-hash", body: obj{"md5": "$f1.md5"}, unordered: true},
			{as: "a", ep: "drive/files/find-by-hash", body: obj{"md5": "$bf.md5"}},
			{as: "a", ep: "drive/files/find-by-hash", body: obj{"md5": "0123456789ABCDEF0123456789ABCDEF"}},
			{as: "a", ep: "drive/files/check-existence", body: obj{"md5": "$f2.md5"}},
			{as: "a", ep: "drive/files/check-existence", body: obj{"md5": "$bf.md5"}},
			{as: "a", ep: "drive/files/show", body: obj{"fileId": "$f4.id"}},
			{as: "a", ep: "drive/files/show", body: obj{"url": "$f1.url"}},
			{as: "a", ep: "drive/files/show", body: obj{"url": "$f1.thumbnailUrl"}},
			{as: "a", ep: "drive/files/show", body: obj{"url": "http://127.0.0.1:3000/files/nothing"}},
			{as: "a", ep: "drive/files/show", body: obj{"fileId": "0000000000"}},
			{as: "a", ep: "drive/files/show", body: obj{"fileId": "$bf.id"}},
			{as: "a", ep: "drive/files/show", body: obj{}},
			{as: "a", ep: "drive/files/update", body: obj{"fileId": "$f1.id", "name": "renamed", "folderId": "$fd.id", "comment": "moved", "isSensitive": true}},
			{as: "a", ep: "drive/files/update", body: obj{"fileId": "$f1.id", "name": "  spaced.png  "}},
			{as: "a", ep: "drive/files/update", body: obj{"fileId": "$f1.id", "folderId": nil, "comment": nil}},
			{as: "a", ep: "drive/files/update", body: obj{"fileId": "$f1.id"}},
			{as: "a", ep: "drive/files/update", body: obj{"fileId": "$f1.id", "name": ""}},
			{as: "a", ep: "drive/files/update", body: obj{"fileId": "$f1.id", "name": "   "}},
			{as: "a", ep: "drive/files/update", body: obj{"fileId": "$f1.id", "name": "a/b"}},
			{as: "a", ep: "drive/files/update", body: obj{"fileId": "$f1.id", "folderId": "0000000000"}},
			{as: "a", ep: "drive/files/update", body: obj{"fileId": "$f1.id", "comment": strings.Repeat("c", 513)}},
			{as: "a", ep: "drive/files/update", body: obj{"fileId": "0000000000", "name": "x"}},
			{as: "b", ep: "drive/files/update", body: obj{"fileId": "$f1.id", "name": "x"}},
			{as: "a", ep: "drive/files/move-bulk", body: obj{"fileIds": []any{"$f2.id", "$f3.id", "$bf.id"}, "folderId": "$fd.id"}},
			{as: "a", ep: "drive/files", body: obj{"folderId": "$fd.id"}},
			{as: "b", ep: "drive/files"},
			{as: "a", ep: "drive/files/move-bulk", body: obj{"fileIds": []any{"$f2.id"}}},
			{as: "a", ep: "drive/files/move-bulk", body: obj{"fileIds": []any{"$f2.id"}, "folderId": "0000000000"}},
			{as: "a", ep: "drive/files/move-bulk", body: obj{"fileIds": []any{}}},
			{as: "a", ep: "drive/files/delete", body: obj{"fileId": "$f3.id"}},
			{as: "a", ep: "drive/files/delete", body: obj{"fileId": "$f3.id"}, wait: fileDeleteSettle},
			{as: "a", ep: "drive/files/delete", body: obj{"fileId": "$bf.id"}},
			{as: "a", ep: "drive/files/delete", body: obj{"fileId": "0000000000"}},
			{as: "a", ep: "drive"},
			{as: "a", ep: "drive/files/show", body: obj{"fileId": "$f3.id"}},
		}},

		{name: "drive/files/avatar", users: "a b", steps: []step{
			uploadStep("a", file("face.png", pngRed), nil, "f1"),
			uploadStep("a", file("notes.txt", textNotes), nil, "t1"),
			uploadStep("a", file("icon.svg", svgIcon), nil, "s1"),
			uploadStep("b", file("bobs.png", pngBlue), nil, "bf"),
			{as: "a", ep: "i/update", body: obj{"avatarId": "$t1.id"}},
			{as: "a", ep: "i/update", body: obj{"bannerId": "$t1.id"}},
			{as: "a", ep: "i/update", body: obj{"avatarId": "$bf.id"}},
			{as: "a", ep: "i/update", body: obj{"bannerId": "$bf.id"}},
			{as: "a", ep: "i/update", body: obj{"avatarId": "$f1.id", "bannerId": "$f1.id"}},
			{as: "a", ep: "i"},
			{as: "b", ep: "users/show", body: obj{"userId": "$a.id"}},
			{as: "a", ep: "i/update", body: obj{"avatarId": nil}},
			{as: "a", ep: "i/update", body: obj{"avatarId": "$s1.id", "bannerId": nil}},
			{as: "a", ep: "i/update", body: obj{"avatarId": "$f1.id", "bannerId": "$s1.id"}},
			{as: "a", ep: "notes/create", body: obj{"text": "with a picture", "fileIds": []any{"$f1.id", "$t1.id"}, "visibility": "home"}, save: "n1"},
			{as: "a", ep: "notes/create", body: obj{"fileIds": []any{"$s1.id"}}, save: "n2"},
			{as: "a", ep: "notes/create", body: obj{"text": "x", "fileIds": []any{"$bf.id"}}},
			{as: "a", ep: "notes/create", body: obj{"text": "x", "fileIds": []any{"0000000000"}}},
			{as: "a", ep: "notes/create", body: obj{"text": "x", "fileIds": seventeenIDs()}},
			{as: "a", ep: "notes/create", body: obj{"text": "x", "fileIds": []any{"$f1.id", "$f1.id"}}},
			{as: "b", ep: "notes/create", body: obj{"text": "x", "fileIds": []any{"$f1.id"}}},
			{as: "b", ep: "notes/show", body: obj{"noteId": "$n1.createdNote.id"}},
			{as: "a", ep: "drive/files/attached-notes", body: obj{"fileId": "$f1.id"}},
			{as: "a", ep: "drive/files/attached-notes", body: obj{"fileId": "$s1.id", "limit": 1}},
			{as: "a", ep: "drive/files/attached-notes", body: obj{"fileId": "$bf.id"}},
			{as: "a", ep: "drive/files/delete", body: obj{"fileId": "$f1.id"}},
			{as: "a", ep: "notes/show", body: obj{"noteId": "$n1.createdNote.id"}, wait: fileDeleteSettle},
			{as: "a", ep: "i"},
			{as: "a", ep: "notes/create", body: obj{"text": "x", "fileIds": []any{"$f1.id"}}},
			{as: "a", ep: "drive/files/attached-notes", body: obj{"fileId": "$f1.id"}},
			{as: "a", ep: "i/update", body: obj{"avatarId": "$f1.id"}},
		}},

		{name: "drive/files/types", users: "a", policies: map[string]map[string]any{"a": {"uploadableFileTypes": []any{"*"}}}, steps: []step{
			uploadStep("a", file("tiny.webp", webpTiny), nil, ""),
			uploadStep("a", file("small.bmp", bmpSmall), nil, ""),
			uploadStep("a", file("song", mp3Frames), nil, ""),
			uploadStep("a", file("sound.wav", wavHeader), nil, ""),
			uploadStep("a", file("voice.ogg", oggVorbis), nil, ""),
			uploadStep("a", file("clip.mp4", mp4Header), nil, ""),
			uploadStep("a", file("clip.webm", webmHeader), nil, ""),
			// An ID3 tag is skipped: what follows decides; a tag longer than
			// the file is taken for MP3.
			uploadStep("a", file("tagged", append([]byte("ID3\x03\x00\x00\x00\x00\x00\x00"), make([]byte, 40)...)), nil, ""),
			uploadStep("a", file("cut", append([]byte("ID3\x03\x00\x00\x00\x00\x7f\x7f"), make([]byte, 40)...)), nil, ""),
			// Rarer formats; an image whose size cannot be read is
			// application/octet-stream.
			uploadStep("a", file("empty.tif", append([]byte("II*\x00\x08\x00\x00\x00\x00\x00"), make([]byte, 40)...)), nil, ""),
			uploadStep("a", file("sized", tiffSized), nil, ""),
			uploadStep("a", file("icon", icoPNG), nil, ""),
			uploadStep("a", file("layers", append([]byte("8BPS\x00\x01\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x05\x00\x00\x00\x07\x00\x08\x00\x03"), make([]byte, 40)...)), nil, ""),
			uploadStep("a", file("movie", append([]byte("RIFF\x00\x00\x00\x00AVI LIST"), make([]byte, 32)...)), nil, ""),
			uploadStep("a", file("flash", append([]byte("FLV\x01\x05\x00\x00\x00\x09"), make([]byte, 32)...)), nil, ""),
			uploadStep("a", file("adts", append([]byte{0xff, 0xf1, 0x50, 0x80}, make([]byte, 40)...)), nil, ""),
			uploadStep("a", file("aiff", append([]byte("FORM\x00\x00\x00\x00AIFFCOMM"), make([]byte, 32)...)), nil, ""),
			uploadStep("a", file("tune", append([]byte("MThd\x00\x00\x00\x06"), make([]byte, 32)...)), nil, ""),
			uploadStep("a", file("film", append([]byte("\x1a\x45\xdf\xa3\x93\x42\x82\x88matroska"), make([]byte, 32)...)), nil, ""),
			uploadStep("a", file("packed", append([]byte("7z\xbc\xaf\x27\x1c"), make([]byte, 32)...)), nil, ""),
			// Sound only: audio/mp4 where ffprobe runs (see the allow-list).
			uploadStep("a", file("sound.mp4", testMP4("soun")), nil, ""),
			uploadStep("a", file("doc", pdfTiny), nil, ""),
			uploadStep("a", file("archive.zip", zipEmpty), nil, ""),
			uploadStep("a", file("note.xml", xmlNotSVG), nil, ""),
			uploadStep("a", file("nosize.svg", svgNoSize), nil, ""),
			uploadStep("a", file("viewbox", svgWithViewBox), nil, ""),
			uploadStep("a", file("README", []byte("plain words\n")), nil, ""),
			uploadStep("a", file("empty", []byte{}), nil, ""),
			uploadStep("a", file("photo.JPG", jpegSmall), nil, ""),
			uploadStep("a", file("x.tar.gz", append([]byte("\x1f\x8b\x08\x00"), make([]byte, 20)...)), nil, ""),
			// The form's fields may follow the file part.
			step{as: "a", ep: "drive/files/create", form: obj{"name": "after.png", "comment": "late"}, file: &confFile{name: "first.png", data: pngGreen, first: true}},
			// Profile setting alwaysMarkNsfw marks uploads sensitive; a
			// deduplicated upload stays as it was.
			{as: "a", ep: "i/update", body: obj{"alwaysMarkNsfw": true}},
			uploadStep("a", file("nsfw.png", pngBlue), obj{"isSensitive": "false"}, ""),
			uploadStep("a", file("again.png", pngGreen), nil, ""),
			{as: "a", ep: "drive/stream", body: obj{"limit": 100}},
		}},

		// What others see of an image (a note's files, the banner): the
		// webpublic copy of one with metadata, over 2048 px, SVG or AVIF,
		// and an EXIF orientation applied to the dimensions.
		{name: "drive/files/public", users: "a b", steps: []step{
			uploadStep("a", file("turned.jpg", withExif(testJPEG(8, 4), 6)), nil, "ex"),
			uploadStep("a", file("upright.jpg", withExif(testJPEG(6, 4), 1)), nil, "ex1"),
			uploadStep("a", file("wide.png", testPNG(2049, 1, color.RGBA{1, 1, 1, 255})), nil, "wide"),
			uploadStep("a", file("meta.png", withPNGChunk(pngGreen, "eXIf", []byte("II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00"))), nil, "mp"),
			uploadStep("a", file("icon.svg", svgIcon), nil, "svg"),
			{as: "a", ep: "notes/create", body: obj{"text": "files", "fileIds": []any{"$ex.id", "$ex1.id", "$wide.id", "$mp.id", "$svg.id"}}, save: "n"},
			{as: "b", ep: "notes/show", body: obj{"noteId": "$n.createdNote.id"}},
			{as: "a", ep: "drive/files/show", body: obj{"url": "$n.createdNote.files.0.url"}},
			{as: "a", ep: "drive/files/show", body: obj{"url": "$n.createdNote.files.4.url"}},
			{as: "a", ep: "i/update", body: obj{"bannerId": "$ex.id", "avatarId": "$svg.id"}},
			{as: "b", ep: "users/show", body: obj{"userId": "$a.id"}},
		}},

		{name: "drive/files/create/limit", users: "a", steps: driveUploadLimit()},
	}
}

// seventeenIDs is one id more than notes/create takes.
func seventeenIDs() []any {
	out := []any{}
	for i := range 17 {
		out = append(out, fmt.Sprintf("000000000%c", 'a'+i))
	}
	return out
}

// driveUploadLimit: 120 uploads an hour, deduplicated ones included, and
// the 121st is refused with a Retry-After.
func driveUploadLimit() []step {
	var out []step
	for range 120 {
		out = append(out, uploadStep("a", file("t.png", pngRed), nil, ""))
	}
	return append(out, uploadStep("a", file("t.png", pngRed), nil, ""))
}

// The files of the recorded uploads (samples 51–99), by their recorded
// md5. The recording kept only names, sizes and hashes: these stand-ins
// are of the same kind (a PNG, plain text), not the same bytes.
var sampleContent = map[string][]byte{
	"81af8914bcfc4c5a07dd4ad7be176085": pngRed,                                  // avatar.png, copy.png, photo.jpg
	"f672d7294a4f8d41d4cc6630e1d70250": []byte("shopping: milk, eggs, tea"),     // notes.txt
	"a9380d99b4565cd2fa3179873d4de2ee": []byte("# readme\nno extension here\n"), // README
	"2973f56e3ddc449a74346ec198680ebf": pngBlue,                                 // t.png
}

var sampleFileDesc = regexp.MustCompile(`^<file (.*), (\d+) bytes, md5 ([0-9a-f]{32})>$`)

// sampleFile reads a recorded file description, "<file NAME, N bytes, md5
// X>", into the name and the stand-in content.
func sampleFile(t *testing.T, desc string) (string, []byte) {
	t.Helper()
	m := sampleFileDesc.FindStringSubmatch(desc)
	if m == nil {
		t.Fatalf("a recorded file %q", desc)
	}
	data, ok := sampleContent[m[3]]
	if !ok {
		t.Fatalf("no stand-in for the recorded file %s", desc)
	}
	return m[1], data
}
