package export

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// Blocks, mutes and renote mutes (issue 13): `block "@user@host" {}`,
// `mute "@user@host" { expires_at = "…" }`, `renote_mute "@user" {}`.
// Like follows, up to RelationsInline of a kind get a block each; above
// that the plain ones (every block and renote mute, the mutes without an
// end) are listed in a file of their own (relationFiles) and one
// for_each block declares them all, so that a 10,000-account blocklist
// is one line an account.

// RelationsInline is the largest number of blocks (mutes, renote mutes)
// written as one block each, as FollowsInline is for follows.
const RelationsInline = FollowsInline

// relationExports describes each kind: its export kind (Kinds), its HCL
// block type, the file and local of its list, and words for comments.
var relationExports = []struct {
	kind, block, file, local, noun string
	live                           func(*planner.Live) []planner.LiveRelation
}{
	{"blocks", planner.TypeBlock, "blocks.mk.hcl", "blocks", "block",
		func(l *planner.Live) []planner.LiveRelation { return l.Blocks }},
	{"mutes", planner.TypeMute, "mutes.mk.hcl", "mutes", "mute",
		func(l *planner.Live) []planner.LiveRelation { return l.Mutes }},
	{"renote_mutes", planner.TypeRenoteMute, "renote_mutes.mk.hcl", "renote_mutes", "renote mute",
		func(l *planner.Live) []planner.LiveRelation { return l.RenoteMutes }},
}

// relationGroupLabel names the for_each block of each kind.
const relationGroupLabel = "all"

// now is the time expired mutes are judged by.
func (g *gen) now() time.Time {
	if !g.opts.Now.IsZero() {
		return g.opts.Now
	}
	return time.Now()
}

// exportedBlocks is the set of accounts (lower case) the export declares
// blocks of: a follow of one of them is left out (follows), since validate
// refuses a block and a follow of one account ("Block of a followed
// account"). Blocking ends follows both ways, but a follow request sent
// before (to a remote account) can still be listed.
func (g *gen) exportedBlocks() map[string]bool {
	if !g.wants("blocks") {
		return nil
	}
	out := map[string]bool{}
	for _, r := range g.acc.Live.Blocks {
		if acct, prob := schema.NormaliseUserAcct(r.Acct, g.ownHost); prob == "" {
			out[strings.ToLower(acct)] = true
		}
	}
	return out
}

// relations writes the kinds of relationExports asked for; it returns the
// list files to write, by name.
func (g *gen) relations(body *hclwrite.Body) []File {
	var files []File
	now := g.now()
	for _, k := range relationExports {
		if !g.wants(k.kind) {
			continue
		}
		type rel struct {
			acct, lower string
			r           planner.LiveRelation
		}
		var all []rel
		var skipped []string
		seen := map[string]bool{}
		for _, r := range k.live(g.acc.Live) {
			acct, prob := schema.NormaliseUserAcct(r.Acct, g.ownHost)
			why := ""
			switch {
			case prob != "":
				why, _, _ = strings.Cut(prob, ". Hint:")
			case strings.EqualFold(acct, "@"+g.username):
				why = "it is the account itself"
			case r.ExpiresAt != nil && !r.ExpiresAt.After(now):
				// validate refuses an expires_at in the past; Misskey
				// lists an expired mute until its job removes it (every
				// 5 minutes), and the plan leaves it alone meanwhile.
				why = fmt.Sprintf("it expired at %s and Misskey removes it within 5 minutes", r.ExpiresAt.UTC().Format(time.RFC3339))
			}
			if why != "" {
				skipped = append(skipped, fmt.Sprintf("%s %s is not exported: %s", k.noun, quoteName(r.Acct), stays(why)))
				continue
			}
			if seen[strings.ToLower(acct)] {
				continue
			}
			seen[strings.ToLower(acct)] = true
			all = append(all, rel{acct, strings.ToLower(acct), r})
		}
		sort.Slice(all, func(i, j int) bool {
			if all[i].lower != all[j].lower {
				return all[i].lower < all[j].lower
			}
			return all[i].acct < all[j].acct
		})
		sort.Strings(skipped)
		cnt := g.count(k.kind)
		cnt.Declared += len(all)
		cnt.Skipped += len(skipped)
		for _, s := range skipped {
			body.AppendNewline()
			comment(body, strings.ToUpper(s[:1])+s[1:]+".")
			g.note("%s.", s)
		}
		var grouped []string
		var single []rel
		for _, r := range all {
			if len(all) > RelationsInline && r.r.ExpiresAt == nil {
				grouped = append(grouped, r.acct)
			} else {
				single = append(single, r)
			}
		}
		if len(grouped) > 0 {
			files = append(files, File{Name: k.file, Content: g.relationFile(k.noun, k.block, k.local, grouped)})
			body.AppendNewline()
			comment(body, fmt.Sprintf("The %d accounts in local.%s (%s).", len(grouped), k.local, k.file))
			b := body.AppendNewBlock(k.block, []string{relationGroupLabel}).Body()
			b.SetAttributeRaw("for_each", hclwrite.TokensForFunctionCall("toset", ref("local", k.local)))
			b.SetAttributeTraversal("account", hcl.Traversal{hcl.TraverseRoot{Name: "each"}, hcl.TraverseAttr{Name: "key"}})
		}
		for _, r := range single {
			body.AppendNewline()
			b := body.AppendNewBlock(k.block, []string{r.acct}).Body()
			if r.r.ExpiresAt != nil {
				// RFC 3339 with the milliseconds Misskey keeps, so that the
				// plan compares equal (planner sameExpiry).
				b.SetAttributeValue("expires_at", cty.StringVal(r.r.ExpiresAt.UTC().Format(time.RFC3339Nano)))
			}
		}
	}
	return files
}

// relationFile is a kind's list file: a comment and `locals { NAME = [...] }`,
// laid out as hclwrite.Format would (see followsFile).
func (g *gen) relationFile(noun, block, local string, accts []string) []byte {
	what := map[string]string{
		"block":       "Accounts @%s blocks.",
		"mute":        "Accounts @%s mutes, without an end.",
		"renote mute": "Accounts whose renotes @%s mutes.",
	}[noun]
	var buf bytes.Buffer
	buf.Grow(256 + len(accts)*40)
	buf.WriteString("# " + sanitizeComment(fmt.Sprintf(what, g.username)) + "\n")
	buf.WriteString("# " + sanitizeComment(fmt.Sprintf("account.%s declares them with its %s %q block (in %s).", g.label, block, relationGroupLabel, MainFile)) + "\n")
	buf.WriteString("locals {\n  " + local + " = [\n")
	for _, a := range accts {
		buf.WriteString("    ")
		writeQuoted(&buf, a)
		buf.WriteString(",\n")
	}
	buf.WriteString("  ]\n}\n")
	return buf.Bytes()
}
