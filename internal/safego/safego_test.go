package safego

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestGroupTurnsAPanicIntoTheGroupsError(t *testing.T) {
	g, ctx := WithContext(context.Background(), "users/show")
	g.Go(func() error { <-ctx.Done(); return ctx.Err() }) // stopped by the panic's error
	g.Go(func() error { var m map[string]int; m["x"]++; return nil })
	err := g.Wait()
	var pe *PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("Wait = %v, want a *PanicError", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "internal error in users/show: assignment to entry in nil map") || strings.Contains(msg, "goroutine") {
		t.Errorf("message %q", msg)
	}
	if !strings.Contains(string(pe.Stack), "safego_test.go") {
		t.Errorf("the stack does not show where: %s", pe.Stack)
	}
	var re interface{ RuntimeError() }
	if !errors.As(err, &re) {
		t.Errorf("a runtime error panic is not unwrapped: %v", err)
	}
}

func TestGoStepAndCall(t *testing.T) {
	g := New("x")
	g.GoStep("drive/files", func() error { panic(errors.New("boom")) })
	if err := g.Wait(); err == nil || !strings.Contains(err.Error(), "internal error in drive/files: boom") {
		t.Errorf("Wait = %v", err)
	}
	if err := Call("", func() error { panic(42) }); err == nil || !strings.HasPrefix(err.Error(), "internal error: 42 (") {
		t.Errorf("Call = %v", err)
	}
	want := errors.New("plain")
	if err := Call("s", func() error { return want }); err != want {
		t.Errorf("Call = %v, want the function's own error", err)
	}
	done := make(chan error)
	Go("stream", func() error { panic("p") }, func(err error) { done <- err })
	if err := <-done; err == nil || !strings.Contains(err.Error(), "internal error in stream: p") {
		t.Errorf("Go = %v", err)
	}
}
