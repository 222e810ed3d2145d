package schema

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
)

const purgeExample = `purge = ["follows", "antennas"]`

// evaluatePurge reads an account's purge attribute: a list (or set) of
// Collections. The map is never nil; absent or null purges nothing.
// Listing a collection twice is harmless and accepted.
func evaluatePurge(s *scope, attr *hcl.Attribute) (map[string]bool, hcl.Diagnostics) {
	purge := map[string]bool{}
	if attr == nil {
		return purge, nil
	}
	e := &attrEval{s: s, attrs: hcl.Attributes{"purge": attr}}
	items, _, ctx, _ := e.strings("purge", purgeExample)
	for _, it := range items {
		if slices.Contains(Collections, it.value) {
			purge[it.value] = true
			continue
		}
		hint := didYouMean(it.value, Collections)
		if hint == "" {
			hint = " Hint: write e.g. " + purgeExample + "."
		}
		e.errorf(it.expr, ctx, "Unsupported value",
			"purge[%d] is %q, which is not a collection mkctl manages; the collections are %s.%s",
			it.index, it.value, quotedList(Collections), hint)
	}
	return purge, e.diags
}
