package schema

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// AntennaSources are the values of an antenna's source (the API's src).
// Misskey 2026.5.4 applies no filter for "home", so it behaves like "all"
// (API-NOTES §6).
var AntennaSources = []string{"all", "home", "users", "list", "users_blacklist"}

const keywordsExample = `keywords = [["storm"], ["typhoon", "warning"]]`

var antennaDesc = bodyDesc{
	What: "an antenna block",
	Schema: &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "source"},
			{Name: "keywords"},
			{Name: "exclude_keywords"},
			{Name: "users"},
			{Name: "user_list"},
			{Name: "case_sensitive"},
			{Name: "local_only"},
			{Name: "exclude_bots"},
			{Name: "with_replies"},
			{Name: "with_file"},
			{Name: "exclude_notes_in_sensitive_channel"},
		},
		Blocks: []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
	},
	// Misskey's camelCase parameter names are a likely slip.
	Aliases: map[string]string{
		"src":                            "source",
		"keyword":                        "keywords",
		"excludekeywords":                "exclude_keywords",
		"exclude":                        "exclude_keywords",
		"userlistid":                     "user_list",
		"userlist":                       "user_list",
		"list":                           "user_list",
		"casesensitive":                  "case_sensitive",
		"localonly":                      "local_only",
		"excludebots":                    "exclude_bots",
		"withreplies":                    "with_replies",
		"withfile":                       "with_file",
		"excludenotesinsensitivechannel": "exclude_notes_in_sensitive_channel",
	},
	Refused: func() map[string]string {
		m := refusedResourceArgs("antenna")
		m["name"] = "an antenna's name is its label: antenna \"storms\" { ... }. Hint: remove name and put the name in the label."
		m["notify"] = "notify is not an antenna setting: Misskey ignores it and always reports false (it is kept only for compatibility). Hint: remove it."
		return m
	}(),
}

// antennaBlock is a checked antenna block.
type antennaBlock struct {
	*resource
	name string
}

func decodeAntenna(block *hcl.Block) (*antennaBlock, hcl.Diagnostics) {
	diags := checkNameLabel(block, "antenna", maxListName, "Misskey accepts at most 100")
	r, _, d := decodeResource(block, antennaDesc)
	return &antennaBlock{resource: r, name: block.Labels[0]}, append(diags, d...)
}

// evaluate computes the antenna with Misskey's own rules checked here, so
// that apply does not fail halfway: a keyword is required
// (EMPTY_KEYWORD), users go with the users sources and a list with the
// list source. lists are the names of the account's user_list blocks.
func (ab *antennaBlock) evaluate(s *scope, lists []string, own ownAccount) (*Antenna, hcl.Diagnostics) {
	e := &attrEval{s: s, attrs: ab.attrs}
	a := &Antenna{
		Name:            ab.name,
		Source:          "all",
		Keywords:        [][]string{},
		ExcludeKeywords: [][]string{},
		Users:           []string{},
		DeclRange:       ab.block.DefRange,
	}

	src, _, _, srcState := e.enum("source", AntennaSources, nil, false)
	if srcState == attrSet {
		a.Source = src
	}
	srcKnown := srcState != attrFailed

	var kwOK, exOK bool
	a.Keywords, kwOK = e.keywordGroups("keywords")
	a.ExcludeKeywords, exOK = e.keywordGroups("exclude_keywords")
	if kwOK && exOK && len(a.Keywords) == 0 && len(a.ExcludeKeywords) == 0 {
		rng := ab.block.DefRange
		if attr := ab.attrs["keywords"]; attr != nil {
			rng = attr.Expr.Range()
		}
		e.diags = append(e.diags, errorf(rng, "Antenna without keywords",
			"antenna %q has no keyword: Misskey refuses an antenna without at least one non-empty keyword or exclude keyword (EMPTY_KEYWORD). Hint: add one, e.g. %s. An antenna meant to receive all notes from some users still needs a keyword or an exclude keyword, e.g. exclude_keywords = [[\"some text that never appears\"]].",
			ab.name, keywordsExample))
	}

	ab.users(e, a, srcKnown, own)
	ab.userList(e, a, srcKnown, lists)

	a.CaseSensitive = e.boolean("case_sensitive", false)
	a.LocalOnly = e.boolean("local_only", false)
	a.ExcludeBots = e.boolean("exclude_bots", false)
	a.WithReplies = e.boolean("with_replies", false)
	a.WithFile = e.boolean("with_file", false)
	a.ExcludeNotesInSensitiveChannel = e.boolean("exclude_notes_in_sensitive_channel", false)

	lc, d := ab.lifecycle.evaluate(s)
	a.Lifecycle = lc
	return a, append(e.diags, d...)
}

