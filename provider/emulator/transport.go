package emulator

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
)

// Transport returns an http.RoundTripper that hands requests straight to
// the emulator, in process, without a socket — for `mkctl --sandbox`.
// Any scheme and host work; only the path matters.
func (e *Emulator) Transport() http.RoundTripper { return transport{e} }

type transport struct{ e *Emulator }

func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	// The handler may read the body; the RoundTripper contract says the
	// transport closes it.
	in := req.Clone(req.Context())
	if req.Body != nil {
		defer req.Body.Close()
	} else {
		in.Body = http.NoBody
	}
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	in.RequestURI = req.URL.RequestURI()
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	t.e.ServeHTTP(rec, in)
	body := rec.body.Bytes()
	return &http.Response{
		Status:        strconv.Itoa(rec.status) + " " + http.StatusText(rec.status),
		StatusCode:    rec.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        rec.header,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}, nil
}

// recorder is a minimal http.ResponseWriter.
type recorder struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = status, true
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	return r.body.Write(p)
}
