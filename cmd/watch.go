package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/internal/watch"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/schema"
)

// watchOptions are mkctl watch's flags. README.md: "Watch".
type watchOptions struct {
	*globalOptions
	Apply              bool
	JSON               bool
	Metrics            string
	Interval           time.Duration
	Debounce           time.Duration
	MaxApplies         int
	BudgetWindow       time.Duration
	MaxChanges         int
	AllowPinnedReplace bool
	LockTimeout        time.Duration
}

// Defaults of the apply budget. An apply sends at most one i/update (the
// profile is one change) and Misskey allows 20 i/update an hour: 4 applies
// an hour leave the bot at least 16 of them, and 4 × 20 changes stay well
// inside every other endpoint's limit (the tightest, drive/folders/create,
// allows 10 an hour: a plan creating more waits for it, as apply does).
const (
	defaultMaxApplies   = 4
	defaultBudgetWindow = time.Hour
	defaultMaxChanges   = 20
	// watchRetryAfterError is when a plan that failed for a reason other
	// than the configuration (the server unreachable, a 5xx) is tried again.
	watchRetryAfterError = 5 * time.Minute
	// watchFailureReminder is how often a plan failure that stays the
	// same (a revoked token fails every retry for weeks) is reported
	// again: once an hour, not every 5 minutes.
	watchFailureReminder = time.Hour
	// watchRetryLocked is when an apply that found another apply's lock
	// tries again.
	watchRetryLocked = time.Minute
)

// watchTestHooks lets tests drive watch with a fake clock and their own
// reload signals; nil outside tests.
var watchTestHooks *struct {
	clock  watch.Clock
	reload chan string
	// started is told once the configuration is loaded and the loop runs.
	started func()
}

func newWatchCmd(g *globalOptions) *cobra.Command {
	opts := &watchOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "watch",
		Short: "Report (and with --apply repair) drift as it happens",
		Long: `Watches every declared account through Misskey's streaming API and plans it
again a few seconds after anything that may change managed state (a profile
edited in the web UI, a follow, a drive change), every --interval in any
case (some changes, such as pinning a note, send no event), and after every
reconnection. Without --apply it changes nothing and reports drift.

With --apply it also applies the drift of managed objects, at most
--max-applies times per account per --budget-window, taking the account's
apply lock like apply. Changes that apply would ask about (deletions beyond
the deletion guard, replacing a pinned note) are reported, not applied,
unless --allow-mass-delete or --allow-pinned-note-replace.

Reloads the configuration on SIGHUP and when a *.mk.hcl file changes (an
invalid edit is reported and the running configuration kept). SIGTERM or
Ctrl-C stops after the change in flight. See "Watch" in README.md.`,
		Args: noArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error { return runWatch(cmd.Context(), opts) }),
	}
	f := cmd.Flags()
	f.BoolVar(&opts.Apply, "apply", false, "apply drift of managed objects, within the budget (without it, watch changes nothing)")
	f.BoolVar(&opts.JSON, "json", false, "write one JSON object per event instead of log lines")
	f.StringVar(&opts.Metrics, "metrics", "", "serve Prometheus metrics on `ADDRESS:PORT` (for example 127.0.0.1:9464) at /metrics")
	f.DurationVar(&opts.Interval, "interval", watch.DefaultInterval, "plan every account at least every `DURATION`, events or not")
	f.DurationVar(&opts.Debounce, "debounce", watch.DefaultDebounce, "plan an account `DURATION` after the first event of a burst")
	f.IntVar(&opts.MaxApplies, "max-applies", defaultMaxApplies, "with --apply: apply to an account at most `N` times per --budget-window; more drift waits")
	f.DurationVar(&opts.BudgetWindow, "budget-window", defaultBudgetWindow, "the `DURATION` of the --max-applies window")
	f.IntVar(&opts.MaxChanges, "max-changes", defaultMaxChanges, "with --apply: a plan of more than `N` changes is reported, not applied (run mkctl apply)")
	f.BoolVar(&opts.AllowPinnedReplace, "allow-pinned-note-replace", false, "with --apply: also replace pinned notes (a replace deletes the note, its reactions and renotes)")
	f.BoolVar(&g.target.AllowMassDelete, "allow-mass-delete", false, "with --apply: also apply plans that delete more than the deletion guard allows")
	f.DurationVar(&opts.LockTimeout, "lock-timeout", 0, "wait up to `DURATION` for another apply's lock before retrying later")
	addMaxWaitFlag(f, g)
	return cmd
}

