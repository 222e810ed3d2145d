package cmd

import (
	"fmt"

	"github.com/mkctl/mkctl/schema"
)

// tokenFor finds an account's token. Precedence: MKCTL_TOKEN_<ACCOUNT>, then
// MKCTL_TOKEN when the configuration declares exactly one account. Tokens
// never come from HCL: configuration lives in git, tokens must not.
func (g *globalOptions) tokenFor(acct *schema.Account, accounts int) (string, error) {
	if t := g.Getenv(acct.TokenEnvVar()); t != "" {
		return t, nil
	}
	if accounts == 1 {
		if t := g.Getenv("MKCTL_TOKEN"); t != "" {
			return t, nil
		}
		return "", fmt.Errorf("no token for %s (@%s on %s): set MKCTL_TOKEN or %s",
			acct.Address(), acct.Username, acct.Host, acct.TokenEnvVar())
	}
	return "", fmt.Errorf("no token for %s (@%s on %s): set %s (MKCTL_TOKEN is used only when the configuration declares one account)",
		acct.Address(), acct.Username, acct.Host, acct.TokenEnvVar())
}
