package cmd

import (
	"strings"
	"testing"

	"github.com/mkctl/mkctl/cmd/view"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider"
)

// TestProgressLineEscapesAddress: an apply progress line shows a name
// with a line break or a terminal escape escaped, as the plan does.
func TestProgressLineEscapesAddress(t *testing.T) {
	for _, phase := range []string{"start", "failed", "done"} {
		line := progressLine(provider.Event{Address: "account.news.clip.x\ny\x1b[2J", Action: planner.ActionCreate, Phase: phase}, view.Colors{})
		if strings.ContainsAny(line, "\n\x1b") || !strings.HasPrefix(line, `account.news.clip.x\ny\x1b[2J: `) {
			t.Errorf("%s: %q", phase, line)
		}
	}
}
