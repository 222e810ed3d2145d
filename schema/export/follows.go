package export

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// follows writes the follows and sent follow requests. Up to
// FollowsInline of them get a block each; above that, the ones with the
// default settings (no replies, no notifications) are listed in
// FollowsFile and followed by one for_each block, and only the others
// get a block each. It returns the follows file, nil when not needed.
func (g *gen) follows(body *hclwrite.Body) []byte {
	type follow struct {
		acct, lower string
		f           planner.LiveFollow
	}
	var all []follow
	seen := map[string]bool{}
	for _, f := range g.acc.Live.Follows {
		acct, prob := schema.NormaliseUserAcct(f.Acct, g.ownHost)
		switch {
		case prob != "":
			g.note("follow %s is not exported: %s", quoteName(f.Acct), strings.TrimSuffix(prob, "."))
			continue
		case strings.EqualFold(acct, "@"+g.username):
			g.note("follow %s is not exported: it is the account itself", f.Acct)
			continue
		case seen[strings.ToLower(acct)]:
			continue // the same account twice (the reader lists each once)
		}
		seen[strings.ToLower(acct)] = true
		all = append(all, follow{acct, strings.ToLower(acct), f})
	}
	// Alphabetical as a person reads it: case-insensitive, then exact.
	sort.Slice(all, func(i, j int) bool {
		if all[i].lower != all[j].lower {
			return all[i].lower < all[j].lower
		}
		return all[i].acct < all[j].acct
	})
	if n := g.acc.Live.UnlistedFollows; n > 0 {
		comment(body, fmt.Sprintf("%d more follow(s) were not read, so they are not declared here (and stay as they are).", n))
		g.note("%d follow(s) were not read and are not exported; they stay as they are, not managed by mkctl.", n)
	}

	var grouped, single []follow
	for _, f := range all {
		if len(all) > FollowsInline && !f.f.WithReplies && !f.f.Notify {
			grouped = append(grouped, f)
		} else {
			single = append(single, f)
		}
	}

	var file []byte
	if len(grouped) > 0 {
		accts := make([]string, len(grouped))
		pending := make([]bool, len(grouped))
		for i, f := range grouped {
			accts[i], pending[i] = f.acct, f.f.Pending
		}
		file = g.followsFile(accts, pending)

		body.AppendNewline()
		comment(body, fmt.Sprintf("The %d accounts in local.%s (%s).", len(grouped), followsLocal, FollowsFile))
		b := body.AppendNewBlock("follow", []string{followGroupLabel}).Body()
		b.SetAttributeRaw("for_each", hclwrite.TokensForFunctionCall("toset", ref("local", followsLocal)))
		b.SetAttributeTraversal("account", hcl.Traversal{hcl.TraverseRoot{Name: "each"}, hcl.TraverseAttr{Name: "key"}})
		b.SetAttributeRaw("with_replies", boolTok(false))
		b.SetAttributeRaw("notify", boolTok(false))
	}
	for _, f := range single {
		body.AppendNewline()
		if f.f.Pending {
			comment(body, "A follow request, not accepted yet.")
		}
		b := body.AppendNewBlock("follow", []string{f.acct}).Body()
		b.SetAttributeRaw("with_replies", boolTok(f.f.WithReplies))
		b.SetAttributeRaw("notify", boolTok(f.f.Notify))
	}
	return file
}

// followsFile is FollowsFile: a comment and `locals { follows = [...] }`,
// one account a line. It can hold 100,000 lines, so its tokens are laid
// out here as hclwrite.Format would (TestRoundTripProperty checks that
// Format leaves every file as it is) rather than formatted afterwards:
// Format lexes the whole file again, which was most of Generate's time.
func (g *gen) followsFile(accts []string, pending []bool) []byte {
	head := []string{
		fmt.Sprintf("Accounts @%s follows with the default settings: no replies, no notifications.", g.username),
		fmt.Sprintf("account.%s follows each of them with its follow %q block (in %s).", g.label, followGroupLabel, MainFile),
	}
	toks := make(hclwrite.Tokens, 0, len(head)+10+len(accts)*5)
	for _, h := range head {
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte("# " + sanitizeComment(h) + "\n")})
	}
	toks = append(toks,
		&hclwrite.Token{Type: hclsyntax.TokenIdent, Bytes: []byte("locals")},
		&hclwrite.Token{Type: hclsyntax.TokenOBrace, Bytes: []byte("{"), SpacesBefore: 1},
		newline(),
		&hclwrite.Token{Type: hclsyntax.TokenIdent, Bytes: []byte(followsLocal), SpacesBefore: 2},
		&hclwrite.Token{Type: hclsyntax.TokenEqual, Bytes: []byte("="), SpacesBefore: 1},
		&hclwrite.Token{Type: hclsyntax.TokenOBrack, Bytes: []byte("["), SpacesBefore: 1},
		newline())
	for i, a := range accts {
		if pending[i] {
			// On a line of its own: Format aligns the comments that end
			// consecutive lines, which would need the widths of the run.
			toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte("# A follow request, not accepted yet:\n"), SpacesBefore: 4})
		}
		item := quotedTokens(a)
		item[0].SpacesBefore = 4
		toks = append(toks, item...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")}, newline())
	}
	toks = append(toks,
		&hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]"), SpacesBefore: 2},
		newline(),
		&hclwrite.Token{Type: hclsyntax.TokenCBrace, Bytes: []byte("}")},
		newline())
	return toks.Bytes()
}

// quotedTokens is str(s) without hclwrite's formatting pass when s needs
// no escape (an acct never does), which matters at 100,000 accounts.
func quotedTokens(s string) hclwrite.Tokens {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '$' || c == '%' {
			return str(s)
		}
	}
	return hclwrite.Tokens{
		{Type: hclsyntax.TokenOQuote, Bytes: []byte(`"`)},
		{Type: hclsyntax.TokenQuotedLit, Bytes: []byte(s)},
		{Type: hclsyntax.TokenCQuote, Bytes: []byte(`"`)},
	}
}
