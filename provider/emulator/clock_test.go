package emulator

import (
	"testing"
	"time"
)

func TestFakeClock(t *testing.T) {
	start := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	c := NewFakeClock(start)
	c.Advance(time.Hour)
	if got := c.Now(); !got.Equal(start.Add(time.Hour)) {
		t.Errorf("after Advance(1h): %v", got)
	}
	c.Advance(-time.Minute)
	if got := c.Now(); !got.Equal(start.Add(time.Hour)) {
		t.Errorf("a negative Advance moved the clock to %v", got)
	}
}

func TestIDsAreAidxAndOrdered(t *testing.T) {
	g := idGen{Node: "vr92"}
	at := time.Date(2026, 11, 26, 12, 7, 2, 651e6, time.UTC)
	id := g.next(at)
	// Sample 01's user was created at 12:07:02.651Z with id au12na4bvr920004.
	if id[:8] != "au12na4b" || id[8:12] != "vr92" || len(id) != 16 {
		t.Errorf("id %q, want au12na4b + vr92 + counter", id)
	}
	prev := id
	for i := 0; i < 100; i++ {
		next := g.next(at) // same millisecond: the counter orders them
		if next <= prev {
			t.Fatalf("%q after %q", next, prev)
		}
		prev = next
	}
	if later := g.next(at.Add(time.Millisecond)); later <= prev {
		t.Errorf("%q after %q", later, prev)
	}
}
