package cmd

import (
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/pflag"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// targetOptions are --target, --exclude and --allow-mass-delete, shared by
// plan and apply. The selection rules are planner/target.go's; the
// deletion guard is planner/guard.go's. README.md: "Targeting", "Deletion
// guard".
type targetOptions struct {
	Targets         []string
	Excludes        []string
	AllowMassDelete bool

	once    sync.Once
	sel     *planner.Selection
	selErr  error
	mu      sync.Mutex
	matched map[string]bool // raw addresses that matched something
	cands   []string        // the addresses of every declaration and change, for did-you-mean
}

// addTargetFlags registers the flags on plan and apply.
func addTargetFlags(f *pflag.FlagSet, opts *targetOptions) {
	f.StringArrayVar(&opts.Targets, "target", nil,
		"plan only `ADDRESS` and the changes it depends on: an account (account.news, account.fleet[\"rain\"], account.fleet) or a resource (account.news.follow[\"@alice\"]); repeatable")
	f.StringArrayVar(&opts.Excludes, "exclude", nil,
		"leave `ADDRESS` out of the plan (an excluded account is not read and needs no token); repeatable")
	f.BoolVar(&opts.AllowMassDelete, "allow-mass-delete", false,
		"let the plan delete more objects than the accounts' deletion guard allows (see deletion_guard in README.md)")
}

// selection parses the addresses (once).
func (o *targetOptions) selection() (*planner.Selection, error) {
	o.once.Do(func() { o.sel, o.selErr = planner.ParseSelection(o.Targets, o.Excludes) })
	return o.sel, o.selErr
}

// accountFilter checks that every address names a declared account and
// returns which accounts to plan. Nothing is read before this.
func (o *targetOptions) accountFilter(cfg *schema.Config) (func(*schema.Account) bool, error) {
	sel, err := o.selection()
	if err != nil {
		return nil, err
	}
	if err := sel.CheckAccounts(cfg); err != nil {
		return nil, err
	}
	return sel.SelectsAccount, nil
}

// planAccount plans one account, keeps the targeted changes and applies
// the deletion guard to what is left.
func (o *targetOptions) planAccount(acct *schema.Account, live *planner.Live) (*planner.AccountPlan, hcl.Diagnostics) {
	ap, diags := planner.PlanAccount(acct, live)
	if sel, _ := o.selection(); !sel.Empty() {
		cands := planner.DeclaredAddresses(acct)
		for _, c := range ap.Changes {
			cands = append(cands, c.Address)
		}
		m, tdiags := sel.Target(acct, live, ap)
		diags = append(diags, tdiags...)
		o.mu.Lock()
		o.cands = append(o.cands, cands...)
		if o.matched == nil {
			o.matched = map[string]bool{}
		}
		for _, a := range m {
			o.matched[a] = true
		}
		o.mu.Unlock()
	}
	return ap, append(diags, planner.CheckDeletionGuard(acct, live, ap, o.AllowMassDelete)...)
}

// finish checks that every resource address matched something and marks
// a targeted plan as partial.
func (o *targetOptions) finish(plan *planner.Plan) error {
	sel, _ := o.selection()
	if sel.Empty() {
		return nil
	}
	if err := sel.Unmatched(o.matched, o.cands); err != nil {
		return err
	}
	plan.Partial = sel.Partial()
	return nil
}
