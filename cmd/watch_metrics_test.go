package cmd

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// checkExposition checks text in Prometheus' text exposition format
// (version 0.0.4) strictly: every family has one HELP then one TYPE line
// before its samples, its samples are together, label values use only the
// escapes \\, \" and \n, and every value is a float. It returns the
// label values read back, by family.
func checkExposition(t *testing.T, text string) map[string][]string {
	t.Helper()
	name := `[a-zA-Z_:][a-zA-Z0-9_:]*`
	help := regexp.MustCompile(`^# HELP (` + name + `) ([^\n]*)$`)
	typ := regexp.MustCompile(`^# TYPE (` + name + `) (counter|gauge|histogram|summary|untyped)$`)
	sample := regexp.MustCompile(`^(` + name + `)\{account="((?:[^"\\\n]|\\[\\"n])*)"\} (\S+)$`)
	if !strings.HasSuffix(text, "\n") {
		t.Fatalf("the exposition does not end with a newline:\n%s", text)
	}
	labels := map[string][]string{}
	seen := map[string]bool{}
	current, state := "", "" // state: help, type
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		switch {
		case help.MatchString(line):
			m := help.FindStringSubmatch(line)
			if seen[m[1]] {
				t.Errorf("line %d: family %s described twice", i+1, m[1])
			}
			seen[m[1]], current, state = true, m[1], "help"
		case typ.MatchString(line):
			m := typ.FindStringSubmatch(line)
			if m[1] != current || state != "help" {
				t.Errorf("line %d: TYPE of %s not right after its HELP", i+1, m[1])
			}
			state = "type"
		case sample.MatchString(line):
			m := sample.FindStringSubmatch(line)
			if m[1] != current || state != "type" {
				t.Errorf("line %d: sample of %s outside its family (%s)", i+1, m[1], current)
			}
			if _, err := strconv.ParseFloat(m[3], 64); err != nil {
				t.Errorf("line %d: value %q", i+1, m[3])
			}
			v := strings.NewReplacer(`\\`, `\`, `\"`, `"`, `\n`, "\n").Replace(m[2])
			labels[m[1]] = append(labels[m[1]], v)
		default:
			t.Errorf("line %d is not valid exposition: %q", i+1, line)
		}
	}
	return labels
}

// Hostile account addresses (quotes, backslashes, a newline, non-ASCII)
// give valid exposition whose labels read back as the addresses.
func TestWatchMetricsExposition(t *testing.T) {
	m := newWatchMetrics()
	addrs := []string{`account.bot`, `account.fleet["a\"b\\c` + "\n" + `d"]`, `account.fleet["雨 \\n"]`}
	for _, a := range addrs {
		m.declare(a)
		m.setConnected(a, true)
		m.planned(a, time.Unix(1796040000, 123e6))
		m.inc(a, "reconnects")
	}
	m.applied(addrs[1], time.Unix(1796040001, 0))
	m.setDrift(addrs[2], 3)
	var b bytes.Buffer
	m.write(&b)
	labels := checkExposition(t, b.String())
	for _, family := range []string{"mkctl_watch_drift_changes", "mkctl_watch_stream_connected", "mkctl_watch_reconnects_total"} {
		got := labels[family]
		if len(got) != len(addrs) {
			t.Fatalf("%s: labels %q, want one per account", family, got)
		}
		for _, a := range addrs {
			if !strings.Contains(strings.Join(got, "\x00")+"\x00", a+"\x00") {
				t.Errorf("%s: %q does not read back (have %q)", family, a, got)
			}
		}
	}
	if got := labels["mkctl_watch_last_apply_success_timestamp_seconds"]; len(got) != 1 || got[0] != addrs[1] {
		t.Errorf("last apply: %q", got)
	}
	// No account at all is valid exposition too.
	b.Reset()
	newWatchMetrics().write(&b)
	checkExposition(t, b.String())
}
