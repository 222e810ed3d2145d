package cmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/mkctl/mkctl/internal/credentials"
	"github.com/mkctl/mkctl/provider"
	"github.com/mkctl/mkctl/provider/miauth"
)

// appName is the name the consent page and the instance's list of
// connected apps show.
//
// mkctl sends no icon: the consent page would load it from a URL mkctl
// would have to host, and mkctl has no hosted icon (an icon served by mkctl
// itself on 127.0.0.1 is gone once the login ends, and the instance's app
// list keeps showing the URL).
const appName = "mkctl"

const (
	// minPollInterval is the floor of --poll-interval: /check has no rate
	// limit, so nothing else keeps a typo from hammering the instance.
	minPollInterval = 100 * time.Millisecond
	// verifyTimeout bounds the check of a new token. It runs even after
	// Ctrl-C: the token has been handed out and cannot be fetched again.
	verifyTimeout = 15 * time.Second
)

// loginCancelledError is Ctrl-C during a login. It does not wrap
// context.Canceled, so exitCode prints it as it is instead of apply's
// message about the change in flight.
type loginCancelledError struct{ msg string }

func (e *loginCancelledError) Error() string { return e.msg }

type loginOptions struct {
	*globalOptions
	Host         string
	NoBrowser    bool
	Timeout      time.Duration
	Permissions  []string
	PollInterval time.Duration

	// openURL opens the consent page; nil uses the system's browser (or
	// MKCTL_BROWSER) when there is a desktop to show it on. Go tests put a
	// simulated browser here.
	openURL func(url string) error
	// now is the clock for the credential's date.
	now func() time.Time
}

func newLoginCmd(g *globalOptions) *cobra.Command {
	opts := &loginOptions{globalOptions: g}
	cmd := &cobra.Command{
		Use:   "login --host HOST",
		Short: "Get a token for an account with MiAuth and store it",
		Long: `Opens the instance's MiAuth page in your browser, where you approve mkctl
for the account you are signed in to; mkctl then collects its token and
stores it in your configuration directory, for plan and apply to use.

The page asks for exactly what mkctl uses: ` + strings.Join(mkctlPermissions, ", ") + `.
--permission asks for fewer (always with read:account, which every plan
needs); apply then refuses plans that need more.

Over SSH, or with --no-browser, mkctl prints the URL: open it in a browser
on any machine. mkctl notices the approval by asking the instance every few
seconds, or at once when the browser comes back to mkctl on this machine.`,
		Example: `  mkctl login --host misskey.example
  mkctl login --host misskey.example --no-browser`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error { return runLogin(cmd.Context(), opts) }),
	}
	f := cmd.Flags()
	f.StringVar(&opts.Host, "host", "", "the Misskey instance: `HOST` name or https:// URL (http:// only for this machine)")
	f.BoolVar(&opts.NoBrowser, "no-browser", false, "only print the URL to open (for SSH sessions)")
	f.DurationVar(&opts.Timeout, "timeout", 5*time.Minute, "give up when the request is not approved within `DURATION`")
	f.StringSliceVar(&opts.Permissions, "permission", nil, "ask only for these permission `KINDS` (comma-separated; read:account is always included; default: all mkctl uses)")
	f.DurationVar(&opts.PollInterval, "poll-interval", miauth.DefaultInterval, "how often to ask the instance whether the request was approved (at least 100ms)")
	_ = f.MarkHidden("poll-interval") // for tests; the default is right for people
	_ = cmd.MarkFlagRequired("host")
	return cmd
}

