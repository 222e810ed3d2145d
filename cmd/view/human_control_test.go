package view

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

// TestHumanPlanControlCharactersInAddress: a clip (list, webhook) name is
// any text Misskey takes, also one made by hand with a line break or a
// terminal escape; the change's header shows them escaped, on one line,
// as the Markdown plan does, and so does an apply progress line.
func TestHumanPlanControlCharactersInAddress(t *testing.T) {
	p := planner.New(&planner.AccountPlan{Address: "account.news", Changes: []*planner.Change{{
		Address: "account.news.clip.x\ny\x1b[2J", Type: planner.TypeClip, Action: planner.ActionDelete, Key: "clip.x\ny\x1b[2J",
	}}})
	var buf bytes.Buffer
	HumanPlan(&buf, p, Colors{})
	out := buf.String()
	if strings.Contains(out, "\x1b") || !strings.Contains(out, `  # account.news.clip.x\ny\x1b[2J will be destroyed`+"\n") {
		t.Fatalf("header not escaped:\n%q", out)
	}
	if got := Printable("clip.x\ny\x1b"); got != `clip.x\ny\x1b` {
		t.Errorf("Printable = %q", got)
	}
}
