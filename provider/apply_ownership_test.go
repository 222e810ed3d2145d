package provider

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider/emulator"
)

func folderCreates(names ...string) []*planner.Change {
	var out []*planner.Change
	for _, n := range names {
		out = append(out, &planner.Change{Type: planner.TypeDriveFolder, Action: planner.ActionCreate, Key: folderKey(n), After: map[string]any{"name": n}})
	}
	return out
}

func recordKeys(rec *planner.Ownership) []string {
	if rec == nil {
		return nil
	}
	var keys []string
	for k := range rec.Objects {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Pinned notes are recorded at once; other kinds in batches, and whatever
// is left when Apply returns. Read through the API at the end of each
// change, the record shows when each write happened.
func TestApplyRecordWrites(t *testing.T) {
	env := newEmuEnv(t)
	note := noteCreate("n", "hello")
	ap := env.plan(append(folderCreates("a", "b"), note, folderCreates("c")[0])...)
	var seen [][]string
	events := func(e Event) {
		if e.Phase == PhaseDone {
			seen = append(seen, recordKeys(env.record(t)))
		}
	}
	if _, err := Apply(context.Background(), env.c, ap, events); err != nil {
		t.Fatal(err)
	}
	ab := []string{folderKey("a"), folderKey("b"), "pinned_note.n"}
	want := [][]string{nil, nil, ab, ab}
	if !reflect.DeepEqual(seen, want) {
		t.Errorf("record after each change = %v, want %v", seen, want)
	}
	all := []string{folderKey("a"), folderKey("b"), folderKey("c"), "pinned_note.n"}
	if got := recordKeys(env.record(t)); !reflect.DeepEqual(got, all) {
		t.Errorf("record at the end = %v, want %v", got, all)
	}
	if !reflect.DeepEqual(recordKeys(ap.Ownership), all) {
		t.Errorf("ap.Ownership = %v", recordKeys(ap.Ownership))
	}
	// The intent, the note (with a and b), the rest at the end.
	if n := env.count("i/registry/set"); n != 3 {
		t.Errorf("%d record writes, want 3", n)
	}
}

// A failed change still leaves the batched changes before it recorded.
func TestApplyRecordsBatchOnFailure(t *testing.T) {
	env := newEmuEnv(t)
	changes := append(folderCreates("a", "b"), followChange(planner.ActionCreate, "@ghost", "9zzzzzzzzz", nil))
	_, err := Apply(context.Background(), env.c, env.plan(changes...), nil)
	if !IsCode(err, "NO_SUCH_USER") {
		t.Fatalf("err = %v", err)
	}
	if got := recordKeys(env.record(t)); !reflect.DeepEqual(got, []string{folderKey("a"), folderKey("b")}) {
		t.Errorf("record = %v", got)
	}
}

// Batched changes are written before a rate-limit wait: the wait may last
// an hour, and whoever kills mkctl meanwhile must not lose them.
func TestApplyRecordsBeforeRateLimitWait(t *testing.T) {
	env := newEmuEnv(t, withRateLimits)
	var atWait []string
	env.c.sleep = func(ctx context.Context, d time.Duration) error {
		if atWait == nil {
			atWait = recordKeys(env.record(t))
		}
		env.clock.Advance(d)
		return ctx.Err()
	}
	var names []string
	for i := range 12 {
		names = append(names, "f"+itoa(i))
	}
	if _, err := Apply(context.Background(), env.c, env.plan(folderCreates(names...)...), nil); err != nil {
		t.Fatal(err)
	}
	if len(atWait) != 10 {
		t.Errorf("record held %v when the wait began, want the 10 folders made", atWait)
	}
	// Before the wait, and at the end.
	if n := env.count("i/registry/set"); n != 2 {
		t.Errorf("%d record writes, want 2", n)
	}
}

// Only Adopt: one registry write, nothing else changes.
func TestApplyAdoptOnly(t *testing.T) {
	env := newEmuEnv(t)
	ids := env.emu.SeedFolders(env.me.ID, "", []string{"assets"})
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{"antenna.x": {ID: "a1"}}})
	env.resetCounts()
	ap := env.plan()
	ap.Adopt = []planner.Owned{{Key: folderKey("assets"), ID: ids[0]}}
	res, err := Apply(context.Background(), env.c, ap, nil)
	if err != nil || res != (Result{}) {
		t.Fatalf("res %+v err %v", res, err)
	}
	if env.count("i/registry/set") != 1 || env.total() != 3 { // i, get-detail, set
		t.Errorf("requests = %v", env.counts)
	}
	rec := env.record(t)
	if rec.Objects[folderKey("assets")].ID != ids[0] || rec.Objects["antenna.x"].ID != "a1" {
		t.Errorf("record = %+v", rec.Objects)
	}
	// Adopting again changes nothing and writes nothing.
	env.resetCounts()
	if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	if env.count("i/registry/set") != 0 {
		t.Error("rewrote an unchanged record")
	}
}