func runLogin(ctx context.Context, opts *loginOptions) error {
	io := opts.IO
	base, err := credentials.CanonicalHost(opts.Host)
	if err != nil {
		return err
	}
	perms, err := loginPermissions(opts.Permissions)
	if err != nil {
		return err
	}
	if opts.Timeout <= 0 {
		return errors.New("--timeout must be positive")
	}
	interval := max(opts.PollInterval, minPollInterval)
	store, err := opts.credentialStore(true)
	if err != nil {
		return err
	}
	// A credentials file mkctl could not update is better found now than
	// after the user has approved.
	if _, err := store.Load(); err != nil {
		return err
	}
	opts.warnEnvTokens("plan and apply use {it} instead of the token this login stores")
	if err := checkMiAuthAvailable(ctx, opts.globalOptions, base); err != nil {
		if ctx.Err() != nil {
			return &loginCancelledError{"login cancelled; nothing was stored"}
		}
		return err
	}

	session := uuid.NewString()
	req := miauth.Request{BaseURL: base, Session: session, Name: appName, Permissions: perms}
	var wake <-chan struct{}
	cb, err := miauth.ListenCallback(session, io.ErrOut)
	if err != nil {
		// Polling alone still works; the browser just has nowhere to return.
		fmt.Fprintf(io.ErrOut, "%s %v; mkctl will notice the approval by polling.\n", io.ErrColors().Yellow("Note:"), err)
	} else {
		defer cb.Close()
		req.Callback = cb.URL()
		wake = cb.Done()
	}
	url := req.URL()

	display := credentials.DisplayHost(base)
	fmt.Fprintf(io.ErrOut, "To let mkctl manage an account on %s, open this URL, sign in as that account and accept:\n\n  %s\n\n", display, url)
	open := opts.openURL
	if open == nil && canOpenBrowser(opts.Getenv) {
		open = func(u string) error { return openBrowser(opts.Getenv, u) }
	}
	if !opts.NoBrowser && open != nil {
		if err := open(url); err != nil {
			fmt.Fprintf(io.ErrOut, "Could not open a browser (%v): open the URL yourself.\n", err)
		} else {
			fmt.Fprintln(io.ErrOut, "Opened it in your browser.")
		}
	}
	fmt.Fprintf(io.ErrOut, "Waiting up to %s for the approval (Ctrl-C cancels)...\n", opts.Timeout)

	waitCtx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	checker := &miauth.Checker{BaseURL: base, Session: session, UserAgent: "mkctl/" + Version}
	warned := false
	grant, err := miauth.Wait(waitCtx, miauth.WaitOptions{
		// A check in flight is never cut short, by Ctrl-C or --timeout:
		// its answer may carry the token, which the instance hands out
		// only once. The checker's own 15-second timeout bounds it.
		Check:    func(ctx context.Context) (*miauth.Grant, error) { return checker.Check(context.WithoutCancel(ctx)) },
		Interval: interval,
		Wake:     wake,
		OnTransient: func(err error) {
			if !warned { // once: a flaky network should not flood the terminal
				warned = true
				fmt.Fprintf(io.ErrOut, "%s %v; still trying.\n", io.ErrColors().Yellow("Warning:"), err)
			}
		},
	})
	if err != nil {
		return loginWaitError(ctx, err, opts, base)
	}
	if cb != nil {
		cb.Close() // the browser has no more business here
	}

	// From here on the token exists only in this process: Ctrl-C no
	// longer stops anything; it is reported once the token is stored.
	addSecret(io, grant.Token) // a server could echo it into the user's name
	user := grant.User
	verifyCtx, cancelVerify := context.WithTimeout(context.WithoutCancel(ctx), verifyTimeout)
	err = verifyToken(verifyCtx, opts.globalOptions, base, grant.Token, user.Username)
	cancelVerify()
	var unverified *unverifiedError
	switch {
	case errors.As(err, &unverified):
		// The check already named the account, and the token cannot be
		// fetched again: keep it rather than lose it to a network blip.
		fmt.Fprintf(io.ErrOut, "%s could not try the new token (%v); storing it anyway.\n", io.ErrColors().Yellow("Warning:"), unverified.err)
	case err != nil:
		return err
	}
	now := time.Now
	if opts.now != nil {
		now = opts.now
	}
	replaced, err := store.Put(credentials.Credential{
		Host: base, Username: user.Username, UserID: user.ID, Token: grant.Token,
		Permissions: perms, CreatedAt: now().UTC().Truncate(time.Second),
	})
	if err != nil {
		return fmt.Errorf("the instance gave mkctl a token for @%s, but storing it failed (revoke it at %s/settings/apps): %w", user.Username, base, err)
	}
	if ctx.Err() != nil {
		return &loginCancelledError{fmt.Sprintf("login cancelled after %s had handed out the token for @%s, which it does only once: mkctl stored it in %s rather than lose it. `mkctl logout` removes it; revoke it at %s/settings/apps",
			display, user.Username, store.Path, base)}
	}

	out := io.Out
	fmt.Fprintf(out, "%s Logged in to %s as @%s.\n", io.Colors().Green("Success!"), display, user.Username)
	fmt.Fprintf(out, "Granted permissions: %s\n", strings.Join(perms, ", "))
	if missing := missingFrom(perms, mkctlPermissions); len(missing) > 0 {
		fmt.Fprintf(out, "Not granted (--permission): %s; apply refuses plans that need them.\n", strings.Join(missing, ", "))
	}
	fmt.Fprintf(out, "Token stored in %s\n", store.Path)
	if replaced != nil {
		fmt.Fprintf(out, "It replaces the token stored on %s, which still works until you revoke it: %s/settings/apps\n",
			replaced.CreatedAt.Local().Format("2006-01-02"), base)
		// The registry is private to each token (API-NOTES §7).
		fmt.Fprintln(out, "mkctl's ownership record stays with the old token: the next plan adopts what matches the configuration and deletes nothing it cannot prove it owns.")
	}
	return nil
}

