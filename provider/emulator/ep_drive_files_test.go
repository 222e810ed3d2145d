package emulator

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"image/color"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// uploadAs sends drive/files/create as multipart: fields, then a file
// named name holding data.
func uploadAs(t *testing.T, e *Emulator, token string, fields map[string]string, name string, data []byte) answer {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if token != "" {
		w.WriteField("i", token)
	}
	for k, v := range fields {
		w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	return raw(t, e, http.MethodPost, "/api/drive/files/create", http.Header{"Content-Type": {w.FormDataContentType()}}, buf.String())
}

func (w *world) upload(fields map[string]string, name string, data []byte) map[string]any {
	w.t.Helper()
	return mustOK(w.t, uploadAs(w.t, w.e, w.aliceTok, fields, name, data))
}

func md5hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

func TestDetectType(t *testing.T) {
	big := testPNG(1, 1, color.RGBA{})
	copy(big[16:], []byte{0, 0, 0x40, 0}) // width 16384
	for name, tc := range map[string]struct {
		data       []byte
		fileName   string
		mime, ext  string
		wantWidth  int
		wantHeight int
	}{
		"png":          {pngGreen, "", "image/png", "png", 6, 3},
		"jpeg":         {jpegSmall, "", "image/jpeg", "jpg", 8, 5},
		"gif":          {gifSmall, "", "image/gif", "gif", 3, 7},
		"webp":         {webpTiny, "", "image/webp", "webp", 1, 1},
		"bmp":          {bmpSmall, "", "image/bmp", "bmp", 2, 2},
		"svg":          {svgIcon, "", "image/svg+xml", "svg", 12, 10},
		"svg viewBox":  {svgWithViewBox, "", "image/svg+xml", "svg", 30, 20},
		"svg no size":  {svgNoSize, "", typeOctetStream, "", 0, 0},
		"xml":          {xmlNotSVG, "", "application/xml", "xml", 0, 0},
		"mp3":          {mp3Frames, "", "audio/mpeg", "mp3", 0, 0},
		"wav":          {wavHeader, "", "audio/wav", "wav", 0, 0},
		"ogg":          {oggVorbis, "", "audio/ogg", "ogg", 0, 0},
		"mp4":          {mp4Header, "", "video/mp4", "mp4", 0, 0},
		"mp4 video":    {testMP4("soun", "vide"), "", "video/mp4", "mp4", 0, 0},
		"mp4 sound":    {testMP4("soun"), "", "audio/mp4", "m4a", 0, 0},
		"tiff":         {tiffSized, "", "image/tiff", "tif", 3, 2},
		"ico":          {icoPNG, "", "image/x-icon", "ico", 0, 0}, // no dimensions read
		"aac":          {[]byte{0xff, 0xf1, 0x50, 0x80, 0, 0}, "", "audio/aac", "aac", 0, 0},
		"mkv":          {[]byte("\x1a\x45\xdf\xa3\x93\x42\x82\x88matroska"), "", "video/matroska", "mkv", 0, 0},
		"id3 then mp3": {append([]byte("ID3\x03\x00\x00\x00\x00\x00\x00"), mp3Frames[10:]...), "", "audio/mpeg", "mp3", 0, 0},
		"id3 then 0s":  {append([]byte("ID3\x03\x00\x00\x00\x00\x00\x00"), make([]byte, 40)...), "", typeOctetStream, "", 0, 0},
		"webm":         {webmHeader, "", "video/webm", "webm", 0, 0},
		"pdf":          {pdfTiny, "", "application/pdf", "pdf", 0, 0},
		"avif":         {[]byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miafispe\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00\x04"), "", "image/avif", "avif", 5, 4},
		"text":         {textNotes, "", typeOctetStream, "", 0, 0},
		"text .txt":    {textNotes, "a.txt", "text/plain", "txt", 0, 0},
		"text .csv":    {textNotes, "a.csv", "text/csv", "csv", 0, 0},
		"text .json":   {textNotes, "a.json", "application/json", "json", 0, 0},
		"text .TXT":    {textNotes, "a.TXT", typeOctetStream, "", 0, 0},
		"empty":        {nil, "a.txt", "text/plain", "txt", 0, 0},
		"png too wide": {big, "", typeOctetStream, "", 0, 0},
	} {
		var n *string
		if tc.fileName != "" {
			n = &tc.fileName
		}
		got := detectFile(tc.data, n)
		if got.mime != tc.mime || got.ext != tc.ext || got.width != tc.wantWidth || got.height != tc.wantHeight {
			t.Errorf("%s: %+v, want %s %s %dx%d", name, got, tc.mime, tc.ext, tc.wantWidth, tc.wantHeight)
		}
	}
}

func TestCorrectFilename(t *testing.T) {
	for _, tc := range []struct{ name, ext, want string }{
		{"photo.jpg", "png", "photo.jpg.png"},
		{"photo.PNG", "png", "photo.PNG"},
		{"copy", "png", "copy.png"},
		{"untitled", "", "untitled.unknown"},
		{"notes.md", "", "notes.md"},
		{"a.jpeg", "jpg", "a.jpeg"},
		{"a.tiff", "tif", "a.tiff"},
		{"a.bin", "gz", "a.bin"},
		{"a.", "png", "a..png"},
	} {
		if got := correctFilename(tc.name, tc.ext); got != tc.want {
			t.Errorf("correctFilename(%q, %q) = %q, want %q", tc.name, tc.ext, got, tc.want)
		}
	}
}

func TestDriveFilesCreate(t *testing.T) {
	w := newWorld(t, Options{})
	f := w.upload(map[string]string{"name": "avatar.png", "comment": "profile picture"}, "x.png", pngRed)
	if f["name"] != "avatar.png" || f["type"] != "image/png" || f["md5"] != md5hex(pngRed) || f["size"] != float64(len(pngRed)) ||
		f["userId"] != nil || f["comment"] != "profile picture" || f["isSensitive"] != false || f["blurhash"] == nil || f["thumbnailUrl"] == nil {
		t.Errorf("created %v", f)
	}
	if p := f["properties"].(map[string]any); p["width"] != 4.0 || p["height"] != 4.0 {
		t.Errorf("properties %v", p)
	}
	folder := w.ok("drive/folders/create", map[string]any{"name": "pics"})["id"].(string)

	// Dedupe: the old file, unchanged but for isSensitive; the unknown
	// folder is not looked at.
	again := w.upload(map[string]string{"name": "renamed.png", "folderId": "0000000000", "comment": "other", "isSensitive": "true"}, "x.png", pngRed)
	if again["id"] != f["id"] || again["name"] != "avatar.png" || again["comment"] != "profile picture" || again["isSensitive"] != true || again["folderId"] != nil {
		t.Errorf("deduplicated %v", again)
	}
	copied := w.upload(map[string]string{"name": "photo.jpg", "folderId": folder, "force": "true"}, "x.png", pngRed)
	if copied["id"] == f["id"] || copied["name"] != "photo.jpg.png" || copied["folderId"] != folder || copied["isSensitive"] != false {
		t.Errorf("forced %v", copied)
	}
	for fields, want := range map[string]string{"": "untitled.png", "name=blob": "untitled.png", "name=  sp.png ": "sp.png", "name=": "untitled.png"} {
		form := map[string]string{"force": "true"}
		if k, v, ok := strings.Cut(fields, "="); ok {
			form[k] = v
		}
		if got := w.upload(form, "blob", pngRed)["name"]; got != want {
			t.Errorf("%q: name %v, want %s", fields, got, want)
		}
	}
	if got := w.upload(nil, "from-part.png", pngGreen)["name"]; got != "from-part.png" {
		t.Errorf("the part's filename: %v", got)
	}
	for _, bad := range []string{"a/b", `a\b`, "a..b", strings.Repeat("n", 201)} {
		wantError(t, uploadAs(t, w.e, w.aliceTok, map[string]string{"name": bad, "force": "true"}, "x.png", pngRed), 400, "INVALID_FILE_NAME", "f449b209-0c60-4e51-84d5-29486263bfd4")
	}
	for _, folderID := range []string{"0000000000", "null", w.e.SeedFolders(w.bob.ID, "", []string{"b"})[0]} {
		a := uploadAs(t, w.e, w.aliceTok, map[string]string{"folderId": folderID}, "x.png", pngBlue)
		wantError(t, a, 500, "INTERNAL_ERROR", "5d37dbcb-891e-41ca-a3d6-e690c97775ac")
		if strings.Contains(string(a.Body), "info") {
			t.Errorf("an unknown folder's 500 has no info: %s", a.Body)
		}
	}
	if got := w.upload(nil, "notes.txt", textNotes)["type"]; got != "text/plain" {
		t.Errorf("notes.txt: %v", got)
	}
	wantError(t, uploadAs(t, w.e, w.aliceTok, nil, "README", []byte("plain\n")), 400, "UNALLOWED_FILE_TYPE", "4becd248-7f2c-48c4-a9f0-75edc4f9a1ea")

	// The stored file is what was sent.
	stored := w.e.DriveFileByID(f["id"].(string))
	if !bytes.Equal(stored.Data, pngRed) || stored.MD5 != md5hex(pngRed) {
		t.Errorf("stored %d bytes, md5 %s", len(stored.Data), stored.MD5)
	}
	if n := len(w.e.FilesOf(w.alice.ID)); n != 8 {
		t.Errorf("%d files", n)
	}
}

func TestDriveFilesCreateRequests(t *testing.T) {
	w := newWorld(t, Options{})
	// Not multipart, or no file: a bare 400, a violation.
	for name, send := range map[string]func() answer{
		"json": func() answer { return w.as("drive/files/create", map[string]any{"name": "x"}) },
		"no file": func() answer {
			return raw(t, w.e, http.MethodPost, "/api/drive/files/create", http.Header{"Content-Type": {"multipart/form-data; boundary=X"}}, "--X\r\nContent-Disposition: form-data; name=\"i\"\r\n\r\n"+w.aliceTok+"\r\n--X--\r\n")
		},
	} {
		a := send()
		if a.Status != 400 || len(a.Body) != 0 {
			t.Errorf("%s: %d %q", name, a.Status, a.Body)
		}
		if v := w.e.Violations(); len(v) != 1 || v[0].Kind != ViolationBadRequest {
			t.Errorf("%s: violations %v", name, v)
		}
		w.e.ResetViolations()
	}
	// Fields are checked against api.json: unknown ones and uncastable
	// booleans are violations.
	wantError(t, uploadAs(t, w.e, w.aliceTok, map[string]string{"feeling": "lucky"}, "x.png", pngRed), 400, "INVALID_PARAM", "3d81ceae-475f-4600-b2a8-2bc116157532")
	if v := w.e.Violations(); len(v) != 1 || v[0].Kind != ViolationUnknownParam {
		t.Errorf("unknown field: %v", v)
	}
	w.e.ResetViolations()
	wantError(t, uploadAs(t, w.e, w.aliceTok, map[string]string{"force": "yes"}, "x.png", pngRed), 400, "INVALID_PARAM", "0b5f1631-7c1a-41a6-b399-cce335f34d85")
	if v := w.e.Violations(); len(v) != 1 || v[0].Kind != ViolationInvalidParam {
		t.Errorf("uncastable field: %v", v)
	}
	w.e.ResetViolations()
	wantError(t, uploadAs(t, w.e, w.aliceTok, map[string]string{"comment": strings.Repeat("c", 513)}, "x.png", pngRed), 400, "INVALID_PARAM", "3d81ceae-475f-4600-b2a8-2bc116157532")
	w.e.ResetViolations()
	// Bearer, and the file part under another field name.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("attachment", "b.png")
	fw.Write(pngGreen)
	mw.WriteField("name", "after.png")
	mw.Close()
	a := raw(t, w.e, http.MethodPost, "/api/drive/files/create", http.Header{"Content-Type": {mw.FormDataContentType()}, "Authorization": {"Bearer " + w.aliceTok}}, buf.String())
	if got := mustOK(t, a)["name"]; got != "after.png" {
		t.Errorf("a field after the file: name %v", got)
	}
	ro := w.e.IssueToken(w.alice.ID, []string{"read:drive"})
	wantError(t, uploadAs(t, w.e, ro, nil, "x.png", pngBlue), 403, "PERMISSION_DENIED", "1370e5b7-d4eb-4566-bb1d-7748ee6a1838")
	wantError(t, uploadAs(t, w.e, "", nil, "x.png", pngBlue), 401, "CREDENTIAL_REQUIRED", "1384574d-a912-4b81-8601-c7b1c4085df1")
	if got := w.e.Requests(); got[len(got)-1].Endpoint != "drive/files/create" {
		t.Errorf("log %v", got[len(got)-1])
	}
}

func TestDriveFilesCreatePolicies(t *testing.T) {
	w := newWorld(t, Options{})
	w.e.SetPolicy(w.alice.ID, "maxFileSizeMb", 1)
	wantError(t, uploadAs(t, w.e, w.aliceTok, nil, "big.txt", bytes.Repeat([]byte("a"), 1<<20+1)), 413, "MAX_FILE_SIZE_EXCEEDED", "b9d8c348-33f0-4673-b9a9-5d4da058977a")
	w.upload(nil, "fits.txt", bytes.Repeat([]byte("a"), 1<<20))
	w.e.SetPolicy(w.alice.ID, "driveCapacityMb", 1)
	wantError(t, uploadAs(t, w.e, w.aliceTok, nil, "more.txt", []byte("b")), 400, "NO_FREE_SPACE", "d08dbc37-a6a9-463a-8c47-96c32ab5f064")
	// A deduplicated upload needs no space.
	w.upload(nil, "again.txt", bytes.Repeat([]byte("a"), 1<<20))
	if d := w.ok("drive", nil); d["capacity"] != float64(1<<20) || d["usage"] != float64(1<<20) {
		t.Errorf("drive %v", d)
	}
	w.e.SetPolicy(w.bob.ID, "uploadableFileTypes", []string{"image/png"})
	wantError(t, uploadAs(t, w.e, w.bobTok, nil, "a.txt", textNotes), 400, "UNALLOWED_FILE_TYPE", "4becd248-7f2c-48c4-a9f0-75edc4f9a1ea")
	mustOK(t, uploadAs(t, w.e, w.bobTok, nil, "a.png", pngRed))
	w.e.SetPolicy(w.bob.ID, "alwaysMarkNsfw", true)
	f := mustOK(t, uploadAs(t, w.e, w.bobTok, nil, "b.png", pngBlue))
	if f["isSensitive"] != true {
		t.Errorf("alwaysMarkNsfw: %v", f)
	}
	wantError(t, post(t, w.e, "drive/files/update", w.bobTok, map[string]any{"fileId": f["id"], "isSensitive": false}), 400, "RESTRICTED_BY_ROLE", "7f59dccb-f465-75ab-5cf4-3ce44e3282f7")
}

func TestDriveFilesCreateRateLimit(t *testing.T) {
	w := newWorld(t, Options{RateLimits: true})
	for i := range 120 {
		// Deduplicated uploads count too.
		if a := uploadAs(t, w.e, w.aliceTok, nil, "t.png", pngRed); a.Status != 200 {
			t.Fatalf("upload %d: %d", i, a.Status)
		}
	}
	a := uploadAs(t, w.e, w.aliceTok, nil, "t.png", pngRed)
	wantError(t, a, 429, "RATE_LIMIT_EXCEEDED", "d5826d14-3982-4d2e-8011-b9e9f02499ef")
	if a.Header.Get("Retry-After") != "3600" {
		t.Errorf("Retry-After %q", a.Header.Get("Retry-After"))
	}
}

func TestDriveFilesListAndFind(t *testing.T) {
	w := newWorld(t, Options{})
	folder := w.ok("drive/folders/create", map[string]any{"name": "sub"})["id"].(string)
	var made []string
	for _, up := range []struct {
		name string
		data []byte
	}{{"m.png", pngRed}, {"z.gif", gifSmall}, {"a.txt", textNotes}} {
		made = append(made, w.upload(nil, up.name, up.data)["id"].(string))
		w.clock.Advance(time.Second)
	}
	inSub := w.upload(map[string]string{"folderId": folder}, "s.png", pngGreen)["id"].(string)
	if got := ids(w.okList("drive/files", nil)); !slices.Equal(got, []string{made[2], made[1], made[0]}) {
		t.Errorf("root, newest first: %v", got)
	}
	if got := ids(w.okList("drive/files", map[string]any{"folderId": folder})); !slices.Equal(got, []string{inSub}) {
		t.Errorf("folder: %v", got)
	}
	if got := ids(w.okList("drive/files", map[string]any{"type": "image/*"})); !slices.Equal(got, []string{made[1], made[0]}) {
		t.Errorf("image/*: %v", got)
	}
	names := func(items []any) []string {
		var out []string
		for _, it := range items {
			out = append(out, it.(map[string]any)["name"].(string))
		}
		return out
	}
	// Inverted: "+" is descending.
	if got := names(w.okList("drive/files", map[string]any{"sort": "+name"})); !slices.Equal(got, []string{"z.gif", "m.png", "a.txt"}) {
		t.Errorf("+name: %v", got)
	}
	if got := names(w.okList("drive/files", map[string]any{"sort": "-createdAt", "limit": 2})); !slices.Equal(got, []string{"m.png", "z.gif"}) {
		t.Errorf("-createdAt: %v", got)
	}
	wantError(t, w.as("drive/files", map[string]any{"type": "video/mp4"}), 400, "INVALID_PARAM", "3d81ceae-475f-4600-b2a8-2bc116157532")
	w.e.ResetViolations()
	if got := w.okList("drive/stream", nil); len(got) != 4 || got[0].(map[string]any)["userId"] != w.alice.ID {
		t.Errorf("stream %v", got)
	}
	if got := w.okList("drive/files/find-by-hash", map[string]any{"md5": md5hex(pngRed)}); len(got) != 1 {
		t.Errorf("find-by-hash %v", got)
	}
	if got := w.okList("drive/files/find-by-hash", map[string]any{"md5": strings.ToUpper(md5hex(pngRed))}); len(got) != 0 {
		t.Errorf("find-by-hash is case-sensitive: %v", got)
	}
	if a := w.as("drive/files/check-existence", map[string]any{"md5": md5hex(gifSmall)}); string(a.Body) != "true" {
		t.Errorf("check-existence %s", a.Body)
	}
	if got := w.okList("drive/files/find", map[string]any{"name": "s.png", "folderId": folder}); len(got) != 1 {
		t.Errorf("find %v", got)
	}
	shown := w.ok("drive/files/show", map[string]any{"fileId": inSub})
	if shown["folder"].(map[string]any)["id"] != folder || shown["user"].(map[string]any)["id"] != w.alice.ID {
		t.Errorf("show %v", shown)
	}
	if got := w.ok("drive/files/show", map[string]any{"url": shown["thumbnailUrl"]}); got["id"] != inSub {
		t.Errorf("show by thumbnail url: %v", got)
	}
	wantError(t, post(t, w.e, "drive/files/show", w.bobTok, map[string]any{"fileId": inSub}), 400, "ACCESS_DENIED", "25b73c73-68b1-41d0-bad1-381cfdf6579f")
}

func TestDriveFilesUpdate(t *testing.T) {
	w := newWorld(t, Options{})
	id := w.upload(nil, "a.png", pngRed)["id"].(string)
	a := w.as("drive/files/update", map[string]any{"fileId": id})
	wantError(t, a, 500, "INTERNAL_ERROR", "5d37dbcb-891e-41ca-a3d6-e690c97775ac")
	if !strings.Contains(string(a.Body), "UpdateValuesMissingError") {
		t.Errorf("nothing to update: %s", a.Body)
	}
	if got := w.ok("drive/files/update", map[string]any{"fileId": id, "name": "  noext  "}); got["name"] != "  noext  " || got["userId"] != nil {
		t.Errorf("update %v", got)
	}
	wantError(t, w.as("drive/files/update", map[string]any{"fileId": id, "name": ""}), 400, "INVALID_FILE_NAME", "395e7156-f9f0-475e-af89-53c3c23080c2")
	wantError(t, w.as("drive/files/update", map[string]any{"fileId": id, "folderId": "0000000000"}), 400, "NO_SUCH_FOLDER", "ea8fb7a5-af77-4a08-b608-c0218176cd73")
	wantError(t, post(t, w.e, "drive/files/update", w.bobTok, map[string]any{"fileId": id, "name": "x"}), 400, "ACCESS_DENIED", "01a53b27-82fc-445b-a0c1-b558465a8ed2")
	folder := w.ok("drive/folders/create", map[string]any{"name": "f"})["id"].(string)
	w.noContent("drive/files/move-bulk", map[string]any{"fileIds": []any{id}, "folderId": folder})
	if f := w.e.DriveFileByID(id); f.FolderID == nil || *f.FolderID != folder {
		t.Errorf("moved to %v", f.FolderID)
	}
	wantError(t, w.as("drive/files/move-bulk", map[string]any{"fileIds": []any{id}, "folderId": "0000000000"}), 500, "INTERNAL_ERROR", "5d37dbcb-891e-41ca-a3d6-e690c97775ac")
}

func TestAvatarAndBanner(t *testing.T) {
	w := newWorld(t, Options{})
	img := w.upload(nil, "face.png", pngRed)
	txt := w.upload(nil, "notes.txt", textNotes)
	bobs := mustOK(t, uploadAs(t, w.e, w.bobTok, nil, "b.png", pngBlue))
	wantError(t, w.as("i/update", map[string]any{"avatarId": txt["id"]}), 400, "AVATAR_NOT_AN_IMAGE", "f419f9f8-2f4d-46b1-9fb4-49d3a2fd7191")
	wantError(t, w.as("i/update", map[string]any{"bannerId": txt["id"]}), 400, "BANNER_NOT_AN_IMAGE", "75aedb19-2afd-4e6d-87fc-67941256fa60")
	wantError(t, w.as("i/update", map[string]any{"avatarId": bobs["id"]}), 400, "NO_SUCH_AVATAR", "539f3a45-f215-4f81-a9a8-31293640207f")
	me := w.ok("i/update", map[string]any{"avatarId": img["id"], "bannerId": img["id"]})
	wantAvatar := "http://127.0.0.1:3000/proxy/avatar.webp?url=" + strings.ReplaceAll(strings.ReplaceAll(img["url"].(string), ":", "%3A"), "/", "%2F") + "&avatar=1"
	if me["avatarId"] != img["id"] || me["avatarUrl"] != wantAvatar || me["avatarBlurhash"] != img["blurhash"] ||
		me["bannerId"] != img["id"] || me["bannerUrl"] != img["url"] || me["bannerBlurhash"] != img["blurhash"] {
		t.Errorf("i after the avatar: %v %v %v %v %v", me["avatarUrl"], me["avatarBlurhash"], me["bannerId"], me["bannerUrl"], me["bannerBlurhash"])
	}
	note := w.ok("notes/create", map[string]any{"text": "pic", "fileIds": []any{img["id"]}})["createdNote"].(map[string]any)
	if files := note["files"].([]any); len(files) != 1 || files[0].(map[string]any)["userId"] != w.alice.ID {
		t.Errorf("note files %v", note["files"])
	}
	if got := w.okList("drive/files/attached-notes", map[string]any{"fileId": img["id"]}); len(got) != 1 {
		t.Errorf("attached-notes %v", got)
	}
	// Deleting the file: the foreign keys null avatarId and bannerId,
	// the note keeps the id but lists no file.
	w.noContent("drive/files/delete", map[string]any{"fileId": img["id"]})
	me = w.ok("i", nil)
	if me["avatarId"] != nil || me["bannerId"] != nil || me["bannerUrl"] != nil || me["avatarBlurhash"] != nil ||
		me["avatarUrl"] != "http://127.0.0.1:3000/identicon/alice@127.0.0.1:3000" {
		t.Errorf("i after the delete: %v %v %v", me["avatarId"], me["bannerId"], me["avatarUrl"])
	}
	shown := w.ok("notes/show", map[string]any{"noteId": note["id"]})
	if fmt.Sprint(shown["fileIds"]) != fmt.Sprint([]any{img["id"]}) || len(shown["files"].([]any)) != 0 {
		t.Errorf("note after the delete: %v %v", shown["fileIds"], shown["files"])
	}
	wantError(t, w.as("notes/create", map[string]any{"text": "x", "fileIds": []any{img["id"]}}), 400, "NO_SUCH_FILE", "b6992544-63e7-67f0-fa7f-32444b1b5306")
	wantError(t, w.as("drive/files/delete", map[string]any{"fileId": img["id"]}), 400, "NO_SUCH_FILE", "908939ec-e52b-4458-b395-1025195cea58")
	w.e.SetPolicy(w.alice.ID, "canUpdateBioMedia", false)
	wantError(t, w.as("i/update", map[string]any{"avatarId": txt["id"]}), 400, "RESTRICTED_BY_ROLE", "8feff0ba-5ab5-585b-31f4-4df816663fad")
}

func TestDriveFilesControlAndState(t *testing.T) {
	w := newWorld(t, Options{})
	id := w.e.AddDriveFileBytes(w.alice.ID, "", "seeded.png", pngGreen)
	files := w.e.FilesOf(w.alice.ID)
	if len(files) != 1 || files[0].ID != id || files[0].Type != "image/png" || files[0].MD5 != md5hex(pngGreen) || files[0].Width != 6 {
		t.Fatalf("FilesOf %+v", files)
	}
	// The upload finds the seeded bytes.
	if got := w.upload(nil, "x.png", pngGreen)["id"]; got != id {
		t.Errorf("dedupe against a seeded file: %v", got)
	}
	empty := w.e.AddDriveFile(w.alice.ID, "", "f.bin")
	if f := w.ok("drive/files/show", map[string]any{"fileId": empty}); f["type"] != typeOctetStream || f["md5"] != md5hex(nil) || f["size"] != 0.0 {
		t.Errorf("an empty file %v", f)
	}
	var buf bytes.Buffer
	if err := w.e.Save(&buf); err != nil {
		t.Fatal(err)
	}
	e2, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if f := e2.DriveFileByID(id); f == nil || !bytes.Equal(f.Data, pngGreen) || f.AccessKey == "" {
		t.Errorf("after Load: %+v", f)
	}
}

func TestDriveFilesModerator(t *testing.T) {
	w := newWorld(t, Options{})
	w.e.UpdateUser(w.alice.ID, func(u *User) { u.IsModerator = true })
	w.e.SetPolicy(w.alice.ID, "maxFileSizeMb", 1)
	w.e.SetPolicy(w.alice.ID, "uploadableFileTypes", []any{"image/png"})
	// Moderators skip the type, size and capacity checks.
	w.upload(nil, "README", bytes.Repeat([]byte("x"), 1<<20+1))
	if me := w.ok("i", nil); me["isModerator"] != true || me["isAdmin"] != false {
		t.Errorf("i: isModerator %v isAdmin %v", me["isModerator"], me["isAdmin"])
	}
	bobs := mustOK(t, uploadAs(t, w.e, w.bobTok, nil, "b.png", pngBlue))["id"]
	if got := w.ok("drive/files/show", map[string]any{"fileId": bobs}); got["userId"] != w.bob.ID {
		t.Errorf("a moderator shows bob's file: %v", got)
	}
	w.ok("drive/files/update", map[string]any{"fileId": bobs, "isSensitive": true})
	w.noContent("drive/files/delete", map[string]any{"fileId": bobs})
	// Not a moderator: bob may not touch alice's files.
	mine := w.upload(nil, "a.png", pngRed)["id"]
	wantError(t, post(t, w.e, "drive/files/delete", w.bobTok, map[string]any{"fileId": mine}), 400, "ACCESS_DENIED", "5eb8d909-2540-4970-90b8-dd6f86088121")
}

func TestDriveFilesPublicView(t *testing.T) {
	w := newWorld(t, Options{})
	turned := w.upload(nil, "t.jpg", withExif(testJPEG(8, 4), 6))
	if p := turned["properties"].(map[string]any); p["width"] != 8.0 || p["height"] != 4.0 || p["orientation"] != 6.0 {
		t.Errorf("own properties %v", p)
	}
	plain := w.upload(nil, "p.png", pngGreen)
	note := w.ok("notes/create", map[string]any{"fileIds": []any{turned["id"], plain["id"]}})["createdNote"].(map[string]any)
	files := note["files"].([]any)
	pub := files[0].(map[string]any)
	if p := pub["properties"].(map[string]any); p["width"] != 4.0 || p["height"] != 8.0 || p["orientation"] != nil {
		t.Errorf("public properties %v", p)
	}
	if !strings.Contains(pub["url"].(string), "/files/webpublic-") || pub["url"] == turned["url"] {
		t.Errorf("public url %v, own %v", pub["url"], turned["url"])
	}
	if files[1].(map[string]any)["url"] != plain["url"] {
		t.Errorf("a plain PNG has no webpublic copy: %v", files[1])
	}
	if got := w.ok("drive/files/show", map[string]any{"url": pub["url"]}); got["id"] != turned["id"] {
		t.Errorf("show by webpublic url: %v", got["id"])
	}
	me := w.ok("i/update", map[string]any{"bannerId": turned["id"], "avatarId": turned["id"]})
	if me["bannerUrl"] != pub["url"] || !strings.Contains(me["avatarUrl"].(string), "webpublic-") {
		t.Errorf("banner %v avatar %v", me["bannerUrl"], me["avatarUrl"])
	}
}

func TestDriveFilesServed(t *testing.T) {
	w := newWorld(t, Options{})
	f := w.upload(nil, "p.png", pngGreen)
	path := strings.TrimPrefix(f["url"].(string), "http://127.0.0.1:3000")
	a := raw(t, w.e, http.MethodGet, path, nil, "")
	if a.Status != 200 || !bytes.Equal(a.Body, pngGreen) || a.Header.Get("Content-Type") != "image/png" {
		t.Errorf("GET %s: %d %s %d bytes", path, a.Status, a.Header.Get("Content-Type"), len(a.Body))
	}
	if a := raw(t, w.e, http.MethodGet, "/files/nothing", nil, ""); a.Status != 404 {
		t.Errorf("an unknown file: %d", a.Status)
	}
}

// A field sent twice is an array upstream, which the endpoint sees as
// absent (checked on the real server): the part's filename names the file.
func TestDriveFilesCreateRepeatedField(t *testing.T) {
	w := newWorld(t, Options{})
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("i", w.aliceTok)
	mw.WriteField("name", "one.txt")
	mw.WriteField("name", "two.txt")
	fw, _ := mw.CreateFormFile("file", "part.txt")
	fw.Write(textNotes)
	mw.Close()
	a := raw(t, w.e, http.MethodPost, "/api/drive/files/create", http.Header{"Content-Type": {mw.FormDataContentType()}}, buf.String())
	if got := mustOK(t, a)["name"]; got != "part.txt" {
		t.Errorf("name %v", got)
	}
}