// A profile-only apply does not touch the record.
func TestApplyProfileLeavesRecordAlone(t *testing.T) {
	env := newEmuEnv(t)
	ap := env.plan(&planner.Change{Address: "account.main.profile", Type: planner.TypeProfile, Action: planner.ActionUpdate,
		Attrs: []planner.AttrChange{{Name: "name", After: "Alice"}}})
	if _, err := Apply(context.Background(), env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	if env.count("i/registry/get-detail") != 0 || env.count("i/registry/set") != 0 {
		t.Errorf("requests = %v", env.counts)
	}
}

// When the record cannot be written, the changes have still happened: the
// error says both, and the changes are counted.
func TestApplyRecordWriteFailure(t *testing.T) {
	env := newEmuEnv(t)
	for range defaultMaxRetries + 1 { // the write is retried like a read
		env.emu.FailNext("i/registry/set", emulator.FaultBeforeExecute)
	}
	res, err := Apply(context.Background(), env.c, env.plan(folderCreates("a")...), nil)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, `account.main: mkctl could not record the last 1 change(s) it made`) ||
		!strings.Contains(msg, "i/registry/set") || !strings.Contains(msg, "503") {
		t.Errorf("err = %q", msg)
	}
	if res != (Result{Added: 1}) || len(env.emu.DriveFoldersOf(env.me.ID)) != 1 {
		t.Errorf("res %+v, folders %d", res, len(env.emu.DriveFoldersOf(env.me.ID)))
	}
}

// A pinned-note change is recorded at once; when that fails the apply
// stops there, and the failed write is not tried again at the end.
func TestApplyPinnedNoteRecordWriteFailure(t *testing.T) {
	env := newEmuEnv(t)
	a := env.emu.CreateNote(env.me.ID, "a")
	if err := env.emu.PinNote(env.me.ID, a); err != nil {
		t.Fatal(err)
	}
	env.writeRecord(t, &planner.Ownership{Version: 1, Account: "account.main", Objects: map[string]planner.Owned{"pinned_note.a": {ID: a}}})
	env.resetCounts()
	for range defaultMaxRetries + 1 {
		env.emu.FailNext("i/registry/set", emulator.FaultBeforeExecute)
	}
	changes := []*planner.Change{
		{Type: planner.TypePinnedNote, Action: planner.ActionDelete, Key: "pinned_note.a", ID: a},
		folderCreates("never")[0],
	}
	res, err := Apply(context.Background(), env.c, env.plan(changes...), nil)
	if err == nil || !strings.HasPrefix(err.Error(), "account.main.pinned_note.a: the change was made, but mkctl could not record it") {
		t.Fatalf("err = %v", err)
	}
	if res != (Result{Destroyed: 1}) || len(env.emu.NotesOf(env.me.ID)) != 0 || len(env.emu.DriveFoldersOf(env.me.ID)) != 0 {
		t.Errorf("res %+v", res)
	}
	if n := env.count("i/registry/set"); n != defaultMaxRetries+1 {
		t.Errorf("%d record writes, want %d (one call and its retries)", n, defaultMaxRetries+1)
	}
}

