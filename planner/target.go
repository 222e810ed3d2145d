package planner

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"

	"github.com/mkctl/mkctl/schema"
)

// Targeting: --target and --exclude (see README.md, "Targeting").
//
// An address names an account or one resource of an account, in the form
// the plan prints:
//
//	account.news                          the account
//	account.fleet["rain"]                 one for_each instance
//	account.fleet                         every instance of the block
//	account.news.profile                  the profile (avatar and banner included)
//	account.news.profile.avatar           the avatar alone
//	account.news.follow["@alice"]         one follow
//	account.news.follow                   every follow of the account
//	account.news.pinned_note.welcome      pinned_note["welcome"] too
//	account.news.drive_folder["a/b"]
//	account.news.drive_file["a/logo.png"]
//	account.news.antenna.rust             antenna["rust"] too; a name with
//	account.news.user_list.friends        spaces as the plan prints it
//
// Quoted keys take Go/HCL escapes (\" \\ \n \t \uXXXX).
//
// Accounts: with a --target, only the accounts a target names are planned;
// an --exclude of an account (or of every instance of a block) drops it.
// Accounts left out are not read at all, so they need no token.
//
// Resources: a resource --target keeps, in its account, the changes of the
// targeted objects plus, transitively, the changes they depend on: a change
// whose Refs name another object the plan creates (a drive_file in a new
// folder → the folder's creation, a child folder → its parent, a pinned note
// attaching a new file → the upload, an antenna on a new user_list → the
// list); the follow-up deletion of a replaced file goes with its replace;
// the deletion of a folder takes the deletions of what is inside it. An
// account that is targeted as a whole keeps all its changes. A resource
// --exclude drops the changes of that object and of every change that
// depends on it (the same rule the other way round). Adoptions and
// ownership-record cleanups (Forget) follow the same selection, by key.

// Address is a parsed --target or --exclude address.
type Address struct {
	Raw    string // as written
	Label  string // account "LABEL"
	Key    string // the for_each key, when HasKey
	HasKey bool
	// Type is the resource type ("" for the account as a whole); Name the
	// object's name or key within it ("" with HasName false: every object of
	// the type).
	Type    string
	Name    string
	HasName bool
}

// resourceTypes are the types an address may name after the account.
var resourceTypes = []string{TypeProfile, TypePinnedNote, TypeFollow, TypeDriveFolder, TypeDriveFile, TypeAntenna, TypeUserList, TypeWebhook, TypeClip, TypeBlock, TypeMute, TypeRenoteMute, TypeScheduledNote}

// IsAccount reports whether the address names whole accounts.
func (a Address) IsAccount() bool { return a.Type == "" }

// String is the address in canonical form.
func (a Address) String() string {
	s := "account." + a.Label
	if a.HasKey {
		s += "[" + strconv.Quote(a.Key) + "]"
	}
	if a.Type != "" {
		s += "." + a.Type
	}
	if a.HasName {
		s += "[" + strconv.Quote(a.Name) + "]"
	}
	return s
}

// ParseAddress parses an account or resource address.
func ParseAddress(s string) (Address, error) {
	a := Address{Raw: s}
	bad := func(format string, args ...any) (Address, error) {
		return Address{}, fmt.Errorf("invalid address %q: %s", s, fmt.Sprintf(format, args...))
	}
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), "account.")
	if !ok {
		return bad(`an address starts with "account.", as in account.news or account.news.follow["@alice"]`)
	}
	a.Label, rest = cutIdent(rest)
	if a.Label == "" {
		return bad("expected the account's label after \"account.\"")
	}
	if strings.HasPrefix(rest, "[") {
		key, r, err := cutIndex(rest)
		if err != nil {
			return bad("%v", err)
		}
		a.Key, a.HasKey, rest = key, true, r
	}
	if rest == "" {
		return a, nil
	}
	if rest, ok = strings.CutPrefix(rest, "."); !ok {
		return bad("unexpected %q after %s", rest, a.String())
	}
	a.Type, rest = cutIdent(rest)
	if !containsStr(resourceTypes, a.Type) {
		hint := ""
		if s := closest(a.Type, resourceTypes, 2); len(s) > 0 {
			hint = fmt.Sprintf(" Did you mean %q?", s[0])
		}
		return bad("%q is not a resource type; the types are %s.%s", a.Type, strings.Join(resourceTypes, ", "), hint)
	}
	switch {
	case rest == "":
		return a, nil
	case strings.HasPrefix(rest, "["):
		name, r, err := cutIndex(rest)
		if err != nil {
			return bad("%v", err)
		}
		if r != "" {
			return bad("unexpected %q after %s", r, s[:len(s)-len(r)])
		}
		a.Name, a.HasName = name, true
	case strings.HasPrefix(rest, "."):
		name := rest[1:]
		if a.Type == TypeAntenna || a.Type == TypeUserList || a.Type == TypeWebhook || a.Type == TypeClip {
			// The plan prints these names as they are (antenna.my list).
			a.Name = name
		} else {
			var r string
			a.Name, r = cutIdent(name)
			if r != "" {
				return bad("unexpected %q; quote the name: %s.%s[%s]", r, a.Label, a.Type, strconv.Quote(name))
			}
		}
		if a.Name == "" {
			return bad("expected a name after %s.", a.Type)
		}
		a.HasName = true
	default:
		return bad("unexpected %q after %s", rest, a.Type)
	}
	switch a.Type {
	case TypeFollow, TypeBlock, TypeMute, TypeRenoteMute:
		a.Name = normAcct(a.Name)
	case TypeProfile:
		if a.Name != "avatar" && a.Name != "banner" {
			return bad(`the profile is addressed as a whole (…profile) or as …profile.avatar / …profile.banner`)
		}
	}
	return a, nil
}

