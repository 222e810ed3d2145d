package provider

import (
	"sort"

	"github.com/mkctl/mkctl/schema"
)

// ManagedKind is a resource kind a configuration manages: how many blocks
// of it the account declares, and whether `purge` lists it.
type ManagedKind struct {
	Type     string // planner.Type*
	Declared int
	Purged   bool
}

// ManagedKinds lists, sorted by type, the resource kinds acct declares or
// purges (the profile aside): what `mkctl whoami` tells the permissions
// of. It follows the same table as the reading (kinds), so a new kind is
// counted as soon as it is read.
func ManagedKinds(acct *schema.Account) []ManagedKind {
	var out []ManagedKind
	for typ, k := range kinds {
		n, purged := k.declared(acct), acct.Purge[k.purge]
		if n > 0 || purged {
			out = append(out, ManagedKind{Type: typ, Declared: n, Purged: purged})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}
