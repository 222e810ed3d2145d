package provider

import (
	"context"
	"errors"
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

func (r *Result) count(ch *planner.Change) {
	if ch.Followup {
		return // counted with the replace it finishes, as in the plan's summary
	}
	switch ch.Action {
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
	// apply carries the change out and returns the Misskey id of the
	// object it leaves behind ("" for a delete, or for the profile, which
	// is not in the ownership record). Apply then records it.
	apply(ctx context.Context, run *applyRun, ch *planner.Change) (id string, err error)
}

// appliers is keyed by Change.Type; each resource type lives in its own
// apply_<type>.go file.
var appliers = map[string]applier{
	planner.TypeProfile:       profileApplier{},
	planner.TypePinnedNote:    pinnedNoteApplier{},
	planner.TypeFollow:        followApplier{},
	planner.TypeDriveFolder:   driveFolderApplier{},
	planner.TypeDriveFile:     driveFileApplier{},
	planner.TypeAntenna:       antennaApplier{},
	planner.TypeUserList:      userListApplier{},
	planner.TypeWebhook:       webhookApplier{},
	planner.TypeClip:          clipApplier{},
	planner.TypeBlock:         relationApplier{planner.TypeBlock},
	planner.TypeMute:          relationApplier{planner.TypeMute},
	planner.TypeRenoteMute:    relationApplier{planner.TypeRenoteMute},
	planner.TypeScheduledNote: scheduledNoteApplier{},
}

// Apply carries out an account's changes in plan order (the planner puts
// them in dependency order). It stops at the first failure: later changes
// may depend on it. The Result counts the changes that completed.
//
// Before the first write it checks, with one `i` call, that the token
// belongs to the account the plan is for, so a saved plan applied with
// the wrong token cannot change another account. A plan made in this
// process skips that call (see tokenOwner).
//
// The ownership record is the one the plan was made with when the plan was
// made in this process, else it is read fresh from the registry (a saved
// plan does not carry it). It is written as changes complete: at once for
// pinned notes, in batches for the other kinds, and always before Apply
// returns (apply_ownership.go says why that is safe).
//
// Interrupts: when ctx ends, the change in flight is finished — its
// requests run on a context that ignores the cancellation, so that nothing
// is left half-sent — unless it has to wait (a rate limit, a retry
// backoff): waits end at once. No further change is started, what was done
// is recorded, and Apply returns an error wrapping ctx's error.
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
		if ch.Type != planner.TypeProfile && ch.Key == "" {
			return res, fmt.Errorf("%s: the plan gives no ownership key for this change; make a new plan", ch.Address)
		}
		if err := a.check(ch); err != nil {
			return res, fmt.Errorf("%s: %w", ch.Address, err)
		}
		todo = append(todo, ch)
	}
	for _, o := range ap.Adopt {
		if o.Key == "" || o.ID == "" {
			return res, fmt.Errorf("%s: the plan adopts an object without a key or id; make a new plan", ap.Address)
		}
	}
	if len(todo) == 0 && len(ap.Adopt) == 0 && len(ap.Forget) == 0 {
		return res, nil
	}
	me, err := tokenOwner(ctx, c, ap)
	if err != nil {
		return res, err
	}
	run := newApplyRun(ctx, c, ap, me, len(todo))
	// Requests of a change run on work: an interrupt must not cut a write
	// short between sending it and recording its outcome. The last write
	// of the record runs on it too, for the same reason.
	work := context.WithoutCancel(ctx)

	res, err = run.applyAll(ctx, work, todo, events)
	if ferr := run.flush(work); ferr != nil {
		err = errors.Join(err, ferr)
	}
	if run.rec != nil {
		ap.Ownership = run.rec // what the server now holds, for the caller
	}
	return res, err
}

// applyAll records the plan's adoptions and carries out the changes.
func (run *applyRun) applyAll(ctx, work context.Context, todo []*planner.Change, events func(Event)) (Result, error) {
	var res Result
	ap := run.ap
	if len(ap.Adopt) > 0 || len(ap.Forget) > 0 {
		if err := run.adopt(work, ap.Adopt, ap.Forget); err != nil {
			return res, fmt.Errorf("%s: %w", ap.Address, err)
		}
	}
	for i, ch := range todo {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("%s: stopped before %s, %d of %d changes done: %w", ap.Address, ch.Address, i, len(todo), err)
		}
		run.current = ch.Address
		events(Event{Address: ch.Address, Action: ch.Action, Phase: PhaseStart})
		start := time.Now()
		id, err := appliers[ch.Type].apply(work, run, ch)
		if err == nil {
			if rerr := run.recordChange(work, ch, id); rerr != nil {
				// The server has changed: count it, but fail loudly.
				res.count(ch)
				run.done.Add(1)
				err = rerr
			}
		} else if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
			// Callers tell an interrupt by errors.Is(err, context.Canceled).
			err = fmt.Errorf("%w (interrupted: %w)", err, cerr)
		}
		elapsed := time.Since(start)
		if err != nil {
			events(Event{Address: ch.Address, Action: ch.Action, Phase: PhaseFailed, Err: err, Elapsed: elapsed})
			return res, fmt.Errorf("%s: %w", ch.Address, err)
		}
		res.count(ch)
		run.done.Add(1)
		events(Event{Address: ch.Address, Action: ch.Action, Phase: PhaseDone, Elapsed: elapsed})
	}
	return res, nil
}

// tokenOwner returns the user id of the token's account, making sure it is
// the account the plan is for.
//
// A plan made in this process (ap.Ownership set, which a plan read from a
// file never is, and ap.UserID known) was made by ReadAccount with this
// client moments ago, and ReadAccount compared the token's account with the
// configuration then: asking `i` again would only repeat that answer. So
// the call is made only for a saved plan, or when the account had no record
// yet (Apply cannot tell that plan from a saved one; the call is one request
// on a first apply).
func tokenOwner(ctx context.Context, c *Client, ap *planner.AccountPlan) (string, error) {
	if ap.Ownership != nil && ap.UserID != "" {
		return ap.UserID, nil
	}
	return checkTokenOwner(ctx, c, ap)
}

// checkTokenOwner compares the token's account with the plan's and
// returns the token owner's user id.
func checkTokenOwner(ctx context.Context, c *Client, ap *planner.AccountPlan) (string, error) {
	me, err := readMe(ctx, c)
	if err != nil {
		return "", err
	}
	id, _ := me["id"].(string)
	username, _ := me["username"].(string)
	if !strings.EqualFold(username, ap.Username) || (ap.UserID != "" && id != ap.UserID) {
		return "", &AccountMismatchError{Address: ap.Address, Declared: ap.Username, TokenUsername: username, PlanUserID: ap.UserID, TokenUserID: id}
	}
	return id, nil
}