// watchGC: a watch lives for weeks with a small live heap (one account's
// state at a time, a few MiB), and most of the time it waits. The CLI's
// setting (GOGC 400, gc.go) trades memory for the CPU of one large plan;
// for a daemon memory matters more, so watch goes back to Go's default
// pace and keeps the soft limit. Measured with 200 edits → 200 plans of a
// small account against mkctl sandbox serve: peak RSS 24 MiB and 0.26 s of
// CPU at GOGC 100, 32 MiB and 0.32 s at GOGC 400.
const watchGCPercent = 100

func (o *watchOptions) validate() error {
	switch {
	case o.Interval < time.Minute:
		return fmt.Errorf("--interval %s: must be at least 1m (each plan reads the whole account)", o.Interval)
	case o.Debounce <= 0:
		return errors.New("--debounce must be positive (events come in bursts: 1s gathers a save in the web UI)")
	case o.MaxApplies < 1:
		return errors.New("--max-applies must be at least 1 (to apply nothing, leave out --apply)")
	case o.BudgetWindow < time.Minute:
		return errors.New("--budget-window must be at least 1m")
	case o.MaxChanges < 1:
		return errors.New("--max-changes must be at least 1")
	}
	return nil
}

func runWatch(ctx context.Context, opts *watchOptions) error {
	if err := opts.validate(); err != nil {
		return err
	}
	if opts.Getenv != nil && opts.Getenv("GOGC") == "" && opts.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(watchGCPercent)
	}
	w := &watcher{opts: opts, budgets: map[string]*watch.Budget{}, phases: map[string]string{}, failing: map[string]*planFailure{}, metrics: newWatchMetrics(), busy: make(chan struct{}, readLimit)}
	clock := watch.SystemClock()
	reload := make(chan string, 1)
	var started func()
	if h := watchTestHooks; h != nil {
		clock, reload, started = h.clock, h.reload, h.started
	}
	w.clock = clock
	w.out = &watchLog{io: opts.IO, json: opts.JSON, clock: clock}

	if opts.Metrics != "" {
		stop, err := w.metrics.serve(opts.Metrics, opts.IO.ErrOut)
		if err != nil {
			return err
		}
		defer stop()
	}

	// SIGHUP reloads; SIGTERM and Ctrl-C cancel ctx (Main). hctx ends the
	// helpers below when watch returns for another reason (a bad start).
	hctx, stopHelpers := context.WithCancel(ctx)
	defer stopHelpers()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	stopFiles, err := watchConfigFiles(hctx, opts.Chdir, opts.VarFiles, reload, func(err error) {
		w.out.emit(watchRecord{Event: "warning", Error: err.Error()})
	})
	if err != nil {
		return err
	}
	defer stopFiles()
	go func() {
		for {
			select {
			case <-hctx.Done():
				return
			case <-hup:
				select {
				case reload <- "SIGHUP":
				default:
				}
			}
		}
	}()

	first := true
	load := func() ([]watch.Account, error) {
		accts, err := w.load()
		if err == nil && first {
			first = false
			names := make([]string, len(accts))
			for i, a := range accts {
				names[i] = a.Name
			}
			w.out.emit(watchRecord{Event: "started", Accounts: names, Apply: opts.Apply})
			if started != nil {
				defer started()
			}
		}
		return accts, err
	}
	err = watch.Supervise(ctx, load, reload, watch.Options{
		Clock: clock, Debounce: opts.Debounce, Interval: opts.Interval,
		Relevant: relevantEvent, Report: w.note,
	})
	if err != nil {
		return err
	}
	w.out.emit(watchRecord{Event: "stopped"})
	return nil
}

// relevantEvent: the events that may reveal drift of managed state
// (API-NOTES §17). main's driveFileCreated repeats drive's fileCreated;
// notifications, registryUpdated (mkctl's own ownership record and lock)
// and the rest change nothing mkctl manages.
func relevantEvent(ev watch.Event) bool {
	switch ev.Channel {
	case "main":
		return ev.Type == "meUpdated" || ev.Type == "follow" || ev.Type == "unfollow"
	case "drive":
		switch ev.Type {
		case "fileCreated", "fileUpdated", "fileDeleted", "folderCreated", "folderUpdated", "folderDeleted":
			return true
		}
	}
	return false
}

