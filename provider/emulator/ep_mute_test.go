package emulator

import (
	"net/http"
	"testing"
	"time"
)

// TestMuteExpiryKeptUntilSweep: an expired mute stays listed, and
// mute/create answers ALREADY_MUTING, until Misskey's checkExpiredMutings
// job (cron */5 * * * *) has run after its expiry; mute/delete of it works
// meanwhile, and a mute with a new end can then be made (what mkctl's
// unmute + mute does). Then the job removes it at the next 5-minute mark.
func TestMuteExpiryKeptUntilSweep(t *testing.T) {
	e, clock := newTestEmulator(t, Options{})
	a, b, c := e.CreateUser("a"), e.CreateUser("b"), e.CreateUser("c")
	tok := e.NativeToken(a.ID)
	// testStart is 12:00:00; the mutes end at 12:01:30.
	end := testStart.Add(90 * time.Second).UnixMilli()
	for _, u := range []*User{b, c} {
		if got := post(t, e, "mute/create", tok, map[string]any{"userId": u.ID, "expiresAt": end}); got.Status != http.StatusNoContent {
			t.Fatalf("mute/create: %d %s", got.Status, got.Body)
		}
	}
	listed := func() int { return len(post(t, e, "mute/list", tok, nil).list(t)) }

	clock.Advance(2*time.Minute + 59*time.Second) // 12:02:59, expired, no job since
	if n := listed(); n != 2 {
		t.Fatalf("after the expiry, before the job: %d mutes listed, want 2", n)
	}
	got := post(t, e, "mute/create", tok, map[string]any{"userId": b.ID})
	if code, _ := got.errorCode(t); code != "ALREADY_MUTING" {
		t.Fatalf("mute/create of an expired, listed mute: %d %s, want ALREADY_MUTING", got.Status, got.Body)
	}
	// unmute + mute with a new end: what the plan does.
	if got := post(t, e, "mute/delete", tok, map[string]any{"userId": b.ID}); got.Status != http.StatusNoContent {
		t.Fatalf("mute/delete: %d %s", got.Status, got.Body)
	}
	later := testStart.Add(time.Hour).UnixMilli()
	if got := post(t, e, "mute/create", tok, map[string]any{"userId": b.ID, "expiresAt": later}); got.Status != http.StatusNoContent {
		t.Fatalf("mute/create with a new end: %d %s", got.Status, got.Body)
	}

	clock.Advance(2 * time.Minute) // 12:04:59: still no job
	if n := listed(); n != 2 {
		t.Fatalf("at 12:04:59: %d mutes listed, want 2", n)
	}
	clock.Advance(time.Second) // 12:05:00: the job has run
	rows := post(t, e, "mute/list", tok, nil).list(t)
	if len(rows) != 1 || rows[0].(map[string]any)["muteeId"] != b.ID {
		t.Fatalf("after the 12:05 job: %v, want only b's new mute", rows)
	}
	if u := post(t, e, "users/show", tok, map[string]any{"userId": c.ID}).json(t); u["isMuted"] != false {
		t.Errorf("c is still muted after the job: %v", u["isMuted"])
	}
}
