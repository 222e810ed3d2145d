package planner

import "github.com/mkctl/mkctl/schema"

// PlanAccount diffs one account's desired state against what was read from
// Misskey. The result lists only the objects that need a change.
func PlanAccount(acct *schema.Account, live *Live) *AccountPlan {
	ap := &AccountPlan{
		Address:  acct.Address(),
		Host:     acct.Host,
		Username: acct.Username,
		UserID:   live.UserID,
		Changes:  []*Change{},
	}
	// Each resource kind contributes its changes in dependency order.
	if c := diffProfile(acct, live); c != nil {
		ap.Changes = append(ap.Changes, c)
	}
	return ap
}

// New wraps account plans into a Plan.
func New(accounts ...*AccountPlan) *Plan {
	if accounts == nil {
		accounts = []*AccountPlan{}
	}
	return &Plan{FormatVersion: FormatVersion, Accounts: accounts}
}

// Summary counts the changes the way Terraform's "Plan:" line does: a
// replacement counts as one add and one destroy.
type Summary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Destroy int `json:"destroy"`
}

// Summary counts every change of the plan.
func (p *Plan) Summary() Summary {
	var s Summary
	for _, a := range p.Accounts {
		for _, c := range a.Changes {
			switch c.Action {
			case ActionCreate:
				s.Add++
			case ActionUpdate:
				s.Change++
			case ActionDelete:
				s.Destroy++
			case ActionReplace:
				s.Add++
				s.Destroy++
			}
		}
	}
	return s
}

// HasChanges reports whether applying the plan would change anything.
func (p *Plan) HasChanges() bool {
	s := p.Summary()
	return s.Add+s.Change+s.Destroy > 0
}