// watcher is one run of mkctl watch.
type watcher struct {
	opts    *watchOptions
	clock   watch.Clock
	out     *watchLog
	metrics *watchMetrics
	mu      sync.Mutex
	budgets map[string]*watch.Budget // by account address: a reload keeps what was spent
	// phases says, by account address, which event an internal error
	// (a panic the loop recovered) of the account's reconcile is:
	// plan_failed, or apply_failed once the repair started.
	phases map[string]string
	// failing is, by account address, the plan failure last reported
	// (see planFailed).
	failing map[string]*planFailure
	// busy bounds the accounts planned at once, as plan's readLimit does:
	// a fleet started together (or planned on the same interval) must
	// not look like a flood to the instance's operator.
	busy chan struct{}
}

// load reads the configuration and makes one watched account per
// declared account. A bad configuration is an error (the diagnostics are
// in it, and on stderr without --json).
func (w *watcher) load() ([]watch.Account, error) {
	cfg, files, diags, err := w.opts.loadConfigDiags()
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		if !w.opts.JSON {
			writeDiagnostics(w.opts.IO.ErrOut, files, diags, w.opts.IO.ErrColors())
			// Shown in full above: at start, Main adds nothing.
			return nil, silentError{diagsError(diags)}
		}
		return nil, diagsError(diags)
	}
	targets, err := w.opts.targets(cfg, nil)
	if err != nil {
		return nil, err
	}
	if len(targets) == 0 {
		// Refused before the metrics forget the running accounts.
		return nil, watch.ErrNoAccounts
	}
	var accts []watch.Account
	var names []string
	for _, t := range targets {
		names = append(names, t.acct.Address())
	}
	w.metrics.keepOnly(names)
	for _, t := range targets {
		w.metrics.declare(t.acct.Address())
		accts = append(accts, watch.Account{
			Name: t.acct.Address(),
			Dial: func(ctx context.Context) (watch.Stream, error) {
				s, err := t.client.OpenStream(ctx)
				if err != nil {
					return nil, err
				}
				return streamAdapter{s}, nil
			},
			Reconcile: func(ctx context.Context, reason string) time.Duration {
				return w.reconcile(ctx, cfg, files, t, reason)
			},
		})
	}
	return accts, nil
}

// diagsError is a configuration's error diagnostics as one error, each
// with its file:line,col.
func diagsError(diags hcl.Diagnostics) error {
	var msgs []string
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			msgs = append(msgs, d.Error())
		}
	}
	return errors.New(strings.Join(msgs, "; "))
}

// withHints is an error of an event with what to do about it: the hints
// plan and apply print under the error (hints, exit.go) — a token without
// read:account is told which permission and to run mkctl login again.
func withHints(err error) string {
	msg := err.Error()
	for _, h := range hints(err) {
		msg += "; hint: " + h
	}
	return msg
}

type streamAdapter struct{ s *provider.Stream }

func (a streamAdapter) Next(ctx context.Context) (watch.Event, error) {
	ev, err := a.s.Next(ctx)
	return watch.Event{Channel: ev.Channel, Type: ev.Type}, err
}

func (a streamAdapter) Close() error { return a.s.Close() }

// note turns the loop's notes into records.
func (w *watcher) note(n watch.Note) {
	r := watchRecord{Account: n.Account, Reason: n.Reason}
	switch n.Kind {
	case watch.NoteConnected:
		r.Event = "connected"
		w.metrics.setConnected(n.Account, true)
	case watch.NoteReconnected:
		r.Event = "reconnected"
		w.metrics.setConnected(n.Account, true)
		w.metrics.inc(n.Account, "reconnects")
	case watch.NoteDisconnected:
		r.Event, r.Error, r.RetryIn = "disconnected", withHints(n.Err), seconds(n.Wait)
		if n.Permanent {
			r.Error += fmt.Sprintf("; retrying cannot mend this: watch tries again every %s or so without reporting it again, and at once after a reload (SIGHUP) that brings a new token",
				provider.HumanDuration(watch.DefaultBackoffMax))
		}
		w.metrics.setConnected(n.Account, false)
	case watch.NoteEvent:
		r.Event, r.Stream = "stream_event", n.Event.Channel+"/"+n.Event.Type
	case watch.NoteConfigReload:
		r.Event = "config_reloaded"
		// A reload is someone looking (a new token, say): the next
		// failure is reported even if it is the same.
		w.mu.Lock()
		for _, f := range w.failing {
			f.reported = time.Time{}
		}
		w.mu.Unlock()
	case watch.NoteConfigInvalid:
		r.Event, r.Error = "config_invalid", n.Err.Error()
	case watch.NoteInternalError:
		r.Event, r.Error, r.RetryIn = w.phase(n.Account), n.Err.Error(), seconds(n.Wait)
		if r.Event == "apply_failed" {
			w.metrics.inc(n.Account, "apply_failures")
		} else {
			w.metrics.inc(n.Account, "plan_failures")
		}
	default:
		return
	}
	// A panic's stack helps a bug report, but is no event: debug log only.
	var pe *watch.PanicError
	if n.Err != nil && errors.As(n.Err, &pe) {
		if l := w.opts.logger(); l != nil {
			l.Debug("watch: internal error", "account", n.Account, "panic", fmt.Sprint(pe.Value), "stack", string(pe.Stack))
		}
	}
	if r.Event == "plan_failed" {
		w.planFailed(r) // a bug that panics at every retry is a repeated failure too
		return
	}
	w.out.emit(r)
}

