package cmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/mkctl/mkctl/cmd/view"
	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider"
)

type applyOptions struct {
	*globalOptions
	AutoApprove bool
	Sandbox     bool
	Lock        lockOptions
}

func newApplyCmd(g *globalOptions) *cobra.Command {
	opts := &applyOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "apply [FILE]",
		Short: "Make the accounts match the configuration",
		Long: `Plans, shows the plan, asks for confirmation, then makes the changes.
Only "yes" confirms. Without a terminal, --auto-approve is required.

With FILE, a plan saved by "mkctl plan -out FILE", applies exactly the
changes it holds, without asking (the saved plan is the approval), and
refuses before any change when the plan is stale: the configuration, a
file it reads or a variable changed, an object the plan touches changed
on the server, or another mkctl version made the plan.`,
		Args: cobra.MaximumNArgs(1),
		RunE: wrapRun(func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				ctx, cancel := context.WithCancel(cmd.Context())
				defer cancel()
				return runApplyFile(ctx, opts, args[0], cancel)
			}
			return runApply(cmd, opts)
		}),
	}
	f := cmd.Flags()
	f.BoolVar(&opts.AutoApprove, "auto-approve", false, "apply without asking for confirmation")
	addMaxWaitFlag(f, g)
	addTargetFlags(f, &g.target)
	f.BoolVar(&opts.Lock.Enabled, "lock", true, "lock each account while applying (--lock=false: only when you know no other apply runs)")
	f.DurationVar(&opts.Lock.Timeout, "lock-timeout", 0, "wait up to `DURATION` for another apply's lock on an account (0: fail at once)")
	f.BoolVar(&opts.Sandbox, "sandbox", false, "apply to the local emulator (.mkctl/sandbox.json) instead of the real instances")
	return cmd
}

// lockOnRead makes the next read lock each account (unless --lock=false)
// and returns what unlocks them, to defer: the lock spans the read and the
// apply, on success, error or Ctrl-C alike. A failed unlock is a warning,
// since the lock lapses by itself. apply and apply FILE both lock this way.
func (opts *applyOptions) lockOnRead(cancel context.CancelFunc) (unlock func()) {
	release := func() error { return nil }
	opts.beforeRead = func(ctx context.Context, targets []target) error {
		if !opts.Lock.Enabled {
			return nil
		}
		r, err := opts.lockAccounts(ctx, targets, opts.Lock, cancel)
		if err != nil {
			return err // lockAccounts released what it took
		}
		release = r
		return nil
	}
	return func() {
		if err := release(); err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "Warning: %v (it lapses by itself within %s)\n", err, provider.DefaultLockTTL)
		}
	}
}

func runApply(cmd *cobra.Command, opts *applyOptions) error {
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	io := opts.IO
	defer opts.lockOnRead(cancel)()
	plan, targets, sb, err := opts.planConfig(ctx, opts.Sandbox)
	if err != nil {
		return err
	}
	// The sandbox state stays locked until it is saved (sb.save below).
	defer func() {
		if err := sb.close(); err != nil {
			fmt.Fprintf(io.ErrOut, "Warning: %v\n", err)
		}
	}()
	c := io.Colors()
	view.HumanPlan(io.Out, plan, c)
	// Nothing to confirm when nothing changes: a CI job without
	// --auto-approve still succeeds on a converged account.
	if plan.HasChanges() && !opts.AutoApprove && !io.StdinTTY {
		return errors.New("apply needs confirmation, but standard input is not a terminal: run with --auto-approve to apply without asking (for example in CI)")
	}
	// A token lacking a permission fails here, before any change.
	if plan.NeedsApply() {
		if err := opts.checkPermissions(ctx, targets, plan, opts.Sandbox); err != nil {
			return err
		}
	}
	if !plan.HasChanges() {
		if plan.NeedsApply() {
			// Only adoptions: record them, nothing on the server changes.
			if _, err := applyPlan(ctx, opts, targets, plan); err != nil {
				return errors.Join(err, sb.save())
			}
		}
		return sb.save()
	}
	if !opts.AutoApprove {
		ok, err := confirm(ctx, opts)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(io.Out, "\nApply cancelled.")
			return exitCodeError{ExitError}
		}
	}
	fmt.Fprintln(io.Out)
	total, applyErr := applyPlan(ctx, opts, targets, plan)
	// Whatever happened, keep the sandbox state of the changes that were made.
	if err := sb.save(); err != nil {
		applyErr = errors.Join(applyErr, err)
	}
	if applyErr != nil {
		fmt.Fprintf(io.Out, "\nApply stopped: %d added, %d changed, %d destroyed before the error. Run apply again to finish.\n",
			total.Added, total.Changed, total.Destroyed)
		return applyErr
	}
	fmt.Fprintf(io.Out, "\n%s Resources: %d added, %d changed, %d destroyed.\n",
		c.Green("Apply complete!"), total.Added, total.Changed, total.Destroyed)
	return nil
}

