package export

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
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
	var skipped []string
	seen := map[string]bool{}
	blocked := g.exportedBlocks()
	for _, f := range g.acc.Live.Follows {
		acct, prob := schema.NormaliseUserAcct(f.Acct, g.ownHost)
		why := ""
		switch {
		case prob != "":
			why, _, _ = strings.Cut(prob, ". Hint:")
		case strings.EqualFold(acct, "@"+g.username):
			why = "it is the account itself"
		case blocked[strings.ToLower(acct)]:
			// validate refuses a block and a follow of one account.
			why = "the account also blocks it (the block is exported; Misskey refuses to follow a blocked account)"
		}
		if why != "" {
			skipped = append(skipped, fmt.Sprintf("follow %s is not exported: %s", quoteName(f.Acct), stays(why)))
			continue
		}
		if seen[strings.ToLower(acct)] {
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
	sort.Strings(skipped)
	cnt := g.count("follows")
	cnt.Skipped += len(skipped) + g.acc.Live.UnlistedFollows
	cnt.Declared += len(all)
	for _, f := range all {
		if f.f.Pending {
			cnt.Pending++
		}
	}
	for _, s := range skipped {
		body.AppendNewline()
		comment(body, strings.ToUpper(s[:1])+s[1:]+".")
		g.note("%s.", s)
	}
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
// Format leaves every file as it is) rather than built as hclwrite nodes
// and formatted: Format lexes the whole file again, which was most of
// Generate's time, and a node per account most of its allocations.
func (g *gen) followsFile(accts []string, pending []bool) []byte {
	head := []string{
		fmt.Sprintf("Accounts @%s follows with the default settings: no replies, no notifications.", g.username),
		fmt.Sprintf("account.%s follows each of them with its follow %q block (in %s).", g.label, followGroupLabel, MainFile),
	}
	var buf bytes.Buffer
	buf.Grow(256 + len(accts)*40)
	for _, h := range head {
		buf.WriteString("# " + sanitizeComment(h) + "\n")
	}
	buf.WriteString("locals {\n  " + followsLocal + " = [\n")
	for i, a := range accts {
		if pending[i] {
			buf.WriteString("    # A follow request, not accepted yet:\n")
		}
		buf.WriteString("    ")
		writeQuoted(&buf, a)
		buf.WriteString(",\n")
	}
	buf.WriteString("  ]\n}\n")
	return buf.Bytes()
}

// writeQuoted writes s as a quoted string: as it is when it needs no
// escape (an acct never does), through hclwrite's escaping otherwise.
func writeQuoted(buf *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '$' || c == '%' {
			buf.Write(str(s).Bytes())
			return
		}
	}
	buf.WriteByte('"')
	buf.WriteString(s)
	buf.WriteByte('"')
}