// planFailure is a run of identical plan failures of one account.
type planFailure struct {
	err      string
	since    time.Time // the first of the run
	reported time.Time // the last plan_failed event of the run
	count    int       // failed plans in the run
}

// planFailed reports a failed plan. A failure identical to the one last
// reported for the account (same error) is reported again only every
// watchFailureReminder, with `repeated` (failed plans since `failing_since`):
// a token that can never work must not fill the log every retry for weeks.
// A different error is reported at once. Every failure is still counted
// in mkctl_watch_plan_failures_total.
func (w *watcher) planFailed(r watchRecord) {
	now := w.clock.Now()
	w.mu.Lock()
	f := w.failing[r.Account]
	if f == nil || f.err != r.Error {
		f = &planFailure{err: r.Error, since: now, reported: now}
		if w.failing == nil {
			w.failing = map[string]*planFailure{}
		}
		w.failing[r.Account] = f
	}
	f.count++
	report := f.count == 1 || now.Sub(f.reported) >= watchFailureReminder
	if report && f.count > 1 {
		f.reported = now
		r.Repeated, r.FailingSince = f.count, f.since.UTC().Format(time.RFC3339)
	}
	w.mu.Unlock()
	if report {
		w.out.emit(r)
	}
}

// planSucceeded ends the account's run of plan failures, if any, with a
// plan_recovered event: a log that went quiet on a failure says when it
// cleared.
func (w *watcher) planSucceeded(addr string) {
	w.mu.Lock()
	f := w.failing[addr]
	delete(w.failing, addr)
	w.mu.Unlock()
	if f != nil {
		w.out.emit(watchRecord{Event: "plan_recovered", Account: addr, Repeated: f.count, FailingSince: f.since.UTC().Format(time.RFC3339)})
	}
}

func (w *watcher) setPhase(addr, event string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.phases[addr] = event
}

func (w *watcher) phase(addr string) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if p := w.phases[addr]; p != "" {
		return p
	}
	return "plan_failed"
}

func seconds(d time.Duration) float64 { return d.Round(time.Millisecond).Seconds() }

func (w *watcher) budget(addr string) *watch.Budget {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := w.budgets[addr]
	if b == nil || b.Max != w.opts.MaxApplies || b.Window != w.opts.BudgetWindow {
		b = &watch.Budget{Max: w.opts.MaxApplies, Window: w.opts.BudgetWindow}
		w.budgets[addr] = b
	}
	return b
}

// planOne reads and plans one account with the engine plan and apply use
// (targetOptions.planAccount: the planner and the deletion guard).
func (w *watcher) planOne(ctx context.Context, cfg *schema.Config, t target) (*planner.Plan, hcl.Diagnostics, error) {
	live, err := provider.ReadAccount(ctx, t.client, t.acct)
	if err != nil {
		return nil, nil, fmt.Errorf("reading @%s on %s: %w", t.acct.Username, t.acct.Host, err)
	}
	ap, diags := w.opts.target.planAccount(t.acct, live)
	plan := planner.New(ap)
	planner.MarkSensitive(plan, cfg.Sensitive)
	return plan, diags, nil
}

