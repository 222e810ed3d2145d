package emulator

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/mkctl/mkctl/provider/misskeyapi"
)

// Multipart requests: drive/files/create is the one endpoint with
// requireFile, served by ApiCallService.handleMultipartRequest through
// @fastify/multipart (limits: fileSize config.maxFileSize, files 1).
//
//   - a body that is not multipart, or has no file part, is a bare 400
//     with an empty body (request.file() finds nothing);
//   - the first part with a filename is the file, whatever its field name;
//     its Content-Type is ignored (the type is sniffed, sniff.go); further
//     files are dropped;
//   - every other part is a string field, read wherever it stands (also
//     after the file); a field sent twice becomes an array upstream, which
//     the endpoint sees as absent;
//   - a file over config.maxFileSize is a bare 413;
//   - the token is the Authorization header or the field "i".
//
// The file is read as a stream: hashed (MD5) as it arrives and kept, since
// the emulator stores what it is sent.

// maxFileSize is config.maxFileSize's default, 250 MiB.
const maxFileSize = 262144000

// fieldSizeLimit is busboy's default fieldSize: longer values are cut.
const fieldSizeLimit = 1 << 20

// upload is the file part of a multipart request.
type upload struct {
	name *string // the part's filename (nil: none)
	data []byte
	md5  string // lower-case hex
}

// serveUpload reads a multipart request and runs the endpoint with it.
func (e *Emulator) serveUpload(r *http.Request, ep *endpoint) (*reply, map[string]any) {
	up, fields, rep := e.readMultipart(r, ep.Name)
	if rep != nil {
		return rep, fields
	}
	token := bearerToken(r)
	if v, ok := fields["i"].(string); token == nil && ok {
		token = &v
	}
	logged := cloneJSON(fields).(map[string]any)
	delete(logged, "i")
	logged["file"] = fmt.Sprintf("<%d bytes, md5 %s>", len(up.data), up.md5)
	return e.dispatch(r, ep, token, fields, up), logged
}

// readMultipart parses the form. A reply is Fastify's or the upload
// handler's answer before Misskey's code runs.
func (e *Emulator) readMultipart(r *http.Request, name string) (*upload, map[string]any, *reply) {
	ctype := r.Header.Get("Content-Type")
	mediaType, params, err := mime.ParseMediaType(ctype)
	if err != nil || mediaType != "multipart/form-data" || params["boundary"] == "" {
		e.violation(Violation{Endpoint: name, Kind: ViolationBadRequest, Reason: fmt.Sprintf("Content-Type %q: %s takes multipart/form-data with a file; the server answers a bare 400", ctype, name)})
		io.Copy(io.Discard, io.LimitReader(r.Body, bodyLimit))
		return nil, nil, newReply(http.StatusBadRequest)
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	fields := map[string]any{}
	repeated := map[string]bool{}
	var up *upload
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			e.violation(Violation{Endpoint: name, Kind: ViolationBadRequest, Reason: "a malformed multipart body: " + err.Error()})
			return nil, nil, newReply(http.StatusBadRequest)
		}
		_, disp, _ := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		if _, isFile := disp["filename"]; isFile {
			if up != nil { // files: 1
				io.Copy(io.Discard, part)
				continue
			}
			// busboy keeps the base name, after "/" or "\\".
			fileName := part.FileName()
			if i := strings.LastIndexByte(fileName, '\\'); i >= 0 {
				fileName = fileName[i+1:]
			}
			up = &upload{name: &fileName}
			h := md5.New()
			var buf bytes.Buffer
			if r.ContentLength > 0 { // the file is most of the body: one allocation
				buf.Grow(int(min(r.ContentLength, maxFileSize+1)))
			}
			n, err := io.Copy(io.MultiWriter(h, &buf), io.LimitReader(part, maxFileSize+1))
			if err != nil {
				e.violation(Violation{Endpoint: name, Kind: ViolationBadRequest, Reason: "reading the file part: " + err.Error()})
				return nil, nil, newReply(http.StatusBadRequest)
			}
			if n > maxFileSize {
				io.Copy(io.Discard, part)
				e.violation(Violation{Endpoint: name, Kind: ViolationBadRequest, Reason: fmt.Sprintf("a file over config.maxFileSize (%d bytes): the server answers a bare 413", maxFileSize)})
				return nil, fields, newReply(http.StatusRequestEntityTooLarge)
			}
			up.data, up.md5 = buf.Bytes(), hex.EncodeToString(h.Sum(nil))
			continue
		}
		value, _ := io.ReadAll(io.LimitReader(part, fieldSizeLimit))
		io.Copy(io.Discard, part)
		field := part.FormName()
		if _, seen := fields[field]; seen {
			repeated[field] = true
		}
		fields[field] = string(value)
	}
	for k := range repeated {
		delete(fields, k)
	}
	if up == nil {
		e.violation(Violation{Endpoint: name, Kind: ViolationBadRequest, Reason: "a multipart body without a file part: the server answers a bare 400"})
		return nil, fields, newReply(http.StatusBadRequest)
	}
	return up, fields, nil
}

// castUploadFields is ApiCallService's "Cast non JSON input": a string
// given for a boolean, number or integer parameter is JSON.parse'd; one
// that does not parse is INVALID_PARAM with its own id. It also puts in
// the placeholder for api.json's required "file" property, which the
// form's file part stands for (run removes it again).
func castUploadFields(ep *endpoint, params map[string]any) *apiError {
	spec, _ := misskeyapi.Endpoint(ep.Name)
	for k, v := range params {
		s, isString := v.(string)
		prop, ok := spec.Schema.Property(k)
		if !isString || !ok || len(prop.Types) != 1 {
			continue
		}
		switch t := prop.Types[0]; t {
		case "boolean", "number", "integer":
			var parsed any
			if err := json.Unmarshal([]byte(s), &parsed); err != nil {
				apiErr := clientError("INVALID_PARAM", "0b5f1631-7c1a-41a6-b399-cce335f34d85", "Invalid param.")
				apiErr.Info = map[string]any{"param": k, "reason": "cannot cast to " + t}
				return apiErr
			}
			params[k] = parsed
		}
	}
	params["file"] = ""
	return nil
}

// serveDriveFile answers GET /files/KEY (FileServerService) with a
// stored file's bytes: its url, and — since the emulator makes no copies —
// its thumbnail and webpublic URLs too.
func (e *Emulator) serveDriveFile(w http.ResponseWriter, r *http.Request) bool {
	key, ok := strings.CutPrefix(r.URL.Path, "/files/")
	if !ok || key == "" || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return false
	}
	e.mu.Lock()
	var found *DriveFile
	for _, f := range e.st.DriveFiles {
		if f.AccessKey == key || f.ThumbnailKey == key || f.WebpublicKey == key || (f.AccessKey == "" && f.ID == key) {
			found = f
			break
		}
	}
	var data []byte
	var ctype string
	if found != nil {
		data, ctype = found.Data, found.mime()
	}
	e.mu.Unlock()
	if found == nil {
		return false
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		w.Write(data)
	}
	return true
}
