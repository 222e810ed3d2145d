package schema

import "github.com/hashicorp/hcl/v2"

// expandInstances evaluates a block that may set for_each and names its
// account with `account` (follow, block, mute, renote_mute): one instance
// without for_each, else one per for_each key in key order. instance makes
// one; it returns nil for an instance that is reported and left out.
func expandInstances[T any](s *scope, attrs hcl.Attributes, instance func(s *scope, key string) (*T, hcl.Diagnostics)) ([]*T, hcl.Diagnostics) {
	fe, hasForEach := attrs["for_each"]
	if !hasForEach {
		v, diags := instance(s, "")
		if v == nil {
			return nil, diags
		}
		return []*T{v}, diags
	}
	if attrs["account"] == nil {
		return nil, nil // reported when the block was decoded
	}
	instances, _, diags := s.evalForEach(fe.Expr)
	if diags.HasErrors() {
		return nil, diags
	}
	out := make([]*T, 0, len(instances))
	s = s.forInstances()
	seen := map[diagKey]bool{}
	for _, inst := range instances {
		v, d := instance(s.withEach(inst.key, inst.value), inst.key)
		for _, dg := range d {
			// A problem that does not depend on the instance (with_replies
			// = "yes") is the same for all of them: say it once, not
			// 100,000 times before Load's dedupe.
			k := diagKey{summary: dg.Summary, detail: dg.Detail}
			if dg.Subject != nil {
				k.subject = *dg.Subject
			}
			if !seen[k] {
				seen[k] = true
				diags = append(diags, dg)
			}
		}
		if v != nil {
			out = append(out, v)
		}
	}
	return out, diags
}

// diagKey tells identical diagnostics apart from different ones.
type diagKey struct {
	summary, detail string
	subject         hcl.Range
}
