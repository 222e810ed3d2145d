package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/internal/credentials"
)

type logoutOptions struct {
	*globalOptions
	Host     string
	Username string
}

func newLogoutCmd(g *globalOptions) *cobra.Command {
	opts := &logoutOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "logout [--host HOST] [--username NAME]",
		Short: "Remove a token mkctl login stored",
		Long: `Removes a stored token from this machine. --host and --username choose
which; they may be left out when only one stored token matches.

The token keeps working on the instance until you revoke it there, in
Settings → Apps (https://HOST/settings/apps): Misskey lets only its web
client revoke tokens, so mkctl cannot do it for you.`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error { return runLogout(opts) }),
	}
	f := cmd.Flags()
	f.StringVar(&opts.Host, "host", "", "remove the token for the instance `HOST`")
	f.StringVar(&opts.Username, "username", "", "remove the token of the account `NAME`")
	return cmd
}

func runLogout(opts *logoutOptions) error {
	store, err := opts.credentialStore(true)
	if err != nil {
		return err
	}
	opts.warnEnvTokens("plan and apply keep using {it}; logout removes only the stored token")
	all, err := store.Load()
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return fmt.Errorf("no token is stored (%s does not exist): there is nothing to log out from", store.Path)
	}
	host := ""
	if opts.Host != "" {
		if host, err = credentials.CanonicalHost(opts.Host); err != nil {
			return err
		}
	}
	username := strings.TrimPrefix(opts.Username, "@")
	var matches []credentials.Credential
	for _, c := range all {
		if (host == "" || c.Matches(host, c.Username)) && (username == "" || strings.EqualFold(c.Username, username)) {
			matches = append(matches, c)
		}
	}
	switch {
	case len(matches) == 0:
		return fmt.Errorf("no stored token for %s; stored are: %s", describeAccount(host, username), listCredentials(all))
	case len(matches) > 1:
		return fmt.Errorf("%d stored tokens match (%s): choose one with --host and --username", len(matches), listCredentials(matches))
	}
	c := matches[0]
	if _, err := store.Remove(func(o credentials.Credential) bool { return o.Matches(c.Host, c.Username) }); err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "Removed the token for @%s on %s from %s.\n", c.Username, credentials.DisplayHost(c.Host), store.Path)
	fmt.Fprintf(opts.IO.Out, "The token still works until you revoke it on the instance: open %s/settings/apps (Settings → Apps) and revoke %q.\n"+
		"mkctl cannot revoke it: Misskey lets only its web client revoke tokens.\n", c.Host, appName)
	return nil
}

func describeAccount(host, username string) string {
	switch {
	case host != "" && username != "":
		return "@" + username + " on " + credentials.DisplayHost(host)
	case host != "":
		return credentials.DisplayHost(host)
	}
	return "@" + username
}

func listCredentials(cs []credentials.Credential) string {
	var s []string
	for _, c := range cs {
		s = append(s, "@"+c.Username+" on "+credentials.DisplayHost(c.Host))
	}
	return strings.Join(s, ", ")
}
