package provider

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// A lease whose apply was killed (it stops renewing) lapses after its TTL,
// judged by the server's clock; until then a second claimant is refused
// and told who holds it. Uncontended, taking the lease costs 4 requests
// and releasing it 1.
func TestLockLapsesAndCounts(t *testing.T) {
	env := newEmuEnv(t)
	ctx := context.Background()
	env.resetCounts()
	first, err := Acquire(ctx, env.c, "@alice", LockInfo{Host: "h1", PID: 1}, LockOptions{TTL: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if n := env.total(); n != 4 {
		t.Errorf("taking a free lease cost %d requests, want 4 (%v)", n, env.counts)
	}
	// "Kill" the holder: stop its renewals without removing the claim.
	close(first.stop)
	<-first.done
	env.clock.Advance(time.Second)

	_, err = Acquire(ctx, env.c, "@alice", LockInfo{Host: "h2", PID: 2}, LockOptions{TTL: time.Hour})
	var held *LockHeldError
	if !errors.As(err, &held) || held.Holder.Info.Host != "h1" || !strings.Contains(err.Error(), "on h1 (pid 1)") {
		t.Fatalf("second claim while held: %v", err)
	}
	if cl, _ := Claims(ctx, env.c); len(cl) != 1 {
		t.Fatalf("the refused claimant left its claim: %+v", cl)
	}
	env.clock.Advance(time.Hour + time.Second)
	second, err := Acquire(ctx, env.c, "@alice", LockInfo{Host: "h3", PID: 3}, LockOptions{TTL: time.Hour})
	if err != nil {
		t.Fatalf("after the TTL the lapsed lease still blocks: %v", err)
	}
	env.resetCounts()
	if err := second.Release(); err != nil {
		t.Fatal(err)
	}
	if n := env.count("i/registry/remove"); n != 1 {
		t.Errorf("release: %d removes", n)
	}
}

// A lease is renewed while its apply runs (a long rate-limit wait must not
// let it lapse): the renewal keeps its place in the queue (Since).
func TestLockRenews(t *testing.T) {
	env := newEmuEnv(t)
	ctx := context.Background()
	l, err := Acquire(ctx, env.c, "@alice", LockInfo{Host: "h1"}, LockOptions{TTL: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	since := l.info.Since
	for range 3 {
		env.clock.Advance(200 * time.Millisecond) // the server's clock runs on
		time.Sleep(150 * time.Millisecond)        // renewals every 100 ms of real time
	}
	cl, err := Claims(ctx, env.c)
	if err != nil || len(cl) != 1 {
		t.Fatalf("claims %+v, %v", cl, err)
	}
	if cl[0].UpdatedAt.Sub(cl[0].Since) < 300*time.Millisecond || cl[0].Info.Since != since {
		t.Errorf("not renewed, or renewal moved its place: %+v (since %s)", cl[0], since)
	}
	if _, err := Acquire(ctx, env.c, "@alice", LockInfo{Host: "h2"}, LockOptions{TTL: 300 * time.Millisecond}); err == nil {
		t.Fatal("a renewed lease was taken over")
	}
}
