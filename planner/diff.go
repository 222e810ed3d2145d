package planner

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/mkctl/mkctl/schema"
)

// PlanAccount diffs one account's desired state against what was read from
// Misskey. The result lists only the objects that need a change, in the
// order they must be applied. Diagnostics report what makes the plan
// impossible (a limit exceeded, prevent_destroy, an account that cannot be
// resolved); with errors the plan must not be applied.
func PlanAccount(acct *schema.Account, live *Live) (*AccountPlan, hcl.Diagnostics) {
	p := &planState{
		acct: acct,
		live: live,
		ap: &AccountPlan{
			Address:   acct.Address(),
			Host:      acct.Host,
			Username:  acct.Username,
			UserID:    live.UserID,
			Changes:   []*Change{},
			Ownership: live.Ownership,
		},
		userIDs: map[string]string{},
	}
	for _, f := range live.Follows {
		p.userIDs[strings.ToLower(f.Acct)] = f.UserID
	}
	for acct, id := range live.Users {
		p.userIDs[strings.ToLower(acct)] = id
	}

	// Each kind returns the changes that create or update (applied early,
	// in dependency order) and those that delete (applied last, in reverse
	// dependency order).
	// Duplicates of a declared key first: the kinds then see one object
	// per key (see dedupe.go).
	antExtras, listExtras, folderExtras := p.dedupe()
	profile, imageDels := p.planProfileImages(p.planProfile())
	// The profile goes first, unless its notification_receive_config
	// names a list this plan creates: then right after the lists are
	// created, with the new id (Refs, as an antenna's list).
	var profileLate []*Change
	if profile != nil && len(profile.Refs) > 0 {
		profileLate = []*Change{profile}
	} else if profile != nil {
		p.ap.Changes = append(p.ap.Changes, profile)
	}
	listUps, listDels := p.planUserLists()
	antUps, antDels := p.planAntennas()
	hookUps, hookDels := p.planWebhooks()
	fileUps, fileDels := p.planDriveFiles()
	folderUps, folderDels := p.planFolders(fileDels)
	followUps, followDels := p.planFollows()
	pinSteps := p.planPinnedNotes()
	blockUps, blockDels := p.planRelations(TypeBlock)
	muteUps, muteDels := p.planRelations(TypeMute)
	rmuteUps, rmuteDels := p.planRelations(TypeRenoteMute)
	// Clips after the pinned notes: a clip may add a note the plan posts.
	clipUps, clipDels := p.planClips()
	// Scheduled drafts: undeclared ones deleted first (they free the
	// scheduledNoteLimit slot), after the files they attach are uploaded.
	schedUps, schedDels := p.planScheduledNotes()

	// Undeclared antennas and lists go before new ones are created: at the
	// account's antennaLimit or userListLimit a new one fits only once an
	// old one is gone. Antennas go before lists (a list's deletion would take
	// its antennas with it), and no list that a kept antenna uses is deleted.
	// Extra lists go after the antenna updates, which move a kept antenna
	// off a list that is a duplicate.
	// Files are uploaded once their folders exist and before the pinned
	// notes that attach them; old and undeclared files go after the notes
	// that used them were replaced, and before the folders that held them.
	p.add(antExtras, antDels, hookDels, clipDels, listDels, listUps, profileLate, antUps, hookUps, listExtras, folderUps, fileUps, followUps, pinSteps, schedDels, schedUps, clipUps, followDels, fileDels, imageDels, folderExtras, folderDels)
	p.add(blockDels, muteDels, rmuteDels, blockUps, muteUps, rmuteUps)
	p.checkUploads()
	p.checkPreventDestroy()
	p.forgetGone()
	p.estimateWaits()
	sort.Slice(p.ap.Adopt, func(i, j int) bool { return p.ap.Adopt[i].Key < p.ap.Adopt[j].Key })
	return p.ap, p.diags
}

// planState is the working state of one account's diff.
type planState struct {
	acct  *schema.Account
	live  *Live
	ap    *AccountPlan
	diags hcl.Diagnostics
	// userIDs maps normalised accts to user ids (follows and resolved users).
	userIDs map[string]string
	// protected maps change keys to the lifecycle that forbids destroying them.
	protected map[string]schema.Lifecycle
	// fileIDs maps declared drive paths to the live ids of files this plan
	// keeps as they are (pinned notes compare their files with them).
	fileIDs map[string]string
	// imageChanges marks "avatar" and "banner" when the plan sets them.
	imageChanges map[string]bool
	// fileKeys indexes the record's drive file entries by id (ownedFileKey).
	fileKeys map[string]string
	// uploads are the files the plan uploads (checkUploads).
	uploads []plannedUpload
	// pinIDs maps pinned_note labels to the live ids of the notes the
	// plan keeps (clips refer to them; see notePinned).
	pinIDs map[string]string
}

func (p *planState) add(groups ...[]*Change) {
	for _, g := range groups {
		p.ap.Changes = append(p.ap.Changes, g...)
	}
}

// userID finds the user id of an acct, ignoring case.
func (p *planState) userID(acct string) (string, bool) {
	id, ok := p.userIDs[strings.ToLower(acct)]
	return id, ok
}

