package provider

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider/emulator"
)

// laggingUnpin plays the real server's i/unpin, which answers before the
// pin is deleted (API-NOTES §2): the first `lag` i/unpin calls are answered
// at once and take effect only after the next request has been served.
type laggingUnpin struct {
	next    http.RoundTripper
	mu      sync.Mutex
	lag     int
	delayed *http.Request
}

func (l *laggingUnpin) RoundTrip(req *http.Request) (*http.Response, error) {
	l.mu.Lock()
	if strings.HasSuffix(req.URL.Path, "/api/i/unpin") && l.lag > 0 {
		l.lag--
		body, err := io.ReadAll(req.Body)
		if err != nil {
			l.mu.Unlock()
			return nil, err
		}
		d := req.Clone(context.Background())
		d.Body = io.NopCloser(bytes.NewReader(body))
		l.delayed = d
		l.mu.Unlock()
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader("{}")), Request: req}, nil
	}
	delayed := l.delayed
	l.delayed = nil
	l.mu.Unlock()
	resp, err := l.next.RoundTrip(req)
	if delayed != nil {
		if r, derr := l.next.RoundTrip(delayed); derr == nil {
			r.Body.Close()
		}
	}
	return resp, err
}

func lagUnpins(env *emuEnv, n int) {
	hc := *env.c.hc
	hc.Transport = &laggingUnpin{next: hc.Transport, lag: n}
	env.c.hc = &hc
}

// pinned seeds notes pinned so that the first is on top.
func seedPinned(t *testing.T, env *emuEnv, texts ...string) []string {
	t.Helper()
	ids := make([]string, len(texts))
	for i, text := range texts {
		ids[i] = env.emu.CreateNote(env.me.ID, text)
	}
	for i := len(ids) - 1; i >= 0; i-- {
		if err := env.emu.PinNote(env.me.ID, ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

func repin(key, id string) *planner.Change {
	return &planner.Change{Type: planner.TypePinnedNote, Action: planner.ActionUpdate, Key: key, ID: id}
}

// A re-pin pins a recorded note that is not pinned any more: its i/unpin
// succeeds without effect.
func TestApplyRepinUnpinnedNote(t *testing.T) {
	env := newEmuEnv(t)
	ids := seedPinned(t, env, "top")
	u := env.emu.CreateNote(env.me.ID, "unpinned by hand")
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{"pinned_note.u": {ID: u}}})
	if _, err := Apply(context.Background(), env.c, env.plan(repin("pinned_note.u", u)), nil); err != nil {
		t.Fatal(err)
	}
	if got := env.emu.PinnedNoteIDs(env.me.ID); !reflect.DeepEqual(got, []string{u, ids[0]}) {
		t.Errorf("pinned = %v", got)
	}
}

// The real server answers i/unpin before the pin is gone, so the i/pin
// right after it may meet the old pin: ALREADY_PINNED, or at the pin limit
// PIN_LIMIT_EXCEEDED (checked first). Unpin and pin again once.
func TestApplyRepinAfterLaggingUnpin(t *testing.T) {
	for _, tc := range []struct {
		name     string
		pinLimit int
		refusal  string
	}{
		{"already pinned", 5, "ALREADY_PINNED"},
		{"at the pin limit", 2, "PIN_LIMIT_EXCEEDED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newEmuEnv(t)
			env.emu.SetPolicy(env.me.ID, "pinLimit", tc.pinLimit)
			ids := seedPinned(t, env, "a", "b")
			env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{"pinned_note.b": {ID: ids[1]}}})
			env.emu.ResetRequests()
			lagUnpins(env, 1)
			if _, err := Apply(context.Background(), env.c, env.plan(repin("pinned_note.b", ids[1])), nil); err != nil {
				t.Fatal(err)
			}
			if got := env.emu.PinnedNoteIDs(env.me.ID); !reflect.DeepEqual(got, []string{ids[1], ids[0]}) {
				t.Errorf("pinned = %v, want b on top", got)
			}
			var refused []string
			for _, r := range env.emu.Requests() {
				if r.Endpoint == "i/pin" && r.Status != 200 {
					refused = append(refused, r.Endpoint)
				}
			}
			if len(refused) != 1 {
				t.Errorf("refused pins = %v, want one (%s)", refused, tc.refusal)
			}
			env.emu.ResetViolations()
		})
	}
}

func replaceChange(key, oldID, text string) *planner.Change {
	content := map[string]any{"text": text, "visibility": "public", "localOnly": false}
	return &planner.Change{Type: planner.TypePinnedNote, Action: planner.ActionReplace, Key: key, ID: oldID,
		After: content, Applied: content}
}

// A replace keeps the old note in the record under a retiring key from the
// write that points the key at the new note until the old note is gone, so
// an apply stopped in between leaves the next plan something to finish.
func TestApplyReplaceKeepsRetiringEntry(t *testing.T) {
	env := newEmuEnv(t)
	old := seedPinned(t, env, "old")[0]
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{
		"pinned_note.a": {ID: old, Applied: map[string]any{"text": "old"}}}})
	env.resetCounts()
	// notes/delete is retried (Client.Delete): it fails for good only when
	// every try does.
	for range 1 + defaultMaxRetries {
		env.emu.FailNext("notes/delete", emulator.FaultBeforeExecute)
	}
	_, err := Apply(context.Background(), env.c, env.plan(replaceChange("pinned_note.a", old, "new")), nil)
	if err == nil || !strings.Contains(err.Error(), "removing the old note "+old+" failed") {
		t.Fatalf("err = %v", err)
	}
	pinned := env.emu.PinnedNoteIDs(env.me.ID)
	if len(pinned) != 1 || pinned[0] == old {
		t.Fatalf("pinned = %v, want only the new note", pinned)
	}
	rec := env.record(t)
	retiring := "pinned_note.a~" + old
	if rec.Objects["pinned_note.a"].ID != pinned[0] || rec.Objects[retiring].ID != old || rec.Objects[retiring].Applied != nil {
		t.Errorf("record = %+v", rec.Objects)
	}
	// The intent, then the new note with the retiring entry, in one write.
	if n := env.count("i/registry/set"); n != 2 {
		t.Errorf("%d record writes, want 2", n)
	}

	// The next plan deletes the retiring note.
	del := &planner.Change{Type: planner.TypePinnedNote, Action: planner.ActionDelete, Key: retiring, ID: old}
	if _, err := Apply(context.Background(), env.c, env.plan(del), nil); err != nil {
		t.Fatal(err)
	}
	if n := len(env.emu.NotesOf(env.me.ID)); n != 1 {
		t.Errorf("%d notes, want only the new one", n)
	}
	if got := recordKeys(env.record(t)); !reflect.DeepEqual(got, []string{"pinned_note.a"}) {
		t.Errorf("record = %v", got)
	}
}

