package schema

import (
	"slices"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// evalForEach evaluates a for_each expression into its instances.
//
// for_each = toset(LIST) is how a list of follows or accounts is written,
// and a go-cty set is expensive to walk: every walk sorts it with a
// comparison that first checks the two values for equality, and the limit
// checks, the NUL check, the known-check and the expansion each walk it —
// 7 of the 11.7 s of loading 100,000 follows. When the argument is a known
// list of known strings, the instances are what the set would give (each
// distinct string once, sorted, each.value the key), made from the list,
// which was checked like any other value. Anything else takes the general
// path, with its messages.
func (s *scope) evalForEach(expr hcl.Expression) ([]instance, *hcl.EvalContext, hcl.Diagnostics) {
	if call, ok := expr.(*hclsyntax.FunctionCallExpr); ok && call.Name == "toset" && len(call.Args) == 1 && !call.ExpandFinal {
		arg, ctx, diags := s.eval(call.Args[0])
		if diags.HasErrors() {
			return nil, ctx, diags
		}
		if keys, ok := knownStrings(arg); ok {
			slices.Sort(keys)
			keys = slices.Compact(keys)
			out := make([]instance, len(keys))
			for i, k := range keys {
				out[i] = instance{key: k, value: cty.StringVal(k)}
			}
			if d := s.sensitiveKeys(out, expr, ctx); d != nil {
				return nil, ctx, append(diags, d)
			}
			return out, ctx, diags
		}
	}
	val, ctx, diags := s.eval(expr)
	if diags.HasErrors() {
		return nil, ctx, diags
	}
	instances, more := forEachInstances(val, expr, ctx)
	if d := s.sensitiveKeys(instances, expr, ctx); d != nil {
		return nil, ctx, append(diags, d)
	}
	return instances, ctx, append(diags, more...)
}

// knownStrings returns the elements of a non-empty known list or tuple
// whose elements are all known, unmarked, non-null strings.
func knownStrings(v cty.Value) ([]string, bool) {
	ty := v.Type()
	if !(ty.IsListType() || ty.IsTupleType()) || v.IsMarked() || !v.IsKnown() || v.IsNull() || v.LengthInt() == 0 {
		return nil, false
	}
	out := make([]string, 0, v.LengthInt())
	// AsValueSlice, not ElementIterator: the iterator makes a number
	// value for every index.
	for _, e := range v.AsValueSlice() {
		if e.Type() != cty.String || e.IsMarked() || !e.IsKnown() || e.IsNull() {
			return nil, false
		}
		out = append(out, e.AsString())
	}
	return out, true
}
