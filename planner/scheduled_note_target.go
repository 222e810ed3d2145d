package planner

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/mkctl/mkctl/schema"
)

// draftCounts are the drafts an account holds once a list of changes is
// applied: all of them (noteDraftLimit) and the scheduled ones
// (scheduledNoteLimit), with the first change that adds to each.
type draftCounts struct {
	all, scheduled           int
	firstDraft, firstSchedul *Change
}

// countDrafts counts from the live drafts: minus the ones changes delete,
// plus the ones they create; an update schedules its draft (every update
// sends isActuallyScheduled: true).
func countDrafts(live *Live, changes []*Change) draftCounts {
	var n draftCounts
	if live.Drafts == nil {
		return n
	}
	deleted, updated := map[string]bool{}, map[string]*Change{}
	for _, c := range changes {
		if c.Type != TypeScheduledNote {
			continue
		}
		switch c.Action {
		case ActionDelete:
			deleted[c.ID] = true
		case ActionUpdate:
			updated[c.ID] = c
		case ActionCreate:
			n.all++
			n.scheduled++
			if n.firstDraft == nil {
				n.firstDraft = c
			}
			if n.firstSchedul == nil {
				n.firstSchedul = c
			}
		}
	}
	for _, d := range live.Drafts.Drafts {
		if deleted[d.ID] {
			continue
		}
		n.all++
		switch u := updated[d.ID]; {
		case d.IsActuallyScheduled:
			n.scheduled++
		case u != nil:
			n.scheduled++
			if n.firstSchedul == nil {
				n.firstSchedul = u
			}
		}
	}
	return n
}

// checkTargetedDraftLimits is the scheduledNoteLimit and noteDraftLimit
// check for a plan that --target or --exclude cut down: the full plan's
// check assumed the whole plan runs, deletions of undeclared drafts
// included, but a partial plan that leaves a deletion out and keeps a
// create would meet TOO_MANY_SCHEDULED_NOTES (or TOO_MANY_DRAFTS) at
// apply. It counts what the partial plan really does, and reports at the
// block that adds a draft, only when the full plan was within the limit
// (otherwise its check has said so already).
func checkTargetedDraftLimits(acct *schema.Account, live *Live, full, kept []*Change) hcl.Diagnostics {
	before, after := countDrafts(live, full), countDrafts(live, kept)
	p := &planState{acct: acct, live: live}
	for _, l := range []struct {
		policy        string
		def           int
		noun, err     string
		before, after int
		first         *Change
	}{
		{"scheduledNoteLimit", 1, "scheduled notes", "TOO_MANY_SCHEDULED_NOTES", before.scheduled, after.scheduled, after.firstSchedul},
		{"noteDraftLimit", 10, "note drafts", "TOO_MANY_DRAFTS", before.all, after.all, after.firstDraft},
	} {
		limit := p.policy(l.policy, l.def)
		if l.first == nil || l.after <= limit || l.before > limit {
			continue
		}
		var left []string
		keptSet := map[*Change]bool{}
		for _, c := range kept {
			keptSet[c] = true
		}
		for _, c := range full {
			if c.Type == TypeScheduledNote && c.Action == ActionDelete && !keptSet[c] {
				left = append(left, c.Address)
			}
		}
		hint := "plan without --target and --exclude"
		if len(left) > 0 {
			hint = fmt.Sprintf("include the deletion in the target (--target %s), or %s", strings.Join(left, " --target "), hint)
		}
		var subject hcl.Range
		for _, n := range acct.ScheduledNotes {
			if scheduledNoteKey(n.Label) == l.first.Key {
				subject = n.DeclRange
			}
		}
		p.errorf(subject, "Too many "+l.noun,
			"With --target/--exclude this plan leaves out what makes room, so the account would hold %d %s but may have at most %d (role policy %s): Misskey would refuse %s with %s. Hint: %s.",
			l.after, l.noun, limit, l.policy, l.first.Address, l.err, hint)
		break
	}
	return p.diags
}
