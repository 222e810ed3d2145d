package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/mkctl/mkctl/schema"
)

// The deletion guard (README.md, "Deletion guard"): a plan that would
// delete, in one account, more than MaxObjects objects of one kind AND more
// than MaxPercent % of the managed objects of that kind is refused, at plan
// time as at apply time, unless the user overrides it (--allow-mass-delete).
//
// Counted as deletions: the plan's delete changes of the kind. Not counted:
// replaces (the object is made again), the follow-up deletion of a replaced
// file and other retiring entries (KEY~ID: the old half of a replace), and
// profile images.
//
// The managed objects of a kind are the objects the ownership record holds
// of that kind (retiring entries excluded), together with every object the
// plan deletes; when the kind's collection is purged (purge = [...]), every
// live object of the kind is managed, so the live count is used when it is
// larger. The share is deletions / managed objects.

// GuardViolation is one kind whose deletions exceed the guard.
type GuardViolation struct {
	Type    string // change type, e.g. "follow"
	Deletes int
	Managed int
}

// Percent is the share of managed objects deleted, rounded down.
func (v GuardViolation) Percent() int {
	if v.Managed == 0 {
		return 100
	}
	return v.Deletes * 100 / v.Managed
}

var guardNouns = map[string]string{
	TypePinnedNote:    "pinned notes",
	TypeFollow:        "follows",
	TypeDriveFolder:   "drive folders",
	TypeDriveFile:     "drive files",
	TypeAntenna:       "antennas",
	TypeUserList:      "user lists",
	TypeWebhook:       "webhooks",
	TypeClip:          "clips",
	TypeBlock:         "blocks",
	TypeMute:          "mutes",
	TypeRenoteMute:    "renote mutes",
	TypeScheduledNote: "scheduled notes",
}

// recordPrefix is how the ownership record's keys of a kind start.
func recordPrefix(typ string) string {
	switch typ {
	case TypeFollow, TypeDriveFolder, TypeDriveFile, TypeBlock, TypeMute, TypeRenoteMute:
		return typ + "["
	}
	return typ + "."
}

// liveCount is how many objects of a kind the account has.
func liveCount(live *Live, typ string) int {
	if live == nil {
		return 0
	}
	switch typ {
	case TypePinnedNote:
		return len(live.PinnedNotes)
	case TypeFollow:
		return len(live.Follows)
	case TypeDriveFolder:
		return len(live.DriveFolders)
	case TypeDriveFile:
		return len(live.DriveFiles)
	case TypeAntenna:
		return len(live.Antennas)
	case TypeUserList:
		return len(live.UserLists)
	case TypeWebhook:
		return len(live.Webhooks)
	case TypeClip:
		return len(live.Clips)
	case TypeBlock, TypeMute, TypeRenoteMute:
		return len(relationLive(live, typ))
	case TypeScheduledNote:
		if live.Drafts == nil {
			return 0
		}
		n := 0 // plain drafts are no scheduled notes
		for _, d := range live.Drafts.Drafts {
			if d.IsActuallyScheduled {
				n++
			}
		}
		return n
	}
	return 0
}

// GuardViolations lists, by kind, the deletions of ap that exceed the
// account's deletion guard (none when the guard is off).
func GuardViolations(acct *schema.Account, live *Live, ap *AccountPlan) []GuardViolation {
	g := acct.Guard()
	if !g.Enabled {
		return nil
	}
	deletes := map[string]map[string]bool{}
	for _, c := range ap.Changes {
		if c.Action != ActionDelete || c.Followup || strings.Contains(c.Key, "~") || guardNouns[c.Type] == "" {
			continue
		}
		if c.Type == TypeDriveFile && strings.HasPrefix(c.Key, TypeProfile+".") {
			continue
		}
		if deletes[c.Type] == nil {
			deletes[c.Type] = map[string]bool{}
		}
		deletes[c.Type][c.Key+"\x00"+c.ID] = true
	}
	var out []GuardViolation
	for typ, dels := range deletes {
		n := len(dels)
		if n <= g.MaxObjects {
			continue
		}
		managed := map[string]bool{}
		for k := range dels {
			k, _, _ = strings.Cut(k, "\x00")
			managed[k] = true
		}
		for k := range ap.Ownership.objects() {
			if strings.HasPrefix(k, recordPrefix(typ)) && !strings.Contains(k, "~") {
				managed[k] = true
			}
		}
		total := max(len(managed), n)
		if acct.Purge[typ+"s"] {
			total = max(total, liveCount(live, typ))
		}
		// More than MaxPercent %: n/total > p/100, in integers.
		if n*100 > g.MaxPercent*total {
			out = append(out, GuardViolation{Type: typ, Deletes: n, Managed: total})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}

// CheckDeletionGuard refuses the plan of an account that deletes too much
// (see GuardViolations). With allow (--allow-mass-delete), the plan goes
// ahead and a note says what the guard would have refused.
func CheckDeletionGuard(acct *schema.Account, live *Live, ap *AccountPlan, allow bool) hcl.Diagnostics {
	g := acct.Guard()
	var diags hcl.Diagnostics
	for _, v := range GuardViolations(acct, live, ap) {
		what := fmt.Sprintf("delete %d of the %d %s mkctl manages (%d%%)", v.Deletes, v.Managed, guardNouns[v.Type], v.Percent())
		if allow {
			ap.Notes = append(ap.Notes, fmt.Sprintf("the plan would %s, more than the deletion guard allows; --allow-mass-delete lets it go ahead.", what))
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Too many deletions",
			Detail: fmt.Sprintf("The plan of %s would %s, more than its deletion guard allows (more than %d objects and more than %d%% of them). "+
				"Hint: check what would go with mkctl plan --allow-mass-delete (a plan changes nothing); if it is intended, apply with --allow-mass-delete, "+
				"or tune the account's deletion_guard { max_objects, max_percent } (enabled = false turns it off).",
				ap.Address, what, g.MaxObjects, g.MaxPercent),
			Subject: g.DeclRange.Ptr(),
		})
	}
	return diags
}
