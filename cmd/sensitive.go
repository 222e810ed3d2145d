package cmd

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// describedRunes is how much of a string a diagnostic quotes before "…"
// (schema's describeValue): the prefix of a longer sensitive value is
// hidden too.
const describedRunes = 40

// addSensitive makes mkctl's output streams replace every sensitive value
// of the configuration by (sensitive): the last line of defence behind the
// plan views, which hide them by attribute, for diagnostics, notes, logs
// and error messages. Each value is hidden as written raw, %q-quoted and
// JSON-escaped, and by its first 40 characters when it is longer.
func addSensitive(s *IOStreams, set *schema.Sensitive) {
	if set.Len() == 0 {
		return
	}
	rs := redactOutputs(s)
	for _, v := range set.Values() {
		forms := []string{v}
		if r := []rune(v); len(r) > describedRunes {
			forms = append(forms, string(r[:describedRunes]))
		}
		for _, f := range forms {
			rs.sensitive.Add(f)
			rs.sensitive.Add(strings.Trim(strconv.Quote(f), `"`))
			if b, err := json.Marshal(f); err == nil {
				rs.sensitive.Add(strings.Trim(string(b), `"`))
			}
		}
	}
}

// restoreSensitive gives the changes of a saved plan (saved with
// (sensitive) in place of sensitive values) the values of the plan made
// again; a change whose values cannot be found is named as moved, and
// the saved plan is then refused as stale.
func restoreSensitive(ap, now *planner.AccountPlan) []string {
	fresh := map[string]*planner.Change{}
	for _, ch := range now.Changes {
		if ch != nil && !ch.Followup {
			fresh[ch.Address] = ch
		}
	}
	var moved []string
	for _, ch := range ap.Changes {
		if ch == nil || ch.Followup {
			continue
		}
		if !ch.RestoreSensitive(fresh[ch.Address]) {
			moved = append(moved, ch.Address+": its sensitive values are no longer planned")
		}
	}
	return moved
}
