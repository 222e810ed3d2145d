package schema

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// EnvVarPrefix prefixes environment variables that set input variables:
// MKCTL_VAR_owner=weather sets var.owner.
const EnvVarPrefix = "MKCTL_VAR_"

// varValue is a value given for a variable from outside the config.
// Exactly one of raw (--var, environment) and expr (--var-file) is used.
type varValue struct {
	raw    string
	isRaw  bool
	expr   hcl.Expression
	source string    // for messages: "--var", "MKCTL_VAR_owner", "--var-file dev.hcl"
	rng    hcl.Range // where the value is written (a pseudo-file for raw values)
}

// resolveVariables settles each declared variable's value. Precedence,
// lowest to highest: default < MKCTL_VAR_name < --var-file (in order) < --var.
// The result holds cty.DynamicVal for a variable that has no valid value,
// so that later evaluation does not pile up follow-on errors.
func resolveVariables(p *hclparse.Parser, vars []*variable, opts LoadOptions) (map[string]cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	byName := map[string]*variable{}
	var names []string
	for _, v := range vars {
		byName[v.Name] = v
		names = append(names, v.Name)
	}
	given := map[string]*varValue{}

	// Undeclared MKCTL_VAR_ variables are ignored, as Terraform ignores
	// undeclared TF_VAR_: the environment is shared by every directory.
	for _, kv := range opts.Env {
		k, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(k, EnvVarPrefix) {
			continue
		}
		name := strings.TrimPrefix(k, EnvVarPrefix)
		if byName[name] == nil {
			continue
		}
		given[name] = rawValue(p, name, val, k)
	}

	for _, path := range opts.VarFiles {
		attrs, fileDiags := readVarFile(p, path)
		diags = append(diags, fileDiags...)
		for _, attr := range attrs {
			if byName[attr.Name] == nil {
				diags = append(diags, errorf(attr.NameRange, "Value for undeclared variable",
					"The variable file %s sets %q, but no variable %q is declared.%s Hint: declare it with variable %q {} or remove the line.",
					path, attr.Name, attr.Name, didYouMean(attr.Name, names), attr.Name))
				continue
			}
			given[attr.Name] = &varValue{expr: attr.Expr, source: "--var-file " + path, rng: attr.Expr.Range()}
		}
	}

	cliNames := make([]string, 0, len(opts.Vars))
	for name := range opts.Vars {
		cliNames = append(cliNames, name)
	}
	sort.Strings(cliNames)
	for _, name := range cliNames {
		if byName[name] == nil {
			// The snippet shows the name, never the value: a misspelt
			// name may well carry a secret (--var hok=… for var.hook).
			shown := rawValue(p, name, name+"=…", "--var")
			diags = append(diags, errorf(shown.rng, "Value for undeclared variable",
				"--var %s=… sets a variable that is not declared in the configuration.%s Hint: declare it with variable %q {} or fix the name.",
				name, didYouMean(name, names), name))
			continue
		}
		given[name] = rawValue(p, name, opts.Vars[name], "--var")
	}

	values := map[string]cty.Value{}
	for _, v := range vars {
		if v.Sensitive {
			// Recorded before it is read, so that a diagnostic about a
			// value that does not parse or convert hides it too.
			if g := given[v.Name]; g != nil && g.isRaw {
				opts.Sensitive.Add(g.raw)
			}
		}
		val, valDiags := v.value(given[v.Name], opts.Sensitive)
		diags = append(diags, valDiags...)
		if v.Sensitive {
			opts.Sensitive.addValue(val)
			val = val.Mark(SensitiveMark)
		}
		values[v.Name] = val
	}
	return values, diags
}

