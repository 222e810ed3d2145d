package cmd

import (
	"os"
	"regexp"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdWaitFor waits until a file has a line matching a regular expression:
//
//	waitfor FILE REGEXP
//
// A process mkctl starts and does not wait for (the browser of `mkctl
// login`) can still be running when mkctl exits; a script that checks what
// it did must wait for it, not for a duration. The deadline only turns a
// browser that never gets there into a failure instead of a hang; a loaded
// machine merely makes the wait longer.
func cmdWaitFor(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: waitfor FILE REGEXP")
	}
	re, err := regexp.Compile("(?m)" + args[1])
	ts.Check(err)
	path := ts.MkAbs(args[0])
	deadline := time.Now().Add(2 * time.Minute)
	for {
		data, err := os.ReadFile(path)
		if err == nil && re.Match(data) {
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s has no line matching %q after 2 minutes (read error: %v; content:\n%s)", args[0], args[1], err, data)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
