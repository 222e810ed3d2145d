package provider

import (
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"os"
	"strings"
	"time"

	"github.com/mkctl/mkctl/internal/safego"
)

// An upload is one multipart/form-data request (drive/files/create, the one
// endpoint of Misskey that takes no JSON: API-NOTES §10). The file is never
// held in memory: each attempt opens it again and copies it through an
// io.Pipe into the request body, 32 KiB at a time, so an upload of 30 MB
// allocates about what one of 30 KB does (TestUploadStreams,
// BenchmarkUploadMemory).
type upload struct {
	// Fields are the form fields, sent before the file part in this order
	// (Misskey reads them wherever they are).
	Fields [][2]string
	// Path is the file on disk; Filename the part's filename (Misskey's
	// default name for the file).
	Path     string
	Filename string
	// Size is the file's size, for the attempt's timeout.
	Size int64
}

// uploadRate is the slowest upload speed an attempt allows for before it
// times out, on top of the client's timeout: 30 MB (maxFileSizeMb's
// default) may take 2 minutes.
const uploadRate = 256 << 10 // bytes per second

// Upload sends a multipart request. Like Write it is not retried after it
// may have reached the server (the file may be stored), but a 429 is waited
// out and sent again: Misskey refuses it before reading the file.
func (c *Client) Upload(ctx context.Context, endpoint string, up upload, out any) error {
	r := retrier{c: c, endpoint: endpoint, idempotent: false}
	timeout := c.timeout + time.Duration(up.Size/uploadRate)*time.Second
	return c.send(ctx, r, uploadLogBody(up), func(ctx context.Context) (*response, error) {
		return c.uploadOnce(ctx, endpoint, up, timeout)
	}, out)
}

// uploadOnce streams one attempt: a goroutine writes the multipart body
// into a pipe while the HTTP client reads it out.
func (c *Client) uploadOnce(ctx context.Context, endpoint string, up upload, timeout time.Duration) (*response, error) {
	f, err := os.Open(up.Path)
	if err != nil {
		return nil, fmt.Errorf("%s: opening %s: %w", endpoint, up.Path, err)
	}
	defer f.Close()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	done := make(chan error, 1)
	go func() {
		err := safego.Call(endpoint+" (writing the upload)", func() error { return writeMultipart(mw, up, f) })
		pw.CloseWithError(err) // nil: EOF for the reader
		done <- err
	}()
	resp, err := c.onceBody(ctx, endpoint, pr, mw.FormDataContentType(), timeout)
	// The transport may stop reading early (an error answer before the
	// whole file was sent): unblock the writer, then wait for it.
	pr.CloseWithError(io.ErrClosedPipe)
	werr := <-done
	if err == nil && werr != nil && werr != io.ErrClosedPipe && resp.status < 300 {
		return nil, fmt.Errorf("%s: reading %s: %w", endpoint, up.Path, werr)
	}
	return resp, err
}

func writeMultipart(mw *multipart.Writer, up upload, f io.Reader) error {
	for _, kv := range up.Fields {
		if err := mw.WriteField(kv[0], kv[1]); err != nil {
			return err
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, quoteFilename(up.Filename)))
	// Misskey ignores the part's type and sniffs the bytes (API-NOTES §10).
	h.Set("Content-Type", "application/octet-stream")
	part, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	buf := make([]byte, 32<<10)
	if _, err := io.CopyBuffer(part, struct{ io.Reader }{f}, buf); err != nil {
		return err
	}
	return mw.Close()
}

var filenameQuoter = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

func quoteFilename(s string) string { return filenameQuoter.Replace(s) }

// uploadLogBody is what a trace log shows of an upload: its fields (never
// the file's bytes).
func uploadLogBody(up upload) []byte {
	var b strings.Builder
	b.WriteString("{")
	for i, kv := range up.Fields {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "%q:%q", kv[0], kv[1])
	}
	fmt.Fprintf(&b, `,"file":%q}`, fmt.Sprintf("<%d bytes of %s>", up.Size, up.Filename))
	return []byte(b.String())
}
