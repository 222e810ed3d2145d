// Package safego runs goroutines whose panic becomes an ordinary error of
// the call that started them. A recover in the caller cannot catch a panic
// in another goroutine: without this, a bug in one concurrent reader would
// end `mkctl plan` (and a long-running `mkctl watch`) with a Go stack trace
// instead of an error message and exit code 1.
package safego

import (
	"context"
	"fmt"
	"runtime/debug"

	"golang.org/x/sync/errgroup"
)

// PanicError is a recovered panic: a bug in mkctl. Error() is short and
// says where (Step) and what to do; Stack is for a debug log only
// (MKCTL_LOG=debug), never for the ordinary output.
type PanicError struct {
	Step  string // what was running: an endpoint, a reader, a command
	Value any
	Stack []byte
}

// ReportHint is what a user is asked to do about an internal error.
const ReportHint = "a bug in mkctl: please report it at https://github.com/mkctl/mkctl/issues, with the stack MKCTL_LOG=debug prints"

func (e *PanicError) Error() string {
	if e.Step == "" {
		return fmt.Sprintf("internal error: %v (%s)", e.Value, ReportHint)
	}
	return fmt.Sprintf("internal error in %s: %v (%s)", e.Step, e.Value, ReportHint)
}

// Unwrap exposes a panic with an error value (a runtime error, say) to
// errors.Is/As.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// Recover turns a panic into a *PanicError stored in *errp. It must be
// deferred directly: defer safego.Recover(&err, "users/following").
func Recover(errp *error, step string) {
	if v := recover(); v != nil {
		*errp = &PanicError{Step: step, Value: v, Stack: debug.Stack()}
	}
}

// Call runs f, returning its panic as a *PanicError.
func Call(step string, f func() error) (err error) {
	defer Recover(&err, step)
	return f()
}

// Go runs f in a new goroutine; a panic in it is handed to done as a
// *PanicError, like f's own error. done runs exactly once.
func Go(step string, f func() error, done func(error)) {
	go func() { done(Call(step, f)) }()
}

// Group is an errgroup.Group whose goroutines' panics become the group's
// error (the first error cancels the group's context, as with errgroup),
// so Wait returns them to the caller instead of the process crashing.
type Group struct {
	g    *errgroup.Group
	step string
}

// New is a Group without a context; step names what its goroutines do in
// an internal error.
func New(step string) *Group { return &Group{g: new(errgroup.Group), step: step} }

// WithContext is errgroup.WithContext with panics recovered.
func WithContext(ctx context.Context, step string) (*Group, context.Context) {
	g, gctx := errgroup.WithContext(ctx)
	return &Group{g: g, step: step}, gctx
}

// Go runs f in a goroutine of the group.
func (g *Group) Go(f func() error) { g.GoStep(g.step, f) }

// GoStep runs f in a goroutine of the group, naming step in its panic.
func (g *Group) GoStep(step string, f func() error) {
	g.g.Go(func() error { return Call(step, f) })
}

// SetLimit limits the goroutines running at once (errgroup.SetLimit).
func (g *Group) SetLimit(n int) { g.g.SetLimit(n) }

// Wait waits for the group's goroutines and returns the first error.
func (g *Group) Wait() error { return g.g.Wait() }
