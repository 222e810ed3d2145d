package export

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// antennaBools are the antenna's flags, Misskey name → HCL name, in the
// order they are written. All default to false.
var antennaBools = []struct{ api, hcl string }{
	{"caseSensitive", "case_sensitive"},
	{"localOnly", "local_only"},
	{"excludeBots", "exclude_bots"},
	{"withReplies", "with_replies"},
	{"withFile", "with_file"},
	{"excludeNotesInSensitiveChannel", "exclude_notes_in_sensitive_channel"},
}

// antennas writes one antenna block per antenna, sorted by name, with
// every field that differs from schema's default (source "all", no
// keywords, no users, flags false). Of several antennas of one name none
// is written, and neither is an antenna whose list is left out.
func (g *gen) antennas(body *hclwrite.Body) {
	names, byName := groupByName(g.acc.Live.Antennas, func(a planner.LiveAntenna) string { return a.Name })
	for _, name := range names {
		group := byName[name]
		sort.Slice(group, func(i, j int) bool { return older(group[i].CreatedAt, group[i].ID, group[j].CreatedAt, group[j].ID) })
		body.AppendNewline()
		if why := nameProblem(name); why != "" {
			for _, a := range group {
				g.skipAntenna(body, a, why)
			}
			continue
		}
		if len(group) > 1 {
			ids := idsOf(group, func(a planner.LiveAntenna) string { return a.ID })
			g.skipDuplicates(body, "Antennas", "antennas", "antennas", name, ids)
			g.count("antennas").Skipped += len(group)
			continue
		}
		a := group[0]
		attrs, why := g.antennaAttrs(a)
		if why != "" {
			g.skipAntenna(body, a, why)
			continue
		}
		b := body.AppendNewBlock("antenna", []string{name}).Body()
		g.count("antennas").Declared++
		for _, at := range attrs {
			b.SetAttributeRaw(at.name, at.toks)
		}
	}
}

func (g *gen) skipAntenna(body *hclwrite.Body, a planner.LiveAntenna, why string) {
	why = stays(why)
	comment(body, fmt.Sprintf("Antenna %s (id %s) is not exported: %s.", quoteName(a.Name), a.ID, why))
	g.note("antenna %s (id %s) is not exported: %s.", quoteName(a.Name), a.ID, why)
	g.count("antennas").Skipped++
}

type namedTokens struct {
	name string
	toks hclwrite.Tokens
}

// antennaAttrs is the antenna's block body, or why Load and the planner
// could not read it back as the same antenna.
func (g *gen) antennaAttrs(a planner.LiveAntenna) ([]namedTokens, string) {
	var attrs []namedTokens
	src, _ := a.Fields["src"].(string)
	if !slices.Contains(schema.AntennaSources, src) {
		return nil, fmt.Sprintf("its source %q is not one mkctl knows", src)
	}
	if src != "all" {
		attrs = append(attrs, namedTokens{"source", str(src)})
	}

	kw, why := keywordGroups(a.Fields["keywords"])
	if why != "" {
		return nil, "its keywords " + why
	}
	ex, why := keywordGroups(a.Fields["excludeKeywords"])
	if why != "" {
		return nil, "its exclude keywords " + why
	}
	if len(kw) == 0 && len(ex) == 0 {
		return nil, "it has no keyword, which Misskey refuses for a new antenna and mkctl too"
	}
	if len(kw) > 0 {
		attrs = append(attrs, namedTokens{"keywords", keywordTokens(kw)})
	}
	if len(ex) > 0 {
		attrs = append(attrs, namedTokens{"exclude_keywords", keywordTokens(ex)})
	}

	users, why := g.antennaUsers(a.Fields["users"])
	if why != "" {
		return nil, why
	}
	if len(users) > 0 {
		if src != "users" && src != "users_blacklist" {
			return nil, fmt.Sprintf("it lists users although its source is %q, which mkctl refuses", src)
		}
		attrs = append(attrs, namedTokens{"users", strList(users, 2)})
	}

	listID, _ := a.Fields["userListId"].(string)
	switch {
	case src == "list" && listID == "":
		return nil, "its source is a user list, but it has none"
	case src != "list" && listID != "":
		return nil, fmt.Sprintf("it keeps a user list although its source is %q, which mkctl cannot declare", src)
	case listID != "":
		name, ok := g.listNames[listID]
		switch {
		case ok:
			attrs = append(attrs, namedTokens{"user_list", listRef(name)})
		case g.skippedLists[listID] != "":
			return nil, g.skippedLists[listID]
		default:
			return nil, fmt.Sprintf("its user list (id %s) was not found", listID)
		}
	}

	for _, f := range antennaBools {
		switch v := a.Fields[f.api].(type) {
		case nil:
		case bool:
			if v {
				attrs = append(attrs, namedTokens{f.hcl, boolTok(true)})
			}
		default:
			return nil, fmt.Sprintf("its %s is %v, not a bool", f.api, v)
		}
	}
	return attrs, ""
}

// keywordGroups reads keywords as Misskey returns them: a list of lists of
// strings. Load refuses empty words and empty groups (Misskey ignores
// them when matching), so such an antenna is not exported.
func keywordGroups(v any) ([][]string, string) {
	var out [][]string
	switch groups := v.(type) {
	case nil:
		return nil, ""
	case [][]string:
		out = groups
	case []any:
		for _, grp := range groups {
			switch ws := grp.(type) {
			case []string:
				out = append(out, ws)
			case []any:
				words := make([]string, 0, len(ws))
				for _, w := range ws {
					s, ok := w.(string)
					if !ok {
						return nil, "hold something that is not a string"
					}
					words = append(words, s)
				}
				out = append(out, words)
			default:
				return nil, "are not lists of words"
			}
		}
	default:
		return nil, "are not a list"
	}
	for _, grp := range out {
		if len(grp) == 0 {
			return nil, "have an empty group, which mkctl refuses"
		}
		for _, w := range grp {
			if w == "" {
				return nil, "have an empty word, which mkctl refuses"
			}
			if hasNUL(w) {
				return nil, "contain a NUL character"
			}
		}
	}
	return out, ""
}

// keywordTokens writes groups as [["a", "b"], ["c"]], a group a line when
// there are several.
func keywordTokens(groups [][]string) hclwrite.Tokens {
	items := make([]hclwrite.Tokens, len(groups))
	for i, grp := range groups {
		items[i] = strList(grp, len(grp))
	}
	return list(items, 1)
}

// antennaUsers reads users, kept verbatim: Misskey stores them as sent
// and the planner compares them as written.
func (g *gen) antennaUsers(v any) ([]string, string) {
	var raw []string
	switch us := v.(type) {
	case nil:
	case []string:
		raw = us
	case []any:
		for _, u := range us {
			s, ok := u.(string)
			if !ok {
				return nil, "its users hold something that is not a string"
			}
			raw = append(raw, s)
		}
	default:
		return nil, "its users are not a list"
	}
	seen := map[string]bool{}
	for _, u := range raw {
		acct, prob := schema.NormaliseUserAcct(u, g.ownHost)
		if prob != "" {
			return nil, fmt.Sprintf("its user %q is not an account address mkctl accepts", u)
		}
		key := strings.ToLower(acct)
		if seen[key] {
			return nil, fmt.Sprintf("it lists %s twice, which mkctl refuses", acct)
		}
		seen[key] = true
	}
	return raw, ""
}
