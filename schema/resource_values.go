package schema

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// attrState says what evaluating an attribute gave.
type attrState int

const (
	attrAbsent attrState = iota // not written
	attrFailed                  // an error, already reported
	attrNull                    // written as null
	attrSet                     // a known, non-null value
)

// attrEval evaluates the attributes of one instance of a resource block
// (pinned_note, follow, …) and collects the diagnostics. Unlike in a
// profile block, null means "not written" here: mkctl owns these objects
// whole, so an unset attribute takes its default rather than leaving
// something unmanaged.
type attrEval struct {
	s     *scope
	attrs hcl.Attributes
	diags hcl.Diagnostics
}

func (e *attrEval) errorf(expr hcl.Expression, ctx *hcl.EvalContext, summary, format string, args ...any) {
	if ctx == nil {
		ctx = e.s.evalContext() // scope.eval leaves it to be built when needed
	}
	e.diags = append(e.diags, valueError(expr, ctx, summary, format, args...))
}

// value evaluates one attribute.
func (e *attrEval) value(name string) (cty.Value, *hcl.Attribute, *hcl.EvalContext, attrState) {
	attr := e.attrs[name]
	if attr == nil {
		return cty.NilVal, nil, nil, attrAbsent
	}
	val, ctx, diags := e.s.eval(attr.Expr)
	e.diags = append(e.diags, diags...)
	switch {
	case diags.HasErrors() || !val.IsWhollyKnown():
		return val, attr, ctx, attrFailed
	case val.IsNull():
		return val, attr, ctx, attrNull
	}
	return val, attr, ctx, attrSet
}

// optBool reads a bool attribute; nil when it is absent, null or invalid.
func (e *attrEval) optBool(name string) *bool {
	val, attr, ctx, st := e.value(name)
	if st != attrSet {
		return nil
	}
	if val.Type() != cty.Bool {
		// A quoted "true" is refused as in profile blocks: in a config it
		// is more often a slip than a choice.
		e.errorf(attr.Expr, ctx, "Incorrect attribute value type",
			"%s must be a bool (true or false); got %s. Hint: write %s = true or %s = false, without quotes.", name, describeValue(val), name, name)
		return nil
	}
	// RawEquals, not True: True goes through Equals, a tenth of the
	// work of a for_each instance. val is known here; RawEquals would
	// also compare marks, which mkctl never sets.
	var b bool
	if val.IsMarked() {
		b = val.True()
	} else {
		b = val.RawEquals(cty.True)
	}
	return &b
}

// boolean reads a bool attribute, def when absent or null.
func (e *attrEval) boolean(name string, def bool) bool {
	if b := e.optBool(name); b != nil {
		return *b
	}
	return def
}

// str reads a string attribute; a wrong type is reported and gives
// attrFailed.
func (e *attrEval) str(name, example string) (string, *hcl.Attribute, *hcl.EvalContext, attrState) {
	val, attr, ctx, st := e.value(name)
	if st != attrSet {
		return "", attr, ctx, st
	}
	s, ok := asString(val)
	if !ok {
		e.errorf(attr.Expr, ctx, "Incorrect attribute value type",
			"%s must be a string; got %s. Hint: write %s.", name, describeValue(val), example)
		return "", attr, ctx, attrFailed
	}
	return s, attr, ctx, attrSet
}

// enum reads a string attribute that must be one of allowed. refused maps
// values Misskey knows but mkctl does not accept here to the reason (with
// a hint). With nullable, "" reads as null (as in profile blocks), since
// Misskey's API takes null, never "", for "none".
func (e *attrEval) enum(name string, allowed []string, refused map[string]string, nullable bool) (string, *hcl.Attribute, *hcl.EvalContext, attrState) {
	s, attr, ctx, st := e.str(name, fmt.Sprintf("%s = %s", name, quote(allowed[0])))
	if st != attrSet {
		return "", attr, ctx, st
	}
	if nullable && s == "" {
		return "", attr, ctx, attrNull
	}
	if slices.Contains(allowed, s) {
		return s, attr, ctx, attrSet
	}
	if why, ok := refused[s]; ok {
		e.errorf(attr.Expr, ctx, "Unsupported value", "%s = %q is not supported: %s", name, s, why)
		return "", attr, ctx, attrFailed
	}
	hint := ""
	if sug := suggestValue(s, allowed); sug != "" {
		hint = fmt.Sprintf(" Did you mean %q?", sug)
	} else {
		hint = fmt.Sprintf(" Hint: write e.g. %s = %s.", name, quote(allowed[0]))
	}
	orNull := ""
	if nullable {
		orNull = " (or null)"
	}
	e.errorf(attr.Expr, ctx, "Unsupported value", "%s must be one of %s%s; got %q.%s", name, quotedList(allowed), orNull, s, hint)
	return "", attr, ctx, attrFailed
}