// value decides one variable's value from the winning outside value, or
// its default.
func (v *variable) value(g *varValue, set *Sensitive) (cty.Value, hcl.Diagnostics) {
	if g == nil {
		if v.HasDefault {
			if v.Sensitive {
				set.addValue(v.Default)
			}
			if err := checkValue(v.Default); err != nil {
				return cty.DynamicVal, hcl.Diagnostics{errorf(v.DefaultRange, "Value too large",
					"The default of var.%s is too large: %s. %s.", v.Name, err, limitsHint)}
			}
			return v.Default, nil
		}
		return cty.DynamicVal, hcl.Diagnostics{errorf(v.DeclRange, "No value for required variable",
			"The variable %q has no default and no value was given. Hint: set it with --var %s=VALUE, with a line %s = VALUE in a --var-file, or with the environment variable %s%s, or give it a default.",
			v.Name, v.Name, v.Name, EnvVarPrefix, v.Name)}
	}
	var val cty.Value
	switch {
	case g.isRaw && v.parseLiteral():
		// Converted below: for a number or bool that is what Terraform does
		// too, so "--var n=abc" says "a number is required" rather than
		// complaining about an HCL variable reference.
		val = cty.StringVal(g.raw)
	case g.isRaw:
		hint := fmt.Sprintf("Hint: the value of var.%s from %s is read as an HCL expression because its type is %s, so strings inside it need quotes, e.g. [\"a\", \"b\"].", v.Name, g.source, typeexpr.TypeString(v.Type))
		if diags := checkNumberLiterals([]byte(g.raw), g.rng.Filename); diags.HasErrors() {
			return cty.DynamicVal, diags
		}
		expr, diags := hclsyntax.ParseExpression([]byte(g.raw), g.rng.Filename, hcl.InitialPos)
		if diags.HasErrors() {
			return cty.DynamicVal, addHint(diags, hint)
		}
		val, diags = expr.Value(nil)
		if diags.HasErrors() {
			return cty.DynamicVal, addHint(diags, hint)
		}
	default:
		var diags hcl.Diagnostics
		val, diags = g.expr.Value(nil)
		if diags.HasErrors() {
			return cty.DynamicVal, diags
		}
	}
	if v.Sensitive {
		set.addValue(val)
	}
	if err := checkValue(val); err != nil {
		// Before the conversion: a number given as text is parsed there.
		return cty.DynamicVal, hcl.Diagnostics{errorf(g.rng, "Value too large",
			"The value of var.%s from %s is too large: %s. %s.", v.Name, g.source, err, limitsHint)}
	}
	conv, err := v.convert(val)
	if err == nil {
		err = checkValue(conv)
	}
	if err != nil {
		return cty.DynamicVal, hcl.Diagnostics{errorf(g.rng, "Invalid value for variable",
			"The value of var.%s from %s is not a valid %s: %s. Hint: fix the value or the variable's type.",
			v.Name, g.source, typeexpr.TypeString(v.Type), formatConvertError(err))}
	}
	return conv, nil
}

// rawValue wraps a --var or environment value in a pseudo-file registered
// with the parser, so that diagnostics about it have a range and the CLI
// can show the text as a snippet, like Terraform's "<value for var.x>".
func rawValue(p *hclparse.Parser, name, raw, source string) *varValue {
	filename := fmt.Sprintf("<value for var.%s from %s>", name, source)
	p.AddFile(filename, &hcl.File{Body: hcl.EmptyBody(), Bytes: []byte(raw)})
	return &varValue{raw: raw, isRaw: true, source: source, rng: textRange(filename, raw)}
}

// textRange is the range covering all of text, as if it were a file.
func textRange(filename, text string) hcl.Range {
	end := hcl.Pos{Line: 1, Column: 1, Byte: len(text)}
	for _, r := range text {
		if r == '\n' {
			end.Line++
			end.Column = 1
		} else {
			end.Column++
		}
	}
	return hcl.Range{Filename: filename, Start: hcl.InitialPos, End: end}
}

// readVarFile parses a --var-file: HCL attributes only, name = value.
// Its path is relative to the working directory, like Terraform's.
func readVarFile(p *hclparse.Parser, path string) ([]*hcl.Attribute, hcl.Diagnostics) {
	if _, err := os.Stat(path); err != nil {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Variable file not found",
			Detail:   fmt.Sprintf("The --var-file %q cannot be read: %v. Hint: the path is relative to the current directory, not to the configuration directory.", path, err),
		}}
	}
	f, diags := parseHCLFile(p, path)
	if f == nil || diags.HasErrors() {
		return nil, diags
	}
	// The configuration files' rule, so that a var file says the same.
	if more := checkMulOps(f.Body); more.HasErrors() {
		return nil, append(diags, more...)
	}
	sb, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil, diags
	}
	for _, b := range sb.Blocks {
		diags = append(diags, errorf(b.TypeRange, "Unexpected block in variable file",
			"A --var-file holds only lines of the form name = value; %q blocks are not allowed here.", b.Type))
	}
	attrs, _ := f.Body.JustAttributes() // blocks were reported above
	return sortedHCLAttributes(attrs), diags
}

