package cmd

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/internal/credentials"
	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/schema"
)

type whoamiOptions struct {
	*globalOptions
	Offline bool
}

func newWhoamiCmd(g *globalOptions) *cobra.Command {
	opts := &whoamiOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "whoami",
		Short: "Show which token each account uses, and what it may do",
		Long: `With a configuration in --chdir: for each declared account, the host, the
username, where its token comes from (see README: Getting a token), the
permissions it was granted, which of the configuration's needs (3 blocks, the
profile, ...) each covers, and what the configuration needs that the token
lacks. A token from the environment does not say what it holds: the kinds the
configuration needs are tested with requests that change nothing. Without a
configuration: every token mkctl login stored.

Each token is then tried with one call to the instance (i), which shows
whether it works and whose it is; --offline skips that (and the tests). Tokens are never
shown. Exits 1 when an account has no working token.`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error { return runWhoami(cmd.Context(), opts) }),
	}
	addMaxWaitFlag(cmd.Flags(), g)
	cmd.Flags().BoolVar(&opts.Offline, "offline", false, "do not try the tokens on the instances")
	return cmd
}

func runWhoami(ctx context.Context, opts *whoamiOptions) error {
	if files, _ := schema.ConfigFiles(opts.Chdir); len(files) > 0 {
		cfg, err := opts.loadConfig()
		if err != nil {
			return err
		}
		return whoamiAccounts(ctx, opts, cfg)
	}
	return whoamiStored(ctx, opts)
}

// whoamiAccounts reports on the configuration's accounts.
func whoamiAccounts(ctx context.Context, opts *whoamiOptions, cfg *schema.Config) error {
	out := opts.IO.Out
	tokens := opts.tokenResolver(len(cfg.Accounts), true)
	bad := 0
	for i, acct := range cfg.Accounts {
		if i > 0 {
			fmt.Fprintln(out)
		}
		fmt.Fprintln(out, opts.IO.Colors().Bold(acct.Address()))
		field(out, "host", acct.Host)
		field(out, "username", "@"+acct.Username)
		rt, err := tokens.tokenFor(acct)
		if err != nil {
			bad++
			field(out, "token", "none: "+err.Error())
			continue
		}
		field(out, "token", rt.describe())
		perms, known := rt.permissions()
		why := unknownFromEnv
		if rt.Source == tokenFromStore {
			why = unknownStored
		}
		writePermissions(out, perms, known, why)
		works := opts.Offline || tryToken(ctx, opts.globalOptions, out, acct.Host, rt.Token, acct.Username, perms, known)
		if !works {
			bad++
		}
		// What the configuration needs, and which granted kind covers
		// it. A token that does not say what it holds is tested (kinds
		// the configuration needs only), as apply would test it.
		need := configNeeds(acct)
		probed := false
		if !known && works && !opts.Offline {
			granted, err := probeNeeds(ctx, opts.globalOptions, acct.Host, rt.Token, need)
			if err != nil {
				field(out, "tested", "failed: "+err.Error())
			} else {
				perms, known, probed = granted, true, true
			}
		}
		writeNeeds(out, need, perms, known, probed)
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d account(s) have no working token", bad, len(cfg.Accounts))
	}
	return nil
}

// whoamiStored reports on every stored credential.
func whoamiStored(ctx context.Context, opts *whoamiOptions) error {
	out := opts.IO.Out
	store, err := opts.credentialStore(true)
	if err != nil {
		return err
	}
	all, err := store.Load()
	if err != nil {
		return err
	}
	env := opts.envTokenVars()
	verb := "is"
	if len(env) > 1 {
		verb = "are"
	}
	if len(all) == 0 {
		if len(env) > 0 {
			return fmt.Errorf("no configuration in %s and no stored token (%s); %s %s set, but without a configuration whoami cannot tell which account a token belongs to: run it with --chdir DIR (the directory of the *.mk.hcl files)",
				opts.Chdir, store.Path, strings.Join(env, ", "), verb)
		}
		return fmt.Errorf("not logged in: no configuration in %s and no stored token (%s); run `mkctl login --host HOST`", opts.Chdir, store.Path)
	}
	fmt.Fprintf(out, "Tokens stored in %s:\n", store.Path)
	bad := 0
	for _, c := range all {
		fmt.Fprintln(out)
		fmt.Fprintln(out, opts.IO.Colors().Bold("@"+c.Username+" on "+credentials.DisplayHost(c.Host)))
		field(out, "stored", c.CreatedAt.Local().Format("2006-01-02 15:04"))
		writePermissions(out, c.Permissions, c.Permissions != nil, unknownStored)
		if !opts.Offline && !tryToken(ctx, opts.globalOptions, out, c.Host, c.Token, c.Username, c.Permissions, c.Permissions != nil) {
			bad++
		}
	}
	if len(env) > 0 {
		// The variables win over these tokens, for accounts only a
		// configuration names.
		fmt.Fprintf(out, "\n%s %s set in the environment, and a token variable wins over a stored token for the accounts it applies to (MKCTL_TOKEN: a configuration of one account). Run whoami with --chdir DIR to see which token each account uses.\n",
			strings.Join(env, ", "), verb)
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d stored token(s) do not work", bad, len(all))
	}
	return nil
}

func field(w io.Writer, name, value string) {
	fmt.Fprintf(w, "  %-12s %s\n", name+":", value)
}

// Why a token's permissions are unknown, for writePermissions.
const (
	unknownFromEnv = "a token from the environment does not tell"
	unknownStored  = "not recorded when this token was stored"
)

// writePermissions shows a token's permissions; why says why they are
// unknown, when they are.
func writePermissions(w io.Writer, perms []string, known bool, why string) {
	if !known {
		field(w, "permissions", "unknown ("+why+"; apply tests the ones a plan needs before any change)")
		return
	}
	field(w, "permissions", strings.Join(perms, ", "))
	if missing := missingFrom(perms, mkctlPermissions); len(missing) > 0 {
		field(w, "not granted", strings.Join(missing, ", ")+" (apply refuses plans that need them)")
	}
}

// tryToken calls `i` with the token and reports whether it works and
// belongs to username.
func tryToken(ctx context.Context, g *globalOptions, w io.Writer, host, token, username string, perms []string, known bool) bool {
	if known && !slices.Contains(perms, "read:account") {
		field(w, "check", "skipped: the token lacks read:account, which the check (and plan) needs")
		return false
	}
	addSecret(g.IO, token)
	c, err := provider.NewClient(host, token, g.clientOptions()...)
	if err != nil {
		field(w, "check", "failed: "+err.Error())
		return false
	}
	var me struct {
		Username string `json:"username"`
	}
	if err := c.Read(ctx, "i", nil, &me); err != nil {
		msg := "failed: " + err.Error()
		for _, h := range hints(err) {
			msg += " (" + h + ")"
		}
		field(w, "check", msg)
		return false
	}
	if !strings.EqualFold(me.Username, username) {
		field(w, "check", fmt.Sprintf("failed: the token belongs to @%s, not @%s", me.Username, username))
		return false
	}
	field(w, "check", "ok, the token works and belongs to @"+me.Username)
	return true
}