// reconcile is one plan of an account, and with --apply its repair.
func (w *watcher) reconcile(ctx context.Context, cfg *schema.Config, files map[string]*hcl.File, t target, reason string) time.Duration {
	addr := t.acct.Address()
	w.setPhase(addr, "plan_failed")
	select {
	case w.busy <- struct{}{}:
		defer func() { <-w.busy }()
	case <-ctx.Done():
		return 0
	}
	plan, diags, err := w.planOne(ctx, cfg, t)
	if err != nil {
		if ctx.Err() != nil {
			return 0
		}
		w.planFailed(watchRecord{Event: "plan_failed", Account: addr, Reason: reason, Error: withHints(err), RetryIn: seconds(watchRetryAfterError)})
		w.metrics.inc(addr, "plan_failures")
		return watchRetryAfterError
	}
	// Errors other than the deletion guard's make the plan impossible.
	// The guard's leave a whole plan that apply would refuse without
	// --allow-mass-delete: drift to report, and with --apply to hold.
	guard := diags.HasErrors()
	if guard && !isGuardOnly(diags) {
		if !w.opts.JSON {
			writeDiagnostics(w.opts.IO.ErrOut, files, diags, w.opts.IO.ErrColors())
		}
		w.planFailed(watchRecord{Event: "plan_failed", Account: addr, Reason: reason, Error: diagsError(diags).Error()})
		w.metrics.inc(addr, "plan_failures")
		return 0
	}
	w.planSucceeded(addr)
	w.metrics.planned(addr, w.clock.Now())
	ap := plan.Accounts[0]
	changes := changeRecords(ap)
	w.metrics.setDrift(addr, len(changes))
	if !plan.NeedsApply() {
		w.out.emit(watchRecord{Event: "in_sync", Account: addr, Reason: reason})
		return 0
	}
	if plan.HasChanges() {
		w.out.emit(watchRecord{Event: "drift_detected", Account: addr, Reason: reason, Changes: changes})
	}
	if !w.opts.Apply {
		return 0
	}
	if guard {
		if !w.opts.JSON {
			writeDiagnostics(w.opts.IO.ErrOut, files, diags, w.opts.IO.ErrColors())
		}
		w.out.emit(watchRecord{Event: "apply_blocked", Account: addr, Error: diagsError(diags).Error(), Changes: changes})
		return 0
	}
	if why := w.needsConfirmation(plan); why != "" {
		w.out.emit(watchRecord{Event: "apply_blocked", Account: addr, Error: why, Changes: changes})
		return 0
	}
	b := w.budget(addr)
	now := w.clock.Now()
	if plan.HasChanges() {
		if next := b.NextFree(now); next.After(now) {
			w.out.emit(watchRecord{Event: "apply_waiting", Account: addr, Error: fmt.Sprintf(
				"the apply budget is spent (%d applies in %s): the drift waits until %s",
				b.Max, provider.HumanDuration(b.Window), next.UTC().Format(time.RFC3339)),
				RetryIn: seconds(next.Sub(now))})
			return next.Sub(now)
		}
	}
	return w.apply(ctx, cfg, t, reason, b)
}

