package schema

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Limits on what an expression may produce. A configuration comes from a
// pull request as often as from its owner, and must not be able to exhaust
// the machine that validates it: a chain of locals that doubles a string
// reaches gigabytes in 30 steps, and printing 1e99999999 takes minutes.
// Every limit is far above anything a Misskey account can use (a
// description is 1,500 characters, an account has at most thousands of
// follows).
const (
	// MaxStringBytes bounds one string, like MaxFileBytes bounds a file.
	MaxStringBytes = 4 << 20
	// MaxValueBytes bounds all the strings of one value together.
	MaxValueBytes = 16 << 20
	// MaxElements bounds the elements of one value, nested ones included.
	MaxElements = 100_000
	// maxNumberExp bounds a number's binary exponent: ±2^1024 is the range
	// of a JSON number in Misskey (a JavaScript double). Converting a
	// number to text costs time linear in its exponent.
	maxNumberExp = 1024
	// maxMulOps bounds the * and / of one expression: each can add
	// maxNumberExp to a result's exponent before the value is checked.
	maxMulOps = 256
)

// limitError is why a value is over a limit, without a hint.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

func tooLarge(format string, args ...any) error {
	return &limitError{fmt.Sprintf(format, args...)}
}

// limitsHint ends every limit error; without a final period, as hcl adds
// one after a function's error.
const limitsHint = "Hint: mkctl bounds what an expression may produce (see \"Limits\" in the README); a value this large cannot be meant for a Misskey account"

// valueSize walks a value and stops as soon as a limit is exceeded, so the
// walk itself costs at most MaxElements steps even when a value shares one
// huge subvalue many times.
type valueSize struct {
	bytes, elems int
	nul          bool // a string (or key) holds U+0000; see findNUL
}

func (s *valueSize) add(v cty.Value) error {
	if !v.IsKnown() || v.IsNull() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return s.addString(v.AsString())
	case ty == cty.Number:
		return checkNumber(v.AsBigFloat())
	case ty.IsListType(), ty.IsSetType(), ty.IsTupleType(), ty.IsMapType(), ty.IsObjectType():
		n := v.LengthInt()
		s.elems += n
		if s.elems > MaxElements {
			return tooLarge("the value has more than %d elements", MaxElements)
		}
		keyed := ty.IsMapType() || ty.IsObjectType()
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			if keyed {
				if err := s.addString(k.AsString()); err != nil {
					return err
				}
			}
			if err := s.add(e); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *valueSize) addString(str string) error {
	if len(str) > MaxStringBytes {
		return tooLarge("a string of the value is %d bytes, more than %d MiB", len(str), MaxStringBytes>>20)
	}
	s.bytes += len(str)
	if s.bytes > MaxValueBytes {
		return tooLarge("the strings of the value add up to more than %d MiB", MaxValueBytes>>20)
	}
	s.nul = s.nul || strings.IndexByte(str, 0) >= 0
	return nil
}

// addSizes adds another value's walk to s, as if s had walked that value.
func (s *valueSize) addSizes(o valueSize) error {
	s.elems += o.elems
	if s.elems > MaxElements {
		return tooLarge("the value has more than %d elements", MaxElements)
	}
	s.bytes += o.bytes
	if s.bytes > MaxValueBytes {
		return tooLarge("the strings of the value add up to more than %d MiB", MaxValueBytes>>20)
	}
	return nil
}

// checkValue returns why v is too large, or nil.
func checkValue(v cty.Value) error {
	var s valueSize
	return s.add(v)
}

func checkNumber(f *big.Float) error {
	if f.IsInf() || f.Sign() == 0 {
		return nil
	}
	if exp := f.MantExp(nil); exp > maxNumberExp || exp < -maxNumberExp {
		return tooLarge("the number is beyond ±1e308 (or closer to 0 than 1e-308), the range of numbers Misskey reads")
	}
	return nil
}

// tooLargeDiag reports a value over a limit at the expression that made it.
func tooLargeDiag(expr hcl.Expression, ctx *hcl.EvalContext, err error) *hcl.Diagnostic {
	return valueError(expr, ctx, "Value too large", "%s. %s.", err, limitsHint)
}

