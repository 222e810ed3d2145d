package schema

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

var followDesc = bodyDesc{
	What: "a follow block",
	Schema: &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "for_each"},
			{Name: "account"},
			{Name: "with_replies"},
			{Name: "notify"},
		},
		Blocks: []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
	},
	Aliases: map[string]string{
		"foreach":       "for_each",
		"acct":          "account",
		"user":          "account",
		"username":      "account",
		"target":        "account",
		"withreplies":   "with_replies",
		"with_reply":    "with_replies",
		"replies":       "with_replies",
		"notification":  "notify",
		"notifications": "notify",
	},
	Refused: map[string]string{
		"count": "count is not supported in mkctl. Hint: to follow many accounts with one block, write for_each = toset([...]) and account = each.key.",
	},
}

// followBlock is a checked follow block. Its label is the account to
// follow, or, when the block sets for_each or account, a name for the
// block.
type followBlock struct {
	*resource
	label string
	// named: the label is a name and `account` gives the account.
	named bool
}

func decodeFollow(block *hcl.Block) (*followBlock, hcl.Diagnostics) {
	r, _, diags := decodeResource(block, followDesc)
	fb := &followBlock{resource: r, label: block.Labels[0]}
	_, hasForEach := r.attrs["for_each"]
	_, hasAccount := r.attrs["account"]
	fb.named = hasForEach || hasAccount
	if hasForEach && !hasAccount {
		diags = append(diags, errorf(block.DefRange, "Missing required argument",
			"The argument \"account\" is required in a follow block with for_each: the label %q then names the group, and account says whom each instance follows. Hint: add account = each.key (or each.value for a map).", fb.label))
	}
	if fb.named && !hclsyntax.ValidIdentifier(fb.label) {
		why := "account is set"
		if hasForEach {
			why = "for_each is set"
		}
		diags = append(diags, errorf(block.LabelRanges[0], "Invalid follow name",
			"Since %s, the label %q is a name for this block, not the account to follow, and must be an identifier. Hint: use a name such as follow \"friends\" { ... }, or remove account and for_each and keep the account in the label.", why, fb.label))
	}
	return fb, diags
}

// expand evaluates the block: one Follow, or one per for_each key in key
// order. Instances whose account is invalid are reported and left out.
func (fb *followBlock) expand(s *scope, own ownAccount) ([]*Follow, hcl.Diagnostics) {
	return expandInstances(s, fb.attrs, func(s *scope, key string) (*Follow, hcl.Diagnostics) {
		return fb.instance(s, key, own)
	})
}

// instance evaluates one follow; nil when the account is unusable.
func (fb *followBlock) instance(s *scope, key string, own ownAccount) (*Follow, hcl.Diagnostics) {
	e := &attrEval{s: s, attrs: fb.attrs}
	f := &Follow{DeclRange: fb.block.DefRange, Key: key}
	var raw string
	report := func(summary, format string, args ...any) {
		e.diags = append(e.diags, errorf(f.AcctRange, summary, format, args...))
	}
	if fb.named {
		f.Name = fb.label
		str, attr, ctx, st := e.str("account", `account = "@alice@misskey.example"`)
		if attr != nil {
			f.AcctRange = attr.Expr.Range()
			report = func(summary, format string, args ...any) {
				e.errorf(attr.Expr, ctx, summary, format, args...)
			}
		}
		switch st {
		case attrNull:
			report("Null value not allowed", "account cannot be null: it names the account to follow. Hint: write account = each.key, or an address such as \"@alice@misskey.example\".")
			return nil, e.diags
		case attrAbsent, attrFailed:
			return nil, e.diags
		}
		raw = str
	} else {
		raw = fb.label
		f.AcctRange = fb.block.LabelRanges[0]
	}

	acct, prob := normaliseUserAcct(raw, own.host)
	if prob != "" {
		where := "The label of a follow block names the account to follow"
		if fb.named {
			where = "account names the account to follow"
		}
		report("Invalid account address", "%s: %s", where, prob)
		return nil, e.diags
	}
	if own.username != "" && strings.EqualFold(acct, "@"+own.username) {
		from := ""
		if key != "" {
			from = " from the for_each collection"
		}
		report("Cannot follow yourself", "%s is this account itself; Misskey refuses to follow oneself (FOLLOWEE_IS_YOURSELF). Hint: remove it%s.", acct, from)
		return nil, e.diags
	}
	f.Acct = acct
	f.WithReplies = e.optBool("with_replies")
	f.Notify = e.optBool("notify")
	lc, d := fb.lifecycle.evaluate(s)
	f.Lifecycle = lc
	return f, append(e.diags, d...)
}

// describeKey names a for_each instance in messages: ` (for_each key "x")`.
func (f *Follow) describeKey() string {
	if f.Key == "" {
		return ""
	}
	return fmt.Sprintf(" (for_each key %s)", quote(f.Key))
}
