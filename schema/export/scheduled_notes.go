package export

import (
	"fmt"
	"slices"
	"time"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/mkctl/mkctl/planner"
)

// atLayout writes a scheduled time with Misskey's milliseconds, so that
// the block's at is the draft's scheduledAt exactly (the planner compares
// epoch milliseconds).
const atLayout = "2006-01-02T15:04:05.000Z07:00"

// scheduledNotes writes a scheduled_note block for each scheduled draft
// whose time is still ahead, oldest time first. Plain drafts (not
// scheduled) are not something mkctl manages and are skipped with one
// comment; a scheduled draft is skipped with a comment when validate
// would refuse its block (its time has passed, the update trap left it
// without a time) or a block cannot describe it (a poll, a reply, a
// file not exported, ...). The first apply of the export adopts each
// declared draft (same content, files and time).
func (g *gen) scheduledNotes(body *hclwrite.Body) {
	if g.acc.Live.Drafts == nil {
		return
	}
	var sched []planner.LiveDraft
	plain := 0
	for _, d := range g.acc.Live.Drafts.Drafts {
		if d.IsActuallyScheduled {
			sched = append(sched, d)
		} else {
			plain++
		}
	}
	slices.SortStableFunc(sched, func(a, b planner.LiveDraft) int { return int(a.ScheduledAt - b.ScheduledAt) })
	if plain > 0 {
		body.AppendNewline()
		comment(body, fmt.Sprintf("%d note draft(s) that are not scheduled are not exported: mkctl manages only scheduled notes.", plain))
	}
	labels := newLabeler()
	now := g.now()
	for i, d := range sched {
		body.AppendNewline()
		n := planner.LiveNote{ID: d.ID, Text: d.Text, CW: d.CW, Visibility: d.Visibility, LocalOnly: d.LocalOnly,
			ReactionAcceptance: d.ReactionAcceptance, FileIDs: d.FileIDs, Unsupported: d.Unsupported}
		why := ""
		switch {
		case d.ScheduledAt == 0:
			why = "it is marked scheduled but has no time (Misskey will never post it: it was updated without scheduledAt)"
		case !time.UnixMilli(d.ScheduledAt).After(now):
			why = fmt.Sprintf("its time %s has passed (Misskey has not posted it: posting failed)", time.UnixMilli(d.ScheduledAt).UTC().Format(time.RFC3339))
		case time.UnixMilli(d.ScheduledAt).UTC().Year() > 9999:
			// Misskey takes any time a JavaScript Date holds (to year
			// 275760); at is RFC 3339, whose years have four digits.
			why = fmt.Sprintf("its time (epoch ms %d) is after the year 9999, which at (RFC 3339) cannot write", d.ScheduledAt)
		default:
			why = noteProblem(n)
		}
		var files []string
		if why == "" && len(d.FileIDs) > 0 {
			files, why = g.noteFiles(n)
		}
		if why != "" {
			comment(body, fmt.Sprintf("Scheduled note %d (draft id %s) is not exported: %s. It stays, not managed by mkctl.", i+1, d.ID, why))
			g.note("scheduled note %d (draft id %s) is not exported: %s; it stays, not managed by mkctl.", i+1, d.ID, why)
			g.count("scheduled_notes").Skipped++
			continue
		}
		b := body.AppendNewBlock("scheduled_note", []string{labels.unique(NoteLabel(d.Text, i+1))}).Body()
		g.count("scheduled_notes").Declared++
		b.SetAttributeRaw("text", g.text(d.Text))
		b.SetAttributeRaw("at", str(time.UnixMilli(d.ScheduledAt).UTC().Format(atLayout)))
		if d.CW != nil {
			b.SetAttributeRaw("cw", g.text(*d.CW))
		}
		if d.Visibility != "public" {
			b.SetAttributeRaw("visibility", str(d.Visibility))
		}
		if d.LocalOnly {
			b.SetAttributeRaw("local_only", boolTok(true))
		}
		if d.ReactionAcceptance != nil {
			b.SetAttributeRaw("reaction_acceptance", str(*d.ReactionAcceptance))
		}
		if len(files) > 0 {
			refs := make([]hclwrite.Tokens, len(files))
			for i, k := range files {
				refs[i] = driveFileRef(k)
			}
			b.SetAttributeRaw("files", hclwrite.TokensForTuple(refs))
		}
	}
}