// users reads the users attribute. The accts are kept as written, since
// Misskey stores them verbatim and compares them ignoring case; they are
// normalised only to check them and to find duplicates.
func (ab *antennaBlock) users(e *attrEval, a *Antenna, srcKnown bool, own ownAccount) {
	before := len(e.diags)
	items, attr, ctx, st := e.strings("users", `users = ["@alice@misskey.example"]`)
	bySource := a.Source == "users" || a.Source == "users_blacklist"
	if len(items) > 0 && srcKnown && !bySource {
		e.errorf(attr.Expr, ctx, "Users without a users source",
			"users is used only when source is \"users\" (notes by these users) or \"users_blacklist\" (notes by everyone else), but source is %q. Hint: set source = \"users\", or remove users.", a.Source)
		return
	}
	seen := make(map[string]listItem, len(items))
	for _, it := range items {
		acct, prob := normaliseUserAcct(it.value, own.host)
		if prob != "" {
			e.errorf(it.expr, ctx, "Invalid account address", "users[%d]: %s", it.index, prob)
			continue
		}
		key := strings.ToLower(acct)
		if first, dup := seen[key]; dup {
			e.errorf(it.expr, ctx, "Duplicate account address",
				"users[%d] (%s) is the same account as users[%d]. Hint: remove one of them (user names are compared ignoring case).", it.index, it.value, first.index)
			continue
		}
		seen[key] = it
		a.Users = append(a.Users, it.value)
	}
	// Not an error: Misskey accepts it, and the list may come from a
	// variable that is empty for now.
	if srcKnown && a.Source == "users" && len(a.Users) == 0 && st != attrFailed && len(e.diags) == before {
		rng := ab.block.DefRange
		if attr != nil {
			rng = attr.Expr.Range()
		}
		e.diags = append(e.diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Antenna receives nothing",
			Detail:   fmt.Sprintf("antenna %q has source = \"users\" but no users, so it receives no notes. Hint: list the accounts, e.g. users = [\"@alice@misskey.example\"].", ab.name),
			Subject:  rng.Ptr(),
		})
	}
}

// userList reads user_list: required with source "list", refused
// otherwise. user_list.NAME evaluates to NAME; a plain string is accepted
// too and checked against the declared lists.
func (ab *antennaBlock) userList(e *attrEval, a *Antenna, srcKnown bool, lists []string) {
	name, attr, ctx, st := e.str("user_list", `user_list = user_list.friends`)
	declared := "This account declares no user_list blocks; add one, e.g. user_list \"friends\" { members = [...] }."
	if len(lists) > 0 {
		declared = "The user lists of this account are " + quotedList(lists) + "."
	}
	switch {
	case !srcKnown || st == attrFailed:
		return
	case a.Source == "list" && (st == attrAbsent || st == attrNull):
		rng := ab.block.DefRange
		if attr != nil {
			rng = attr.Expr.Range()
		}
		e.diags = append(e.diags, errorf(rng, "Missing user list",
			"source = \"list\" takes notes from the members of a user list, so user_list is required. %s Hint: add user_list = user_list.%s.", declared, firstOr(lists, "friends")))
	case a.Source != "list" && st == attrSet:
		e.errorf(attr.Expr, ctx, "User list without the list source",
			"user_list is used only when source = \"list\", but source is %q. Hint: set source = \"list\", or remove user_list.", a.Source)
	case st == attrSet && !slices.Contains(lists, name):
		e.errorf(attr.Expr, ctx, "Unknown user list",
			"user_list is %q, but this account has no user_list block of that name.%s %s Hint: an antenna can only use a list of its own account; refer to it as user_list.NAME.", name, didYouMean(name, lists), declared)
	case st == attrSet:
		a.UserList = name
	}
}

