package schema

import (
	"strings"
	"testing"
	"time"
)

// TestScheduledNoteAtForms: at takes every form RFC 3339 allows — a zone
// offset, fractional seconds, and (RFC 3339 §5.6) a lower-case "t" and
// "z" — and refuses what it does not (no seconds, a five-digit year),
// with the located "Invalid at".
func TestScheduledNoteAtForms(t *testing.T) {
	ok := []struct {
		at   string
		want time.Time
	}{
		{"2099-12-24T09:00:00+09:00", time.Date(2099, 12, 24, 0, 0, 0, 0, time.UTC)},
		{"2099-12-24t09:00:00z", time.Date(2099, 12, 24, 9, 0, 0, 0, time.UTC)},
		{"2099-12-24t09:00:00.25-01:30", time.Date(2099, 12, 24, 10, 30, 0, 250e6, time.UTC)},
		{"9999-12-31T23:59:59.999999Z", time.Date(9999, 12, 31, 23, 59, 59, 999999e3, time.UTC)},
	}
	for _, c := range ok {
		cfg := mustLoad(t, scheduledDir(t, `scheduled_note "a" {
    text = "x"
    at = "`+c.at+`"
  }`), LoadOptions{})
		n := cfg.Accounts[0].ScheduledNotes[0]
		if !n.At.Equal(c.want) || n.AtText != c.at {
			t.Errorf("at = %q: %v (%q), want %v", c.at, n.At, n.AtText, c.want)
		}
	}
	for _, bad := range []string{"2099-12-24T09:00Z", "10000-01-01T00:00:00Z", "2099-12-24 09:00:00Z", "2099-12-24T09:00:00"} {
		_, _, diags := Load(scheduledDir(t, `scheduled_note "a" {
    text = "x"
    at = "`+bad+`"
  }`), LoadOptions{})
		if !diags.HasErrors() || !strings.Contains(diags[0].Summary, "Invalid at") || diags[0].Subject == nil || diags[0].Subject.Start.Line != 7 {
			t.Errorf("at = %q: %v", bad, diags)
		}
	}
}
