package schema

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// The deletion guard (README.md, "Deletion guard"): a plan that would
// delete more than max_objects AND more than max_percent % of an account's
// managed objects of one kind is refused, unless --allow-mass-delete is
// given. An account block may tune it:
//
//	deletion_guard {
//	  enabled     = true // false turns the guard off for this account
//	  max_objects = 10   // deletions of one kind allowed whatever the share
//	  max_percent = 25   // share of the kind's managed objects allowed
//	}

// Defaults of the deletion guard.
const (
	DefaultGuardMaxObjects = 10
	DefaultGuardMaxPercent = 25
)

// DeletionGuard is an account's deletion guard.
type DeletionGuard struct {
	Enabled    bool
	MaxObjects int
	MaxPercent int
	// DeclRange is the deletion_guard block, or the account block when it
	// has none (the defaults).
	DeclRange hcl.Range
}

// Guard is the account's deletion guard: its deletion_guard block, or the
// defaults.
func (a *Account) Guard() DeletionGuard {
	if a.DeletionGuard != nil {
		return *a.DeletionGuard
	}
	return DeletionGuard{Enabled: true, MaxObjects: DefaultGuardMaxObjects, MaxPercent: DefaultGuardMaxPercent, DeclRange: a.DeclRange}
}

var deletionGuardDesc = bodyDesc{
	What: "a deletion_guard block",
	Schema: &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "enabled"}, {Name: "max_objects"}, {Name: "max_percent"}},
	},
	Aliases: map[string]string{
		"enable":      "enabled",
		"disabled":    "enabled",
		"max":         "max_objects",
		"max_count":   "max_objects",
		"threshold":   "max_objects",
		"maxobjects":  "max_objects",
		"max_deletes": "max_objects",
		"percent":     "max_percent",
		"max_pct":     "max_percent",
		"maxpercent":  "max_percent",
	},
}

// deletionGuardBlock is a checked deletion_guard block, evaluated per
// account instance (it may use each).
type deletionGuardBlock struct {
	block *hcl.Block
	attrs hcl.Attributes
}

// decodeDeletionGuard checks a deletion_guard block; prev is the one the
// account already has (a second one is an error).
func decodeDeletionGuard(b *hcl.Block, prev *deletionGuardBlock) (*deletionGuardBlock, hcl.Diagnostics) {
	content, diags := decodeBody(b.Body, deletionGuardDesc, b.DefRange)
	if prev != nil {
		return prev, append(diags, errorf(b.DefRange, "Duplicate deletion_guard block",
			"An account block has at most one deletion_guard block, and this account already has one at %s. Hint: merge the two into one.", posString(prev.block.DefRange)))
	}
	return &deletionGuardBlock{block: b, attrs: content.Attributes}, diags
}

// evaluate reads the block; absent or null attributes keep the defaults.
func (gb *deletionGuardBlock) evaluate(s *scope) (*DeletionGuard, hcl.Diagnostics) {
	if gb == nil {
		return nil, nil
	}
	g := &DeletionGuard{Enabled: true, MaxObjects: DefaultGuardMaxObjects, MaxPercent: DefaultGuardMaxPercent, DeclRange: gb.block.DefRange}
	e := &attrEval{s: s, attrs: gb.attrs}
	g.Enabled = e.boolean("enabled", true)
	if n, ok := e.count("max_objects", 0, -1); ok {
		g.MaxObjects = n
	}
	if n, ok := e.count("max_percent", 0, 100); ok {
		g.MaxPercent = n
	}
	return g, e.diags
}

// count reads a whole number in [min, max] (max < 0: no upper bound).
func (e *attrEval) count(name string, min, max int) (int, bool) {
	val, attr, ctx, st := e.value(name)
	if st != attrSet {
		return 0, false
	}
	rangeText := "0 or more"
	if max >= 0 {
		rangeText = "from 0 to 100"
	}
	if val.Type() != cty.Number {
		e.errorf(attr.Expr, ctx, "Incorrect attribute value type",
			"%s must be a whole number (%s); got %s. Hint: write %s = 10, without quotes.", name, rangeText, describeValue(val), name)
		return 0, false
	}
	bf := val.AsBigFloat()
	n, acc := bf.Int64()
	if !bf.IsInt() || acc != 0 || n < int64(min) || (max >= 0 && n > int64(max)) || n > 1<<31 {
		hint := "Hint: to turn the guard off for this account, write enabled = false."
		e.errorf(attr.Expr, ctx, "Invalid deletion_guard value",
			"%s must be a whole number %s; got %s. %s", name, rangeText, describeValue(val), hint)
		return 0, false
	}
	return int(n), true
}
