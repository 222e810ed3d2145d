package cmd

import (
	"slices"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

// A plan whose only work is dropping stale ownership entries still writes
// the record (i/registry/set), so apply must test write:account first like
// for any other record write.
func TestPlanPermissionsForgetOnly(t *testing.T) {
	need := planPermissions(&planner.AccountPlan{Address: "account.bot", Forget: []string{`follow["@carol"]`}})
	if len(need["read:account"]) == 0 || !slices.Contains(need["write:account"], "account.bot (ownership record)") {
		t.Errorf("permissions for a forget-only plan: %v, want read:account and write:account for the record", need)
	}
}
