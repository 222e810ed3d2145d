package schema

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// maxListName is users/lists/create's limit (API-NOTES §9); antennas have
// the same.
const maxListName = 100

const membersExample = `members = ["@alice@misskey.example", "@bob"]`

var userListDesc = bodyDesc{
	What: "a user_list block",
	Schema: &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "members"}},
		Blocks:     []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
	},
	Aliases: map[string]string{
		"users":    "members",
		"accounts": "members",
		"userids":  "members",
		"member":   "members",
	},
	Refused: func() map[string]string {
		m := refusedResourceArgs("user_list")
		m["name"] = "a list's name is its label: user_list \"friends\" { ... }. Hint: remove name and put the name in the label."
		return m
	}(),
}

// userListBlock is a checked user_list block.
type userListBlock struct {
	*resource
	name string
}

func decodeUserList(block *hcl.Block) (*userListBlock, hcl.Diagnostics) {
	diags := checkNameLabel(block, "user_list", maxListName, "Misskey accepts at most 100")
	r, _, d := decodeResource(block, userListDesc)
	return &userListBlock{resource: r, name: block.Labels[0]}, append(diags, d...)
}

// evaluate computes the list. Members are normalised like follows, then
// sorted, since Misskey keeps no order of members either.
func (lb *userListBlock) evaluate(s *scope, own ownAccount) (*UserList, hcl.Diagnostics) {
	e := &attrEval{s: s, attrs: lb.attrs}
	l := &UserList{Name: lb.name, Members: []string{}, DeclRange: lb.block.DefRange}
	items, _, ctx, _ := e.strings("members", membersExample)
	seen := make(map[string]listItem, len(items))
	for _, it := range items {
		acct, prob := normaliseUserAcct(it.value, own.host)
		if prob != "" {
			e.errorf(it.expr, ctx, "Invalid account address", "members[%d]: %s", it.index, prob)
			continue
		}
		// Misskey resolves user names case-insensitively: two spellings
		// would be one member, and users/lists/push would answer
		// ALREADY_ADDED.
		key := strings.ToLower(acct)
		if first, dup := seen[key]; dup {
			e.errorf(it.expr, ctx, "Duplicate account address",
				"members[%d] (%s) is the same account as members[%d]. Hint: remove one of them (user names are compared ignoring case).", it.index, acct, first.index)
			continue
		}
		seen[key] = it
		l.Members = append(l.Members, acct)
	}
	sort.Strings(l.Members)
	lc, d := lb.lifecycle.evaluate(s)
	l.Lifecycle = lc
	return l, append(e.diags, d...)
}

// checkUserListRef checks a user_list.NAME reference before evaluation, so
// that a wrong name gets the declared names and a did-you-mean rather
// than hcl's bare "Unsupported attribute".
func (s *scope) checkUserListRef(rng hcl.Range, name string, hasName bool) hcl.Diagnostics {
	if s.userLists == nil {
		return hcl.Diagnostics{errorf(rng, "Reference to \"user_list\" outside an account block",
			"user_list.NAME refers to a user_list block of an account, so it can be used only inside that account block. Hint: write the list's name as a string, or move the expression into the account block.")}
	}
	names := s.userListNames
	declared := "This account declares no user_list blocks."
	if len(names) > 0 {
		declared = "The user lists of this account are " + quotedList(names) + "."
	}
	if !hasName {
		return hcl.Diagnostics{errorf(rng, "Invalid reference",
			"user_list is not a value by itself. %s Hint: refer to one list, e.g. user_list.%s.", declared, firstOr(names, "friends"))}
	}
	if s.userLists.Type().HasAttribute(name) {
		return nil
	}
	why := "the account declares no user_list blocks."
	if len(names) > 0 {
		why = "the account has no user_list block of that name." + didYouMean(name, names) + " " + declared
	}
	return hcl.Diagnostics{errorf(rng, "Unsupported attribute",
		"This object does not have an attribute named %q: %s Hint: declare it in the same account block, user_list %s { members = [...] }; an antenna can only use a list of its own account.",
		name, why, quote(name))}
}
