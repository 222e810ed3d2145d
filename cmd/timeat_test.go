package cmd

import (
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdTimeAt is the scripts' `timeat VAR DURATION`: $VAR becomes the RFC
// 3339 time DURATION from now (UTC, whole seconds, rounded up so that
// "5s" is never less than 4 s ahead), for a scheduled_note's at.
func cmdTimeAt(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: timeat VAR DURATION")
	}
	d, err := time.ParseDuration(args[1])
	ts.Check(err)
	ts.Setenv(args[0], time.Now().Add(d).UTC().Truncate(time.Second).Add(time.Second).Format(time.RFC3339))
}

// cmdWaitPast is the scripts' `waitpast VAR [EXTRA]`: it sleeps until the
// RFC 3339 time in $VAR (plus EXTRA, a duration) has passed — for a
// scheduled note, until its time has come, however long the steps before
// took.
func cmdWaitPast(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: waitpast VAR [EXTRA]")
	}
	at, err := time.Parse(time.RFC3339, ts.Getenv(args[0]))
	ts.Check(err)
	if len(args) == 2 {
		d, err := time.ParseDuration(args[1])
		ts.Check(err)
		at = at.Add(d)
	}
	time.Sleep(time.Until(at))
}
