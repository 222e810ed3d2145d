package view

import (
	"fmt"
	"io"
	"strings"

	"github.com/mkctl/mkctl/planner"
)

// PartialNote is the sentence a plan limited by --target or --exclude ends
// with, as Terraform's does; "" for a full plan.
func PartialNote(p *planner.Plan) string {
	if p.Partial == nil {
		return ""
	}
	var flags []string
	for _, a := range p.Partial.Targets {
		flags = append(flags, "--target "+a)
	}
	for _, a := range p.Partial.Excludes {
		flags = append(flags, "--exclude "+a)
	}
	return "this plan is partial: " + strings.Join(flags, " ") + " limited it; other changes may be pending. Run plan without them to see everything."
}

// writePartial writes PartialNote as the plan's last note.
func writePartial(w io.Writer, p *planner.Plan, c Colors) {
	if n := PartialNote(p); n != "" {
		fmt.Fprintf(w, "\n%s %s\n", c.Bold("Note:"), n)
	}
}
