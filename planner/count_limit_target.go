package planner

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/mkctl/mkctl/schema"
)

// targetCountLimit is a role policy that caps a number of objects, for
// the --target/--exclude check: how to count them once some changes are
// applied, and where the block of a change is. The full plan's checks
// (overLimit, the draft limits) assume the whole plan runs, deletions
// first, so they make room; a partial plan may leave a deletion out and
// keep a create. Every count-limited kind is a row here.
type targetCountLimit struct {
	typ   string
	limit countLimit
	err   string // Misskey's error code at the limit
	// count is how many objects count once changes are applied, and the
	// first change that adds one.
	count func(*Live, []*Change) (int, *Change)
	decls func(*schema.Account) map[string]hcl.Range // block range by change key
	// orPrevious: skipped when the row before reported (noteDraftLimit
	// after scheduledNoteLimit: the same block, the same fix).
	orPrevious bool
}

var targetCountLimits = []targetCountLimit{
	{TypeAntenna, countLimit{"antennaLimit", 5, "antennas", "antennas"}, "TOO_MANY_ANTENNAS",
		countByID(TypeAntenna, func(l *Live) []string { return liveIDs(l.Antennas, func(a LiveAntenna) string { return a.ID }) }),
		func(a *schema.Account) map[string]hcl.Range {
			return declsByKey(a.Antennas, func(b *schema.Antenna) string { return antennaKey(b.Name) })
		}, false},
	{TypeWebhook, countLimit{"webhookLimit", 3, "webhooks", "webhooks"}, "TOO_MANY_WEBHOOKS",
		countByID(TypeWebhook, func(l *Live) []string { return liveIDs(l.Webhooks, func(w LiveWebhook) string { return w.ID }) }),
		func(a *schema.Account) map[string]hcl.Range {
			return declsByKey(a.Webhooks, func(b *schema.Webhook) string { return webhookKey(b.Name) })
		}, false},
	{TypeClip, countLimit{"clipLimit", 10, "clips", "clips"}, "TOO_MANY_CLIPS",
		countByID(TypeClip, func(l *Live) []string { return liveIDs(l.Clips, func(c LiveClip) string { return c.ID }) }),
		func(a *schema.Account) map[string]hcl.Range {
			return declsByKey(a.Clips, func(b *schema.Clip) string { return clipKey(b.Name) })
		}, false},
	{TypeUserList, countLimit{"userListLimit", 10, "user lists", "user_lists"}, "TOO_MANY_USERLISTS",
		countByID(TypeUserList, func(l *Live) []string { return liveIDs(l.UserLists, func(u LiveUserList) string { return u.ID }) }),
		func(a *schema.Account) map[string]hcl.Range {
			return declsByKey(a.UserLists, func(b *schema.UserList) string { return userListKey(b.Name) })
		}, false},
	{TypePinnedNote, countLimit{"pinLimit", 5, "pinned notes", "pinned_notes"}, "PIN_LIMIT_EXCEEDED",
		countByID(TypePinnedNote, func(l *Live) []string { return liveIDs(l.PinnedNotes, func(n LiveNote) string { return n.ID }) }),
		func(a *schema.Account) map[string]hcl.Range {
			return declsByKey(a.PinnedNotes, func(b *schema.PinnedNote) string { return pinnedNoteKey(b.Label) })
		}, false},
	{TypeScheduledNote, countLimit{"scheduledNoteLimit", 1, "scheduled notes", "scheduled_notes"}, "TOO_MANY_SCHEDULED_NOTES",
		func(l *Live, c []*Change) (int, *Change) { n := countDrafts(l, c); return n.scheduled, n.firstSchedul },
		scheduledNoteDecls, false},
	{TypeScheduledNote, countLimit{"noteDraftLimit", 10, "note drafts", "scheduled_notes"}, "TOO_MANY_DRAFTS",
		func(l *Live, c []*Change) (int, *Change) { n := countDrafts(l, c); return n.all, n.firstDraft },
		scheduledNoteDecls, true},
}

func scheduledNoteDecls(a *schema.Account) map[string]hcl.Range {
	out := make(map[string]hcl.Range, len(a.ScheduledNotes))
	for _, n := range a.ScheduledNotes {
		out[scheduledNoteKey(n.Label)] = n.DeclRange
	}
	return out
}

func liveIDs[T any](objs []T, id func(T) string) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = id(o)
	}
	return out
}

func declsByKey[T interface{ Decl() hcl.Range }](blocks []T, key func(T) string) map[string]hcl.Range {
	out := make(map[string]hcl.Range, len(blocks))
	for _, b := range blocks {
		out[key(b)] = b.Decl()
	}
	return out
}

// countByID counts the live objects of a kind (their ids) once changes
// are applied. A deletion counts only when it removes a live object that
// counts (an unpinned note's deletion frees no pin slot); a replacement
// adds one and removes its old object.
func countByID(typ string, live func(*Live) []string) func(*Live, []*Change) (int, *Change) {
	return func(l *Live, changes []*Change) (int, *Change) {
		ids := map[string]bool{}
		for _, id := range live(l) {
			ids[id] = true
		}
		n := len(ids)
		var first *Change
		for _, c := range changes {
			if c.Type != typ {
				continue
			}
			if (c.Action == ActionDelete || c.Action == ActionReplace) && ids[c.ID] {
				n--
			}
			if c.Action == ActionCreate || c.Action == ActionReplace {
				n++
				if first == nil {
					first = c
				}
			}
		}
		return n, first
	}
}

// checkTargetedCountLimits is the count-limit check (targetCountLimits)
// for a plan that --target or --exclude cut down: it counts what the
// partial plan really does and reports at the block that adds one, only
// when the full plan was within the limit (otherwise its check has said
// so already), naming the deletions the selection left out.
func checkTargetedCountLimits(acct *schema.Account, live *Live, full, kept []*Change) hcl.Diagnostics {
	p := &planState{acct: acct, live: live}
	keptSet := map[*Change]bool{}
	for _, c := range kept {
		keptSet[c] = true
	}
	reported := false
	for _, k := range targetCountLimits {
		if k.orPrevious && reported {
			continue
		}
		reported = false
		limit := p.policy(k.limit.policy, k.limit.def)
		before, _ := k.count(live, full)
		after, first := k.count(live, kept)
		if first == nil || after <= limit || before > limit {
			continue
		}
		reported = true
		var left []string
		for _, c := range full {
			if c.Type == k.typ && (c.Action == ActionDelete || c.Action == ActionReplace) && !keptSet[c] {
				left = append(left, c.Address)
			}
		}
		hint := "plan without --target and --exclude"
		if len(left) > 0 {
			hint = fmt.Sprintf("include the deletion in the target (--target %s), or %s", strings.Join(left, " --target "), hint)
		}
		p.errorf(k.decls(acct)[first.Key], "Too many "+k.limit.noun,
			"With --target/--exclude this plan leaves out what makes room, so the account would hold %d %s but may have at most %d (role policy %s): Misskey would refuse %s with %s. Hint: %s.",
			after, k.limit.noun, limit, k.limit.policy, first.Address, k.err, hint)
	}
	return p.diags
}