func normAcct(s string) string { return "@" + strings.TrimPrefix(strings.ToLower(s), "@") }

// cutIdent splits a leading HCL identifier (letters, digits, _ and -).
func cutIdent(s string) (string, string) {
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80 {
			i++
			continue
		}
		break
	}
	return s[:i], s[i:]
}

// cutIndex splits a leading ["quoted key"].
func cutIndex(s string) (string, string, error) {
	if !strings.HasPrefix(s, `["`) {
		return "", "", fmt.Errorf(`expected a quoted key, as in ["rain"]`)
	}
	i := 2
	for ; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] == '"' {
			break
		}
	}
	if i >= len(s) || !strings.HasPrefix(s[i+1:], "]") {
		return "", "", fmt.Errorf(`unterminated key: expected "] after %s`, s)
	}
	key, err := strconv.Unquote(s[1 : i+1])
	if err != nil {
		return "", "", fmt.Errorf("bad escape in the key %s", s[1:i+1])
	}
	return key, s[i+2:], nil
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Selection is a set of --target and --exclude addresses.
type Selection struct {
	Targets  []Address
	Excludes []Address
}

// ParseSelection parses every address; the errors name each bad one.
func ParseSelection(targets, excludes []string) (*Selection, error) {
	s := &Selection{}
	var errs []string
	for _, t := range targets {
		a, err := ParseAddress(t)
		if err != nil {
			errs = append(errs, "--target: "+err.Error())
			continue
		}
		s.Targets = append(s.Targets, a)
	}
	for _, t := range excludes {
		a, err := ParseAddress(t)
		if err != nil {
			errs = append(errs, "--exclude: "+err.Error())
			continue
		}
		s.Excludes = append(s.Excludes, a)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return s, nil
}

// Empty reports whether nothing is targeted or excluded (a full plan).
func (s *Selection) Empty() bool { return s == nil || len(s.Targets)+len(s.Excludes) == 0 }

// Partial describes a partial plan, for the plan's output.
func (s *Selection) Partial() *Partial {
	if s.Empty() {
		return nil
	}
	p := &Partial{}
	for _, a := range s.Targets {
		p.Targets = append(p.Targets, a.Raw)
	}
	for _, a := range s.Excludes {
		p.Excludes = append(p.Excludes, a.Raw)
	}
	return p
}

// Partial marks a plan made with --target or --exclude: other changes may
// be pending.
type Partial struct {
	Targets  []string `json:"targets,omitempty"`
	Excludes []string `json:"excludes,omitempty"`
}

// matchesAccount reports whether the address's account part names acct.
func (a Address) matchesAccount(acct *schema.Account) bool {
	return a.Label == acct.Label && (!a.HasKey || a.Key == acct.Key)
}

// SelectsAccount reports whether acct is planned at all: it must be named
// by a target (any target, when there are only excludes) and not excluded
// as a whole.
func (s *Selection) SelectsAccount(acct *schema.Account) bool {
	if s.Empty() {
		return true
	}
	for _, a := range s.Excludes {
		if a.IsAccount() && a.matchesAccount(acct) {
			return false
		}
	}
	if len(s.Targets) == 0 {
		return true
	}
	for _, a := range s.Targets {
		if a.matchesAccount(acct) {
			return true
		}
	}
	return false
}

// CheckAccounts reports every address whose account part names no
// declared account, with the closest declared addresses. It needs no
// network: plan and apply run it before reading anything.
func (s *Selection) CheckAccounts(cfg *schema.Config) error {
	if s.Empty() {
		return nil
	}
	var cands []string
	seen := map[string]bool{}
	for _, acct := range cfg.Accounts {
		for _, c := range []string{"account." + acct.Label, acct.Address()} {
			if !seen[c] {
				seen[c] = true
				cands = append(cands, c)
			}
		}
	}
	return s.checkEach(func(flag string, a Address) string {
		for _, acct := range cfg.Accounts {
			if a.matchesAccount(acct) {
				return ""
			}
		}
		acctPart := Address{Label: a.Label, Key: a.Key, HasKey: a.HasKey}.String()
		return fmt.Sprintf("%s %s: no account %s is declared.%s", flag, a.Raw, acctPart, didYouMean(acctPart, cands))
	})
}

// checkEach runs check on every --target and then every --exclude address
// and joins what it reports into one error, one address a line, so that a
// user fixes all the typos of a command line in one go.
func (s *Selection) checkEach(check func(flag string, a Address) string) error {
	var errs []string
	for _, a := range s.Targets {
		if e := check("--target", a); e != "" {
			errs = append(errs, e)
		}
	}
	for _, a := range s.Excludes {
		if e := check("--exclude", a); e != "" {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return nil
}

// objectRef is what a change, record key or declaration is about.
type objectRef struct{ typ, name string }

// refOf parses an address relative to the account (a change's address
// without the account, or an ownership key): follow["@a"], profile,
// profile.avatar~ID, pinned_note.welcome~ID, antenna.NAME …
func refOf(rel string) (objectRef, bool) {
	typ, rest := cutIdent(rel)
	if !containsStr(resourceTypes, typ) {
		return objectRef{}, false
	}
	switch {
	case rest == "":
		return objectRef{typ: typ}, true
	case strings.HasPrefix(rest, "["):
		name, _, err := cutIndex(rest) // a retiring ~ID after ] is dropped
		if err != nil {
			return objectRef{}, false
		}
		if typ == TypeFollow || typ == TypeBlock || typ == TypeMute || typ == TypeRenoteMute {
			name = normAcct(name)
		}
		return objectRef{typ, name}, true
	case strings.HasPrefix(rest, "."):
		name := rest[1:]
		if typ == TypePinnedNote || typ == TypeProfile {
			name, _, _ = strings.Cut(name, "~")
		}
		return objectRef{typ, name}, true
	}
	return objectRef{}, false
}

// matchesRef reports whether the (resource) address names the object.
func (a Address) matchesRef(r objectRef) bool {
	if a.Type != r.typ {
		return false
	}
	// The profile is one object (one i/update sets the avatar and banner
	// too): profile.avatar names it as well as the avatar's old file.
	if !a.HasName || a.Type == TypeProfile {
		return true
	}
	return a.Name == r.name
}

// changeRef is the object a change is about.
func changeRef(ap *AccountPlan, c *Change) (objectRef, bool) {
	return refOf(strings.TrimPrefix(c.Address, ap.Address+"."))
}

// DeclaredAddresses lists the addresses of what the account declares, for
// the did-you-mean of an address that matches nothing.
func DeclaredAddresses(acct *schema.Account) []string {
	base := acct.Address() + "."
	out := []string{acct.Address()}
	if acct.Profile != nil {
		out = append(out, base+"profile")
	}
	for _, n := range acct.PinnedNotes {
		out = append(out, base+pinnedNoteKey(n.Label))
	}
	for _, f := range acct.Follows {
		out = append(out, base+followKey(f.Acct))
	}
	for _, f := range acct.DriveFolders {
		out = append(out, base+folderKey(f.Path))
	}
	for _, f := range acct.DriveFiles {
		out = append(out, base+DriveFileKey(f.Key()))
	}
	for _, a := range acct.Antennas {
		out = append(out, base+antennaKey(a.Name))
	}
	for _, l := range acct.UserLists {
		out = append(out, base+"user_list."+l.Name)
	}
	for _, w := range acct.Webhooks {
		out = append(out, base+webhookKey(w.Name))
	}
	for _, c := range acct.Clips {
		out = append(out, base+clipKey(c.Name))
	}
	for _, n := range acct.ScheduledNotes {
		out = append(out, base+scheduledNoteKey(n.Label))
	}
	for _, kind := range []string{TypeBlock, TypeMute, TypeRenoteMute} {
		for _, u := range relationDeclared(acct, kind) {
			out = append(out, base+relationKey(kind, u.Acct))
		}
	}
	return out
}

// Filter applies the selection's resource addresses to one account's plan
// (the account itself is selected: see SelectsAccount). It changes ap in
// place and returns the raw addresses that matched a declared object or a
// change of this account, for the check that every address matches
// something (see Unmatched).
func (s *Selection) Filter(acct *schema.Account, ap *AccountPlan) []string {
	if s.Empty() {
		return nil
	}
	matched := map[string]bool{}
	var targets, excludes []Address
	wholeAccount := len(s.Targets) == 0
	for _, a := range s.Targets {
		if !a.matchesAccount(acct) {
			continue
		}
		a = localFollow(a, acct)
		if a.IsAccount() {
			wholeAccount = true
			matched[a.Raw] = true
		} else {
			targets = append(targets, a)
		}
	}
	for _, a := range s.Excludes {
		if a.matchesAccount(acct) && !a.IsAccount() {
			excludes = append(excludes, localFollow(a, acct))
		}
	}
	// Declared objects count as matches even when they need no change.
	for _, d := range DeclaredAddresses(acct) {
		r, ok := refOf(strings.TrimPrefix(d, acct.Address()+"."))
		if !ok {
			continue
		}
		for _, a := range append(append([]Address{}, targets...), excludes...) {
			if a.matchesRef(r) {
				matched[a.Raw] = true
			}
		}
	}
	anyMatch := func(list []Address, r objectRef) bool {
		hit := false
		for _, a := range list {
			if a.matchesRef(r) {
				matched[a.Raw] = true
				hit = true
			}
		}
		return hit
	}
	keep := make([]bool, len(ap.Changes))
	for i, c := range ap.Changes {
		r, ok := changeRef(ap, c)
		keep[i] = wholeAccount
		if ok && anyMatch(targets, r) {
			keep[i] = true
		}
	}
	if !wholeAccount {
		closeOver(ap, keep)
	}
	if len(excludes) > 0 {
		drop := make([]bool, len(ap.Changes))
		for i, c := range ap.Changes {
			if r, ok := changeRef(ap, c); ok && anyMatch(excludes, r) {
				drop[i] = true
			}
		}
		dependents(ap, drop)
		for i := range keep {
			keep[i] = keep[i] && !drop[i]
		}
	}
	var changes []*Change
	keptKeys := map[string]bool{}
	for i, c := range ap.Changes {
		if keep[i] {
			changes = append(changes, c)
			if r, ok := changeRef(ap, c); ok {
				keptKeys[r.typ+"\x00"+r.name] = true
			}
		}
	}
	ap.Changes = append([]*Change{}, changes...)
	// Adoptions and record cleanups: by key, the same selection.
	selectKey := func(key string) bool {
		r, ok := refOf(key)
		if !ok {
			return wholeAccount && len(excludes) == 0
		}
		in := wholeAccount || anyMatch(targets, r) || keptKeys[r.typ+"\x00"+r.name]
		return in && !anyMatch(excludes, r)
	}
	var adopt []Owned
	for _, o := range ap.Adopt {
		if selectKey(o.Key) {
			adopt = append(adopt, o)
		}
	}
	ap.Adopt = adopt
	var forget []string
	for _, k := range ap.Forget {
		if selectKey(k) {
			forget = append(forget, k)
		}
	}
	ap.Forget = forget
	out := make([]string, 0, len(matched))
	for k := range matched {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// localFollow drops the account's own host from a follow address, as the
// plan does: follow["@bob@misskey.example"] on misskey.example is
// follow["@bob"].
func localFollow(a Address, acct *schema.Account) Address {
	if (a.Type != TypeFollow && a.Type != TypeBlock && a.Type != TypeMute && a.Type != TypeRenoteMute) || !a.HasName {
		return a
	}
	host := acct.Host
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	a.Name = strings.TrimSuffix(a.Name, "@"+strings.ToLower(host))
	return a
}

// dependsOn reports whether change a needs change b to be applied with it
// (see the rule at the top of this file).
func dependsOn(ap *AccountPlan, a, b *Change) bool {
	if b.Action == ActionDelete {
		// The deletion of a folder needs what is inside deleted first; a
		// replace's follow-up deletion goes with the replace.
		if a.Type == TypeDriveFolder && a.Action == ActionDelete && (b.Type == TypeDriveFolder || b.Type == TypeDriveFile) {
			ra, okA := changeRef(ap, a)
			rb, okB := changeRef(ap, b)
			if okA && okB && strings.HasPrefix(rb.name, ra.name+"/") {
				return true
			}
		}
		if b.Followup && a.Action != ActionDelete {
			ra, okA := changeRef(ap, a)
			rb, okB := changeRef(ap, b)
			return okA && okB && ra == rb
		}
		return false
	}
	if a.Refs == nil || b.Key == "" {
		return false
	}
	for _, k := range a.Refs {
		if k == b.Key {
			return true
		}
	}
	return false
}

// closeOver adds to keep every change a kept change depends on, transitively.
func closeOver(ap *AccountPlan, keep []bool) {
	for changed := true; changed; {
		changed = false
		for i, a := range ap.Changes {
			if !keep[i] {
				continue
			}
			for j, b := range ap.Changes {
				if !keep[j] && dependsOn(ap, a, b) {
					keep[j], changed = true, true
				}
			}
		}
	}
}

// dependents adds to drop every change that depends on a dropped one.
func dependents(ap *AccountPlan, drop []bool) {
	for changed := true; changed; {
		changed = false
		for i, a := range ap.Changes {
			if drop[i] {
				continue
			}
			for j, b := range ap.Changes {
				if drop[j] && dependsOn(ap, a, b) {
					drop[i], changed = true, true
					break
				}
			}
		}
	}
}

// Unmatched returns an error naming every resource address that matched
// nothing (matched holds the raw addresses Filter reported), with the
// closest of the candidate addresses.
func (s *Selection) Unmatched(matched map[string]bool, candidates []string) error {
	if s.Empty() {
		return nil
	}
	// The given address is compared in its canonical (bracketed) form, so
	// the candidates are too: the plan prints most kinds dotted
	// (scheduled_note.xmas), four edits away from scheduled_note["xmas"]
	// before any typo. The suggestion is shown as the plan prints it.
	var canon []string
	shown := map[string]string{}
	for _, c := range candidates {
		k := c
		if ca, err := ParseAddress(c); err == nil {
			k = ca.String()
		}
		if _, dup := shown[k]; !dup {
			shown[k] = c
			canon = append(canon, k)
		}
	}
	return s.checkEach(func(flag string, a Address) string {
		if a.IsAccount() || matched[a.Raw] {
			return ""
		}
		names := closest(a.String(), canon, 3)
		for i, n := range names {
			names[i] = shown[n]
		}
		return fmt.Sprintf("%s %s matches no declared resource and no planned change.%s", flag, a.Raw, suggest(names))
	})
}

// closest lists the candidates nearest to given: a case-insensitive match,
// else those within limit edits (the rule of schema's didyoumean.go, whose
// limit is 2), the nearest ones only (ties all listed, at most three).
func closest(given string, candidates []string, limit int) []string {
	for _, c := range candidates {
		if strings.EqualFold(given, c) {
			return []string{c}
		}
	}
	best := limit + 1
	var names []string
	seen := map[string]bool{}
	for _, c := range candidates {
		d := levenshtein.Distance(given, c, nil)
		switch {
		case d > best || seen[c]:
			continue
		case d < best:
			best, names, seen = d, nil, map[string]bool{}
		}
		if len(names) < 3 {
			names = append(names, c)
			seen[c] = true
		}
	}
	return names
}

// didYouMean renders the closest addresses as a sentence. Addresses hold
// user-written keys, so one more edit than for a keyword is allowed.
func didYouMean(given string, candidates []string) string {
	return suggest(closest(given, candidates, 3))
}

// suggest is the did-you-mean sentence of names, "" for none.
func suggest(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return " Did you mean " + strings.Join(names, " or ") + "?"
}

// waitNotes are the rate-limit wait notes estimateWaits makes for changes.
func waitNotes(acct *schema.Account, live *Live, changes []*Change) []string {
	p := &planState{acct: acct, live: live, ap: &AccountPlan{Changes: changes}}
	p.estimateWaits()
	return p.ap.Notes
}

// Target is Filter for a plan made by PlanAccount from live: the
// rate-limit wait notes are made again for the changes that are left, and
// the draft and count limits are checked again for what the partial plan
// really does (a deletion that made room may be left out).
func (s *Selection) Target(acct *schema.Account, live *Live, ap *AccountPlan) ([]string, hcl.Diagnostics) {
	if s.Empty() {
		return nil, nil
	}
	before := waitNotes(acct, live, ap.Changes)
	full := ap.Changes
	matched := s.Filter(acct, ap)
	diags := checkTargetedCountLimits(acct, live, full, ap.Changes)
	stale := map[string]bool{}
	for _, n := range before {
		stale[n] = true
	}
	var notes []string
	for _, n := range ap.Notes {
		if !stale[n] {
			notes = append(notes, n)
		}
	}
	ap.Notes = append(notes, waitNotes(acct, live, ap.Changes)...)
	return matched, diags
}
