package cmd

import (
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/internal/credentials"
	"github.com/mkctl/mkctl/internal/hosturl"
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
// configuration, force-unlock's argument the accounts' addresses, --host
// and --username of logout and export the stored credentials'.
func registerCompletions(root *cobra.Command, g *globalOptions) {
	// --chdir names a directory: the shell offers directories only.
	_ = root.MarkPersistentFlagDirname("chdir")
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
		case "logout", "export":
			// The stored credentials' hosts and usernames (never their
			// tokens): what `mkctl login` stored is what these take.
			if c.Flags().Lookup("host") != nil {
				_ = c.RegisterFlagCompletionFunc("host", func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
					return completeStored(g, "", toComplete, func(cr credentials.Credential) string { return shownHost(cr.Host) })
				})
			}
			if c.Flags().Lookup("username") != nil {
				_ = c.RegisterFlagCompletionFunc("username", func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
					host, _ := cmd.Flags().GetString("host")
					return completeStored(g, host, toComplete, func(cr credentials.Credential) string { return cr.Username })
				})
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

// completeStored lists one field of the stored credentials (of host only,
// when given) that starts with toComplete. The file is read without its
// warnings: completion prints nothing else.
func completeStored(g *globalOptions, host, toComplete string, field func(credentials.Credential) string) ([]string, cobra.ShellCompDirective) {
	const directive = cobra.ShellCompDirectiveNoFileComp
	path, err := credentials.DefaultPath(g.Getenv)
	if err != nil {
		return nil, directive
	}
	all, err := (&credentials.Store{Path: path}).Load()
	if err != nil {
		return nil, directive
	}
	if host != "" {
		if h, prob := hosturl.Canonical(host); prob == nil {
			host = h
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, c := range all {
		if host != "" && c.Host != host {
			continue
		}
		if v := field(c); v != "" && !seen[v] && strings.HasPrefix(v, toComplete) {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out, directive
}

// shownHost is a stored host as a user types it: misskey.example for
// https://misskey.example, the URL itself otherwise.
func shownHost(base string) string {
	if h, ok := strings.CutPrefix(base, "https://"); ok {
		return h
	}
	return base
}