// address is the full address of an object of the account.
func (p *planState) address(key string) string { return p.acct.Address() + "." + key }

// owned reports whether the ownership record holds key with that id.
func (p *planState) owned(key, id string) bool { return p.live.Ownership.Owns(key, id) }

// adopt records a declared object that exists but is not in the record yet.
func (p *planState) adopt(key, id string, applied map[string]any) {
	if p.live.Ownership.Owns(key, id) {
		return
	}
	p.ap.Adopt = append(p.ap.Adopt, Owned{Key: key, ID: id, Applied: applied})
}

func (p *planState) purged(collection string) bool { return p.acct.Purge[collection] }

func (p *planState) note(format string, args ...any) {
	p.ap.Notes = append(p.ap.Notes, fmt.Sprintf(format, args...))
}

func (p *planState) errorf(subject hcl.Range, summary, format string, args ...any) {
	r := subject
	p.diags = append(p.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  &r,
	})
}

// protect remembers that the change with key must not destroy its object.
func (p *planState) protect(key string, lc schema.Lifecycle) {
	if !lc.PreventDestroy {
		return
	}
	if p.protected == nil {
		p.protected = map[string]schema.Lifecycle{}
	}
	p.protected[key] = lc
}

// checkPreventDestroy fails the plan when it would delete or replace an
// object whose block says lifecycle { prevent_destroy = true }.
func (p *planState) checkPreventDestroy() {
	for _, c := range p.ap.Changes {
		if c.Action != ActionDelete && c.Action != ActionReplace {
			continue
		}
		lc, ok := p.protected[c.Key]
		if !ok {
			continue
		}
		verb := "destroy"
		if c.Action == ActionReplace {
			verb = "replace"
		}
		p.errorf(lc.Range, "Instance cannot be destroyed",
			"%s has lifecycle.prevent_destroy set, but the plan would %s it (%s). Hint: change the configuration back, or remove prevent_destroy if you really mean it.",
			c.Address, verb, c.Reason)
	}
}

// countLimit is a role policy that caps how many objects of a kind an
// account may have.
type countLimit struct {
	policy     string // role policy name, e.g. "antennaLimit"
	def        int    // Misskey's default for it
	noun       string // "antennas"
	collection string // for the purge hint
}

// overLimit reports, at the first block past the limit, a plan that would
// leave the account with more objects than its role allows: the declared
// ones plus the unmanaged ones that stay. It returns whether it did.
func (p *planState) overLimit(l countLimit, blocks []hcl.Range, unmanaged int) bool {
	limit := p.policy(l.policy, l.def)
	if len(blocks) == 0 || len(blocks)+unmanaged <= limit {
		return false
	}
	over := blocks[min(max(limit-unmanaged, 0), len(blocks)-1)]
	p.errorf(over, "Too many "+l.noun,
		"This configuration declares %d %s and %d other(s) stay on the account, but it may have at most %d (role policy %s). Hint: remove some blocks, or add %q to purge to let mkctl remove the others.",
		len(blocks), l.noun, unmanaged, limit, l.policy, l.collection)
	return true
}

// declRanges lists the blocks' ranges, for diagnostics about a count.
func declRanges[T interface{ Decl() hcl.Range }](blocks []T) []hcl.Range {
	out := make([]hcl.Range, len(blocks))
	for i, b := range blocks {
		out[i] = b.Decl()
	}
	return out
}

// policy reads a numeric role policy of the account, with Misskey's default.
func (p *planState) policy(name string, def int) int {
	if v, ok := p.live.Policies[name].(float64); ok {
		return int(v)
	}
	if v, ok := p.live.Policies[name].(int); ok {
		return v
	}
	return def
}

// New wraps account plans into a Plan.
func New(accounts ...*AccountPlan) *Plan {
	if accounts == nil {
		accounts = []*AccountPlan{}
	}
	return &Plan{FormatVersion: FormatVersion, Accounts: accounts}
}

// Summary counts the changes the way Terraform's "Plan:" line does: a
// replacement counts as one add and one destroy.
type Summary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Destroy int `json:"destroy"`
}

// Summary counts every change of the plan.
func (p *Plan) Summary() Summary {
	var s Summary
	for _, a := range p.Accounts {
		for _, c := range a.Changes {
			if c.Followup {
				continue // counted with the replace it finishes
			}
			switch c.Action {
			case ActionCreate:
				s.Add++
			case ActionUpdate:
				s.Change++
			case ActionDelete:
				s.Destroy++
			case ActionReplace:
				s.Add++
				s.Destroy++
			}
		}
	}
	return s
}

// HasChanges reports whether applying the plan would change anything on
// the server. Adopting existing objects into the ownership record is not a
// change: apply records them, but the plan still says "No changes".
func (p *Plan) HasChanges() bool {
	s := p.Summary()
	return s.Add+s.Change+s.Destroy > 0
}

// NeedsApply reports whether apply has anything to do, adoptions included.
func (p *Plan) NeedsApply() bool {
	if p.HasChanges() {
		return true
	}
	for _, a := range p.Accounts {
		if len(a.Adopt) > 0 || len(a.Forget) > 0 {
			return true
		}
	}
	return false
}
