package cmd

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/mkctl/mkctl/internal/credentials"
	"github.com/mkctl/mkctl/schema"
)

// Token resolution: where plan and apply find each account's token. This is
// the one place that decides it; README.md ("Getting a token") describes
// the same rules for users.
//
// For every declared account, the first of these that is set wins:
//
//  1. MKCTL_TOKEN_<ACCOUNT>: the account's own variable, named after its
//     address (account.weather → MKCTL_TOKEN_WEATHER, account.fleet["rain"]
//     → MKCTL_TOKEN_FLEET_RAIN; see schema.Account.TokenEnvVar).
//  2. MKCTL_TOKEN, only when the configuration declares exactly one
//     account: with several, one token cannot belong to all of them.
//  3. The credential `mkctl login` stored for the account's host and
//     username (internal/credentials; $XDG_CONFIG_HOME/mkctl/credentials.json
//     or the system's configuration directory).
//
// Environment variables come first so that CI, and a one-off override on a
// machine that has logged in, never depend on the credentials file. Tokens
// never come from HCL: configuration lives in git, tokens must not.
//
// Permissions. A stored credential records the permissions its token was
// granted (MiAuth grants everything asked for or nothing), so apply checks
// the plan against them before the first write (checkPermissions) and
// names what is missing. A token from the environment does not say what it
// may do, and mkctl cannot list them (i/apps is for the web client only):
// before the first write apply tests each permission the plan needs with
// one request that Misskey refuses either way, PERMISSION_DENIED or
// INVALID_PARAM, changing nothing (provider.ProbePermissions). Either way
// a missing permission stops apply before any change.
//
// With no token at all the error names the variables and the exact
// `mkctl login --host HOST` command to run.

// tokenSource tells where a token came from.
type tokenSource int

const (
	tokenFromAccountEnv tokenSource = iota + 1 // MKCTL_TOKEN_<ACCOUNT>
	tokenFromSharedEnv                         // MKCTL_TOKEN
	tokenFromStore                             // mkctl login
)

// resolvedToken is an account's token and where it came from.
type resolvedToken struct {
	Token  string
	Source tokenSource
	// EnvVar is the variable the token came from (sources 1 and 2).
	EnvVar string
	// Stored is the credential (source 3).
	Stored *credentials.Credential
	// StorePath is the credentials file (source 3).
	StorePath string
}

// describe says where the token came from, for whoami. Never the token.
func (r resolvedToken) describe() string {
	switch r.Source {
	case tokenFromAccountEnv, tokenFromSharedEnv:
		return r.EnvVar + " (environment variable)"
	case tokenFromStore:
		return "stored by mkctl login in " + r.StorePath
	}
	return "none"
}

// permissions are the token's permission kinds, if they are known: only a
// stored credential knows them.
func (r resolvedToken) permissions() ([]string, bool) {
	if r.Source == tokenFromStore && r.Stored != nil && r.Stored.Permissions != nil {
		return r.Stored.Permissions, true
	}
	return nil, false
}

// tokenResolver resolves the tokens of one configuration's accounts. It
// reads the credentials file at most once, and only when an account has no
// token in the environment.
type tokenResolver struct {
	getenv   func(string) string
	accounts int // how many accounts the configuration declares
	warn     func(string)

	loaded    bool
	storePath string
	creds     []credentials.Credential
	loadErr   error
}

// tokenResolver makes a resolver for a configuration of n accounts. With
// warn, problems with the credentials file (other users can read it) are
// printed as warnings.
func (g *globalOptions) tokenResolver(n int, warn bool) *tokenResolver {
	r := &tokenResolver{getenv: g.Getenv, accounts: n}
	if warn {
		r.warn = g.warnf
	}
	return r
}

// warnf prints a warning on stderr.
func (g *globalOptions) warnf(msg string) {
	fmt.Fprintf(g.IO.ErrOut, "%s %s\n", g.IO.ErrColors().Yellow("Warning:"), msg)
}

// credentialStore is the user's credentials file.
func (g *globalOptions) credentialStore(warn bool) (*credentials.Store, error) {
	path, err := credentials.DefaultPath(g.Getenv)
	if err != nil {
		return nil, err
	}
	s := &credentials.Store{Path: path}
	if warn {
		s.Warn = g.warnf
	}
	return s, nil
}

