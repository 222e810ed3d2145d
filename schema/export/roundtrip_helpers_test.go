package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// loadAndPlan writes res to a new directory, loads it as `mkctl plan`
// would and plans it against live.
func loadAndPlan(t testing.TB, res *Result, live *planner.Live) (*schema.Config, *planner.AccountPlan, hcl.Diagnostics) {
	t.Helper()
	return loadAndPlanFiles(t, res, live, nil)
}

// loadAndPlanFiles is loadAndPlan with the downloads written too, from
// data (file id → bytes), as cmd writes them.
func loadAndPlanFiles(t testing.TB, res *Result, live *planner.Live, data map[string][]byte) (*schema.Config, *planner.AccountPlan, hcl.Diagnostics) {
	t.Helper()
	dir := t.TempDir()
	writeDownloads(t, dir, res, data)
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, _, diags := schema.Load(dir, schema.LoadOptions{})
	if diags.HasErrors() {
		return nil, nil, diags
	}
	if len(cfg.Accounts) != 1 {
		t.Fatalf("Load: %d accounts, want 1", len(cfg.Accounts))
	}
	ap, pdiags := planner.PlanAccount(cfg.Accounts[0], live)
	return cfg, ap, append(diags, pdiags...)
}

// dumpFiles shows the generated files in a failure message.
func dumpFiles(res *Result) string {
	var b strings.Builder
	for _, f := range res.Files {
		b.WriteString("=== " + f.Name + "\n")
		b.Write(f.Content)
	}
	return b.String()
}

func errorsOnly(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			out = append(out, d)
		}
	}
	return out
}