// addHint appends a hint to the detail of each error in diags.
func addHint(diags hcl.Diagnostics, hint string) hcl.Diagnostics {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			d.Detail = strings.TrimSpace(d.Detail + " " + hint)
		}
	}
	return diags
}

// convertValue is convert.Convert(val, ty), in linear time for a list, set
// or map of a primitive type given as a tuple or object (a variable of
// 100,000 follows). go-cty converts a tuple to a list by unifying the
// element types, comparing them pairwise: 55 µs a follow at 1,000, 167 µs
// at 20,000. When every element converts to the element type on its own,
// the result is the same collection, built directly. Anything else — an
// element that does not convert, unknown or marked values, nested or
// dynamic types — takes go-cty's way, so its results and messages are
// unchanged (for a very large collection, an element that does not convert
// is reported here, since go-cty's way would take minutes).
func convertValue(val cty.Value, ty cty.Type) (cty.Value, error) {
	if out, ok, err := convertCollection(val, ty); ok {
		return out, err
	}
	return convert.Convert(val, ty)
}

// slowConvertMax is the largest collection whose element errors go-cty
// reports (quadratic in the element count, but exact in wording).
const slowConvertMax = 1000

func convertCollection(val cty.Value, ty cty.Type) (cty.Value, bool, error) {
	if !(ty.IsListType() || ty.IsSetType() || ty.IsMapType()) || !ty.ElementType().IsPrimitiveType() {
		return cty.NilVal, false, nil
	}
	vt := val.Type()
	if val.IsMarked() || !val.IsKnown() || val.IsNull() {
		return cty.NilVal, false, nil
	}
	et := ty.ElementType()
	switch {
	case ty.IsMapType() && (vt.IsObjectType() || vt.IsMapType()):
		if val.LengthInt() == 0 {
			return cty.MapValEmpty(et), true, nil
		}
		elems := make(map[string]cty.Value, val.LengthInt())
		for it := val.ElementIterator(); it.Next(); {
			k, e := it.Element()
			c, ok, err := convertElement(e, et, k, val.LengthInt())
			if !ok {
				return cty.NilVal, err != nil, err
			}
			elems[k.AsString()] = c
		}
		return cty.MapVal(elems), true, nil
	case (ty.IsListType() || ty.IsSetType()) && (vt.IsTupleType() || vt.IsListType() || vt.IsSetType()):
		if val.LengthInt() == 0 {
			if ty.IsListType() {
				return cty.ListValEmpty(et), true, nil
			}
			return cty.SetValEmpty(et), true, nil
		}
		elems := make([]cty.Value, 0, val.LengthInt())
		for it := val.ElementIterator(); it.Next(); {
			k, e := it.Element()
			c, ok, err := convertElement(e, et, k, val.LengthInt())
			if !ok {
				return cty.NilVal, err != nil, err
			}
			elems = append(elems, c)
		}
		if ty.IsListType() {
			return cty.ListVal(elems), true, nil
		}
		if slices.ContainsFunc(elems, cty.Value.IsNull) {
			return cty.NilVal, false, nil // go-cty decides what a null in a set means
		}
		return cty.SetVal(elems), true, nil
	}
	return cty.NilVal, false, nil
}

// convertElement converts one element; ok false with a nil error hands the
// whole collection back to go-cty.
func convertElement(e cty.Value, et cty.Type, key cty.Value, n int) (cty.Value, bool, error) {
	if e.IsMarked() || !e.IsKnown() {
		return cty.NilVal, false, nil
	}
	if e.Type().Equals(et) {
		return e, true, nil
	}
	if !e.Type().IsPrimitiveType() && e.Type() != cty.DynamicPseudoType {
		if n <= slowConvertMax {
			return cty.NilVal, false, nil
		}
		return cty.NilVal, false, cty.Path{cty.IndexStep{Key: key}}.NewErrorf("%s required, but have %s", et.FriendlyName(), e.Type().FriendlyName())
	}
	c, err := convert.Convert(e, et)
	if err != nil {
		if n <= slowConvertMax {
			return cty.NilVal, false, nil
		}
		return cty.NilVal, false, cty.Path{cty.IndexStep{Key: key}}.NewError(err)
	}
	return c, true, nil
}
