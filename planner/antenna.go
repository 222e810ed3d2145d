package planner

import (
	"reflect"

	"github.com/mkctl/mkctl/schema"
)

func antennaKey(name string) string { return "antenna." + name }

// antennaFields are the antenna parameters mkctl manages, with the HCL name
// the plan shows for each.
var antennaFields = []struct{ API, HCL string }{
	{"src", "source"},
	{"keywords", "keywords"},
	{"excludeKeywords", "exclude_keywords"},
	{"users", "users"},
	{"caseSensitive", "case_sensitive"},
	{"localOnly", "local_only"},
	{"excludeBots", "exclude_bots"},
	{"withReplies", "with_replies"},
	{"withFile", "with_file"},
	{"excludeNotesInSensitiveChannel", "exclude_notes_in_sensitive_channel"},
}

// antennaParams is the desired antenna in Misskey's names (userListId aside).
func antennaParams(a *schema.Antenna) map[string]any {
	users := a.Users
	if users == nil {
		users = []string{}
	}
	return map[string]any{
		"name":                           a.Name,
		"src":                            a.Source,
		"keywords":                       groups(a.Keywords),
		"excludeKeywords":                groups(a.ExcludeKeywords),
		"users":                          toAny(users),
		"caseSensitive":                  a.CaseSensitive,
		"localOnly":                      a.LocalOnly,
		"excludeBots":                    a.ExcludeBots,
		"withReplies":                    a.WithReplies,
		"withFile":                       a.WithFile,
		"excludeNotesInSensitiveChannel": a.ExcludeNotesInSensitiveChannel,
	}
}

func groups(gs [][]string) []any {
	out := make([]any, len(gs))
	for i, g := range gs {
		out[i] = toAny(g)
	}
	return out
}

// planAntennas matches antennas by name. A change is always an
// antennas/update in place: deleting and re-creating would lose the
// antenna's collected notes.
func (p *planState) planAntennas() (ups, dels []*Change) {
	byName := groupBy(p.live.Antennas, func(a LiveAntenna) string { return a.Name })
	listIDs := map[string]string{} // list name → live id
	for _, l := range p.live.UserLists {
		listIDs[l.Name] = l.ID
	}
	declared := map[string]bool{}
	for _, want := range p.acct.Antennas {
		declared[want.Name] = true
		key := antennaKey(want.Name)
		p.protect(key, want.Lifecycle)
		params := antennaParams(want)
		var refs map[string]string
		wantListID := any(nil)
		if want.UserList != "" {
			if id, ok := listIDs[want.UserList]; ok {
				wantListID = id
			} else {
				refs = map[string]string{"userList": userListKey(want.UserList)}
			}
		}
		matches := byName[want.Name]
		if len(matches) > 1 {
			p.errorf(want.DeclRange, "Ambiguous antenna",
				"The account has %d antennas named %q; mkctl cannot tell which one this block means. Hint: rename or delete the extra ones in Misskey, then plan again.",
				len(matches), want.Name)
			continue
		}
		if len(matches) == 0 {
			if wantListID != nil {
				params["userListId"] = wantListID
			}
			c := &Change{Address: p.address(key), Type: TypeAntenna, Action: ActionCreate, Key: key, After: params, Refs: refs}
			for _, f := range antennaFields {
				c.Attrs = append(c.Attrs, AttrChange{Name: f.HCL, After: params[f.API]})
			}
			if want.UserList != "" {
				c.Attrs = append(c.Attrs, AttrChange{Name: "user_list", After: want.UserList})
			}
			ups = append(ups, c)
			continue
		}
		live := matches[0]
		p.adopt(key, live.ID, nil)
		after := map[string]any{}
		var attrs []AttrChange
		for _, f := range antennaFields {
			have := normaliseAntennaValue(live.Fields[f.API], params[f.API])
			if !reflect.DeepEqual(have, params[f.API]) {
				after[f.API] = params[f.API]
				attrs = append(attrs, AttrChange{Name: f.HCL, Before: have, After: params[f.API]})
			}
		}
		haveListID, _ := live.Fields["userListId"].(string)
		if want.UserList == "" && haveListID != "" {
			after["userListId"] = nil
			attrs = append(attrs, AttrChange{Name: "user_list", Before: p.listName(haveListID), After: nil})
		} else if want.UserList != "" && (refs != nil || haveListID != wantListID) {
			if wantListID != nil {
				after["userListId"] = wantListID
			}
			attrs = append(attrs, AttrChange{Name: "user_list", Before: p.listName(haveListID), After: want.UserList})
		}
		if len(attrs) == 0 {
			continue
		}
		ups = append(ups, &Change{Address: p.address(key), Type: TypeAntenna, Action: ActionUpdate, Key: key, ID: live.ID, After: after, Refs: refs, Attrs: attrs})
	}

	unmanaged := 0
	for _, a := range p.live.Antennas {
		if declared[a.Name] {
			continue
		}
		if !p.antennaWillBeDeleted(a) {
			unmanaged++
			continue
		}
		key := antennaKey(a.Name)
		dels = append(dels, &Change{Address: p.address(key), Type: TypeAntenna, Action: ActionDelete, Key: key, ID: a.ID,
			Attrs: []AttrChange{{Name: "name", Before: a.Name}, {Name: "source", Before: a.Fields["src"]}}})
	}
	if unmanaged > 0 {
		p.note("%d antenna(s) not managed by this configuration (left alone).", unmanaged)
	}
	p.overLimit(countLimit{"antennaLimit", 5, "antennas", "antennas"}, declRanges(p.acct.Antennas), unmanaged)
	return ups, dels
}

// antennaWillBeDeleted: an undeclared antenna goes when mkctl owns it or the
// user purges antennas.
func (p *planState) antennaWillBeDeleted(a LiveAntenna) bool {
	for _, want := range p.acct.Antennas {
		if want.Name == a.Name {
			return false
		}
	}
	return p.owned(antennaKey(a.Name), a.ID) || p.purged("antennas")
}

func (p *planState) listName(id string) any {
	if id == "" {
		return nil
	}
	for _, l := range p.live.UserLists {
		if l.ID == id {
			return l.Name
		}
	}
	return id
}

// normaliseAntennaValue makes a JSON-decoded value comparable with ours: a
// field Misskey left out or sent as null is its empty value.
func normaliseAntennaValue(v, want any) any {
	if v != nil {
		return v
	}
	switch want.(type) {
	case bool:
		return false
	case []any:
		return []any{}
	}
	return nil
}