// apply locks the account, plans it again under the lock (the plan made
// before may be out of date, as in apply) and applies.
func (w *watcher) apply(ctx context.Context, cfg *schema.Config, t target, reason string, b *watch.Budget) time.Duration {
	addr := t.acct.Address()
	w.setPhase(addr, "apply_failed")
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	release, err := w.opts.lockAccounts(actx, []target{t}, lockOptions{Enabled: true, Timeout: w.opts.LockTimeout}, cancel)
	if err != nil {
		if ctx.Err() != nil {
			return 0
		}
		var held *provider.LockHeldError
		if errors.As(err, &held) {
			w.out.emit(watchRecord{Event: "apply_waiting", Account: addr, Error: err.Error(), RetryIn: seconds(watchRetryLocked)})
			return watchRetryLocked
		}
		w.out.emit(watchRecord{Event: "apply_failed", Account: addr, Error: withHints(err), RetryIn: seconds(watchRetryAfterError)})
		return watchRetryAfterError
	}
	defer func() {
		if err := release(); err != nil {
			w.out.emit(watchRecord{Event: "warning", Account: addr, Error: err.Error()})
		}
	}()
	plan, diags, err := w.planOne(actx, cfg, t)
	if err == nil && diags.HasErrors() && isGuardOnly(diags) {
		// Changed since the plan before the lock: now beyond the guard.
		w.out.emit(watchRecord{Event: "apply_blocked", Account: addr, Error: diagsError(diags).Error(), Changes: changeRecords(plan.Accounts[0])})
		return 0
	}
	if err != nil && ctx.Err() != nil {
		return 0 // stopping (SIGTERM, a reload) before any change: nothing to report
	}
	if err != nil || diags.HasErrors() {
		if err == nil {
			err = diagsError(diags)
		}
		w.out.emit(watchRecord{Event: "apply_failed", Account: addr, Error: withHints(err), RetryIn: seconds(watchRetryAfterError)})
		return watchRetryAfterError
	}
	if !plan.NeedsApply() {
		w.out.emit(watchRecord{Event: "in_sync", Account: addr, Reason: "re-planned under the lock"})
		w.metrics.setDrift(addr, 0)
		return 0
	}
	if why := w.needsConfirmation(plan); why != "" {
		w.out.emit(watchRecord{Event: "apply_blocked", Account: addr, Error: why, Changes: changeRecords(plan.Accounts[0])})
		return 0
	}
	if err := w.opts.checkPermissions(actx, []target{t}, plan, false); err != nil {
		if ctx.Err() != nil {
			return 0
		}
		w.out.emit(watchRecord{Event: "apply_failed", Account: addr, Error: withHints(err)})
		return 0
	}
	if plan.HasChanges() {
		b.Spend(w.clock.Now())
	}
	res, err := provider.Apply(actx, t.client, plan.Accounts[0], nil)
	rec := watchRecord{Account: addr, Reason: reason, Result: &watchResult{res.Added, res.Changed, res.Destroyed}, Changes: changeRecords(plan.Accounts[0])}
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// SIGTERM or a reload: the engine finished the change in flight
		// and stopped. Not a failure (no alarm after a routine reload);
		// after a reload the new configuration's first plan picks up
		// what remains, after SIGTERM the next run does.
		rec.Event, rec.Error = "apply_stopped", err.Error()
		w.out.emit(rec)
		return 0
	}
	if err != nil {
		rec.Event, rec.Error = "apply_failed", withHints(err)
		w.metrics.inc(addr, "apply_failures")
		if ctx.Err() != nil {
			w.out.emit(rec) // stopping: no retry
			return 0
		}
		// A re-run converges (the engine's promise): try again later
		// rather than at the next event only, and say when.
		rec.RetryIn = seconds(watchRetryAfterError)
		w.out.emit(rec)
		return watchRetryAfterError
	}
	rec.Event = "applied"
	w.metrics.applied(addr, w.clock.Now())
	// Converged (the engine's promise). Many repairs send no event, so
	// the plan that would say so may be an --interval away.
	w.metrics.setDrift(addr, 0)
	w.out.emit(rec)
	return 0
}

// needsConfirmation says why apply would ask before this plan, or "".
func (w *watcher) needsConfirmation(plan *planner.Plan) string {
	ap := plan.Accounts[0]
	n := 0
	for _, ch := range ap.Changes {
		if ch.Followup || ch.Action == planner.ActionNoop {
			continue
		}
		n++
		if ch.Type == planner.TypePinnedNote && ch.Action == planner.ActionReplace && !w.opts.AllowPinnedReplace {
			return fmt.Sprintf("%s would be replaced (its reactions and renotes are lost): run mkctl apply to confirm, or watch with --allow-pinned-note-replace", ch.Address)
		}
	}
	if n > w.opts.MaxChanges {
		return fmt.Sprintf("the plan has %d changes, more than --max-changes %d: run mkctl apply to review and apply it", n, w.opts.MaxChanges)
	}
	return ""
}

// isGuardOnly reports whether every error is the deletion guard's.
func isGuardOnly(diags hcl.Diagnostics) bool {
	for _, d := range diags {
		if d.Severity == hcl.DiagError && d.Summary != "Too many deletions" {
			return false
		}
	}
	return true
}

func changeRecords(ap *planner.AccountPlan) []watchChange {
	var out []watchChange
	for _, ch := range ap.Changes {
		if ch.Followup || ch.Action == planner.ActionNoop {
			continue
		}
		c := watchChange{Address: ch.Address, Action: string(ch.Action)}
		for _, a := range ch.Attrs {
			c.Attributes = append(c.Attributes, a.Name)
		}
		out = append(out, c)
	}
	return out
}
