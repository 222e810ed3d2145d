package cmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/hcl/v2"

	"golang.org/x/sync/errgroup"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/schema"
)

// planConfig loads the configuration, reaches every account (real or
// sandboxed) and plans: what plan and apply both do first.
func (g *globalOptions) planConfig(ctx context.Context, useSandbox bool) (*planner.Plan, []target, *sandbox, error) {
	cfg, err := g.loadConfig()
	if err != nil {
		return nil, nil, nil, err
	}
	return g.planLoaded(ctx, cfg, useSandbox)
}

// planLoaded is planConfig once the configuration is loaded (apply FILE
// compares it with the saved plan's first).
func (g *globalOptions) planLoaded(ctx context.Context, cfg *schema.Config, useSandbox bool) (*planner.Plan, []target, *sandbox, error) {
	var err error
	var sb *sandbox
	if useSandbox {
		// The sandbox stays locked until the caller closes it (after
		// saving); on an error here it is released before returning.
		if sb, err = openSandbox(ctx, g.Chdir, cfg, g.IO.ErrOut); err != nil {
			return nil, nil, nil, err
		}
	}
	fail := func(err error) (*planner.Plan, []target, *sandbox, error) {
		return nil, nil, nil, errors.Join(err, sb.close())
	}
	targets, err := g.targets(cfg, sb)
	if err != nil {
		return fail(err)
	}
	// apply locks the accounts before reading them (see lockAccounts).
	if g.beforeRead != nil && sb == nil {
		if err := g.beforeRead(ctx, targets); err != nil {
			return fail(err)
		}
	}
	plan, err := g.buildPlan(ctx, targets)
	if err != nil {
		return fail(err)
	}
	planner.MarkSensitive(plan, cfg.Sensitive) // every view shows (sensitive)
	return plan, targets, sb, nil
}

// target is one declared account and the client that reaches it.
type target struct {
	acct   *schema.Account
	client *provider.Client
}

// targets builds a client per account: against the real instance, or against
// the in-process emulator with --sandbox.
func (g *globalOptions) targets(cfg *schema.Config, sb *sandbox) ([]target, error) {
	var out []target
	var missing []error // every account without a token, not just the first
	tokens := g.tokenResolver(len(cfg.Accounts), true)
	selected, err := g.target.accountFilter(cfg) // --target, --exclude: see target.go
	if err != nil {
		return nil, err
	}
	for _, acct := range cfg.Accounts {
		if !selected(acct) {
			continue // not read: needs no token
		}
		base, token := acct.Host, ""
		var httpClient *http.Client
		if sb != nil {
			base, token, httpClient = sb.endpoint(acct)
		} else {
			t, err := tokens.tokenFor(acct)
			if err != nil {
				missing = append(missing, err)
				continue
			}
			token = t.Token
		}
		addSecret(g.IO, token)
		opts := g.clientOptions(
			provider.WithNotify(func(msg string) { fmt.Fprintf(g.IO.ErrOut, "%s: %s\n", acct.Address(), msg) }),
		)
		if httpClient != nil {
			// The sandbox's emulator enforces no minInterval: no pacing.
			opts = append(opts, provider.WithHTTPClient(httpClient), provider.WithoutPacing())
		}
		c, err := provider.NewClient(base, token, opts...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", acct.Address(), err)
		}
		out = append(out, target{acct: acct, client: c})
	}
	if len(missing) > 0 {
		return nil, errors.Join(missing...)
	}
	return out, nil
}

// readLimit bounds how many accounts are read at once: a fleet of bots on
// one instance should not look like a flood to its operator.
const readLimit = 4

// buildPlan reads every account concurrently and diffs it. Problems that
// make the plan impossible are printed as diagnostics pointing at the
// configuration.
func (g *globalOptions) buildPlan(ctx context.Context, targets []target) (*planner.Plan, error) {
	plans := make([]*planner.AccountPlan, len(targets))
	diags := make([]hcl.Diagnostics, len(targets))
	errs := make([]error, len(targets))
	var eg errgroup.Group
	eg.SetLimit(readLimit)
	for i, t := range targets {
		eg.Go(func() error {
			// A panic here (the planner's) would end the process from
			// this goroutine: it is this account's error instead.
			errs[i] = safego.Call("planning "+t.acct.Address(), func() error {
				live, err := provider.ReadAccount(ctx, t.client, t.acct)
				if err != nil {
					return fmt.Errorf("%s: reading @%s on %s: %w", t.acct.Address(), t.acct.Username, t.acct.Host, err)
				}
				plans[i], diags[i] = g.target.planAccount(t.acct, live) // planner.PlanAccount, targeting, deletion guard
				return nil
			})
			return nil
		})
	}
	_ = eg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	plan := planner.New(plans...)
	if err := g.target.finish(plan); err != nil {
		return nil, err
	}
	var all hcl.Diagnostics
	for _, d := range diags {
		all = append(all, d...)
	}
	if len(all) > 0 {
		g.writeDiagnostics(g.files, all)
	}
	if all.HasErrors() {
		return nil, silentError{errors.New("the plan cannot be made")}
	}
	return plan, nil
}
