package cmd

import (
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/planner"
)

// Shell completion. cobra's own `mkctl completion bash|zsh|fish|powershell`
// writes the scripts; the scripts call the hidden `mkctl __complete …`,
// which runs the functions registered here. They read the configuration of
// --chdir as validate does — files only: no network, no token — and print
// nothing but candidates: a configuration with errors completes nothing
// rather than printing its diagnostics into the shell.

// registerCompletions adds the dynamic completions to the command tree:
// --target and --exclude of plan and apply complete the addresses of the
// configuration, force-unlock's argument the accounts' addresses.
func registerCompletions(root *cobra.Command, g *globalOptions) {
	for _, c := range root.Commands() {
		switch c.Name() {
		case "plan", "apply":
			for _, flag := range []string{"target", "exclude"} {
				if c.Flags().Lookup(flag) != nil {
					_ = c.RegisterFlagCompletionFunc(flag, func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
						return completeAddresses(g, toComplete, true)
					})
				}
			}
		case "force-unlock":
			c.ValidArgsFunction = func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return completeAddresses(g, toComplete, false)
			}
		}
	}
}

// completeAddresses lists the addresses of the configuration that start
// with toComplete: each account (and, for a for_each block, the block as a
// whole), and with resources, each declared object and each kind of object
// an account declares (account.news.follow: every follow).
func completeAddresses(g *globalOptions, toComplete string, resources bool) ([]string, cobra.ShellCompDirective) {
	const directive = cobra.ShellCompDirectiveNoFileComp
	cfg, _, diags, err := g.loadConfigDiags()
	if err != nil || diags.HasErrors() || cfg == nil {
		return nil, directive
	}
	seen := map[string]bool{}
	var out []string
	add := func(a string) {
		if !seen[a] && strings.HasPrefix(a, toComplete) {
			seen[a] = true
			out = append(out, a)
		}
	}
	for _, acct := range cfg.Accounts {
		if acct.Key != "" {
			add("account." + acct.Label)
		}
		add(acct.Address())
		if !resources {
			continue
		}
		for _, d := range planner.DeclaredAddresses(acct) {
			a, err := planner.ParseAddress(d)
			if err != nil || a.IsAccount() {
				continue
			}
			if a.HasName {
				kind := a
				kind.Name, kind.HasName = "", false
				add(kind.String())
			}
			add(d)
		}
	}
	sort.Strings(out)
	return out, directive
}
