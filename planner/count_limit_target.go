package planner

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/mkctl/mkctl/schema"
)

// targetCountLimit is a kind whose number a role policy caps, for the
// --target/--exclude check: how to count the live objects and find the
// block a change comes from. The full plan's overLimit check assumes the
// whole plan runs (deletions first, so they make room); a partial plan
// may leave a deletion out and keep a create.
type targetCountLimit struct {
	typ   string
	limit countLimit
	err   string                                     // Misskey's error code at the limit
	live  func(*Live) []string                       // ids of the live objects that count
	decls func(*schema.Account) map[string]hcl.Range // block range by change key
}

var targetCountLimits = []targetCountLimit{
	{TypeAntenna, countLimit{"antennaLimit", 5, "antennas", "antennas"}, "TOO_MANY_ANTENNAS",
		func(l *Live) []string { return liveIDs(l.Antennas, func(a LiveAntenna) string { return a.ID }) },
		func(a *schema.Account) map[string]hcl.Range {
			return declsByKey(a.Antennas, func(b *schema.Antenna) string { return antennaKey(b.Name) })
		}},
	{TypeWebhook, countLimit{"webhookLimit", 3, "webhooks", "webhooks"}, "TOO_MANY_WEBHOOKS",
		func(l *Live) []string { return liveIDs(l.Webhooks, func(w LiveWebhook) string { return w.ID }) },
		func(a *schema.Account) map[string]hcl.Range {
			return declsByKey(a.Webhooks, func(b *schema.Webhook) string { return webhookKey(b.Name) })
		}},
	{TypeClip, countLimit{"clipLimit", 10, "clips", "clips"}, "TOO_MANY_CLIPS",
		func(l *Live) []string { return liveIDs(l.Clips, func(c LiveClip) string { return c.ID }) },
		func(a *schema.Account) map[string]hcl.Range {
			return declsByKey(a.Clips, func(b *schema.Clip) string { return clipKey(b.Name) })
		}},
	{TypeUserList, countLimit{"userListLimit", 10, "user lists", "user_lists"}, "TOO_MANY_USERLISTS",
		func(l *Live) []string { return liveIDs(l.UserLists, func(u LiveUserList) string { return u.ID }) },
		func(a *schema.Account) map[string]hcl.Range {
			return declsByKey(a.UserLists, func(b *schema.UserList) string { return userListKey(b.Name) })
		}},
	{TypePinnedNote, countLimit{"pinLimit", 5, "pinned notes", "pinned_notes"}, "PIN_LIMIT_EXCEEDED",
		func(l *Live) []string { return liveIDs(l.PinnedNotes, func(n LiveNote) string { return n.ID }) },
		func(a *schema.Account) map[string]hcl.Range {
			return declsByKey(a.PinnedNotes, func(b *schema.PinnedNote) string { return pinnedNoteKey(b.Label) })
		}},
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

// count is how many objects of the kind the account holds once changes
// are applied, with the first change that adds one. A deletion counts
// only when it removes a live object that counts (an unpinned note's
// deletion frees no pin slot); a replacement adds one and removes its old
// object.
func (k targetCountLimit) count(live *Live, changes []*Change) (int, *Change) {
	ids := map[string]bool{}
	for _, id := range k.live(live) {
		ids[id] = true
	}
	n := len(ids)
	var first *Change
	for _, c := range changes {
		if c.Type != k.typ {
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

// checkTargetedCountLimits is the count-limit check (antennaLimit,
// webhookLimit, clipLimit, userListLimit, pinLimit) for a plan that
// --target or --exclude cut down: like checkTargetedDraftLimits, it counts
// what the partial plan really does and reports at the block that adds
// one, only when the full plan was within the limit (otherwise its check
// has said so already).
func checkTargetedCountLimits(acct *schema.Account, live *Live, full, kept []*Change) hcl.Diagnostics {
	p := &planState{acct: acct, live: live}
	keptSet := map[*Change]bool{}
	for _, c := range kept {
		keptSet[c] = true
	}
	for _, k := range targetCountLimits {
		limit := p.policy(k.limit.policy, k.limit.def)
		before, _ := k.count(live, full)
		after, first := k.count(live, kept)
		if first == nil || after <= limit || before > limit {
			continue
		}
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