// keywordGroups reads keywords or exclude_keywords: a list of AND-groups,
// each a list of strings, or a string that is split on spaces into one
// group (as Misskey's web UI does with one line). ok is false when
// something was wrong.
func (e *attrEval) keywordGroups(name string) ([][]string, bool) {
	groups := [][]string{}
	val, attr, ctx, st := e.value(name)
	switch st {
	case attrAbsent, attrNull:
		return groups, true
	case attrFailed:
		return groups, false
	}
	ty := val.Type()
	if !ty.IsListType() && !ty.IsTupleType() && !ty.IsSetType() {
		e.errorf(attr.Expr, ctx, "Incorrect attribute value type",
			"%s must be a list of keyword groups; got %s. Hint: write %s: a note matches when it contains every word of any one group.", name, describeValue(val), strings.Replace(keywordsExample, "keywords", name, 1))
		return groups, false
	}
	ok := true
	i := 0
	for it := val.ElementIterator(); it.Next(); i++ {
		_, g := it.Element()
		ge := elemExpr(attr.Expr, i)
		group, gok := e.keywordGroup(name, i, g, ge, ctx)
		ok = ok && gok
		if gok {
			groups = append(groups, group)
		}
	}
	return groups, ok
}

func (e *attrEval) keywordGroup(name string, i int, g cty.Value, ge hcl.Expression, ctx *hcl.EvalContext) ([]string, bool) {
	if s, isStr := asString(g); isStr {
		words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' })
		if len(words) == 0 {
			e.errorf(ge, ctx, "Empty keyword",
				"%s[%d] is empty or only spaces; Misskey ignores empty keywords when matching, so it would do nothing. Hint: remove it, or write the words to match.", name, i)
			return nil, false
		}
		return words, true
	}
	gt := g.Type()
	if g.IsNull() || !(gt.IsListType() || gt.IsTupleType() || gt.IsSetType()) {
		e.errorf(ge, ctx, "Incorrect attribute value type",
			"%s[%d] must be a list of words, or a string of words separated by spaces; got %s. Hint: write %s.", name, i, describeValue(g), strings.Replace(keywordsExample, "keywords", name, 1))
		return nil, false
	}
	if g.LengthInt() == 0 {
		e.errorf(ge, ctx, "Empty keyword",
			"%s[%d] is an empty group; Misskey ignores empty groups when matching, so it would do nothing. Hint: remove it, or write the words to match.", name, i)
		return nil, false
	}
	ok := true
	words := make([]string, 0, g.LengthInt())
	j := 0
	for it := g.ElementIterator(); it.Next(); j++ {
		_, w := it.Element()
		we := elemExpr(ge, j)
		s, isStr := asString(w)
		switch {
		case !isStr:
			e.errorf(we, ctx, "Incorrect attribute value type",
				"%s[%d][%d] must be a string; got %s. Hint: quote it.", name, i, j, describeValue(w))
			ok = false
		case s == "":
			e.errorf(we, ctx, "Empty keyword",
				"%s[%d][%d] is an empty string; Misskey ignores empty keywords when matching, so it would do nothing. Hint: remove it.", name, i, j)
			ok = false
		default:
			words = append(words, s)
		}
	}
	return words, ok
}
