package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mkctl/mkctl/planner"
)

// Phases of an Event.
const (
	PhaseStart  = "start"
	PhaseDone   = "done"
	PhaseFailed = "failed"
)

// Event reports progress on one change, so the CLI can print
// "account.weather.profile: Modifying..." and "Modifications complete after 0s".
type Event struct {
	Address string
	Action  planner.Action
	Phase   string        // PhaseStart, PhaseDone or PhaseFailed
	Err     error         // set for PhaseFailed
	Elapsed time.Duration // set for PhaseDone and PhaseFailed
}

// Result counts what was done, the way Terraform's "Apply complete!" line does.
type Result struct {
	Added, Changed, Destroyed int
}

func (r *Result) count(a planner.Action) {
	switch a {
	case planner.ActionCreate:
		r.Added++
	case planner.ActionUpdate:
		r.Changed++
	case planner.ActionDelete:
		r.Destroyed++
	case planner.ActionReplace:
		r.Added++
		r.Destroyed++
	}
}

// An applier carries out one Change of its resource type.
type applier interface {
	// check rejects a change this applier cannot carry out, before anything
	// of the plan is applied.
	check(ch *planner.Change) error
	apply(ctx context.Context, c *Client, ap *planner.AccountPlan, ch *planner.Change) error
}

// appliers is keyed by Change.Type; each resource type lives in its own
// apply_<type>.go file.
var appliers = map[string]applier{
	"profile": profileApplier{},
}

// Apply carries out an account's changes in plan order (the planner puts
// them in dependency order). It stops at the first failure: later changes
// may depend on it. The Result counts the changes that completed.
//
// Before the first write it checks, with one `i` call, that the token
// belongs to the account the plan is for, so a saved plan applied with
// the wrong token cannot change another account.
func Apply(ctx context.Context, c *Client, ap *planner.AccountPlan, events func(Event)) (Result, error) {
	var res Result
	if events == nil {
		events = func(Event) {}
	}
	var todo []*planner.Change
	for _, ch := range ap.Changes {
		if ch == nil || ch.Action == planner.ActionNoop {
			continue
		}
		a, ok := appliers[ch.Type]
		if !ok {
			return res, fmt.Errorf("%s: this mkctl cannot apply changes of type %q (was the plan made by a newer mkctl?)", ch.Address, ch.Type)
		}
		if err := a.check(ch); err != nil {
			return res, fmt.Errorf("%s: %w", ch.Address, err)
		}
		todo = append(todo, ch)
	}
	if len(todo) == 0 {
		return res, nil
	}
	if err := checkTokenOwner(ctx, c, ap); err != nil {
		return res, err
	}
	for _, ch := range todo {
		events(Event{Address: ch.Address, Action: ch.Action, Phase: PhaseStart})
		start := time.Now()
		err := appliers[ch.Type].apply(ctx, c, ap, ch)
		elapsed := time.Since(start)
		if err != nil {
			events(Event{Address: ch.Address, Action: ch.Action, Phase: PhaseFailed, Err: err, Elapsed: elapsed})
			return res, fmt.Errorf("%s: %w", ch.Address, err)
		}
		res.count(ch.Action)
		events(Event{Address: ch.Address, Action: ch.Action, Phase: PhaseDone, Elapsed: elapsed})
	}
	return res, nil
}

// checkTokenOwner compares the token's account with the plan's.
func checkTokenOwner(ctx context.Context, c *Client, ap *planner.AccountPlan) error {
	me, err := readMe(ctx, c)
	if err != nil {
		return err
	}
	id, _ := me["id"].(string)
	username, _ := me["username"].(string)
	if !strings.EqualFold(username, ap.Username) || (ap.UserID != "" && id != ap.UserID) {
		return &AccountMismatchError{Address: ap.Address, Declared: ap.Username, TokenUsername: username, PlanUserID: ap.UserID, TokenUserID: id}
	}
	return nil
}