// listItem is one string of a list attribute with the expression to point
// at when it is wrong.
type listItem struct {
	index int
	value string
	expr  hcl.Expression
}

// strings reads a list (or set) of strings. Wrong items are reported and
// left out; st is attrFailed only when the value is not a list at all.
func (e *attrEval) strings(name, example string) ([]listItem, *hcl.Attribute, *hcl.EvalContext, attrState) {
	val, attr, ctx, st := e.value(name)
	if st != attrSet {
		return nil, attr, ctx, st
	}
	ty := val.Type()
	if !ty.IsListType() && !ty.IsTupleType() && !ty.IsSetType() {
		e.errorf(attr.Expr, ctx, "Incorrect attribute value type",
			"%s must be a list of strings; got %s. Hint: write %s.", name, describeValue(val), example)
		return nil, attr, ctx, attrFailed
	}
	items := make([]listItem, 0, val.LengthInt())
	i := 0
	for it := val.ElementIterator(); it.Next(); i++ {
		_, v := it.Element()
		ie := elemExpr(attr.Expr, i)
		s, ok := asString(v)
		if !ok {
			e.errorf(ie, ctx, "Incorrect attribute value type",
				"%s[%d] must be a string; got %s. Hint: write %s.", name, i, describeValue(v), example)
			continue
		}
		items = append(items, listItem{index: i, value: s, expr: ie})
	}
	return items, attr, ctx, attrSet
}

// checkIdentLabel reports a label that is not an identifier; such labels
// appear in addresses (pinned_note.welcome) and plan output.
func checkIdentLabel(block *hcl.Block, what, example string) hcl.Diagnostics {
	label := block.Labels[0]
	if hclsyntax.ValidIdentifier(label) {
		return nil
	}
	return hcl.Diagnostics{errorf(block.LabelRanges[0], "Invalid "+what+" name",
		"%q is not a valid %s name: it names the block in plans and in mkctl's record of what it manages. Hint: use letters, digits, underscores and dashes, starting with a letter, e.g. %s.", label, what, example)}
}

// checkNameLabel reports a label that Misskey would refuse as the name of
// an object: empty, or longer than max characters (counted as Misskey
// counts them, in code points). limit says who sets max, e.g. "Misskey
// accepts at most 100".
func checkNameLabel(block *hcl.Block, what string, max int, limit string) hcl.Diagnostics {
	label := block.Labels[0]
	rng := block.LabelRanges[0]
	if label == "" {
		return hcl.Diagnostics{errorf(rng, "Invalid "+what+" name",
			"A %s name cannot be empty: Misskey requires at least 1 character. Hint: write a name, e.g. %s.", what, labelExample(block.Type))}
	}
	if strings.ContainsRune(label, 0) {
		// PostgreSQL text cannot hold it: Misskey answers 500.
		return hcl.Diagnostics{errorf(rng, "Invalid "+what+" name",
			"The %s name contains a NUL character (U+0000), which Misskey cannot store. Hint: remove it from the name.", what)}
	}
	if n := ajvLength(label); n > max {
		return hcl.Diagnostics{errorf(rng, "Invalid "+what+" name",
			"The %s name is %d characters long, but %s. Characters are counted in Unicode code points (an emoji counts 1). Hint: shorten it by %d.", what, n, limit, n-max)}
	}
	return nil
}
