package schema

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// functions is the function table of a configuration in dir: Terraform's
// common pure functions plus file, fileexists and templatefile, which
// read paths relative to dir. Nothing here depends on the time or on
// randomness, so two plans of the same config always agree.
func functions(dir string) map[string]function.Function { return functionsLogged(dir, nil) }

// functionsLogged is functions whose file() and templatefile() record
// what they read in log (nil: nothing recorded).
func functionsLogged(dir string, log *ReadLog) map[string]function.Function {
	fs := map[string]function.Function{
		// strings
		"chomp":       stdlib.ChompFunc,
		"endswith":    endsWithFunc,
		"format":      stdlib.FormatFunc,
		"formatlist":  stdlib.FormatListFunc,
		"indent":      stdlib.IndentFunc,
		"join":        stdlib.JoinFunc,
		"lower":       stdlib.LowerFunc,
		"regex":       stdlib.RegexFunc,
		"regexall":    stdlib.RegexAllFunc,
		"replace":     replaceFunc,
		"split":       stdlib.SplitFunc,
		"startswith":  startsWithFunc,
		"strcontains": strContainsFunc,
		"strrev":      stdlib.ReverseFunc,
		"substr":      stdlib.SubstrFunc,
		"title":       stdlib.TitleFunc,
		"trim":        stdlib.TrimFunc,
		"trimprefix":  stdlib.TrimPrefixFunc,
		"trimspace":   stdlib.TrimSpaceFunc,
		"trimsuffix":  stdlib.TrimSuffixFunc,
		"upper":       stdlib.UpperFunc,

		// collections
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        stdlib.CoalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"keys":            stdlib.KeysFunc,
		"length":          lengthFunc,
		"lookup":          stdlib.LookupFunc,
		"merge":           stdlib.MergeFunc,
		"range":           stdlib.RangeFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      stdlib.SetProductFunc,
		"setsubtract":     stdlib.SetSubtractFunc,
		"setunion":        stdlib.SetUnionFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,

		// numbers
		"abs":      stdlib.AbsoluteFunc,
		"ceil":     stdlib.CeilFunc,
		"floor":    stdlib.FloorFunc,
		"log":      stdlib.LogFunc,
		"max":      stdlib.MaxFunc,
		"min":      stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc,
		"pow":      stdlib.PowFunc,
		"signum":   stdlib.SignumFunc,

		// encoding and conversion
		"base64decode": base64DecodeFunc,
		"base64encode": base64EncodeFunc,
		"csvdecode":    stdlib.CSVDecodeFunc,
		"jsondecode":   stdlib.JSONDecodeFunc,
		"jsonencode":   stdlib.JSONEncodeFunc,
		"urlencode":    urlEncodeFunc,
		"tobool":       stdlib.MakeToFunc(cty.Bool),
		"tolist":       stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":        stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber":     stdlib.MakeToFunc(cty.Number),
		"toset":        stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring":     stdlib.MakeToFunc(cty.String),

		// dates, computed from their arguments only
		"formatdate": stdlib.FormatDateFunc,
		"timeadd":    stdlib.TimeAddFunc,

		// errors
		"can": tryfunc.CanFunc,
		"try": tryfunc.TryFunc,

		// files
		"file":       fileFunc(dir, log),
		"fileexists": fileExistsFunc(dir),
	}
	// Every function's arguments and result are bounded (limits.go); can
	// and try take unevaluated expressions, whose results are bounded
	// where they are used.
	for name, f := range fs {
		if name == "can" || name == "try" {
			continue
		}
		fs[name] = limitFunc(f, predictors[name])
	}
	// templatefile renders with every other function but itself: a
	// template cannot include another template (as in Terraform).
	inner := make(map[string]function.Function, len(fs))
	for k, v := range fs {
		inner[k] = v
	}
	inner["templatefile"] = noRecursiveTemplateFunc
	fs["templatefile"] = limitFunc(templateFileFunc(dir, log, inner), nil)
	return fs
}

// FunctionNames lists the functions a configuration may call, sorted.
func FunctionNames() []string {
	return sortedKeys(functions("."))
}

// lengthFunc is Terraform's length: the number of elements of a
// collection, or of characters (grapheme clusters) of a string.
var lengthFunc = function.New(&function.Spec{
	Description: "Returns the number of elements of a collection or characters of a string.",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowDynamicType: true,
		AllowUnknown:     true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty == cty.String, ty == cty.DynamicPseudoType,
			ty.IsListType(), ty.IsSetType(), ty.IsMapType(), ty.IsTupleType(), ty.IsObjectType():
			return cty.Number, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "length needs a string, a list, a set or a map; got %s", friendlyTypeName(ty))
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		if v.Type() == cty.String {
			return stdlib.Strlen(v)
		}
		return v.Length(), nil
	},
})

// replaceFunc is Terraform's replace: a search string written /like this/
// is a regular expression.
var replaceFunc = function.New(&function.Spec{
	Description: "Replaces each occurrence of substring (or of regular expression /re/) in string.",
	Params: []function.Parameter{
		{Name: "string", Type: cty.String},
		{Name: "substring", Type: cty.String},
		{Name: "replacement", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, substr, repl := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(substr) > 1 && strings.HasPrefix(substr, "/") && strings.HasSuffix(substr, "/") {
			re, err := regexp.Compile(substr[1 : len(substr)-1])
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(1, "invalid regular expression %s: %s", substr, err)
			}
			// The result is at most the text plus, per match, the
			// replacement with every $n expanded to the whole match.
			matches := re.FindAllStringIndex(str, -1)
			longest := 0
			for _, m := range matches {
				longest = max(longest, m[1]-m[0])
			}
			per := len(repl) + strings.Count(repl, "$")*longest
			if err := predictString(len(str) + len(matches)*per); err != nil {
				return cty.NilVal, function.NewArgError(2, fmt.Errorf("%w. %s", err, limitsHint))
			}
			return cty.StringVal(re.ReplaceAllString(str, repl)), nil
		}
		n := strings.Count(str, substr) // len+1 for an empty substring
		if err := predictString(len(str) + n*len(repl)); err != nil {
			return cty.NilVal, function.NewArgError(2, fmt.Errorf("%w. %s", err, limitsHint))
		}
		return cty.StringVal(strings.ReplaceAll(str, substr, repl)), nil
	},
})

func stringPredicate(desc string, f func(s, sub string) bool) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params: []function.Parameter{
			{Name: "string", Type: cty.String},
			{Name: "substring", Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(f(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

var (
	startsWithFunc  = stringPredicate("Whether string starts with substring.", strings.HasPrefix)
	endsWithFunc    = stringPredicate("Whether string ends with substring.", strings.HasSuffix)
	strContainsFunc = stringPredicate("Whether string contains substring.", strings.Contains)
)

func stringFunc(desc string, f func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params:      []function.Parameter{{Name: "string", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			out, err := f(args[0].AsString())
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			return cty.StringVal(out), nil
		},
	})
}

var (
	base64EncodeFunc = stringFunc("Encodes string in Base64.", func(s string) (string, error) {
		return base64.StdEncoding.EncodeToString([]byte(s)), nil
	})
	base64DecodeFunc = stringFunc("Decodes a Base64 string holding UTF-8 text.", func(s string) (string, error) {
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return "", fmt.Errorf("not valid Base64: %w", err)
		}
		if !utf8.Valid(b) {
			return "", fmt.Errorf("the decoded bytes are not UTF-8 text")
		}
		return string(b), nil
	})
	urlEncodeFunc = stringFunc("Escapes string for use in a URL query.", func(s string) (string, error) {
		return url.QueryEscape(s), nil
	})
)