// checkNumberLiterals refuses number literals outside the range numbers
// may have, before the file is parsed: hcl keeps a literal as a big.Float,
// and turning 1e99999999 into text later (a name = 1e99999999) would take
// minutes. It also refuses an expression with more than maxMulOps
// multiplications or divisions, through which bounded numbers could still
// multiply into an unbounded one inside one expression.
func checkNumberLiterals(src []byte, filename string) hcl.Diagnostics {
	if !mayHoldWideNumber(src) {
		return nil // no literal can be out of range: spare a second lexing
	}
	tokens, diags := hclsyntax.LexConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil // the parser reports these with more context
	}
	var out hcl.Diagnostics
	for _, tok := range tokens {
		if tok.Type != hclsyntax.TokenNumberLit {
			continue
		}
		f, _, err := big.ParseFloat(string(tok.Bytes), 10, 512, big.ToNearestEven)
		if err == nil {
			err = checkNumber(f)
		}
		if err != nil {
			text := string(tok.Bytes)
			if len(text) > 40 {
				text = text[:20] + "…" + text[len(text)-10:]
			}
			out = append(out, errorf(tok.Range, "Number out of range",
				"The number %s is out of range: numbers must lie within ±1e308 and be 0 or at least 1e-308 in size, the range of numbers Misskey reads. %s.", text, limitsHint))
		}
	}
	return out
}

// mayHoldWideNumber reports whether src could hold a number literal out of
// range. HCL writes an exponent right after a digit (1e9, 2.5E-3), so a
// literal without one is at most as wide as its digit runs: with no run
// longer than 300 digits it lies within ±1e300 and is 0 or at least 1e-300.
// Lexing the file a second time just to look at its numbers cost a third of
// loading 100,000 follows; a file that might hold a wide number (any "1e" in
// a string counts too) is still lexed.
func mayHoldWideNumber(src []byte) bool {
	run := 0
	for _, c := range src {
		switch {
		case c >= '0' && c <= '9':
			if run++; run > 300 {
				return true
			}
		case (c == 'e' || c == 'E') && run > 0:
			return true
		default:
			run = 0
		}
	}
	return false
}

// checkMulOps is the second half of checkNumberLiterals, on a parsed body.
// It walks the bodies and blocks itself and each attribute's expression
// once: hclsyntax.VisitAll from the body would also descend into every
// expression only to find no attribute there (expressions hold none), which
// doubled the walk, and the walk is proportional to the file: a list of
// 100,000 follows is 200,000 nodes.
func checkMulOps(body hcl.Body) hcl.Diagnostics {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	var diags hcl.Diagnostics
	var walk func(b *hclsyntax.Body)
	walk = func(b *hclsyntax.Body) {
		for _, attr := range b.Attributes {
			ops := 0
			_ = hclsyntax.VisitAll(attr.Expr, func(n hclsyntax.Node) hcl.Diagnostics {
				if op, ok := n.(*hclsyntax.BinaryOpExpr); ok && (op.Op == hclsyntax.OpMultiply || op.Op == hclsyntax.OpDivide) {
					ops++
				}
				return nil
			})
			if ops > maxMulOps {
				diags = append(diags, errorf(attr.Expr.Range(), "Expression too complex",
					"This expression has %d multiplications and divisions; at most %d are allowed, so that no number can grow beyond what can be printed. %s.", ops, maxMulOps, limitsHint))
			}
		}
		for _, block := range b.Blocks {
			walk(block.Body)
		}
	}
	walk(sb)
	return diags
}

// limitFunc wraps a function so that its arguments, together, and its
// result stay within the limits; predict, when not nil, refuses a call
// whose result would be too large before it is computed (join with a long
// separator, format with a huge width), because computing it would already
// exhaust memory. Errors name the argument when one is to blame, which hcl
// turns into a diagnostic pointing at it.
func limitFunc(f function.Function, predict func(args []cty.Value, sizes []valueSize) error) function.Function {
	params := f.Params()
	spec := &function.Spec{
		Description: f.Description(),
		Params:      params,
		VarParam:    f.VarParam(),
		Type:        f.ReturnTypeForValues,
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			// Each argument is walked once; the totals of all of them
			// together are the sums of the walks.
			var total valueSize
			sizes := make([]valueSize, len(args))
			for i, a := range args {
				err := sizes[i].add(a)
				if err == nil {
					err = total.addSizes(sizes[i])
				}
				if err != nil {
					return cty.NilVal, function.NewArgError(i, fmt.Errorf("%w. %s", err, limitsHint))
				}
			}
			if predict != nil {
				if err := predict(args, sizes); err != nil {
					return cty.NilVal, fmt.Errorf("%w. %s", err, limitsHint)
				}
			}
			v, err := f.Call(args)
			if err != nil {
				return cty.NilVal, err
			}
			if err := checkValue(v); err != nil {
				return cty.NilVal, fmt.Errorf("the result is too large: %w. %s", err, limitsHint)
			}
			return v, nil
		},
	}
	return function.New(spec)
}

