package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/mkctl/mkctl/internal/safego"
)

// Misskey's streaming API (API-NOTES §17): one websocket per account, JSON
// text frames {"type", "body"}. mkctl subscribes to the two channels whose
// events reveal a change of managed state: main (meUpdated, follow,
// unfollow) and drive (files and folders). Both are "shared" channels: a
// second connect to one is refused silently and, for main, one with the
// same id doubles every event; so each is connected exactly once per
// socket, and a re-subscription always means a new socket.

// StreamChannels are the channels OpenStream subscribes to, by the id it
// gives them (the id comes back in every event).
var StreamChannels = []string{"main", "drive"}

// streamConnectTimeout bounds the wait for the server's "connected"
// answers: a refused connect gets no answer at all, so silence is the only
// sign of a subscription refused (a variable for tests).
var streamConnectTimeout = 15 * time.Second

const (
	// streamPingInterval: the server pings every 60 s and drops a client
	// silent for 2 min; mkctl pings too, so that a half-open connection
	// (a NAT or proxy that forgot it) is noticed within about a minute
	// rather than never.
	streamPingInterval = 45 * time.Second
	streamPingTimeout  = 20 * time.Second
	// streamReadLimit: a meUpdated carries MeDetailed with up to the pin
	// limit of packed notes; the library's default (32 KiB) is too small.
	streamReadLimit = 8 << 20
)

// StreamEvent is one event of a subscribed channel.
type StreamEvent struct {
	Channel string          // "main" or "drive"
	Type    string          // "meUpdated", "follow", "unfollow", "fileCreated", "folderDeleted", …
	Body    json.RawMessage // the payload as the server sent it
}

// Stream is a streaming connection of one account. Next must be called in
// a loop: it also keeps the connection alive (the library answers the
// server's pings only while a read is in progress).
type Stream struct {
	conn    *websocket.Conn
	pending []StreamEvent // events that came before the subscriptions were confirmed
	stop    context.CancelFunc
	once    sync.Once
	pingErr chan error
}

// StreamError is a refused or failed streaming connection.
type StreamError struct {
	Status int // the HTTP status of a refused upgrade; 0 for other failures
	Msg    string
	Err    error
}

func (e *StreamError) Error() string {
	if e.Err != nil {
		return "streaming: " + e.Msg + ": " + e.Err.Error()
	}
	return "streaming: " + e.Msg
}
func (e *StreamError) Unwrap() error { return e.Err }

// Permanent reports whether retrying cannot help (a refused token).
func (e *StreamError) Permanent() bool {
	return e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden
}

// StreamURL is the websocket URL of the instance's streaming endpoint. It
// never holds the token: OpenStream sends it in the Authorization header,
// which the server accepts as well as ?i= (verified), so it cannot end up
// in a proxy's access log.
func (c *Client) StreamURL() string {
	return "ws" + strings.TrimPrefix(c.base, "http") + "/streaming"
}

// OpenStream connects to the streaming API with the client's token and
// subscribes to main and drive, waiting until the server confirms both.
func (c *Client) OpenStream(ctx context.Context) (*Stream, error) {
	hc := *c.hc
	hc.Timeout = 0 // the library refuses one: the context bounds the handshake
	h := http.Header{}
	h.Set("User-Agent", c.userAgent)
	if c.token != "" {
		h.Set("Authorization", "Bearer "+c.token)
	}
	dctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	conn, resp, err := websocket.Dial(dctx, c.StreamURL(), &websocket.DialOptions{HTTPClient: &hc, HTTPHeader: h})
	if err != nil {
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			se := &StreamError{Status: resp.StatusCode, Msg: fmt.Sprintf("%s refused the connection (HTTP %d)", c.StreamURL(), resp.StatusCode)}
			switch resp.StatusCode {
			case http.StatusUnauthorized:
				se.Msg += ": the token is invalid or lacks read:account; log in again (`" + c.loginCommand() + "`) for a token that has it"
			case http.StatusForbidden:
				se.Msg += ": " + (&APIError{Code: "YOUR_ACCOUNT_SUSPENDED"}).Hint()
			}
			return nil, se
		}
		return nil, &StreamError{Msg: "connecting to " + c.StreamURL(), Err: err}
	}
	conn.SetReadLimit(streamReadLimit)
	s := &Stream{conn: conn, pingErr: make(chan error, 1)}
	if err := s.subscribe(ctx); err != nil {
		conn.CloseNow()
		return nil, err
	}
	pctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	go s.keepAlive(pctx)
	return s, nil
}

