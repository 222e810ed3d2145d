package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/mkctl/mkctl/internal/acctest"
)

// The streaming conformance case: the same story told over a real
// websocket to the emulator and to the real Misskey (API-NOTES §17,
// sample 98), comparing the frames each sends:
//
//   - connect main and drive with pong: true, then main a second time:
//     "connected" for the first two only, but the second main subscription
//     is not refused: every main event then comes twice, once per id;
//   - i/update → main meUpdated (MeDetailed);
//   - following/create → main follow (the followee, UserDetailedNotMe);
//   - drive/folders/create → drive folderCreated;
//   - drive/folders/delete → drive folderDeleted (the id alone);
//   - i/pin → nothing (the next frame is the next story's).
//
// Frames are compared as answers are (conformance_compare_test.go); the
// notification frames the real server also sends (not emulated) are
// skipped on both sides.

// streamSide is one server of the story.
type streamSide struct {
	base  string // http://host:port
	token string // a's native token
	call  func(t *testing.T, token, endpoint string, body map[string]any) map[string]any
	a, b  confUser
}

// streamFrames tells the story on one side and returns, in order, the
// "connected" ids and the channel frames the story caused.
func streamFrames(t *testing.T, s streamSide) (connected []string, frames []any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	h := http.Header{}
	h.Set("Authorization", "Bearer "+s.token)
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.base, "http")+"/streaming", &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatalf("%s: dial: %v", s.base, err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(8 << 20)
	send := func(v any) {
		data, _ := json.Marshal(v)
		if err := conn.Write(ctx, websocket.MessageText, data); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range [][2]string{{"main", "main-1"}, {"drive", "drive-1"}, {"main", "main-2"}} {
		send(map[string]any{"type": "connect", "body": map[string]any{"channel": c[0], "id": c[1], "params": map[string]any{}, "pong": true}})
	}
	// next reads frames until one satisfies keep (skipping
	// notifications), or until wait passes (nil).
	next := func(wait time.Duration, keep func(map[string]any) bool) map[string]any {
		rctx, cancel := context.WithTimeout(ctx, wait)
		defer cancel()
		for {
			_, data, err := conn.Read(rctx)
			if err != nil {
				if rctx.Err() != nil && ctx.Err() == nil {
					return nil
				}
				t.Fatalf("%s: read: %v", s.base, err)
			}
			var f map[string]any
			if json.Unmarshal(data, &f) != nil {
				continue
			}
			if body, _ := f["body"].(map[string]any); f["type"] == "channel" && body != nil {
				switch body["type"] {
				case "notification", "unreadNotification", "registryUpdated":
					continue
				}
			}
			if keep(f) {
				return f
			}
		}
	}
	for len(connected) < 2 {
		f := next(15*time.Second, func(f map[string]any) bool { return f["type"] == "connected" })
		if f == nil {
			t.Fatalf("%s: connected %v only", s.base, connected)
		}
		connected = append(connected, f["body"].(map[string]any)["id"].(string))
	}
	// main-2 gets no connected (neither server answers a second main), so
	// nothing proves it was handled before the story starts: give the
	// server a moment, or on a loaded machine the first calls can run
	// before main-2 is subscribed and its doubled events go missing.
	time.Sleep(500 * time.Millisecond)
	// The real server sends some events after the call has answered
	// (follow comes from a queue): each step waits for its event, and
	// every channel frame read on the way is kept.
	seen := map[string]int{}
	await := func(label string) {
		for seen[label] == 0 {
			f := next(15*time.Second, func(f map[string]any) bool { return f["type"] == "channel" })
			if f == nil {
				t.Fatalf("%s: no %s frame (have %v)", s.base, label, seen)
			}
			frames = append(frames, f)
			seen[frameLabel(f)]++
		}
		seen[label]--
	}
	s.call(t, s.token, "i/update", map[string]any{"location": "Kyoto"})
	await("channel main-1 meUpdated")
	s.call(t, s.token, "following/create", map[string]any{"userId": s.b.ID})
	await("channel main-1 follow")
	folder := s.call(t, s.token, "drive/folders/create", map[string]any{"name": "stream-conf"})
	await("channel drive-1 folderCreated")
	s.call(t, s.token, "drive/folders/delete", map[string]any{"folderId": folder["id"]})
	await("channel drive-1 folderDeleted")
	note := s.call(t, s.token, "notes/create", map[string]any{"text": "pin me"})
	s.call(t, s.token, "i/pin", map[string]any{"noteId": note["createdNote"].(map[string]any)["id"]})
	// i/pin sends nothing: the frames that follow are the i/update's
	// (the comparison of both sides' frames shows any extra one).
	s.call(t, s.token, "i/update", map[string]any{"location": "Osaka"})
	await("channel main-1 meUpdated")
	for {
		f := next(2*time.Second, func(f map[string]any) bool { return f["type"] == "channel" })
		if f == nil {
			break
		}
		frames = append(frames, f)
	}
	// Both sides' frames in one order: by channel id and type, then
	// arrival.
	sort.SliceStable(frames, func(i, j int) bool { return frameLabel(frames[i]) < frameLabel(frames[j]) })
	return connected, frames
}

func TestConformanceStreaming(t *testing.T) {
	srv := acctest.Connect(t)
	real := &realTarget{s: srv, users: map[string]*acctest.User{}}
	ra, rb := real.newUser(t, "sa"), real.newUser(t, "sb")
	realCall := func(t *testing.T, token, endpoint string, body map[string]any) map[string]any {
		var out map[string]any
		srv.Must(t, token, endpoint, body, &out)
		return out
	}

	e := New(Options{})
	hs := httptest.NewServer(e)
	defer hs.Close()
	emu := emuTarget{e}
	ea, eb := emu.newUser(t, "sa"), emu.newUser(t, "sb")
	emuCall := func(t *testing.T, token, endpoint string, body map[string]any) map[string]any {
		body["i"] = token
		data, _ := json.Marshal(body)
		resp, err := http.Post(hs.URL+"/api/"+endpoint, "application/json", bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode >= 300 {
			t.Fatalf("emulator %s: %d %v", endpoint, resp.StatusCode, out)
		}
		return out
	}

	rc, rf := streamFrames(t, streamSide{base: srv.URL, token: ra.Token, call: realCall, a: ra, b: rb})
	ec, ef := streamFrames(t, streamSide{base: hs.URL, token: ea.Token, call: emuCall, a: ea, b: eb})
	if strings.Join(rc, ",") != "main-1,drive-1" || strings.Join(ec, ",") != strings.Join(rc, ",") {
		t.Errorf("connected: real %v, emulator %v", rc, ec)
	}
	if len(ef) != len(rf) {
		var rl, el []string
		for _, f := range rf {
			rl = append(rl, frameLabel(f))
		}
		for _, f := range ef {
			el = append(el, frameLabel(f))
		}
		t.Fatalf("frames: real %v, emulator %v", rl, el)
	}
	cmp := newComparer()
	cmp.bind("a", ea.ID, ra.ID)
	cmp.bind("b", eb.ID, rb.ID)
	cmp.bind("a.username", ea.Username, ra.Username)
	cmp.bind("b.username", eb.Username, rb.Username)
	for i := range rf {
		for _, d := range cmp.compare(ef[i], rf[i]) {
			if streamDiffAllowed(d) {
				continue
			}
			t.Errorf("frame %d (%s): %s", i, frameLabel(rf[i]), d)
		}
	}
	for _, v := range e.Violations() {
		t.Errorf("emulator violation: %+v", v)
	}
}

func frameLabel(f any) string {
	m, _ := f.(map[string]any)
	b, _ := m["body"].(map[string]any)
	id, _ := b["id"].(string)
	typ, _ := b["type"].(string)
	return m["type"].(string) + " " + id + " " + typ
}

// streamDiffAllowed lists the differences that are not the emulator's
// to fix, with why.
func streamDiffAllowed(d difference) bool {
	switch {
	// The real server marks a user online once an open websocket has
	// refreshed lastActiveDate (asynchronously, after the connect); the
	// emulator tracks no activity and says "unknown" throughout.
	case strings.HasSuffix(d.Path, ".onlineStatus"):
		return true
	// Notifications are not emulated: the real server notifies the
	// follower too when a follow is made, and counts it unread.
	case strings.HasSuffix(d.Path, ".hasUnreadNotification"), strings.HasSuffix(d.Path, ".unreadNotificationsCount"):
		return true
	}
	return false
}

// TestStreamingStoryOnEmulator runs the story without a real server and
// checks the frames the real one sent (recorded by TestConformanceStreaming
// on Misskey 2026.5.4): the second main subscription doubles main's events,
// i/pin sends nothing.
func TestStreamingStoryOnEmulator(t *testing.T) {
	e := New(Options{})
	hs := httptest.NewServer(e)
	defer hs.Close()
	emu := emuTarget{e}
	a, b := emu.newUser(t, "sa"), emu.newUser(t, "sb")
	call := func(t *testing.T, token, endpoint string, body map[string]any) map[string]any {
		body["i"] = token
		data, _ := json.Marshal(body)
		resp, err := http.Post(hs.URL+"/api/"+endpoint, "application/json", bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return out
	}
	connected, frames := streamFrames(t, streamSide{base: hs.URL, token: a.Token, call: call, a: a, b: b})
	var labels []string
	for _, f := range frames {
		labels = append(labels, frameLabel(f))
	}
	want := []string{
		"channel drive-1 folderCreated", "channel drive-1 folderDeleted",
		"channel main-1 follow", "channel main-1 meUpdated", "channel main-1 meUpdated",
		"channel main-2 follow", "channel main-2 meUpdated", "channel main-2 meUpdated",
	}
	if strings.Join(connected, ",") != "main-1,drive-1" || strings.Join(labels, "\n") != strings.Join(want, "\n") {
		t.Fatalf("connected %v, frames:\n%s", connected, strings.Join(labels, "\n"))
	}
}
