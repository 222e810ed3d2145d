package schema

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// variable is one `variable "name" { ... }` block.
type variable struct {
	Name        string
	Description string
	// Type is cty.DynamicPseudoType when no type constraint is written.
	Type         cty.Type
	TypeSet      bool
	Defaults     *typeexpr.Defaults // optional(…, default) values of the type, may be nil
	HasDefault   bool
	Default      cty.Value // cty.DynamicVal when the default is invalid
	DefaultRange hcl.Range
	DeclRange    hcl.Range
	// Sensitive (sensitive = true): the value is marked with SensitiveMark,
	// and so is every value computed from it; plans, saved plans, notes,
	// logs and diagnostics show (sensitive) in its place.
	Sensitive bool
}

var variableDesc = bodyDesc{
	What: "a variable block",
	Schema: &hcl.BodySchema{Attributes: []hcl.AttributeSchema{
		{Name: "default"},
		{Name: "type"},
		{Name: "description"},
		{Name: "sensitive"},
	}},
}

// parseLiteral says whether a raw --var or MKCTL_VAR_ value is taken as
// the string itself (then converted to the type). Like Terraform, that is
// the case for variables without a type and for primitive types (string,
// number, bool); for any other type the text is parsed as an HCL
// expression, so --var 'tags=["a","b"]' works.
func (v *variable) parseLiteral() bool {
	return !v.TypeSet || v.Type.IsPrimitiveType()
}

func decodeVariable(block *hcl.Block) (*variable, hcl.Diagnostics) {
	v := &variable{Name: block.Labels[0], Type: cty.DynamicPseudoType, DeclRange: block.DefRange}
	var diags hcl.Diagnostics
	if !hclsyntax.ValidIdentifier(v.Name) {
		diags = append(diags, errorf(block.LabelRanges[0], "Invalid variable name",
			"%q is not a valid variable name. Hint: a name starts with a letter and contains only letters, digits, underscores and dashes, so that var.<name> can refer to it.", v.Name))
	}
	content, moreDiags := decodeBody(block.Body, variableDesc, block.DefRange)
	diags = append(diags, moreDiags...)

	if attr, ok := content.Attributes["description"]; ok {
		// Not gohcl: it imports hclwrite, whose go-cmp dependency is not in
		// go.sum, and this is one string.
		val, valDiags := attr.Expr.Value(nil)
		diags = append(diags, valDiags...)
		if !valDiags.HasErrors() {
			if val.Type() != cty.String || val.IsNull() {
				diags = append(diags, errorf(attr.Expr.Range(), "Incorrect attribute value type",
					"description must be a string; got %s. Hint: quote it.", describeValue(val)))
			} else {
				v.Description = val.AsString()
			}
		}
	}
	if attr, ok := content.Attributes["sensitive"]; ok {
		val, valDiags := attr.Expr.Value(nil)
		diags = append(diags, valDiags...)
		if !valDiags.HasErrors() {
			if val.Type() != cty.Bool || val.IsNull() {
				diags = append(diags, errorf(attr.Expr.Range(), "Incorrect attribute value type",
					"sensitive must be a bool; got %s. Hint: write sensitive = true, without quotes.", describeValue(val)))
			} else {
				v.Sensitive = val.True()
			}
		}
	}
	if attr, ok := content.Attributes["type"]; ok {
		ty, defaults, tyDiags := typeexpr.TypeConstraintWithDefaults(attr.Expr)
		diags = append(diags, tyDiags...)
		if !tyDiags.HasErrors() {
			v.Type, v.Defaults, v.TypeSet = ty, defaults, true
		}
	}
	if attr, ok := content.Attributes["default"]; ok {
		// No EvalContext: a default is a constant, it cannot use variables
		// or functions (hcl says so with its own diagnostic).
		val, valDiags := attr.Expr.Value(nil)
		diags = append(diags, valDiags...)
		v.DefaultRange = attr.Expr.Range()
		v.HasDefault = true
		v.Default = cty.DynamicVal
		if !valDiags.HasErrors() {
			conv, err := v.convert(val)
			if err != nil {
				diags = append(diags, errorf(attr.Expr.Range(), "Invalid default value for variable",
					"The default of var.%s does not match its type %s: %s. Hint: change the default or the type.",
					v.Name, typeexpr.TypeString(v.Type), formatConvertError(err)))
			} else {
				v.Default = conv
			}
		}
	}
	return v, diags
}

// convert applies the type's optional-attribute defaults and converts val
// to the type constraint.
func (v *variable) convert(val cty.Value) (cty.Value, error) {
	if v.Defaults != nil {
		val = v.Defaults.Apply(val)
	}
	return convertValue(val, v.Type)
}
