package schema

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// resolvePath makes a path written in the config relative to the config
// directory, so that a config means the same wherever mkctl runs from.
func resolvePath(dir, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(dir, p)
}

// readConfigFile reads a file named in the config as UTF-8 text. Its
// errors are written for a person: they name the path tried.
func readConfigFile(dir, p string, log *ReadLog) (string, error) {
	full := resolvePath(dir, p)
	b, err := readLimitedFile(full)
	if err == nil {
		log.addBytes(ReadFile, dir, full, b)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", fmt.Errorf("no file exists at %q: looked for %s. Hint: relative paths start at the configuration directory %s", p, full, dir)
	case errors.Is(err, errNotRegular):
		return "", fmt.Errorf("%w. Hint: file() and templatefile() read only regular files; a device or a pipe could be read forever", err)
	case errors.Is(err, errTooBig):
		return "", fmt.Errorf("%w. Hint: profile and note text is at most a few thousand characters; point at the text itself", err)
	case err != nil:
		return "", fmt.Errorf("cannot read %s: %w", full, err)
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("%s is not UTF-8 text. Hint: profile text must be UTF-8; convert the file", full)
	}
	return string(b), nil
}

func fileFunc(dir string, log *ReadLog) function.Function {
	return function.New(&function.Spec{
		Description: "Reads a UTF-8 text file; relative paths start at the configuration directory.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := readConfigFile(dir, args[0].AsString(), log)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			return cty.StringVal(s), nil
		},
	})
}

func fileExistsFunc(dir string) function.Function {
	return function.New(&function.Spec{
		Description: "Whether a file exists; relative paths start at the configuration directory.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			full := resolvePath(dir, args[0].AsString())
			info, err := os.Stat(full)
			switch {
			case errors.Is(err, fs.ErrNotExist):
				return cty.False, nil
			case err != nil:
				return cty.NilVal, function.NewArgErrorf(0, "cannot check %s: %s", full, err)
			}
			// file() would refuse a directory, a device or a pipe;
			// saying "yes, it exists" would only move the error. (A file
			// too big to read does exist: file() says why it refuses it.)
			if err := checkRegular(full, info); errors.Is(err, errNotRegular) {
				return cty.NilVal, function.NewArgErrorf(0, "%s. Hint: file() and templatefile() read only regular files", err)
			}
			return cty.True, nil
		},
	})
}

// templateFileFunc renders a file as an HCL template (${...} and %{...})
// with vars as its only variables, like Terraform's templatefile.
func templateFileFunc(dir string, log *ReadLog, funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Description: "Renders a template file with the given variables; relative paths start at the configuration directory.",
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			path := args[0].AsString()
			src, err := readConfigFile(dir, path, log)
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			vars, err := templateVars(args[1])
			if err != nil {
				return cty.NilVal, function.NewArgError(1, err)
			}
			full := resolvePath(dir, path)
			expr, diags := hclsyntax.ParseTemplate([]byte(src), full, hcl.InitialPos)
			if diags.HasErrors() {
				return cty.NilVal, function.NewArgErrorf(0, "the template has errors: %s", diagsText(diags))
			}
			for _, tr := range expr.Variables() {
				if _, ok := vars[tr.RootName()]; !ok {
					r := tr.SourceRange()
					return cty.NilVal, function.NewArgErrorf(1, "vars has no key %q, which the template uses at %s:%d,%d. Hint: add %s = ... to the vars object",
						tr.RootName(), filepath.ToSlash(r.Filename), r.Start.Line, r.Start.Column, tr.RootName())
				}
			}
			val, diags := expr.Value(&hcl.EvalContext{Variables: vars, Functions: funcs})
			if diags.HasErrors() {
				return cty.NilVal, fmt.Errorf("rendering %s failed: %s", full, diagsText(diags))
			}
			if val.IsNull() {
				return cty.NilVal, fmt.Errorf("the template %s rendered null", full)
			}
			str, err := convert.Convert(val, cty.String)
			if err != nil {
				return cty.NilVal, fmt.Errorf("the template %s rendered %s, not text: %s", full, friendlyTypeName(val.Type()), err)
			}
			return str, nil
		},
	})
}

func templateVars(v cty.Value) (map[string]cty.Value, error) {
	ty := v.Type()
	if v.IsNull() || !(ty.IsObjectType() || ty.IsMapType()) {
		return nil, fmt.Errorf("vars must be an object such as { name = \"value\" }; got %s", describeValue(v))
	}
	out := map[string]cty.Value{}
	for it := v.ElementIterator(); it.Next(); {
		k, val := it.Element()
		name := k.AsString()
		if !hclsyntax.ValidIdentifier(name) {
			return nil, fmt.Errorf("vars key %q cannot be used in a template: names are letters, digits, underscores and dashes", name)
		}
		out[name] = val
	}
	return out, nil
}

var noRecursiveTemplateFunc = function.New(&function.Spec{
	Description: "Not available inside a template.",
	Params: []function.Parameter{
		{Name: "path", Type: cty.String},
		{Name: "vars", Type: cty.DynamicPseudoType},
	},
	Type: func([]cty.Value) (cty.Type, error) {
		return cty.NilType, errors.New("templatefile cannot be called from inside a template. Hint: render the inner template in the config and pass the result in vars")
	},
})

// diagsText renders diagnostics on one line for a function error message.
func diagsText(diags hcl.Diagnostics) string {
	var parts []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		s := d.Summary
		if d.Detail != "" {
			s += ": " + d.Detail
		}
		if d.Subject != nil {
			s = posString(*d.Subject) + ": " + s
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}
