package provider

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when the client sleeps (or the test
// says so).
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (f *fakeClock) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }
func (f *fakeClock) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}
func (f *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	f.slept = append(f.slept, d)
	f.now = f.now.Add(d)
	f.mu.Unlock()
	return nil
}

// notes/delete allows one call a second (meta.limit.minInterval), and
// Misskey counts the rejected second call against the hourly limit too:
// the client spaces such calls itself, so an apply deleting several notes
// is not rate limited. Other endpoints are not held back.
func TestPacingSpacesMinIntervalEndpoints(t *testing.T) {
	clock := &fakeClock{now: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	var mu sync.Mutex
	var calls []time.Time // fake time of each notes/delete arriving
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		if req.Endpoint == "notes/delete" {
			mu.Lock()
			calls = append(calls, clock.Now())
			mu.Unlock()
		}
		w.WriteHeader(http.StatusNoContent)
	})
	c, err := NewClient(fs.URL, testToken, WithSleep(clock.Sleep))
	if err != nil {
		t.Fatal(err)
	}
	c.now = clock.Now
	ctx := context.Background()
	for i := range 3 {
		if err := c.Delete(ctx, "notes/delete", map[string]any{"noteId": "n"}, nil); err != nil {
			t.Fatal(err)
		}
		if err := c.Write(ctx, "notes/create", nil, nil); err != nil { // not paced
			t.Fatal(err)
		}
		if i == 1 {
			clock.Advance(400 * time.Millisecond) // time spent elsewhere counts
		}
	}
	// A derived client (as Apply makes) shares the pacing.
	if err := c.derive(nil, nil).Delete(ctx, "notes/delete", map[string]any{"noteId": "n"}, nil); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{time.Second + paceMargin, time.Second + paceMargin - 400*time.Millisecond, time.Second + paceMargin}
	if len(clock.slept) != len(want) {
		t.Fatalf("slept %v, want %v", clock.slept, want)
	}
	for i := range want {
		if clock.slept[i] != want[i] {
			t.Errorf("slept %v, want %v", clock.slept, want)
			break
		}
	}
	for i := 1; i < len(calls); i++ {
		if gap := calls[i].Sub(calls[i-1]); gap <= time.Second {
			t.Errorf("notes/delete %d came %v after the previous one; Misskey wants more than 1s", i+1, gap)
		}
	}
}

// A pacing wait ends with the context, naming the endpoint.
func TestPacingStopsWithContext(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		w.WriteHeader(http.StatusNoContent)
	})
	clock := &fakeClock{now: time.Now()}
	c, _ := NewClient(fs.URL, testToken, WithSleep(clock.Sleep))
	c.now = clock.Now
	if err := c.Delete(context.Background(), "notes/unrenote", nil, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := c.Delete(ctx, "notes/unrenote", nil, nil)
	if !errors.Is(err, context.Canceled) || len(fs.requests("")) != 1 {
		t.Errorf("err = %v after %d calls", err, len(fs.requests("")))
	}
	// Unpaced: WithoutPacing.
	c2, _ := NewClient(fs.URL, testToken, WithSleep(clock.Sleep), WithoutPacing())
	for range 2 {
		if err := c2.Delete(context.Background(), "notes/unrenote", nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(clock.slept) != 0 {
		t.Errorf("slept %v", clock.slept)
	}
}