// An interrupt between changes stops the apply after the change in flight;
// the record holds exactly the completed changes.
func TestApplyInterruptBetweenChanges(t *testing.T) {
	env := newEmuEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var events []Event
	ap := env.plan(folderCreates("a", "b", "c", "d")...)
	res, err := Apply(ctx, env.c, ap, func(e Event) {
		events = append(events, e)
		if e.Phase == PhaseStart && e.Address == `account.main.drive_folder["b"]` {
			cancel() // while b is in flight: b completes, c never starts
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !strings.Contains(err.Error(), `stopped before account.main.drive_folder["c"], 2 of 4 changes done`) {
		t.Errorf("err = %q", err)
	}
	if res != (Result{Added: 2}) || len(env.emu.DriveFoldersOf(env.me.ID)) != 2 {
		t.Errorf("res %+v, %d folders", res, len(env.emu.DriveFoldersOf(env.me.ID)))
	}
	if got := recordKeys(env.record(t)); !reflect.DeepEqual(got, []string{folderKey("a"), folderKey("b")}) {
		t.Errorf("record = %v", got)
	}
	if len(events) != 4 || events[3].Phase != PhaseDone {
		t.Errorf("events = %+v", events)
	}
}

// Rate limits: drive/folders/create allows 10 an hour. The 11th create
// waits; the wait shows its progress, and the apply then completes.
func TestApplyRateLimitWaitShowsProgress(t *testing.T) {
	env := newEmuEnv(t, withRateLimits)
	env.c.sleep = func(ctx context.Context, d time.Duration) error {
		env.rec.sleep(ctx, d)
		env.clock.Advance(d)
		return ctx.Err()
	}
	var names []string
	for i := range 11 {
		names = append(names, "f"+itoa(i))
	}
	if _, err := Apply(context.Background(), env.c, env.plan(folderCreates(names...)...), nil); err != nil {
		t.Fatal(err)
	}
	if n := len(env.emu.DriveFoldersOf(env.me.ID)); n != 11 {
		t.Fatalf("%d folders", n)
	}
	notes := env.rec.notify
	if len(notes) < 2 {
		t.Fatalf("notices = %q", notes)
	}
	first := notes[0]
	if !strings.HasPrefix(first, "rate limited on drive/folders/create; waiting 1h") ||
		!strings.HasSuffix(first, `(account.main.drive_folder["f10"]; 10 of 11 changes done)`) {
		t.Errorf("first notice = %q", first)
	}
	if notes[1] != `still waiting: 55m left (account.main.drive_folder["f10"]; 10 of 11 changes done)` {
		t.Errorf("second notice = %q", notes[1])
	}
	var total time.Duration
	for _, d := range env.rec.slept {
		if d > progressEvery {
			t.Errorf("one wait of %v, want steps of at most %v", d, progressEvery)
		}
		total += d
	}
	if total < 59*time.Minute || total > time.Hour+time.Second {
		t.Errorf("waited %v in all, want about an hour", total)
	}
}

// An interrupt during a rate-limit wait ends the wait at once.
func TestApplyInterruptDuringRateLimitWait(t *testing.T) {
	env := newEmuEnv(t, withRateLimits)
	env.c.sleep = sleepContext // the real wait: only the interrupt can end it
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	env.c.notify = func(msg string) {
		if strings.HasPrefix(msg, "rate limited") {
			once.Do(cancel)
		}
	}
	var names []string
	for i := range 12 {
		names = append(names, "f"+itoa(i))
	}
	done := make(chan struct{})
	var res Result
	var err error
	go func() {
		res, err = Apply(ctx, env.c, env.plan(folderCreates(names...)...), nil)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Apply still waiting after the interrupt")
	}
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), `drive_folder["f10"]: drive/folders/create: stopped waiting for Misskey's rate limit`) {
		t.Fatalf("err = %v", err)
	}
	if res != (Result{Added: 10}) {
		t.Errorf("res = %+v", res)
	}
	if got := len(env.record(t).Objects); got != 10 {
		t.Errorf("record holds %d folders, want 10", got)
	}
}
