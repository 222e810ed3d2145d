package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mkctl/mkctl/planner"
)

// readAlsoKnownAs turns the user ids `i` returns in alsoKnownAs into the
// "@user@host" form the configuration uses (i/update takes accts, but `i`
// answers with ids). It costs one users/show call, made only when the
// profile manages also_known_as and the list is not empty.
//
// An id users/show does not return (a suspended or deleted user) is left
// out: there is no acct to show for it, and i/update replaces the whole
// list, so applying the configured list removes it anyway.
func readAlsoKnownAs(ctx context.Context, r *reading) (func(*planner.Live), error) {
	acct, me := r.acct, r.me
	if acct.Profile == nil {
		return nil, nil
	}
	if _, managed := acct.Profile.Attrs["also_known_as"]; !managed {
		return nil, nil
	}
	ids := uniqueStrings(me["alsoKnownAs"])
	if len(ids) == 0 {
		return nil, nil // null or []: the planner treats both as no aliases
	}
	var users []struct {
		ID       string  `json:"id"`
		Username string  `json:"username"`
		Host     *string `json:"host"` // null for a local user
	}
	if err := r.read(ctx, "users/show", map[string]any{"userIds": ids}, &users); err != nil {
		return nil, fmt.Errorf("resolving also_known_as: %w", err)
	}
	accts := make([]string, 0, len(users))
	for _, u := range users {
		host := r.c.Host()
		if u.Host != nil && *u.Host != "" {
			host = strings.ToLower(*u.Host)
		}
		accts = append(accts, "@"+u.Username+"@"+host)
	}
	slices.Sort(accts)
	list := make([]any, len(accts))
	for i, a := range accts {
		list[i] = a
	}
	return func(l *planner.Live) { l.Profile["alsoKnownAs"] = list }, nil
}

// uniqueStrings reads a JSON array of strings, dropping duplicates (users/show
// insists on unique ids) and non-strings.
func uniqueStrings(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, it := range items {
		if s, ok := it.(string); ok && s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