func (r *tokenResolver) load() {
	if r.loaded {
		return
	}
	r.loaded = true
	path, err := credentials.DefaultPath(r.getenv)
	if err != nil {
		r.loadErr = err
		return
	}
	r.storePath = path
	r.creds, r.loadErr = (&credentials.Store{Path: path, Warn: r.warn}).Load()
}

// tokenFor finds acct's token; see the rules at the top of this file.
func (r *tokenResolver) tokenFor(acct *schema.Account) (resolvedToken, error) {
	if v := acct.TokenEnvVar(); r.getenv(v) != "" {
		return resolvedToken{Token: r.getenv(v), Source: tokenFromAccountEnv, EnvVar: v}, nil
	}
	if r.accounts == 1 && r.getenv("MKCTL_TOKEN") != "" {
		return resolvedToken{Token: r.getenv("MKCTL_TOKEN"), Source: tokenFromSharedEnv, EnvVar: "MKCTL_TOKEN"}, nil
	}
	r.load()
	if r.loadErr != nil {
		return resolvedToken{}, fmt.Errorf("no token for %s in the environment, and the stored credentials cannot be read: %w", acct.Address(), r.loadErr)
	}
	var others []string
	for i := range r.creds {
		c := &r.creds[i]
		if c.Matches(acct.Host, acct.Username) {
			return resolvedToken{Token: c.Token, Source: tokenFromStore, Stored: c, StorePath: r.storePath}, nil
		}
		if c.Matches(acct.Host, c.Username) {
			others = append(others, "@"+c.Username)
		}
	}
	return resolvedToken{}, &missingTokenError{acct: acct, shared: r.accounts == 1, others: others}
}

// missingTokenError says how to get a token for an account.
type missingTokenError struct {
	acct   *schema.Account
	shared bool     // MKCTL_TOKEN would be used
	others []string // usernames with a stored credential on the same host
}

func (e *missingTokenError) Error() string {
	a := e.acct
	login := loginCommand(a.Host)
	if e.shared {
		return fmt.Sprintf("no token for %s (@%s on %s): set MKCTL_TOKEN or %s, or run `%s`",
			a.Address(), a.Username, a.Host, a.TokenEnvVar(), login)
	}
	return fmt.Sprintf("no token for %s (@%s on %s): set %s (MKCTL_TOKEN is used only when the configuration declares one account), or run `%s`",
		a.Address(), a.Username, a.Host, a.TokenEnvVar(), login)
}

// Hint explains the login, and why a stored credential did not count.
func (e *missingTokenError) Hint() string {
	h := fmt.Sprintf("`%s` opens the instance in your browser; approve mkctl there while signed in as @%s. In CI, set the variable to a token made in Settings → API (see README: Getting a token)",
		loginCommand(e.acct.Host), e.acct.Username)
	if len(e.others) > 0 {
		sort.Strings(e.others)
		h += fmt.Sprintf(". The credentials stored for %s belong to %s, not @%s", e.acct.Host, strings.Join(e.others, ", "), e.acct.Username)
	}
	return h
}

// loginCommand is the command that stores a token for host.
func loginCommand(host string) string {
	return "mkctl login --host " + credentials.DisplayHost(host)
}

// envTokenVars lists the token variables set (non-empty) in the
// environment, MKCTL_TOKEN and MKCTL_TOKEN_*, sorted.
func (g *globalOptions) envTokenVars() []string {
	if g.Env == nil {
		return nil
	}
	var out []string
	for _, kv := range g.Env() {
		name, value, _ := strings.Cut(kv, "=")
		if value != "" && (name == "MKCTL_TOKEN" || strings.HasPrefix(name, "MKCTL_TOKEN_")) && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// warnEnvTokens warns that token variables are set: they win over stored
// tokens (rules 1 and 2 above), which login and logout only deal with.
// effect says what that means for the command; "{it}" in it becomes "it"
// or "them".
func (g *globalOptions) warnEnvTokens(effect string) {
	vars := g.envTokenVars()
	if len(vars) == 0 {
		return
	}
	verb, it := "is", "it"
	if len(vars) > 1 {
		verb, it = "are", "them"
	}
	g.warnf(fmt.Sprintf("%s %s set, and a token variable wins over a stored token: %s (for the accounts a variable applies to; README: Getting a token).",
		strings.Join(vars, ", "), verb, strings.ReplaceAll(effect, "{it}", it)))
}
