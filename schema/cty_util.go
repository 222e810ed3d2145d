package schema

import (
	"errors"
	"fmt"
	"strings"

	"github.com/zclconf/go-cty/cty"
)

// formatConvertError renders a cty conversion error with the path of the
// offending element, e.g. `element [1]: a number is required`.
func formatConvertError(err error) string {
	var pe cty.PathError
	if errors.As(err, &pe) && len(pe.Path) > 0 {
		return fmt.Sprintf("at %s: %s", formatPath(pe.Path), pe.Error())
	}
	return err.Error()
}

// formatPath renders a cty.Path like HCL would write the traversal:
// .name[0]["key"].
func formatPath(p cty.Path) string {
	var b strings.Builder
	for _, step := range p {
		switch s := step.(type) {
		case cty.GetAttrStep:
			b.WriteString("." + s.Name)
		case cty.IndexStep:
			switch s.Key.Type() {
			case cty.String:
				b.WriteString("[" + quoteKey(s.Key.AsString()) + "]")
			case cty.Number:
				b.WriteString("[" + s.Key.AsBigFloat().Text('f', -1) + "]")
			default:
				b.WriteString("[?]")
			}
		}
	}
	return strings.TrimPrefix(b.String(), ".")
}

// friendlyTypeName names a value's type for "got a …" messages.
func friendlyTypeName(ty cty.Type) string {
	switch {
	case ty == cty.String:
		return "a string"
	case ty == cty.Number:
		return "a number"
	case ty == cty.Bool:
		return "a bool"
	case ty.IsTupleType(), ty.IsListType():
		return "a list"
	case ty.IsSetType():
		return "a set"
	case ty.IsObjectType(), ty.IsMapType():
		return "an object"
	case ty == cty.DynamicPseudoType:
		return "a value of unknown type"
	}
	return ty.FriendlyName()
}

// describeValue renders a short form of a known value for messages:
// a string "yes", the number 42, true.
func describeValue(v cty.Value) string {
	if v.IsNull() {
		return "null"
	}
	if !v.IsKnown() {
		return "an unknown value"
	}
	switch v.Type() {
	case cty.String:
		s := v.AsString()
		if len([]rune(s)) > 40 {
			s = string([]rune(s)[:40]) + "…"
		}
		return "the string " + quoteKey(s)
	case cty.Number:
		return "the number " + v.AsBigFloat().Text('f', -1)
	case cty.Bool:
		if v.True() {
			return "the bool true"
		}
		return "the bool false"
	}
	return friendlyTypeName(v.Type())
}

// asString reads a non-null string attribute value. Numbers are accepted
// and written in decimal, as HCL does when a template such as "${var.n}"
// yields a number; bools and collections are not, since in a text
// attribute they are almost always a mistake.
func asString(v cty.Value) (string, bool) {
	if v.IsNull() || !v.IsKnown() {
		return "", false
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), true
	}
	return "", false
}