func confirm(ctx context.Context, opts *applyOptions) (bool, error) {
	io := opts.IO
	fmt.Fprintf(io.Out, "\n%s\n  mkctl will perform the actions described above.\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ",
		io.Colors().Bold("Do you want to perform these actions?"))
	return readYes(ctx, io)
}

// readYes reads the answer to a confirmation: only "yes" confirms. It reads
// in the background so that Ctrl-C at the prompt ends mkctl at once (the
// signal only cancels ctx; a blocked read would ignore it).
func readYes(ctx context.Context, io *IOStreams) (bool, error) {
	type answer struct {
		line string
		err  error
	}
	answers := make(chan answer, 1)
	go func() {
		var line string
		err := safego.Call("reading the confirmation", func() (err error) {
			line, err = bufio.NewReader(io.In).ReadString('\n')
			return err
		})
		answers <- answer{line, err}
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(io.Out)
		return false, ctx.Err()
	case a := <-answers:
		if a.err != nil && a.line == "" {
			return false, fmt.Errorf("reading the confirmation: %w", a.err)
		}
		return strings.TrimSpace(a.line) == "yes", nil
	}
}

// applyPlan applies each account's changes; accounts are independent (each
// has its own rate-limit buckets), so they run concurrently.
func applyPlan(ctx context.Context, opts *applyOptions, targets []target, plan *planner.Plan) (provider.Result, error) {
	var (
		mu    sync.Mutex
		total provider.Result
		errs  []error
	)
	c := opts.IO.Colors()
	events := func(ev provider.Event) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintln(opts.IO.Out, progressLine(ev, c))
	}
	var g errgroup.Group
	g.SetLimit(readLimit)
	for i, t := range targets {
		ap := plan.Accounts[i]
		// Forget alone is work too: the record must drop entries of
		// objects that are gone (see planner.AccountPlan.Forget).
		if len(ap.Changes) == 0 && len(ap.Adopt) == 0 && len(ap.Forget) == 0 {
			continue
		}
		g.Go(func() error {
			var res provider.Result
			// A panic is this account's error (the others go on), not a
			// crash from this goroutine.
			err := safego.Call("applying "+t.acct.Address(), func() (err error) {
				res, err = provider.Apply(ctx, t.client, ap, events)
				return err
			})
			mu.Lock()
			defer mu.Unlock()
			total.Added += res.Added
			total.Changed += res.Changed
			total.Destroyed += res.Destroyed
			if err != nil {
				errs = append(errs, err) // provider errors name the change's address
			}
			return nil
		})
	}
	_ = g.Wait()
	return total, errors.Join(errs...)
}

var progressVerbs = map[planner.Action][2]string{
	planner.ActionCreate:  {"Creating...", "Creation complete"},
	planner.ActionUpdate:  {"Modifying...", "Modifications complete"},
	planner.ActionDelete:  {"Destroying...", "Destruction complete"},
	planner.ActionReplace: {"Replacing...", "Replacement complete"},
}

func progressLine(ev provider.Event, c view.Colors) string {
	verbs := progressVerbs[ev.Action]
	addr := view.Printable(ev.Address)
	switch ev.Phase {
	case "start":
		return fmt.Sprintf("%s: %s", c.Bold(addr), verbs[0])
	case "failed":
		return fmt.Sprintf("%s: %s %v", c.Bold(addr), c.Red("failed:"), ev.Err)
	}
	return fmt.Sprintf("%s: %s after %s", c.Bold(addr), verbs[1], ev.Elapsed.Round(time.Second))
}
