package cmd

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestWatchExamplesUseRealFlags checks the command lines of
// examples/watch (the systemd unit's ExecStart, the Dockerfile's
// ENTRYPOINT and CMD) against mkctl watch's real flags, so that a renamed
// flag cannot leave a unit that fails at boot. The example configuration
// itself is validated and applied by TestExamples.
func TestWatchExamplesUseRealFlags(t *testing.T) {
	unit, err := os.ReadFile("../examples/watch/mkctl-watch.service")
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]string
	for _, l := range strings.Split(string(unit), "\n") {
		if rest, ok := strings.CutPrefix(l, "ExecStart="); ok {
			lines = append(lines, strings.Fields(rest)[1:]) // drop the binary's path
		}
	}
	docker, err := os.ReadFile("../examples/watch/Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var entry, cmdArgs []string
	for _, l := range strings.Split(string(docker), "\n") {
		if rest, ok := strings.CutPrefix(l, "ENTRYPOINT "); ok {
			if err := json.Unmarshal([]byte(rest), &entry); err != nil {
				t.Fatalf("ENTRYPOINT: %v", err)
			}
		}
		if rest, ok := strings.CutPrefix(l, "CMD "); ok {
			if err := json.Unmarshal([]byte(rest), &cmdArgs); err != nil {
				t.Fatalf("CMD: %v", err)
			}
		}
	}
	if len(entry) < 2 {
		t.Fatal("the Dockerfile has no exec-form ENTRYPOINT")
	}
	lines = append(lines, append(entry[1:], cmdArgs...))
	if len(lines) != 2 {
		t.Fatalf("want one ExecStart and one ENTRYPOINT, found %d command lines", len(lines))
	}
	for _, args := range lines {
		root := NewRootCmd(&IOStreams{})
		c, rest, err := root.Find(args)
		if err != nil || c.Name() != "watch" {
			t.Fatalf("%v: not mkctl watch (%v)", args, err)
		}
		if err := c.ParseFlags(rest); err != nil {
			t.Errorf("%v: %v", args, err)
		}
		if got, _ := c.Flags().GetString("metrics"); got == "" {
			t.Errorf("%v: no --metrics", args)
		}
	}
	if !strings.Contains(string(docker), "COPY examples/watch/bot.mk.hcl /config/") || !strings.Contains(string(unit), "cp bot.mk.hcl /etc/mkctl/") {
		t.Error("the examples no longer install bot.mk.hcl where --chdir points")
	}
}
