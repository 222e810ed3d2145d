package export

import (
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
func (g *gen) follows(body *hclwrite.Body) *hclwrite.File {
	type follow struct {
		acct string
		f    planner.LiveFollow
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
		all = append(all, follow{acct, f})
	}
	// Alphabetical as a person reads it: case-insensitive, then exact.
	sort.Slice(all, func(i, j int) bool {
		a, b := strings.ToLower(all[i].acct), strings.ToLower(all[j].acct)
		if a != b {
			return a < b
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

	var file *hclwrite.File
	if len(grouped) > 0 {
		file = hclwrite.NewEmptyFile()
		root := file.Body()
		items := make([]hclwrite.Tokens, len(grouped))
		comments := map[int]string{}
		for i, f := range grouped {
			items[i] = str(f.acct)
			if f.f.Pending {
				comments[i] = "pending"
			}
		}
		head := []string{
			fmt.Sprintf("Accounts @%s follows with the default settings: no replies, no notifications.", g.username),
			fmt.Sprintf("account.%s follows each of them with its follow %q block (in %s).", g.label, followGroupLabel, MainFile),
		}
		if len(comments) > 0 {
			head = append(head, "Pending: a follow request the other side has not accepted yet.")
		}
		comment(root, head...)
		root.AppendNewBlock("locals", nil).Body().SetAttributeRaw(followsLocal, listWithComments(items, comments))

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
