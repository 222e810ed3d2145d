package schema

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Blocks, mutes and renote mutes (issue 13): `block "@user@host" {}`,
// `mute "@user@host" { expires_at = "…" }`, `renote_mute "@user@host" {}`,
// or, like follow, a named block with for_each and account = each.key.
// The three kinds share one decoder; only mute has expires_at.

// UserRelation is one block, mute or renote mute of an account.
type UserRelation struct {
	// Kind is "block", "mute" or "renote_mute" (the HCL block type).
	Kind string
	// Acct is normalised as Follow.Acct.
	Acct string
	// ExpiresAt is a mute's end (nil: indefinite); always nil for the
	// other kinds.
	ExpiresAt    *time.Time
	ExpiresRange hcl.Range
	Lifecycle    Lifecycle
	DeclRange    hcl.Range
	// Name and Key as in Follow.
	Name      string
	Key       string
	AcctRange hcl.Range
}

// userRelationKinds are the block types, in the order an account lists them.
var userRelationKinds = []string{"block", "mute", "renote_mute"}

// relationNouns name each kind in messages.
var relationNouns = map[string]struct{ verb, noun string }{
	"block":       {"block", "block"},
	"mute":        {"mute", "mute"},
	"renote_mute": {"mute the renotes of", "renote mute"},
}

// relationMuteNow is the clock expires_at is checked against (tests set it).
var relationMuteNow = time.Now

func relationDesc(kind string) bodyDesc {
	attrs := []hcl.AttributeSchema{{Name: "for_each"}, {Name: "account"}}
	aliases := map[string]string{
		"foreach":  "for_each",
		"acct":     "account",
		"user":     "account",
		"username": "account",
		"target":   "account",
	}
	if kind == "mute" {
		attrs = append(attrs, hcl.AttributeSchema{Name: "expires_at"})
		aliases["expires"] = "expires_at"
		aliases["expiresat"] = "expires_at"
		aliases["expires_in"] = "expires_at"
		aliases["until"] = "expires_at"
	}
	return bodyDesc{
		What:    article(kind) + " " + kind + " block",
		Schema:  &hcl.BodySchema{Attributes: attrs, Blocks: []hcl.BlockHeaderSchema{{Type: "lifecycle"}}},
		Aliases: aliases,
		Refused: map[string]string{
			"count": fmt.Sprintf("count is not supported in mkctl. Hint: to %s many accounts with one block, write for_each = toset([...]) and account = each.key.", relationNouns[kind].verb),
		},
	}
}

// relationBlock is a checked block, mute or renote_mute block.
type relationBlock struct {
	*resource
	kind  string
	label string
	named bool
}

func decodeRelation(block *hcl.Block) (*relationBlock, hcl.Diagnostics) {
	r, _, diags := decodeResource(block, relationDesc(block.Type))
	rb := &relationBlock{resource: r, kind: block.Type, label: block.Labels[0]}
	_, hasForEach := r.attrs["for_each"]
	_, hasAccount := r.attrs["account"]
	rb.named = hasForEach || hasAccount
	if hasForEach && !hasAccount {
		diags = append(diags, errorf(block.DefRange, "Missing required argument",
			"The argument \"account\" is required in a %s block with for_each: the label %q then names the group, and account says whom each instance is about. Hint: add account = each.key (or each.value for a map).", rb.kind, rb.label))
	}
	if rb.named && !hclsyntax.ValidIdentifier(rb.label) {
		why := "account is set"
		if hasForEach {
			why = "for_each is set"
		}
		diags = append(diags, errorf(block.LabelRanges[0], "Invalid "+rb.kind+" name",
			"Since %s, the label %q is a name for this block, not an account, and must be an identifier. Hint: use a name such as %s \"list\" { ... }, or remove account and for_each and keep the account in the label.", why, rb.label, rb.kind))
	}
	return rb, diags
}

// expand evaluates the block: one relation, or one per for_each key.
func (rb *relationBlock) expand(s *scope, own ownAccount) ([]*UserRelation, hcl.Diagnostics) {
	return expandInstances(s, rb.attrs, func(s *scope, key string) (*UserRelation, hcl.Diagnostics) {
		return rb.instance(s, key, own)
	})
}

