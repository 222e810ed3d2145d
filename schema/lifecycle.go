package schema

import (
	"github.com/hashicorp/hcl/v2"
)

// lifecycleDesc is the `lifecycle { ... }` block every resource block may
// hold. Only prevent_destroy exists: Terraform's other lifecycle arguments
// have no meaning for Misskey objects, and saying so beats ignoring them.
var lifecycleDesc = bodyDesc{
	What: "a lifecycle block",
	Schema: &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "prevent_destroy"}},
	},
	Aliases: map[string]string{"preventdestroy": "prevent_destroy", "protect": "prevent_destroy"},
	Refused: map[string]string{
		"create_before_destroy": "create_before_destroy is not supported: mkctl replaces an object by deleting it first, since Misskey refuses duplicates of several objects (pins, follows). Hint: remove it; only prevent_destroy may appear in a lifecycle block.",
		"ignore_changes":        "ignore_changes is not supported. Hint: to leave an attribute unmanaged, remove it from the block (for follow blocks, with_replies and notify are then not managed); only prevent_destroy may appear in a lifecycle block.",
		"replace_triggered_by":  "replace_triggered_by is not supported. Hint: remove it; only prevent_destroy may appear in a lifecycle block.",
	},
}

// lifecycleBlock is a checked lifecycle block; prevent_destroy is
// evaluated per instance since it may use each.
type lifecycleBlock struct {
	attr  *hcl.Attribute // prevent_destroy, nil when not written
	block *hcl.Block
}

// decodeLifecycle checks the lifecycle blocks of a resource block: at most
// one.
func decodeLifecycle(blocks []*hcl.Block, owner string) (*lifecycleBlock, hcl.Diagnostics) {
	var lb *lifecycleBlock
	var diags hcl.Diagnostics
	for _, b := range blocks {
		content, d := decodeBody(b.Body, lifecycleDesc, b.DefRange)
		diags = append(diags, d...)
		if lb != nil {
			diags = append(diags, errorf(b.DefRange, "Duplicate lifecycle block",
				"%s has at most one lifecycle block, and it already has one at %s. Hint: merge the two into one.", owner, posString(lb.block.DefRange)))
			continue
		}
		lb = &lifecycleBlock{attr: content.Attributes["prevent_destroy"], block: b}
	}
	return lb, diags
}

// evaluate reads prevent_destroy (null or absent: false).
func (lb *lifecycleBlock) evaluate(s *scope) (Lifecycle, hcl.Diagnostics) {
	if lb == nil {
		return Lifecycle{}, nil
	}
	lc := Lifecycle{Range: lb.block.DefRange}
	if lb.attr == nil {
		return lc, nil
	}
	e := &attrEval{s: s, attrs: hcl.Attributes{"prevent_destroy": lb.attr}}
	lc.PreventDestroy = e.boolean("prevent_destroy", false)
	return lc, e.diags
}
