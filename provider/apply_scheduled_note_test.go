package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

func scheduledAcct(text string, at time.Time) *schema.Account {
	return account(func(a *schema.Account) {
		a.ScheduledNotes = []*schema.ScheduledNote{{PinnedNote: schema.PinnedNote{Label: "xmas", Text: text, Visibility: "public"}, At: at, AtText: at.Format(time.RFC3339)}}
	})
}

// planLive reads alice's account and plans it, as `mkctl plan` does.
func (env *emuEnv) planLive(t *testing.T, acct *schema.Account) (*planner.AccountPlan, *planner.Live) {
	t.Helper()
	live, err := ReadAccount(context.Background(), env.c, acct)
	if err != nil {
		t.Fatal(err)
	}
	ap, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() {
		t.Fatalf("plan: %v", diags)
	}
	return ap, live
}

func scheduledDrafts(t *testing.T, env *emuEnv) []apiDraft {
	t.Helper()
	var rows []apiDraft
	if err := env.c.Read(context.Background(), "notes/drafts/list", map[string]any{"scheduled": true}, &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

// The whole life of a scheduled note on the emulator with a fake clock:
// scheduled, updated (still scheduled: the trap is avoided), posted by the
// server when its clock reaches the time, then reported as posted with
// the note's id and never posted again.
func TestScheduledNoteLifecycle(t *testing.T) {
	env := newEmuEnv(t)
	ctx := context.Background()
	at := env.clock.Now().Add(2 * time.Hour)

	ap, _ := env.planLive(t, scheduledAcct("Merry", at))
	if len(ap.Changes) != 1 || ap.Changes[0].Action != planner.ActionCreate {
		t.Fatalf("plan %v", ap.Changes)
	}
	if _, err := Apply(ctx, env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	ap, _ = env.planLive(t, scheduledAcct("Merry Christmas", at))
	if len(ap.Changes) != 1 || ap.Changes[0].Action != planner.ActionUpdate {
		t.Fatalf("plan %v", ap.Changes)
	}
	if _, err := Apply(ctx, env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	ds := scheduledDrafts(t, env)
	if len(ds) != 1 || ds[0].Text == nil || *ds[0].Text != "Merry Christmas" || ds[0].ScheduledAt == nil || *ds[0].ScheduledAt != at.UnixMilli() || !ds[0].IsActuallyScheduled {
		t.Fatalf("drafts after the update %+v: the draft must stay scheduled at its time", ds)
	}
	draftID := ds[0].ID

	env.clock.Advance(2*time.Hour + time.Second)
	env.resetCounts()
	ap, live := env.planLive(t, scheduledAcct("Merry Christmas", at))
	if len(ap.Changes) != 0 || len(ap.Adopt) != 1 {
		t.Fatalf("after its time: changes %v adopt %v", ap.Changes, ap.Adopt)
	}
	noteID, ok := live.ScheduledNoteID("xmas")
	if !ok || noteID == draftID || ap.Adopt[0].ID != noteID {
		t.Fatalf("posted note id %q (%v), adopt %+v", noteID, ok, ap.Adopt)
	}
	if env.count("users/notes") != 1 {
		t.Errorf("users/notes %d times, want 1", env.count("users/notes"))
	}
	if _, err := Apply(ctx, env.c, ap, nil); err != nil {
		t.Fatal(err)
	}
	env.resetCounts()
	ap, live = env.planLive(t, scheduledAcct("Merry Christmas", at))
	if len(ap.Changes) != 0 || len(ap.Adopt) != 0 || len(ap.Forget) != 0 {
		t.Fatalf("plan after recording: %v %v %v", ap.Changes, ap.Adopt, ap.Forget)
	}
	if id, _ := live.ScheduledNoteID("xmas"); id != noteID || env.count("users/notes") != 0 {
		t.Errorf("recorded note id %q, users/notes %d", id, env.count("users/notes"))
	}
	// A plan of scheduled notes costs `i`, the record and one page of drafts.
	if env.total() != 3 || env.count("notes/drafts/list") != 1 {
		t.Errorf("plan requests %v, want i, the record and notes/drafts/list", env.counts)
	}
	if n := len(env.emu.NotesOf(env.me.ID)); n != 1 {
		t.Errorf("%d notes, want the one Misskey posted", n)
	}
}

// A create or update whose time has passed since the plan is refused
// without a request; Misskey's limit errors carry what to do.
func TestScheduledNoteApplyRefusals(t *testing.T) {
	env := newEmuEnv(t)
	ctx := context.Background()
	at := env.clock.Now().Add(time.Minute)
	ap, _ := env.planLive(t, scheduledAcct("Merry", at))
	env.clock.Advance(2 * time.Minute)
	env.resetCounts()
	_, err := Apply(ctx, env.c, ap, nil)
	if err == nil || !strings.Contains(err.Error(), "has passed since the plan was made") {
		t.Fatalf("err %v", err)
	}
	if env.count("notes/drafts/create") != 0 {
		t.Error("the draft was sent anyway")
	}

	// A hand-made scheduled draft takes the only slot after the plan.
	at = env.clock.Now().Add(time.Hour)
	ap, _ = env.planLive(t, scheduledAcct("Merry", at))
	if err := env.c.Write(ctx, "notes/drafts/create", map[string]any{"text": "mine", "scheduledAt": at.UnixMilli(), "isActuallyScheduled": true}, nil); err != nil {
		t.Fatal(err)
	}
	_, err = Apply(ctx, env.c, ap, nil)
	if err == nil || !strings.Contains(err.Error(), "TOO_MANY_SCHEDULED_NOTES") || !strings.Contains(err.Error(), "scheduledNoteLimit") {
		t.Fatalf("err %v", err)
	}
}