// A completed replace leaves no retiring entry; the old note is deleted.
func TestApplyReplaceCompletes(t *testing.T) {
	env := newEmuEnv(t)
	old := seedPinned(t, env, "old")[0]
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{"pinned_note.a": {ID: old}}})
	env.resetCounts()
	if _, err := Apply(context.Background(), env.c, env.plan(replaceChange("pinned_note.a", old, "new")), nil); err != nil {
		t.Fatal(err)
	}
	if got := recordKeys(env.record(t)); !reflect.DeepEqual(got, []string{"pinned_note.a"}) {
		t.Errorf("record = %v", got)
	}
	if notes := env.emu.NotesOf(env.me.ID); len(notes) != 1 || *notes[0].Text != "new" {
		t.Errorf("notes = %d", len(notes))
	}
	// Intent; new note and retiring entry; retiring entry gone.
	if n := env.count("i/registry/set"); n != 3 {
		t.Errorf("%d record writes, want 3", n)
	}
}

// keepOld: the old note was adopted, not posted by mkctl. It is only
// unpinned, never deleted; while it retires, its entry says it was adopted,
// so the next plan also only unpins it. keepOld is not sent to Misskey.
func TestApplyReplaceKeepOld(t *testing.T) {
	env := newEmuEnv(t)
	old := seedPinned(t, env, "someone's words")[0]
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{
		"pinned_note.a": {ID: old, Applied: map[string]any{"adopted": true}}}})
	ch := replaceChange("pinned_note.a", old, "new")
	ch.After["keepOld"] = true
	env.emu.FailNext("i/unpin", emulator.FaultBeforeExecute)
	if _, err := Apply(context.Background(), env.c, env.plan(ch), nil); err == nil {
		t.Fatal("no error")
	}
	retiring := env.record(t).Objects["pinned_note.a~"+old]
	if retiring.ID != old || !reflect.DeepEqual(retiring.Applied, map[string]any{"adopted": true}) {
		t.Errorf("retiring entry = %+v", retiring)
	}

	// The next plan finishes it: the retiring entry is adopted, so it only
	// unpins the note (keepNote), as the planner's delete says.
	env.resetCounts()
	del := &planner.Change{Type: planner.TypePinnedNote, Action: planner.ActionDelete, Key: "pinned_note.a~" + old, ID: old,
		After: map[string]any{"keepNote": true}}
	if _, err := Apply(context.Background(), env.c, env.plan(del), nil); err != nil {
		t.Fatal(err)
	}
	if env.count("notes/delete") != 0 || env.count("notes/create") != 0 {
		t.Errorf("requests = %v", env.counts)
	}
	texts := map[string]bool{}
	for _, n := range env.emu.NotesOf(env.me.ID) {
		texts[*n.Text] = true
	}
	if !texts["someone's words"] || !texts["new"] || len(texts) != 2 {
		t.Errorf("notes = %v", texts)
	}
	if got := noteTexts(t, env, env.emu.PinnedNoteIDs(env.me.ID)); !reflect.DeepEqual(got, []string{"new"}) {
		t.Errorf("pinned = %v", got)
	}
	if got := recordKeys(env.record(t)); !reflect.DeepEqual(got, []string{"pinned_note.a"}) {
		t.Errorf("record = %v", got)
	}
	for _, r := range env.emu.Requests() {
		if _, sent := r.Body["keepOld"]; sent {
			t.Errorf("%s was sent keepOld", r.Endpoint)
		}
	}
}

// keepOld on a replace that runs through: the old note is unpinned and
// kept, and nothing retires any more.
func TestApplyReplaceKeepOldCompletes(t *testing.T) {
	env := newEmuEnv(t)
	old := seedPinned(t, env, "someone's words")[0]
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{
		"pinned_note.a": {ID: old, Applied: map[string]any{"adopted": true}}}})
	ch := replaceChange("pinned_note.a", old, "new")
	ch.After["keepOld"] = true
	env.resetCounts()
	if _, err := Apply(context.Background(), env.c, env.plan(ch), nil); err != nil {
		t.Fatal(err)
	}
	if env.count("notes/delete") != 0 || len(env.emu.NotesOf(env.me.ID)) != 2 {
		t.Errorf("requests = %v, %d notes", env.counts, len(env.emu.NotesOf(env.me.ID)))
	}
	if got := noteTexts(t, env, env.emu.PinnedNoteIDs(env.me.ID)); !reflect.DeepEqual(got, []string{"new"}) {
		t.Errorf("pinned = %v", got)
	}
	if got := recordKeys(env.record(t)); !reflect.DeepEqual(got, []string{"pinned_note.a"}) {
		t.Errorf("record = %v", got)
	}
}
