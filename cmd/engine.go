package cmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"golang.org/x/sync/errgroup"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/schema"
)

// target is one declared account and the client that reaches it.
type target struct {
	acct   *schema.Account
	client *provider.Client
}

// targets builds a client per account: against the real instance, or against
// the in-process emulator with --sandbox.
func (g *globalOptions) targets(cfg *schema.Config, sb *sandbox) ([]target, error) {
	var out []target
	for _, acct := range cfg.Accounts {
		base, token := acct.Host, ""
		var httpClient *http.Client
		if sb != nil {
			base, token, httpClient = sb.endpoint(acct)
		} else {
			t, err := g.tokenFor(acct, len(cfg.Accounts))
			if err != nil {
				return nil, err
			}
			token = t
		}
		opts := []provider.Option{
			provider.WithUserAgent("mkctl/" + Version),
			provider.WithNotify(func(msg string) { fmt.Fprintf(g.IO.ErrOut, "%s: %s\n", acct.Address(), msg) }),
		}
		if httpClient != nil {
			opts = append(opts, provider.WithHTTPClient(httpClient))
		}
		c, err := provider.NewClient(base, token, opts...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", acct.Address(), err)
		}
		out = append(out, target{acct: acct, client: c})
	}
	return out, nil
}

// readLimit bounds how many accounts are read at once: a fleet of bots on
// one instance should not look like a flood to its operator.
const readLimit = 4

// buildPlan reads every account concurrently and diffs it.
func buildPlan(ctx context.Context, targets []target) (*planner.Plan, error) {
	plans := make([]*planner.AccountPlan, len(targets))
	errs := make([]error, len(targets))
	var g errgroup.Group
	g.SetLimit(readLimit)
	for i, t := range targets {
		g.Go(func() error {
			live, err := provider.ReadAccount(ctx, t.client, t.acct)
			if err != nil {
				errs[i] = fmt.Errorf("%s: reading @%s on %s: %w", t.acct.Address(), t.acct.Username, t.acct.Host, err)
				return nil
			}
			plans[i] = planner.PlanAccount(t.acct, live)
			return nil
		})
	}
	_ = g.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return planner.New(plans...), nil
}