func (rb *relationBlock) instance(s *scope, key string, own ownAccount) (*UserRelation, hcl.Diagnostics) {
	e := &attrEval{s: s, attrs: rb.attrs}
	u := &UserRelation{Kind: rb.kind, DeclRange: rb.block.DefRange, Key: key}
	noun := relationNouns[rb.kind]
	report := func(summary, format string, args ...any) {
		e.diags = append(e.diags, errorf(u.AcctRange, summary, format, args...))
	}
	var raw string
	if rb.named {
		u.Name = rb.label
		str, attr, ctx, st := e.str("account", `account = "@alice@misskey.example"`)
		if attr != nil {
			u.AcctRange = attr.Expr.Range()
			report = func(summary, format string, args ...any) {
				e.errorf(attr.Expr, ctx, summary, format, args...)
			}
		}
		switch st {
		case attrNull:
			report("Null value not allowed", "account cannot be null: it names the account to %s. Hint: write account = each.key, or an address such as \"@alice@misskey.example\".", noun.verb)
			return nil, e.diags
		case attrAbsent, attrFailed:
			return nil, e.diags
		}
		raw = str
	} else {
		raw = rb.label
		u.AcctRange = rb.block.LabelRanges[0]
	}
	acct, prob := normaliseUserAcct(raw, own.host)
	if prob != "" {
		where := fmt.Sprintf("The label of a %s block names the account to %s", rb.kind, noun.verb)
		if rb.named {
			where = fmt.Sprintf("account names the account to %s", noun.verb)
		}
		report("Invalid account address", "%s: %s", where, prob)
		return nil, e.diags
	}
	if own.username != "" && strings.EqualFold(acct, "@"+own.username) {
		from := ""
		if key != "" {
			from = " from the for_each collection"
		}
		code := "MUTEE_IS_YOURSELF"
		if rb.kind == "block" {
			code = "BLOCKEE_IS_YOURSELF"
		}
		report("Cannot "+noun.verb+" yourself", "%s is this account itself; Misskey refuses to %s oneself (%s). Hint: remove it%s.", acct, noun.verb, code, from)
		return nil, e.diags
	}
	u.Acct = acct
	if rb.kind == "mute" {
		str, attr, ctx, st := e.str("expires_at", `expires_at = "2026-12-31T00:00:00Z"`)
		if st == attrSet {
			u.ExpiresRange = attr.Expr.Range()
			t, err := time.Parse(time.RFC3339, str)
			switch {
			case err != nil:
				e.errorf(attr.Expr, ctx, "Invalid expires_at",
					"expires_at must be an RFC 3339 time such as \"2026-12-31T00:00:00Z\"; got %q. Hint: write the date, a T, the time and a zone (Z or +09:00); leave expires_at out for a mute without end.", str)
			case !t.After(relationMuteNow()):
				e.errorf(attr.Expr, ctx, "expires_at is in the past",
					"expires_at %s is not in the future: Misskey answers a mute that ends in the past with success and mutes nobody. Hint: if this mute has ended, remove its block (the plan then unmutes it while Misskey still lists it, up to 5 minutes, or forgets it); otherwise give a later time, or leave expires_at out for a mute without end.", str)
			default:
				u.ExpiresAt = &t
			}
		}
	}
	lc, d := rb.lifecycle.evaluate(s)
	u.Lifecycle = lc
	return u, append(e.diags, d...)
}

func (u *UserRelation) describeKey() string {
	if u.Key == "" {
		return ""
	}
	return fmt.Sprintf(" (for_each key %s)", quote(u.Key))
}

// evaluateRelations expands the account's block, mute and renote_mute
// blocks into a (duplicates refused, ignoring case) and refuses a block of
// an account the configuration also follows.
func (rb *resourceBlocks) evaluateRelations(s *scope, a *Account, own ownAccount) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, kind := range userRelationKinds {
		seen := make(map[string]*UserRelation)
		for _, b := range rb.relations {
			if b.kind != kind {
				continue
			}
			us, d := b.expand(s, own)
			diags = append(diags, d...)
			for _, u := range us {
				key := strings.ToLower(u.Acct)
				if first, dup := seen[key]; dup {
					diags = append(diags, errorf(u.AcctRange, "Duplicate "+kind,
						"%s%s is already declared by the %s block at %s%s. Hint: declare each account once; remove one of them (user names are compared ignoring case).",
						u.Acct, u.describeKey(), kind, posString(first.DeclRange), first.describeKey()))
					continue
				}
				seen[key] = u
				switch kind {
				case "block":
					a.Blocks = append(a.Blocks, u)
				case "mute":
					a.Mutes = append(a.Mutes, u)
				default:
					a.RenoteMutes = append(a.RenoteMutes, u)
				}
			}
		}
	}
	if len(a.Blocks) > 0 && len(a.Follows) > 0 {
		follows := make(map[string]*Follow, len(a.Follows))
		for _, f := range a.Follows {
			follows[strings.ToLower(f.Acct)] = f
		}
		for _, b := range a.Blocks {
			f, ok := follows[strings.ToLower(b.Acct)]
			if !ok {
				continue
			}
			diags = append(diags,
				errorf(b.AcctRange, "Block of a followed account",
					"%s%s is blocked here and followed by the follow block at %s%s. Blocking removes the follow both ways, and Misskey then refuses to follow a blocked account (BLOCKING). Hint: remove the follow or the block.",
					b.Acct, b.describeKey(), posString(f.DeclRange), f.describeKey()),
				errorf(f.AcctRange, "Follow of a blocked account",
					"%s%s is followed here and blocked by the block at %s%s: the two cannot both hold. Hint: remove the follow or the block.",
					f.Acct, f.describeKey(), posString(b.DeclRange), b.describeKey()))
		}
	}
	return diags
}
