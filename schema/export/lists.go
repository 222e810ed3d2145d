package export

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// older orders objects the way the planner picks the one to keep among
// duplicates (planner/dedupe.go keeper): creation time, then id (Misskey
// ids grow with time).
func older(at time.Time, id string, bt time.Time, bid string) bool {
	if !at.Equal(bt) {
		return at.Before(bt)
	}
	return id < bid
}

// nameProblem says why a user_list or antenna label cannot be name.
func nameProblem(name string) string {
	switch {
	case name == "":
		return "its name is empty"
	case hasNUL(name):
		return "its name contains a NUL character"
	case schema.CharLen(name) > schema.MaxListName:
		return fmt.Sprintf("its name is longer than the %d characters Misskey accepts", schema.MaxListName)
	}
	return ""
}

// userLists writes one user_list block per list, sorted by name. Members
// are accts from UserAccts; a member whose acct is unknown (the user is
// gone) is left out with a comment, so the plan will pull it from the list.
// only, when not nil, holds the ids of the lists antennas use: user_lists
// were not asked for, and only those are written. Of several lists of one
// name none is written (see skipDuplicates): mkctl could not tell them
// apart, and declaring one would make the plan delete the others or stop.
func (g *gen) userLists(body *hclwrite.Body, only map[string]bool) {
	names, byName := groupByName(g.acc.Live.UserLists, func(l planner.LiveUserList) string { return l.Name })
	for _, name := range names {
		group := byName[name]
		if only != nil && !slices.ContainsFunc(group, func(l planner.LiveUserList) bool { return only[l.ID] }) {
			continue
		}
		sort.Slice(group, func(i, j int) bool { return older(group[i].CreatedAt, group[i].ID, group[j].CreatedAt, group[j].ID) })
		if why := nameProblem(name); why != "" {
			body.AppendNewline()
			for _, l := range group {
				g.skipList(body, l, why)
			}
			continue
		}
		if len(group) > 1 {
			ids := idsOf(group, func(l planner.LiveUserList) string { return l.ID })
			for _, l := range group {
				g.skippedLists[l.ID] = fmt.Sprintf("it uses the user list %s (id %s), one of %d lists of that name, which mkctl cannot tell apart, so none of them is exported", quoteName(name), l.ID, len(group))
			}
			g.count("user_lists").Skipped += len(group)
			if only == nil {
				// With the antennas only, the antenna's comment says it.
				body.AppendNewline()
				g.skipDuplicates(body, "User lists", "user lists", "lists", name, ids)
			}
			continue
		}
		body.AppendNewline()
		l := group[0]
		var members, unknown []string
		seen := map[string]bool{}
		for _, id := range l.UserIDs {
			raw, ok := g.acc.UserAccts[id]
			if !ok {
				unknown = append(unknown, id)
				continue
			}
			acct, prob := schema.NormaliseUserAcct(raw, g.ownHost)
			if prob != "" {
				unknown = append(unknown, id+" ("+raw+")")
				continue
			}
			if seen[strings.ToLower(acct)] {
				continue
			}
			seen[strings.ToLower(acct)] = true
			members = append(members, acct)
		}
		sort.Strings(members)
		sort.Strings(unknown)
		if len(unknown) > 0 {
			comment(body, fmt.Sprintf("Left out of this list: user(s) %s, whose account could not be found (gone?); `mkctl plan` will remove them from the list.", strings.Join(unknown, ", ")))
			g.note("user list %s: %d member(s) left out, their account could not be found (%s); the plan will remove them from the list.", quoteName(name), len(unknown), strings.Join(unknown, ", "))
		}
		if only != nil {
			comment(body, "Exported with the antennas, since an antenna uses it (user_lists were not asked for).")
		}
		b := body.AppendNewBlock("user_list", []string{name}).Body()
		b.SetAttributeRaw("members", strList(members, 2))
		g.count("user_lists").Declared++
		g.listNames[l.ID] = name
	}
}

func (g *gen) skipList(body *hclwrite.Body, l planner.LiveUserList, why string) {
	why = stays(why)
	comment(body, fmt.Sprintf("User list %s (id %s) is not exported: %s.", quoteName(l.Name), l.ID, why))
	g.note("user list %s (id %s) is not exported: %s.", quoteName(l.Name), l.ID, why)
	g.skippedLists[l.ID] = fmt.Sprintf("its user list (id %s) is not exported", l.ID)
	g.count("user_lists").Skipped++
}

// skipDuplicates leaves out the lists or antennas (what: "lists") of one
// name, whose ids are ids, oldest first: one comment and one note for them
// all. The planner would stop at a declared name with copies it may not
// delete (planner/dedupe.go), and export must plan to no changes.
func (g *gen) skipDuplicates(body *hclwrite.Body, title, noteTitle, what, name string, ids []string) {
	why := fmt.Sprintf("Misskey has %d %s of that name and mkctl finds %s by name, so it could not tell them apart", len(ids), what, what)
	comment(body, fmt.Sprintf("%s %s (ids %s) are not exported: %s. They stay as they are, not managed by mkctl; rename one in Misskey and export again to manage them.",
		title, quoteName(name), strings.Join(ids, ", "), why))
	g.note("%s %s (ids %s) are not exported: %s; they stay as they are, not managed by mkctl (rename one in Misskey and export again to manage them).",
		noteTitle, quoteName(name), strings.Join(ids, ", "), why)
}

// listRef is how an antenna names its list: user_list.NAME when NAME is an
// identifier, user_list["NAME"] otherwise (schema reads both).
func listRef(name string) hclwrite.Tokens {
	if hclsyntax.ValidIdentifier(name) {
		return ref("user_list", name)
	}
	toks := ref("user_list")
	toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")})
	toks = append(toks, str(name)...)
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")})
}
