package provider

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/provider/emulator"
)

// streamEnv is an emulator served over a real socket (a websocket needs
// one) with alice and a client holding a MiAuth token of mkctl's kinds.
func streamEnv(t *testing.T, perms []string) (*emulator.Emulator, *emulator.User, *Client, string) {
	t.Helper()
	emu := emulator.New(emulator.Options{})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	alice := emu.CreateUser("alice")
	token := emu.IssueToken(alice.ID, perms)
	c, err := NewClient(srv.URL, token)
	if err != nil {
		t.Fatal(err)
	}
	return emu, alice, c, token
}

func nextEvent(t *testing.T, s *Stream) StreamEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ev, err := s.Next(ctx)
	if err != nil {
		t.Fatalf("Next: %v", err)
	}
	return ev
}

func TestStreamEventsOfChanges(t *testing.T) {
	emu, alice, c, _ := streamEnv(t, mkctlPermissions)
	bob := emu.CreateUser("bob")
	ctx := context.Background()
	s, err := c.OpenStream(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := emu.StreamClients(alice.ID); n != 1 {
		t.Fatalf("streaming connections of alice = %d, want 1", n)
	}

	if err := c.Write(ctx, "i/update", map[string]any{"location": "Kyoto"}, nil); err != nil {
		t.Fatal(err)
	}
	ev := nextEvent(t, s)
	var me struct{ Location string }
	if ev.Channel != "main" || ev.Type != "meUpdated" || json.Unmarshal(ev.Body, &me) != nil || me.Location != "Kyoto" {
		t.Fatalf("after i/update: %s %s %s", ev.Channel, ev.Type, ev.Body)
	}

	if err := c.Write(ctx, "following/create", map[string]any{"userId": bob.ID}, nil); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, s); ev.Channel != "main" || ev.Type != "follow" || !strings.Contains(string(ev.Body), bob.ID) {
		t.Fatalf("after following/create: %s %s %s", ev.Channel, ev.Type, ev.Body)
	}
	if err := c.Write(ctx, "following/delete", map[string]any{"userId": bob.ID}, nil); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, s); ev.Type != "unfollow" {
		t.Fatalf("after following/delete: %s %s", ev.Channel, ev.Type)
	}

	var folder struct{ ID string }
	if err := c.Write(ctx, "drive/folders/create", map[string]any{"name": "w"}, &folder); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, s); ev.Channel != "drive" || ev.Type != "folderCreated" {
		t.Fatalf("after drive/folders/create: %s %s", ev.Channel, ev.Type)
	}
	if err := c.Write(ctx, "drive/folders/delete", map[string]any{"folderId": folder.ID}, nil); err != nil {
		t.Fatal(err)
	}
	ev = nextEvent(t, s)
	if ev.Type != "folderDeleted" || string(ev.Body) != `"`+folder.ID+`"` {
		t.Fatalf("after drive/folders/delete: %s %s", ev.Type, ev.Body)
	}

	// No event for a pin (API-NOTES §17): the next event is the one after.
	note := emu.CreateNote(alice.ID, "pinned")
	if err := c.Write(ctx, "i/pin", map[string]any{"noteId": note}, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Write(ctx, "i/update", map[string]any{"location": "Osaka"}, nil); err != nil {
		t.Fatal(err)
	}
	if ev := nextEvent(t, s); ev.Type != "meUpdated" {
		t.Fatalf("i/pin sent %s, want nothing", ev.Type)
	}
}

// The token travels in the Authorization header, never in the URL.
func TestStreamTokenInHeader(t *testing.T) {
	var seen *http.Request
	emu := emulator.New(emulator.Options{})
	alice := emu.CreateUser("alice")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Clone(r.Context())
		emu.ServeHTTP(w, r)
	}))
	defer srv.Close()
	token := emu.NativeToken(alice.ID)
	c, err := NewClient(srv.URL, token)
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.OpenStream(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if strings.Contains(seen.URL.String(), token) || seen.URL.Path != "/streaming" {
		t.Fatalf("upgrade URL %s", seen.URL)
	}
	if got := seen.Header.Get("Authorization"); got != "Bearer "+token {
		t.Fatalf("Authorization header missing")
	}
}

func TestStreamRefusals(t *testing.T) {
	emu, _, c, token := streamEnv(t, []string{"read:drive"})
	_, err := c.OpenStream(context.Background())
	var se *StreamError
	if !errors.As(err, &se) || se.Status != http.StatusUnauthorized || !se.Permanent() || !strings.Contains(err.Error(), "read:account") {
		t.Fatalf("token without read:account: %v", err)
	}
	if strings.Contains(err.Error(), token) {
		t.Fatal("the error shows the token")
	}
	if !strings.Contains(err.Error(), "`mkctl login --host ") {
		t.Fatalf("the refusal does not say how to get a token: %v", err)
	}
	bad, _ := NewClient(c.BaseURL(), strings.Repeat("x", 16))
	if _, err := bad.OpenStream(context.Background()); !errors.As(err, &se) || se.Status != http.StatusUnauthorized {
		t.Fatalf("bad token: %v", err)
	}
	_ = emu
}

// A dropped connection ends Next with an error, so the caller reconnects.
func TestStreamDropped(t *testing.T) {
	emu, _, c, _ := streamEnv(t, mkctlPermissions)
	s, err := c.OpenStream(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	emu.DropStreams()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := s.Next(ctx); err == nil || ctx.Err() != nil {
		t.Fatalf("Next after a drop: %v (ctx %v)", err, ctx.Err())
	}
}

// A refused subscription gets no answer (API-NOTES §17): OpenStream gives
// up after streamConnectTimeout and says what the token needs. An
// anonymous connection is one the server accepts and whose main connect
// it ignores.
func TestStreamSilentRefusal(t *testing.T) {
	defer func(d time.Duration) { streamConnectTimeout = d }(streamConnectTimeout)
	streamConnectTimeout = 200 * time.Millisecond
	_, _, c, _ := streamEnv(t, mkctlPermissions)
	anon, err := NewClient(c.BaseURL(), "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = anon.OpenStream(context.Background())
	var se *StreamError
	if !errors.As(err, &se) || se.Permanent() || !strings.Contains(err.Error(), "did not confirm the main and drive channel") || !strings.Contains(err.Error(), "read:account") {
		t.Fatalf("anonymous subscription: %v", err)
	}
}

// A watch reconnects for weeks: each connection's goroutines (the
// library's, the keep-alive) end with it. 50 dropped and re-opened
// connections leave no goroutine behind.
func TestStreamReconnectsLeaveNoGoroutine(t *testing.T) {
	emu, _, c, _ := streamEnv(t, mkctlPermissions)
	cycle := func(n int) {
		for range n {
			s, err := c.OpenStream(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				_, err := s.Next(ctx)
				done <- err
			}()
			emu.DropStreams()
			if err := <-done; err == nil {
				t.Fatal("Next after a drop returned no error")
			}
			s.Close()
		}
	}
	settled := func(limit int) int {
		n := runtime.NumGoroutine()
		for deadline := time.Now().Add(3 * time.Second); n > limit && time.Now().Before(deadline); n = runtime.NumGoroutine() {
			time.Sleep(10 * time.Millisecond)
		}
		return n
	}
	cycle(3) // the HTTP transport's idle connections, the server's
	time.Sleep(100 * time.Millisecond)
	before := runtime.NumGoroutine()
	cycle(50)
	if after := settled(before + 2); after > before+2 {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before 50 reconnections, %d after:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}