// loginPermissions checks --permission: a subset of what mkctl uses, in
// mkctl's order, always with read:account (every plan starts with `i`,
// and login checks the new token with it). Empty means all of them.
func loginPermissions(asked []string) ([]string, error) {
	if len(asked) == 0 {
		return slices.Clone(mkctlPermissions), nil
	}
	asked = append([]string{"read:account"}, asked...)
	var out []string
	for _, p := range asked {
		p = strings.TrimSpace(p)
		if !slices.Contains(mkctlPermissions, p) {
			return nil, fmt.Errorf("--permission %q: mkctl uses only %s", p, strings.Join(mkctlPermissions, ", "))
		}
	}
	for _, p := range mkctlPermissions {
		if slices.ContainsFunc(asked, func(a string) bool { return strings.TrimSpace(a) == p }) {
			out = append(out, p)
		}
	}
	return out, nil
}

// missingFrom lists the elements of all that have lacks.
func missingFrom(have, all []string) []string {
	var out []string
	for _, p := range all {
		if !slices.Contains(have, p) {
			out = append(out, p)
		}
	}
	return out
}

// checkMiAuthAvailable asks the instance's meta before sending the user to
// the browser, so that a typo in --host fails now, not after five minutes.
func checkMiAuthAvailable(ctx context.Context, g *globalOptions, base string) error {
	// One retry: someone is waiting at the terminal.
	c, err := provider.NewClient(base, "", g.clientOptions(provider.WithMaxRetries(1))...)
	if err != nil {
		return err
	}
	var meta struct {
		Features *struct {
			MiAuth *bool `json:"miauth"`
		} `json:"features"`
	}
	if err := c.Read(ctx, "meta", map[string]any{"detail": true}, &meta); err != nil {
		return fmt.Errorf("%s does not answer as a Misskey server: %w", base, err)
	}
	if meta.Features != nil && meta.Features.MiAuth != nil && !*meta.Features.MiAuth {
		return fmt.Errorf("%s does not offer MiAuth: create a token in its Settings → API (%s/settings/connect) and set MKCTL_TOKEN instead", base, base)
	}
	return nil
}

// unverifiedError is a check of the new token that got no answer (the
// network, or verifyTimeout): it says nothing against the token.
type unverifiedError struct{ err error }

func (e *unverifiedError) Error() string { return e.err.Error() }
func (e *unverifiedError) Unwrap() error { return e.err }

// verifyToken calls `i` with the new token: it must work and belong to the
// account that approved.
func verifyToken(ctx context.Context, g *globalOptions, base, token, username string) error {
	c, err := provider.NewClient(base, token, g.clientOptions()...)
	if err != nil {
		return err
	}
	var me struct {
		Username string `json:"username"`
	}
	if err := c.Read(ctx, "i", nil, &me); err != nil {
		var netErr *provider.NetworkError
		if errors.As(err, &netErr) || ctx.Err() != nil {
			return &unverifiedError{err}
		}
		return fmt.Errorf("the instance approved mkctl, but the new token does not work; nothing was stored (revoke the token at %s/settings/apps): %w", base, err)
	}
	if !strings.EqualFold(me.Username, username) {
		return fmt.Errorf("the instance approved mkctl for @%s, but the token belongs to @%s; nothing was stored (revoke the token at %s/settings/apps)", username, me.Username, base)
	}
	return nil
}

// loginWaitError explains why no approval came.
func loginWaitError(ctx context.Context, err error, opts *loginOptions, base string) error {
	again := loginCommand(base)
	switch {
	case ctx.Err() != nil:
		// Ctrl-C. Not wrapping context.Canceled: Main's message for it is
		// about apply.
		return &loginCancelledError{fmt.Sprintf("login cancelled; nothing was stored. If you approved mkctl meanwhile, revoke its unused token at %s/settings/apps", base)}
	case errors.Is(err, miauth.ErrTokenNotReceived):
		return fmt.Errorf("%w; revoke it at %s/settings/apps and run `%s` again (nothing was stored)", err, base, again)
	case errors.Is(err, context.DeadlineExceeded):
		detail := ""
		var se *miauth.StoppedError
		if errors.As(err, &se) && se.LastCheck != nil {
			detail = fmt.Sprintf(" (the last check failed: %v)", se.LastCheck)
		}
		return fmt.Errorf("the request was not approved within %s%s; nothing was stored. Run `%s` again (--timeout gives more time)",
			opts.Timeout, detail, again)
	}
	return err
}
