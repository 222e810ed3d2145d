package emulator

import "fmt"

// ViolationKind says what a client did wrong.
type ViolationKind string

const (
	// ViolationUnknownParam: a parameter the endpoint does not know. The
	// real server silently ignores it, so a typo would go unnoticed.
	ViolationUnknownParam ViolationKind = "unknown-parameter"
	// ViolationInvalidParam: the body breaks the endpoint's schema (the
	// server's INVALID_PARAM).
	ViolationInvalidParam ViolationKind = "invalid-parameter"
	// ViolationUnknownEndpoint: no such endpoint in the real API.
	ViolationUnknownEndpoint ViolationKind = "unknown-endpoint"
	// ViolationNotImplemented: a real endpoint the emulator does not serve.
	ViolationNotImplemented ViolationKind = "not-implemented"
	// ViolationBadRequest: a request the server would refuse before any
	// endpoint code runs (GET, a body that is not JSON, a token that is
	// not a string, …).
	ViolationBadRequest ViolationKind = "bad-request"
)

// Violation is one request that broke the API contract. Body is the request
// body without the token.
type Violation struct {
	Endpoint string
	Kind     ViolationKind
	Param    string // JSON-schema path, for parameter violations
	Reason   string
	Body     map[string]any
}

func (v Violation) String() string {
	if v.Param != "" && v.Kind != ViolationUnknownParam {
		return fmt.Sprintf("%s: %s: %s: %s", v.Endpoint, v.Kind, v.Param, v.Reason)
	}
	return fmt.Sprintf("%s: %s: %s", v.Endpoint, v.Kind, v.Reason)
}

func (e *Emulator) violation(v Violation) {
	e.logMu.Lock()
	e.violations = append(e.violations, v)
	e.logMu.Unlock()
}

// Violations returns the violations recorded so far, oldest first.
func (e *Emulator) Violations() []Violation {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	return append([]Violation(nil), e.violations...)
}

// ResetViolations forgets the recorded violations, e.g. after a test that
// provokes one on purpose.
func (e *Emulator) ResetViolations() {
	e.logMu.Lock()
	e.violations = nil
	e.logMu.Unlock()
}

// TB is the part of testing.TB that AssertNoViolations needs, so that this
// package does not import testing into non-test code.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// AssertNoViolations fails the test once for every recorded violation.
// Call it at the end of any test that drives the emulator, typically with
// t.Cleanup(func() { emu.AssertNoViolations(t) }).
func (e *Emulator) AssertNoViolations(t TB) {
	t.Helper()
	for _, v := range e.Violations() {
		t.Errorf("Misskey emulator: %s", v)
	}
}