// frame is a message of the streaming protocol, both ways.
type frame struct {
	Type string          `json:"type"`
	Body json.RawMessage `json:"body"`
}

type channelBody struct {
	ID   string          `json:"id"`
	Type string          `json:"type"`
	Body json.RawMessage `json:"body"`
}

func (s *Stream) subscribe(ctx context.Context) error {
	for _, ch := range StreamChannels {
		body, _ := json.Marshal(map[string]any{"channel": ch, "id": ch, "params": map[string]any{}, "pong": true})
		if err := s.write(ctx, frame{Type: "connect", Body: body}); err != nil {
			return &StreamError{Msg: "subscribing to " + ch, Err: err}
		}
	}
	waiting := map[string]bool{}
	for _, ch := range StreamChannels {
		waiting[ch] = true
	}
	cctx, cancel := context.WithTimeout(ctx, streamConnectTimeout)
	defer cancel()
	for len(waiting) > 0 {
		f, err := s.read(cctx)
		if err != nil {
			if cctx.Err() != nil && ctx.Err() == nil {
				var names []string
				for _, ch := range StreamChannels {
					if waiting[ch] {
						names = append(names, ch)
					}
				}
				// Misskey refuses a subscription by not answering.
				return &StreamError{Msg: fmt.Sprintf("the server did not confirm the %s channel within %s: the token needs the read:account permission", strings.Join(names, " and "), streamConnectTimeout)}
			}
			return &StreamError{Msg: "waiting for the subscriptions", Err: err}
		}
		switch f.Type {
		case "connected":
			var b struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(f.Body, &b)
			delete(waiting, b.ID)
		case "channel":
			if ev, ok := parseEvent(f); ok {
				s.pending = append(s.pending, ev)
			}
		}
	}
	return nil
}

func (s *Stream) write(ctx context.Context, f frame) error {
	data, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return s.conn.Write(ctx, websocket.MessageText, data)
}

func (s *Stream) read(ctx context.Context) (frame, error) {
	for {
		typ, data, err := s.conn.Read(ctx)
		if err != nil {
			return frame{}, err
		}
		if typ != websocket.MessageText {
			continue
		}
		var f frame
		if json.Unmarshal(data, &f) != nil {
			continue // not a protocol frame: nothing mkctl acts on
		}
		return f, nil
	}
}

func parseEvent(f frame) (StreamEvent, bool) {
	var b channelBody
	if json.Unmarshal(f.Body, &b) != nil || b.Type == "" {
		return StreamEvent{}, false
	}
	return StreamEvent{Channel: b.ID, Type: b.Type, Body: b.Body}, true
}

// Next returns the next event of a subscribed channel. An error means the
// connection is gone (closed by the server, a failed ping, ctx): open a
// new one.
func (s *Stream) Next(ctx context.Context) (StreamEvent, error) {
	if len(s.pending) > 0 {
		ev := s.pending[0]
		s.pending = s.pending[1:]
		return ev, nil
	}
	for {
		f, err := s.read(ctx)
		if err != nil {
			select {
			case perr := <-s.pingErr:
				return StreamEvent{}, &StreamError{Msg: "the server stopped answering pings", Err: perr}
			default:
			}
			return StreamEvent{}, &StreamError{Msg: "connection lost", Err: err}
		}
		if f.Type != "channel" {
			continue
		}
		if ev, ok := parseEvent(f); ok {
			return ev, nil
		}
	}
}

func (s *Stream) keepAlive(ctx context.Context) {
	t := time.NewTicker(streamPingInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			pctx, cancel := context.WithTimeout(ctx, streamPingTimeout)
			err := safego.Call("streaming ping", func() error { return s.conn.Ping(pctx) })
			cancel()
			if err != nil && ctx.Err() == nil {
				s.pingErr <- err
				s.conn.CloseNow() // Next returns
				return
			}
		}
	}
}

// Close closes the connection (and so ends every subscription: Misskey's
// shared channels cannot be disconnected one by one).
func (s *Stream) Close() error {
	s.once.Do(func() {
		if s.stop != nil {
			s.stop()
		}
		// An error here is a connection already gone: nothing to do.
		_ = s.conn.Close(websocket.StatusNormalClosure, "")
	})
	return nil
}
