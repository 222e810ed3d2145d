package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/coder/websocket"

	"github.com/mkctl/mkctl/internal/safego"
)

// The streaming API (API-NOTES §17, sample 98): a websocket on any path,
// authenticated by "Authorization: Bearer" or ?i=, carrying JSON frames
// {"type","body"}. The emulator serves the main and drive channels with
// the events a change made through its API sends on the real server:
//
//	i/update                → main meUpdated (MeDetailed)
//	following/create        → main follow (followee, UserDetailedNotMe) and,
//	                          to the followee, main followed (UserLite)
//	following/delete        → main unfollow (UserDetailedNotMe)
//	drive/files/create      → main driveFileCreated and drive fileCreated
//	drive/files/update      → drive fileUpdated
//	drive/files/delete      → drive fileDeleted (the id only)
//	drive/folders/create    → drive folderCreated
//	drive/folders/update    → drive folderUpdated
//	drive/folders/delete    → drive folderDeleted (the id only)
//
// and, like the real server, nothing for i/pin and i/unpin, antennas, lists,
// mutes, blocks or webhooks. Refused connects (an unknown channel, a
// credential channel on an anonymous socket) get no answer at all; a
// second connect to a shared channel gets none either, but is not refused.
// Notifications are not emulated.

// streamQueue bounds the frames waiting for a slow client; a client that
// falls this far behind is disconnected (it must reconnect and re-read).
const streamQueue = 256

type streamConn struct {
	userID string
	out    chan []byte
	mu     sync.Mutex
	subs   map[string][]string // channel name → the ids the client gave it, first first
	closed bool
}

type streamHub struct {
	mu    sync.Mutex
	conns map[*streamConn]bool
}

// isWebsocketUpgrade: the real server upgrades whatever the path.
func isWebsocketUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

func (e *Emulator) serveStreaming(w http.ResponseWriter, r *http.Request) {
	token := bearerToken(r)
	if q := r.URL.Query(); token == nil && q.Has("i") {
		t := q.Get("i")
		token = &t
	}
	userID := ""
	if token != nil {
		e.mu.Lock()
		me, tok, apiErr := e.authenticate(token)
		status := 0
		switch {
		case apiErr != nil, tok != nil && !tok.allows("read:account"):
			status = http.StatusUnauthorized
		case me.IsSuspended:
			status = http.StatusForbidden
		default:
			userID = me.ID
		}
		e.mu.Unlock()
		if status != 0 {
			if status == http.StatusUnauthorized {
				w.Header().Set("WWW-Authenticate", `Bearer realm="Misskey", error="invalid_token", error_description="Failed to authenticate"`)
			}
			w.WriteHeader(status)
			e.logRequest(LoggedRequest{Endpoint: "streaming", Status: status})
			return
		}
	}
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return // Accept answered the client
	}
	e.logRequest(LoggedRequest{Endpoint: "streaming", Status: http.StatusSwitchingProtocols})
	sc := &streamConn{userID: userID, out: make(chan []byte, streamQueue), subs: map[string][]string{}}
	e.hub.add(sc)
	ctx, cancel := context.WithCancel(r.Context())
	defer func() {
		cancel()
		e.hub.remove(sc)
		conn.CloseNow()
	}()
	go func() {
		defer cancel()
		// The emulator serves in the user's process (mkctl sandbox
		// serve): a panic here would end it. It ends this connection.
		_ = safego.Call("emulator streaming writer", func() error {
			for {
				select {
				case <-ctx.Done():
					return nil
				case msg, ok := <-sc.out:
					if !ok {
						return nil // dropped as too slow
					}
					if conn.Write(ctx, websocket.MessageText, msg) != nil {
						return nil
					}
				}
			}
		})
	}()
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			return
		}
		var f struct {
			Type string `json:"type"`
			Body struct {
				Channel string `json:"channel"`
				ID      string `json:"id"`
				Pong    bool   `json:"pong"`
			} `json:"body"`
		}
		if json.Unmarshal(data, &f) != nil || f.Type != "connect" {
			continue // disconnect does not stop main/drive events (no dispose)
		}
		ch := f.Body.Channel
		if (ch != "main" && ch != "drive") || userID == "" {
			continue // refused silently
		}
		// A second connect to a shared channel (main, drive) gets no
		// "connected", yet it is not refused: every event of the channel
		// then comes once per id (verified against the real server).
		sc.mu.Lock()
		again := len(sc.subs[ch]) > 0
		sc.subs[ch] = append(sc.subs[ch], f.Body.ID)
		sc.mu.Unlock()
		if !again && f.Body.Pong {
			sc.send(map[string]any{"type": "connected", "body": map[string]any{"id": f.Body.ID}})
		}
	}
}

