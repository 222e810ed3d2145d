package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/provider"
)

// lockOptions are apply's lock flags.
type lockOptions struct {
	Enabled bool
	Timeout time.Duration
	// ttl and poll are zero (the defaults) except in tests.
	ttl, poll time.Duration
}

// lockAccounts takes the apply lock of every real account before it is
// read: a plan made before the lock was taken could be out of date by the
// time it is applied (the holder may have created what it lists). Accounts
// are locked in configuration order, so two applies of the same fleet never
// wait for each other crosswise. The returned release removes every lease;
// it is safe after Ctrl-C and must be called whatever happens.
func (g *globalOptions) lockAccounts(ctx context.Context, targets []target, lo lockOptions, cancel context.CancelFunc) (release func() error, err error) {
	var leases []*provider.Lease
	release = func() error {
		var errs []error
		for i := len(leases) - 1; i >= 0; i-- {
			errs = append(errs, leases[i].Release())
		}
		leases = nil
		return errors.Join(errs...)
	}
	host, _ := os.Hostname()
	config, _ := filepath.Abs(g.Chdir)
	var once sync.Once
	run := provider.NewLockID()
	stale := func(h provider.LockInfo) bool {
		// A claim of this machine whose process is gone was left by a
		// killed apply: its re-run goes on at once.
		return host != "" && h.Host == host && h.PID > 0 && h.PID != os.Getpid() && !processAlive(h.PID)
	}
	for _, t := range targets {
		instance := strings.TrimPrefix(strings.TrimPrefix(t.acct.Host, "https://"), "http://")
		account := "@" + t.acct.Username + "@" + strings.TrimSuffix(instance, "/")
		info := provider.LockInfo{Host: host, PID: os.Getpid(), Mkctl: Version, Address: t.acct.Address(), Config: config, Op: "apply", Run: run}
		l, err := provider.Acquire(ctx, t.client, account, info, provider.LockOptions{
			TTL: lo.ttl, Poll: lo.poll, Timeout: lo.Timeout, Stale: stale,
			OnWait: func(h provider.LockClaim) {
				fmt.Fprintf(g.IO.ErrOut, "%s: waiting up to %s for the lock held by %s\n", t.acct.Address(), provider.HumanDuration(lo.Timeout), h.Describe())
			},
			OnLost: func(err error) {
				// Another apply may take the lapsed lease: stop after the
				// change in flight rather than risk duplicates.
				once.Do(func() {
					fmt.Fprintf(g.IO.ErrOut, "%s: the apply lock could not be renewed (%v); stopping after the change in flight\n", t.acct.Address(), err)
					cancel()
				})
			},
		})
		if err != nil {
			if provider.IsCode(err, "PERMISSION_DENIED") {
				// The token may not write the registry. Such a token can
				// apply nothing but a converged plan (the ownership record
				// needs write:account too), and the permission check
				// names what is missing: go on without the lock.
				fmt.Fprintf(g.IO.ErrOut, "%s: not locking: the token may not write the account registry (write:account)\n", t.acct.Address())
				continue
			}
			return nil, errors.Join(fmt.Errorf("%s: %w", t.acct.Address(), err), release())
		}
		leases = append(leases, l)
	}
	return release, nil
}

type forceUnlockOptions struct {
	*globalOptions
	Force bool
}

func newForceUnlockCmd(g *globalOptions) *cobra.Command {
	opts := &forceUnlockOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "force-unlock ACCOUNT_ADDRESS",
		Short: "Remove the apply lock of an account",
		Long: `Removes the apply lock an apply left on the account (for example account.weather).
A lock lapses by itself two minutes after its apply stopped renewing it; use
force-unlock only when you are sure no apply is running: two applies at once
can duplicate objects. Asks for confirmation unless --force.`,
		Args: cobra.ExactArgs(1),
		RunE: wrapRun(func(cmd *cobra.Command, args []string) error { return runForceUnlock(cmd, opts, args[0]) }),
	}
	cmd.Flags().BoolVarP(&opts.Force, "force", "f", false, "do not ask for confirmation")
	cmd.Flags().BoolVar(&opts.Force, "yes", false, "same as --force")
	return cmd
}

func runForceUnlock(cmd *cobra.Command, opts *forceUnlockOptions, address string) error {
	ctx := cmd.Context()
	io := opts.IO
	cfg, err := opts.loadConfig()
	if err != nil {
		return err
	}
	tokens := opts.tokenResolver(len(cfg.Accounts), true)
	var known []string
	for _, acct := range cfg.Accounts {
		known = append(known, acct.Address())
		if acct.Address() != address {
			continue
		}
		tok, err := tokens.tokenFor(acct)
		if err != nil {
			return err
		}
		// Built like apply's clients: the token is redacted from the
		// output, and MKCTL_LOG and the rate-limit wait apply.
		addSecret(io, tok.Token)
		c, err := provider.NewClient(acct.Host, tok.Token, opts.clientOptions()...)
		if err != nil {
			return fmt.Errorf("%s: %w", address, err)
		}
		claims, err := provider.Claims(ctx, c)
		if err != nil {
			return fmt.Errorf("%s: %w", address, err)
		}
		if len(claims) == 0 {
			fmt.Fprintf(io.Out, "%s is not locked.\n", address)
			return nil
		}
		fmt.Fprintf(io.Out, "%s is locked by:\n", address)
		for _, cl := range claims {
			fmt.Fprintf(io.Out, "  %s\n", cl.Describe())
		}
		if !opts.Force {
			if !io.StdinTTY {
				return errors.New("force-unlock needs confirmation, but standard input is not a terminal: run with --force")
			}
			ok, err := confirmPrompt(ctx, opts.globalOptions,
				"Do you really want to force-unlock?",
				"Removing the lock while an apply is running can duplicate objects on the account.")
			if err != nil {
				return err
			}
			if !ok {
				fmt.Fprintln(io.Out, "\nForce-unlock cancelled.")
				return exitCodeError{ExitError}
			}
		}
		for _, cl := range claims {
			if err := provider.RemoveClaim(ctx, c, cl.Key); err != nil {
				return fmt.Errorf("%s: %w", address, err)
			}
		}
		fmt.Fprintf(io.Out, "\n%s has been unlocked.\n", address)
		return nil
	}
	return fmt.Errorf("no account %q in the configuration (accounts: %s)", address, strings.Join(known, ", "))
}

// confirmPrompt asks a yes/no question the way apply does: only "yes"
// confirms, and Ctrl-C at the prompt ends mkctl at once.
func confirmPrompt(ctx context.Context, g *globalOptions, question, detail string) (bool, error) {
	io := g.IO
	fmt.Fprintf(io.Out, "\n%s\n  %s\n  Only 'yes' will be accepted to confirm.\n\n  Enter a value: ", io.Colors().Bold(question), detail)
	return readYes(ctx, io)
}