// predictions for the functions whose result can be far larger than their
// arguments.
var predictors = map[string]func(args []cty.Value, sizes []valueSize) error{
	// join(sep, lists...): the separator is repeated once per element.
	"join": func(args []cty.Value, sizes []valueSize) error {
		if !args[0].IsKnown() || args[0].IsNull() {
			return nil
		}
		sep := len(args[0].AsString())
		n, bytes := 0, 0
		for _, s := range sizes[1:] {
			n += s.elems
			bytes += s.bytes
		}
		return predictString(bytes + sep*n)
	},
	// format and formatlist: a width or precision pads the result.
	"format":     predictFormat,
	"formatlist": predictFormat,
	// indent(n, s): n spaces per line.
	"indent": func(args []cty.Value, _ []valueSize) error {
		if !args[0].IsKnown() || args[0].IsNull() || !args[1].IsKnown() || args[1].IsNull() {
			return nil
		}
		n, _ := args[0].AsBigFloat().Int64()
		s := args[1].AsString()
		if n < 0 {
			return nil // indent reports it
		}
		lines := int64(strings.Count(s, "\n"))
		if n > MaxStringBytes || n*lines+int64(len(s)) > MaxStringBytes {
			return tooLarge("the result would be more than %d MiB", MaxStringBytes>>20)
		}
		return nil
	},
	// setproduct: the product of the lengths.
	"setproduct": func(args []cty.Value, _ []valueSize) error {
		n := 1
		for _, a := range args {
			if !a.IsKnown() || a.IsNull() || !a.CanIterateElements() {
				return nil
			}
			n *= a.LengthInt()
			if n > MaxElements {
				return tooLarge("the product would have more than %d elements", MaxElements)
			}
		}
		return nil
	},
	// parseint of a long digit string is slow and its result out of range.
	"parseint": func(args []cty.Value, _ []valueSize) error {
		if args[0].IsKnown() && !args[0].IsNull() && args[0].Type() == cty.String && len(args[0].AsString()) > 1100 {
			return tooLarge("the number has more than 1,100 digits, beyond the range of numbers Misskey reads")
		}
		return nil
	},
}

func predictString(n int) error {
	if n > MaxStringBytes {
		return tooLarge("the result would be %d bytes, more than %d MiB", n, MaxStringBytes>>20)
	}
	return nil
}

// predictFormat adds up the widths and precisions written in the format
// (%10000000d) and the format's own length, once per element for
// formatlist.
func predictFormat(args []cty.Value, sizes []valueSize) error {
	if !args[0].IsKnown() || args[0].IsNull() || args[0].Type() != cty.String {
		return nil
	}
	format := args[0].AsString()
	per := len(format)
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		// The digits of a verb's flags, width and precision.
		j, num := i+1, 0
		for ; j < len(format) && strings.IndexByte("0123456789.+- #", format[j]) >= 0; j++ {
			if c := format[j]; c >= '0' && c <= '9' {
				num = num*10 + int(c-'0')
				if num > MaxStringBytes {
					return tooLarge("the format asks for a width or precision over %d MiB", MaxStringBytes>>20)
				}
			} else {
				per += num
				num = 0
			}
		}
		per += num
		i = j
	}
	n := 1
	for _, a := range args[1:] {
		if a.IsKnown() && !a.IsNull() && (a.Type().IsListType() || a.Type().IsTupleType()) {
			n = max(n, a.LengthInt())
		}
	}
	bytes := 0
	for _, s := range sizes[1:] {
		bytes += s.bytes
	}
	return predictString(per*n + bytes)
}