func (sc *streamConn) send(frame any) {
	data, err := json.Marshal(frame)
	if err != nil {
		return
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed {
		return
	}
	select {
	case sc.out <- data:
	default:
		sc.drop()
	}
}

// drop ends the connection's writer (it closes the socket) once: for a
// client too slow to keep up, or every client at DropStreams. The caller
// holds sc.mu.
func (sc *streamConn) drop() {
	if !sc.closed {
		sc.closed = true
		close(sc.out)
	}
}

func (h *streamHub) add(sc *streamConn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.conns == nil {
		h.conns = map[*streamConn]bool{}
	}
	h.conns[sc] = true
}

func (h *streamHub) remove(sc *streamConn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.conns, sc)
}

// emit sends a channel event to every connection of userID subscribed to
// channel. Payloads are packed by the caller under e.mu, as the server
// packs them when the change happens.
func (h *streamHub) emit(userID, channel, typ string, body any) {
	h.mu.Lock()
	var targets []*streamConn
	for sc := range h.conns {
		if sc.userID == userID {
			targets = append(targets, sc)
		}
	}
	h.mu.Unlock()
	for _, sc := range targets {
		sc.mu.Lock()
		ids := slices.Clone(sc.subs[channel])
		sc.mu.Unlock()
		for _, id := range ids {
			sc.send(map[string]any{"type": "channel", "body": map[string]any{"id": id, "type": typ, "body": body}})
		}
	}
}

// DropStreams closes every streaming connection, as a server restart or
// a proxy timeout would: clients must reconnect.
func (e *Emulator) DropStreams() {
	e.hub.mu.Lock()
	conns := e.hub.conns
	e.hub.conns = nil
	e.hub.mu.Unlock()
	for sc := range conns {
		sc.mu.Lock()
		sc.drop()
		sc.mu.Unlock()
	}
}

// StreamClients is how many streaming connections userID has open.
func (e *Emulator) StreamClients(userID string) int {
	e.hub.mu.Lock()
	defer e.hub.mu.Unlock()
	n := 0
	for sc := range e.hub.conns {
		if sc.userID == userID {
			n++
		}
	}
	return n
}

// publish sends the streaming events of a successful call. The caller
// holds e.mu; result is what the endpoint answered.
func (e *Emulator) publish(c *call, result any) {
	if c.me == nil {
		return
	}
	me := e.st.user(c.me.ID)
	if me == nil {
		return
	}
	switch c.ep.Name {
	case "i/update":
		e.hub.emit(me.ID, "main", "meUpdated", e.packDetailed(me, packOpts{me: me, includeSecrets: c.native()}))
	case "following/create":
		id, _ := c.str("userId")
		followee := e.st.user(id)
		if followee == nil || e.st.followingOf(me.ID, followee.ID) == nil {
			return // a follow request: no follow event yet
		}
		e.hub.emit(me.ID, "main", "follow", e.packDetailed(followee, packOpts{me: me}))
		e.hub.emit(followee.ID, "main", "followed", e.packLite(me))
	case "following/delete":
		id, _ := c.str("userId")
		if followee := e.st.user(id); followee != nil {
			e.hub.emit(me.ID, "main", "unfollow", e.packDetailed(followee, packOpts{me: me}))
		}
	case "drive/files/create":
		e.hub.emit(me.ID, "main", "driveFileCreated", result)
		e.hub.emit(me.ID, "drive", "fileCreated", result)
	case "drive/files/update":
		e.hub.emit(me.ID, "drive", "fileUpdated", result)
	case "drive/files/delete":
		id, _ := c.str("fileId")
		e.hub.emit(me.ID, "drive", "fileDeleted", id)
	case "drive/folders/create":
		e.hub.emit(me.ID, "drive", "folderCreated", result)
	case "drive/folders/update":
		e.hub.emit(me.ID, "drive", "folderUpdated", result)
	case "drive/folders/delete":
		id, _ := c.str("folderId")
		e.hub.emit(me.ID, "drive", "folderDeleted", id)
	}
}
