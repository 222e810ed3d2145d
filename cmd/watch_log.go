package cmd

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mkctl/mkctl/cmd/view"
	"github.com/mkctl/mkctl/internal/watch"
)

// watchRecord is one event of mkctl watch: a JSON object per line with
// --json, a log line otherwise. README.md "Watch" lists the events and
// their fields; the field names are a stable interface for log pipelines.
type watchRecord struct {
	Time     string        `json:"time"`
	Event    string        `json:"event"`
	Account  string        `json:"account,omitempty"`
	Reason   string        `json:"reason,omitempty"` // what made the plan (meUpdated, interval, reconnected…) or the reload
	Stream   string        `json:"stream,omitempty"` // channel/type of a stream_event
	Changes  []watchChange `json:"changes,omitempty"`
	Result   *watchResult  `json:"result,omitempty"`
	Error    string        `json:"error,omitempty"`
	RetryIn  float64       `json:"retry_in_seconds,omitempty"`
	Accounts []string      `json:"accounts,omitempty"`
	Apply    bool          `json:"apply,omitempty"`
	// Repeated and FailingSince: on a plan_failed reminder, the failed
	// plans (this one included) since the first of the same failure; on
	// plan_recovered, how many there were and since when.
	Repeated     int    `json:"repeated,omitempty"`
	FailingSince string `json:"failing_since,omitempty"`
}

// watchChange is a planned change, without its values: a log line must
// not carry a sensitive value, and the address says what to look at.
type watchChange struct {
	Address    string   `json:"address"`
	Action     string   `json:"action"`
	Attributes []string `json:"attributes,omitempty"`
}

type watchResult struct {
	Added     int `json:"added"`
	Changed   int `json:"changed"`
	Destroyed int `json:"destroyed"`
}

// watchLog writes records, one at a time, through the redacting streams.
type watchLog struct {
	io    *IOStreams
	json  bool
	clock watch.Clock
	mu    sync.Mutex
}

func (l *watchLog) emit(r watchRecord) {
	r.Time = l.clock.Now().UTC().Format(time.RFC3339Nano)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.json {
		data, err := json.Marshal(r)
		if err != nil {
			return // made of strings and numbers: cannot happen
		}
		fmt.Fprintf(l.io.Out, "%s\n", data)
		return
	}
	prefix := l.clock.Now().UTC().Format(time.RFC3339)
	if r.Account != "" {
		prefix += " " + r.Account + ":"
	}
	// One line per event: an account key, a server's message or a
	// change's address may hold a line break or a terminal escape, which
	// would split the line (a forged event for whatever reads the log)
	// or reach the terminal raw. --json escapes them already.
	fmt.Fprintf(l.io.Out, "%s\n", view.Printable(prefix+" "+humanWatch(r)))
}

var watchActionSymbols = map[string]string{"create": "+", "update": "~", "delete": "-", "replace": "-/+"}

func humanWatch(r watchRecord) string {
	after := ""
	if r.Reason != "" {
		after = " (after " + r.Reason + ")"
	}
	retry := ""
	if r.RetryIn > 0 {
		retry = fmt.Sprintf("; retrying in %s", time.Duration(r.RetryIn*float64(time.Second)).Round(time.Second))
	}
	switch r.Event {
	case "started":
		mode := "reporting drift, changing nothing"
		if r.Apply {
			mode = "applying drift within the budget"
		}
		return fmt.Sprintf("watching %s (%s)", strings.Join(r.Accounts, ", "), mode)
	case "connected":
		return "streaming connected"
	case "reconnected":
		return "streaming reconnected: planning again (events may have been missed)"
	case "disconnected":
		return fmt.Sprintf("streaming disconnected: %s; reconnecting in %s", r.Error, time.Duration(r.RetryIn*float64(time.Second)).Round(time.Millisecond))
	case "stream_event":
		return "event " + r.Stream
	case "in_sync":
		return "no drift" + after
	case "drift_detected":
		return fmt.Sprintf("drift%s: %s", after, changesLine(r.Changes))
	case "applied":
		return fmt.Sprintf("applied: %d added, %d changed, %d destroyed", r.Result.Added, r.Result.Changed, r.Result.Destroyed)
	case "apply_failed":
		done := ""
		if r.Result != nil {
			done = fmt.Sprintf(" (%d added, %d changed, %d destroyed before the error)", r.Result.Added, r.Result.Changed, r.Result.Destroyed)
		}
		return fmt.Sprintf("apply failed%s: %s%s", done, r.Error, retry)
	case "apply_stopped":
		done := ""
		if r.Result != nil {
			done = fmt.Sprintf(" (%d added, %d changed, %d destroyed)", r.Result.Added, r.Result.Changed, r.Result.Destroyed)
		}
		return fmt.Sprintf("apply stopped after the change in flight%s: %s; the next plan applies the rest", done, r.Error)
	case "apply_waiting":
		return "not applied yet: " + r.Error + retry
	case "apply_blocked":
		return "not applied: " + r.Error
	case "plan_failed":
		if r.Repeated > 1 {
			return fmt.Sprintf("plan still failing (%d failed plans since %s)%s: %s%s", r.Repeated, r.FailingSince, after, r.Error, retry)
		}
		return "plan failed" + after + ": " + r.Error + retry
	case "plan_recovered":
		return fmt.Sprintf("plan succeeds again (after %d failed plans since %s)", r.Repeated, r.FailingSince)
	case "config_reloaded":
		return "configuration reloaded (" + r.Reason + ")"
	case "config_invalid":
		return "configuration not reloaded, the running one stays (" + r.Reason + "): " + r.Error
	case "stopped":
		return "stopped"
	case "warning":
		return "warning: " + r.Error
	}
	return r.Event
}

func changesLine(changes []watchChange) string {
	parts := make([]string, len(changes))
	for i, c := range changes {
		parts[i] = watchActionSymbols[c.Action] + " " + c.Address
		if len(c.Attributes) > 0 {
			parts[i] += " (" + strings.Join(c.Attributes, ", ") + ")"
		}
	}
	return strings.Join(parts, ", ")
}
