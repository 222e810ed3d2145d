package cmd

import (
	"context"
	"errors"
	"fmt"
)

// Exit codes. With --detailed-exitcode, plan exits 2 when there are changes.
const (
	ExitOK      = 0
	ExitError   = 1
	ExitChanges = 2
)

// exitCodeError asks Main to exit with a code without printing anything more:
// the command has already said what it had to say.
type exitCodeError struct{ code int }

func (e exitCodeError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// silentError marks an error whose details were already written (for
// example HCL diagnostics); Main prints nothing more.
type silentError struct{ err error }

func (e silentError) Error() string { return e.err.Error() }
func (e silentError) Unwrap() error { return e.err }

// exitCode is the one place that maps errors to exit codes and messages.
func exitCode(err error, io *IOStreams) int {
	if err == nil {
		return ExitOK
	}
	var ec exitCodeError
	if errors.As(err, &ec) {
		return ec.code
	}
	var se silentError
	if errors.As(err, &se) {
		return ExitError
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(io.ErrOut, "Interrupted: stopped after the change in flight. Run the command again to finish.")
		// Other accounts may have failed for their own reasons: say so.
		if msg := err.Error(); msg != context.Canceled.Error() {
			fmt.Fprintf(io.ErrOut, "%s %s\n", io.ErrColors().Red("Error:"), msg)
		}
		return ExitError
	}
	fmt.Fprintf(io.ErrOut, "%s %s\n", io.ErrColors().Red("Error:"), err)
	for _, h := range hints(err) {
		fmt.Fprintf(io.ErrOut, "%s %s\n", io.ErrColors().Bold("Hint:"), h)
	}
	return ExitError
}

// hinter is an error that knows what the user can do about it (Misskey API
// errors do).
type hinter interface{ Hint() string }

// hints collects the distinct hints of every error in err's tree (errors
// from several accounts are joined).
func hints(err error) []string {
	var out []string
	seen := map[string]bool{}
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if h, ok := e.(hinter); ok {
			if s := h.Hint(); s != "" && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}
