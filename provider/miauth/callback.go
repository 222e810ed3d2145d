package miauth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// CallbackPath is the path of the callback URL.
const CallbackPath = "/callback"

// Callback is a one-shot HTTP listener on 127.0.0.1 and a random port that
// waits for the browser to come back from the consent page with
// ?session=SESSION. Only its own session counts: another one gets 400 and
// the wait goes on.
type Callback struct {
	session string
	srv     *http.Server
	ln      net.Listener
	hit     chan struct{}
	once    sync.Once

	closeOnce sync.Once
	closeErr  error
}

// ListenCallback starts the listener. Close it when the login is over.
// net/http's own log (a handler's panic and its stack …) goes to errOut,
// mkctl's redacting error stream, not to the process's raw stderr.
func ListenCallback(session string, errOut io.Writer) (*Callback, error) {
	return listenCallback(&Callback{session: session, hit: make(chan struct{})}, errOut)
}

// listenCallback serves cb (its session and hit set) on a new listener.
func listenCallback(cb *Callback, errOut io.Writer) (*Callback, error) {
	// 127.0.0.1 rather than localhost: the name could resolve to an
	// address another program listens on, and the URL must not depend on
	// the resolver.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the browser's return on 127.0.0.1: %w", err)
	}
	cb.ln = ln
	mux := http.NewServeMux()
	mux.HandleFunc(CallbackPath, cb.serve)
	cb.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: log.New(errOut, "login: ", 0)}
	go cb.srv.Serve(ln) // returns http.ErrServerClosed on Close
	return cb, nil
}

// URL is the callback URL to put in the Request.
func (cb *Callback) URL() string { return "http://" + cb.ln.Addr().String() + CallbackPath }

// Done is closed when the browser has come back with the right session.
func (cb *Callback) Done() <-chan struct{} { return cb.hit }

// Close stops the listener, letting an answer being written finish. It may
// be called more than once.
func (cb *Callback) Close() error {
	cb.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		cb.closeErr = cb.srv.Shutdown(ctx)
		if errors.Is(cb.closeErr, context.DeadlineExceeded) {
			cb.closeErr = cb.srv.Close()
		}
	})
	return cb.closeErr
}

func (cb *Callback) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	// The page loads nothing, but the URL holds the session: never send it on.
	h.Set("Referrer-Policy", "no-referrer")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	got := r.URL.Query().Get("session")
	if subtle.ConstantTimeCompare([]byte(got), []byte(cb.session)) != 1 {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, page("This link does not belong to the login mkctl is waiting for",
			"mkctl ignored it. If you started a new login, approve it from the URL the latest <code>mkctl login</code> printed."))
		return
	}
	cb.once.Do(func() { close(cb.hit) })
	fmt.Fprint(w, page("Approved", "mkctl is collecting its token. You can close this tab and return to the terminal."))
}

func page(title, body string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mkctl: ` + title + `</title></head>` +
		`<body style="font-family: sans-serif; max-width: 36em; margin: 4em auto"><h1>` + title + `</h1><p>` + body + `</p></body></html>`
}
