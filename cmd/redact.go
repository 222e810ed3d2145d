package cmd

import (
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/schema"
)

// secretSet is the tokens mkctl must never print. The provider already
// scrubs the token from every answer and error; redacting at the output
// streams as well is the last line of defence for what does not pass
// through a client (a MiAuth grant, a future code path, a log line).
type secretSet struct {
	mu    sync.RWMutex
	forms []string // each token as written raw, %q-quoted and JSON-escaped; longest first
	// sensitive holds the forms of sensitive values (see addSensitive),
	// replaced by (sensitive) rather than <redacted>.
	sensitive schema.Sensitive
}

func (s *secretSet) add(token string) {
	if token == "" {
		return
	}
	forms := []string{token, strings.Trim(strconv.Quote(token), `"`)}
	if b, err := json.Marshal(token); err == nil {
		forms = append(forms, strings.Trim(string(b), `"`))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range forms {
		if !slices.Contains(s.forms, f) {
			s.forms = append(s.forms, f)
		}
	}
	// Longest first, so a token that contains another is replaced whole.
	slices.SortFunc(s.forms, func(a, b string) int { return len(b) - len(a) })
}

func (s *secretSet) redact(text string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, f := range s.forms {
		text = provider.RedactToken(text, f)
	}
	return s.sensitive.Redact(text)
}

// redactWriter writes through to w with every secret replaced. mkctl
// writes whole lines (or whole documents) per call, so a token is never
// split across two writes.
type redactWriter struct {
	w       io.Writer
	secrets *secretSet
}

func (r *redactWriter) Write(p []byte) (int, error) {
	s := string(p)
	if red := r.secrets.redact(s); red != s {
		if _, err := io.WriteString(r.w, red); err != nil {
			return 0, err
		}
		return len(p), nil // what the caller asked to write was written
	}
	return r.w.Write(p)
}

// redactOutputs makes the streams' Out and ErrOut redact the secrets added
// with addSecret, and returns the set. Calling it again changes nothing.
func redactOutputs(s *IOStreams) *secretSet {
	if rw, ok := s.Out.(*redactWriter); ok {
		if ew, ok := s.ErrOut.(*redactWriter); ok && ew.secrets == rw.secrets {
			return rw.secrets
		}
	}
	set := &secretSet{}
	s.Out = &redactWriter{w: s.Out, secrets: set}
	s.ErrOut = &redactWriter{w: s.ErrOut, secrets: set}
	return set
}

// addSecret makes mkctl's output redact token from now on.
func addSecret(s *IOStreams, token string) {
	redactOutputs(s).add(token)
}

// addEnvSecrets registers every MKCTL_TOKEN* variable's value: whichever
// account it belongs to, it must not be printed.
func addEnvSecrets(s *IOStreams, env []string) {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && strings.HasPrefix(k, "MKCTL_TOKEN") {
			addSecret(s, strings.TrimSpace(v))
		}
	}
}
