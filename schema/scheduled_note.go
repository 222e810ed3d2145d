package schema

import (
	"fmt"
	"maps"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// ScheduledNote is a `scheduled_note "LABEL" { text, at, ... }` block: a
// note Misskey posts by itself at At, kept until then as a scheduled draft
// (notes/drafts/*, API-NOTES §15). The note's fields are those of a
// pinned_note (same rules: text required, files are drive_file blocks of
// the same account); Label is the block label.
type ScheduledNote struct {
	PinnedNote
	// At is when Misskey posts the note (sent as scheduledAt, epoch ms).
	At time.Time
	// AtText is at as written, for messages; AtRange is where.
	AtText  string
	AtRange hcl.Range
}

var scheduledNoteDesc = func() bodyDesc {
	d := pinnedNoteDesc
	d.What = "a scheduled_note block"
	d.Schema = &hcl.BodySchema{
		Attributes: append(append([]hcl.AttributeSchema(nil), pinnedNoteDesc.Schema.Attributes...), hcl.AttributeSchema{Name: "at", Required: true}),
		Blocks:     pinnedNoteDesc.Schema.Blocks,
	}
	d.Hints = maps.Clone(pinnedNoteDesc.Hints)
	d.Hints["at"] = `Hint: add at = "2026-12-24T09:00:00Z", when Misskey posts the note (RFC 3339).`
	d.Aliases = maps.Clone(pinnedNoteDesc.Aliases)
	for _, a := range []string{"scheduled_at", "scheduledat", "post_at", "time", "when", "date", "publish_at"} {
		d.Aliases[a] = "at"
	}
	d.Refused = refusedResourceArgs("scheduled_note")
	return d
}()

// scheduledNoteBlock is a checked scheduled_note block: a pinned note's
// body plus at.
type scheduledNoteBlock struct {
	note *pinnedNoteBlock
}

func decodeScheduledNote(block *hcl.Block) (*scheduledNoteBlock, hcl.Diagnostics) {
	diags := checkIdentLabel(block, "scheduled_note", `scheduled_note "xmas"`)
	r, _, d := decodeResource(block, scheduledNoteDesc)
	diags = append(diags, d...)
	return &scheduledNoteBlock{note: &pinnedNoteBlock{resource: r, label: block.Labels[0]}}, diags
}

// evaluate computes the desired note. A time in the past is not refused
// here: plan must keep working for a note Misskey has already posted at
// that time (it says "posted"); validate refuses it (PastScheduledNotes),
// and plan refuses it for a note mkctl has not scheduled.
func (sb *scheduledNoteBlock) evaluate(s *scope) (*ScheduledNote, hcl.Diagnostics) {
	n, diags := sb.note.evaluate(s)
	sn := &ScheduledNote{PinnedNote: *n}
	e := &attrEval{s: s, attrs: sb.note.attrs}
	raw, attr, ctx, st := e.str("at", `at = "2026-12-24T09:00:00Z"`)
	switch st {
	case attrNull:
		e.errorf(attr.Expr, ctx, "Null value not allowed", "at cannot be null: a scheduled note needs the time Misskey posts it. Hint: write e.g. at = \"2026-12-24T09:00:00Z\".")
	case attrSet:
		sn.AtRange, sn.AtText = attr.Expr.Range(), raw
		// RFC 3339 (§5.6) allows a lower-case "t" and "z", which Go's
		// parser does not; nothing else in the format has letters.
		t, err := time.Parse(time.RFC3339, strings.ToUpper(raw))
		if err != nil {
			e.errorf(attr.Expr, ctx, "Invalid at",
				"at must be an RFC 3339 time such as \"2026-12-24T09:00:00Z\"; got %q. Hint: write the date, a T, the time and a zone (Z or +09:00).", raw)
		} else {
			sn.At = t
		}
	}
	return sn, append(diags, e.diags...)
}

// PastScheduledNotes reports, as located errors, the scheduled_note blocks
// whose at is not after now. validate runs it: offline it cannot know
// whether mkctl scheduled the note and Misskey posted it (plan can, from
// the ownership record, and then shows the note as posted), so a past
// time is an error there, with what to do in either case.
func PastScheduledNotes(cfg *Config, now time.Time) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if cfg == nil {
		return nil
	}
	for _, a := range cfg.Accounts {
		for _, n := range a.ScheduledNotes {
			if n.At.IsZero() || n.At.After(now) {
				continue
			}
			r := n.AtRange
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "at is in the past",
				Detail: fmt.Sprintf("scheduled_note %q is to be posted at %s, which is not in the future: Misskey refuses to schedule it (SCHEDULED_AT_MUST_BE_IN_FUTURE). Hint: give a later time; if mkctl scheduled this note and Misskey has posted it, remove the block (mkctl then forgets it; the posted note stays).",
					n.Label, n.AtText),
				Subject: &r,
			})
		}
	}
	return diags
}

// Decl is the block's declaration range.
func (n *ScheduledNote) Decl() hcl.Range { return n.DeclRange }
