package schema

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// convertValue's linear path gives what go-cty's conversion gives.
func TestConvertValueMatchesCty(t *testing.T) {
	s, n := cty.StringVal, cty.NumberIntVal
	for _, tc := range []struct {
		v  cty.Value
		ty cty.Type
	}{
		{cty.TupleVal([]cty.Value{s("a"), s("b")}), cty.List(cty.String)},
		{cty.TupleVal([]cty.Value{s("b"), s("a"), s("b")}), cty.Set(cty.String)},
		{cty.TupleVal([]cty.Value{n(1), s("a")}), cty.List(cty.String)},
		{cty.TupleVal([]cty.Value{s("1"), n(2)}), cty.List(cty.Number)},
		{cty.TupleVal([]cty.Value{s("true"), cty.False}), cty.List(cty.Bool)},
		{cty.TupleVal([]cty.Value{s("a"), cty.NullVal(cty.DynamicPseudoType)}), cty.List(cty.String)},
		{cty.TupleVal([]cty.Value{s("a"), cty.NullVal(cty.String)}), cty.Set(cty.String)},
		{cty.EmptyTupleVal, cty.List(cty.String)},
		{cty.EmptyTupleVal, cty.Set(cty.Number)},
		{cty.ObjectVal(map[string]cty.Value{"x": s("1"), "y": n(2)}), cty.Map(cty.Number)},
		{cty.EmptyObjectVal, cty.Map(cty.String)},
		{cty.ListVal([]cty.Value{s("a")}), cty.Set(cty.String)},
		{cty.SetVal([]cty.Value{s("b"), s("a")}), cty.List(cty.String)},
		// Errors keep go-cty's wording.
		{cty.TupleVal([]cty.Value{n(1), cty.True}), cty.List(cty.Number)},
		{cty.TupleVal([]cty.Value{s("a"), s("x")}), cty.List(cty.Number)},
		{cty.TupleVal([]cty.Value{s("a"), cty.EmptyObjectVal}), cty.List(cty.String)},
		{cty.TupleVal([]cty.Value{s("a"), cty.UnknownVal(cty.String)}), cty.List(cty.String)},
		{cty.TupleVal([]cty.Value{s("a").Mark("m")}), cty.List(cty.String)},
	} {
		want, werr := convert.Convert(tc.v, tc.ty)
		got, gerr := convertValue(tc.v, tc.ty)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Errorf("%#v to %#v: error %v, want %v", tc.v, tc.ty, gerr, werr)
			continue
		}
		if werr == nil && !got.RawEquals(want) {
			t.Errorf("%#v to %#v: %#v, want %#v", tc.v, tc.ty, got, want)
		}
	}
}

// Past slowConvertMax elements an element that does not convert is named
// by its index, without go-cty's quadratic unification.
func TestConvertValueLargeError(t *testing.T) {
	elems := make([]cty.Value, 5000)
	for i := range elems {
		elems[i] = cty.StringVal("x")
	}
	elems[4321] = cty.EmptyObjectVal
	_, err := convertValue(cty.TupleVal(elems), cty.List(cty.String))
	if err == nil || formatConvertError(err) != "at [4321]: string required, but have object" {
		t.Fatalf("err = %v", err)
	}
}
