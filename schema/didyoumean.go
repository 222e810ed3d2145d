package schema

import (
	"strings"

	"github.com/agext/levenshtein"
)

// suggestName picks the valid name closest to a misspelt one, or "" when
// nothing is close enough. A case-insensitive exact match wins; otherwise
// the nearest name within an edit distance of 2 (the threshold hcl itself
// uses), earlier candidates winning ties so suggestions are deterministic.
func suggestName(given string, candidates []string) string {
	for _, c := range candidates {
		if strings.EqualFold(given, c) {
			return c
		}
	}
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(given, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// didYouMean renders a suggestion as a sentence, or "" when there is none.
func didYouMean(given string, candidates []string) string {
	if s := suggestName(given, candidates); s != "" {
		return " Did you mean " + quote(s) + "?"
	}
	return ""
}

// quote renders a config string the way HCL spells it.
func quote(s string) string {
	return quoteKey(s)
}

// quotedList renders names as "a", "b", "c" for diagnostics.
func quotedList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

// suggestValue is suggestName for enum values, which are often short
// codes ("en", "ja"): there every pair is within distance 2, so the allowed
// distance also shrinks with the length of what was written.
func suggestValue(given string, candidates []string) string {
	norm := strings.ReplaceAll(given, "_", "-")
	for _, c := range candidates {
		if strings.EqualFold(norm, c) {
			return c
		}
	}
	limit := max(1, len(given)/3)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if d := levenshtein.Distance(given, c, nil); d < bestDist && d < 3 {
			best, bestDist = c, d
		}
	}
	return best
}
