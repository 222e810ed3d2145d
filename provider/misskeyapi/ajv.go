package misskeyapi

import (
	"fmt"
	"math"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reproduces the order in which Ajv 8 (allErrors: false,
// useDefaults: true) evaluates a schema, because Misskey reports only the
// first error and its schema path is part of the API answer:
//
//  1. "type" — checked up front, unless the schema has a single type
//     number/string/array/object and keywords of that type's group; then
//     the type error comes from that group (after the untyped keywords).
//  2. untyped keywords: const, enum, not, anyOf, oneOf, allOf, if/then/else.
//  3. the groups number (maximum, minimum, exclusive*, multipleOf),
//     string (maxLength, minLength, pattern, format),
//     array (maxItems, minItems, uniqueItems, items),
//     object (defaults, maxProperties, minProperties, required,
//     additionalProperties, properties) — each only for data of its type.
//
// Inside anyOf/oneOf/not/if ("composite rules") defaults are not applied.

type vErr struct{ path, msg string }

var misskeyID = regexp.MustCompile(`^[a-zA-Z0-9]+$`)

func (s *Schema) validate(data any, path string, composite bool) []vErr {
	if s == nil {
		return nil
	}
	if s.Bool != nil {
		if *s.Bool {
			return nil
		}
		return []vErr{{path + "/false schema", "boolean schema is false"}}
	}

	deferred := ""
	if len(s.Types) == 1 && s.hasGroup(s.Types[0]) {
		deferred = s.Types[0]
	}
	if len(s.Types) > 0 && deferred == "" && !matchesAnyType(data, s.Types) {
		return s.typeError(path)
	}

	if errs := s.untyped(data, path, composite); len(errs) > 0 {
		return errs
	}

	for _, group := range []string{"number", "string", "array", "object"} {
		if !s.hasGroup(group) {
			continue
		}
		if !isType(data, group) {
			if deferred == group {
				return s.typeError(path)
			}
			continue
		}
		var errs []vErr
		switch group {
		case "number":
			errs = s.numberKeywords(data.(float64), path)
		case "string":
			errs = s.stringKeywords(data.(string), path)
		case "array":
			errs = s.arrayKeywords(data.([]any), path, composite)
		case "object":
			errs = s.objectKeywords(data.(map[string]any), path, composite)
		}
		if len(errs) > 0 {
			return errs
		}
	}
	return nil
}

func (s *Schema) typeError(path string) []vErr {
	// Ajv's message is `must be ${schema.type}`. Misskey writes a nullable
	// parameter as {type: "string", nullable: true}: Ajv accepts null
	// because of `nullable` but names only the schema's own type, so a real
	// server answers "must be string". api.json, an OpenAPI 3.1 document,
	// writes the same parameter as type ["string", "null"]: "null" is
	// dropped here to give the server's message (checked against the real
	// server by testdata/ajv-corpus.json).
	types := s.Types
	if len(types) > 1 {
		types = slices.DeleteFunc(slices.Clone(types), func(t string) bool { return t == "null" })
	}
	return []vErr{{path + "/type", "must be " + strings.Join(types, ",")}}
}

// hasGroup reports whether the schema has keywords of a type group (Ajv's
// shouldUseGroup). "integer", "boolean" and "null" have no group.
func (s *Schema) hasGroup(group string) bool {
	switch group {
	case "number":
		return s.Minimum != nil || s.Maximum != nil || s.ExclusiveMinimum != nil || s.ExclusiveMaximum != nil || s.MultipleOf != nil || s.Format != ""
	case "string":
		return s.MinLength != nil || s.MaxLength != nil || s.Pattern != "" || s.Format != ""
	case "array":
		return s.MinItems != nil || s.MaxItems != nil || s.UniqueItems || s.Items != nil
	case "object":
		return s.Properties != nil || s.Required != nil || s.AdditionalProperties != nil || s.MinProperties != nil || s.MaxProperties != nil
	}
	return false
}

func (s *Schema) untyped(data any, path string, composite bool) []vErr {
	if s.HasConst && !jsonEqual(data, s.Const) {
		return []vErr{{path + "/const", "must be equal to constant"}}
	}
	if s.HasEnum && !slices.ContainsFunc(s.Enum, func(v any) bool { return jsonEqual(data, v) }) {
		return []vErr{{path + "/enum", "must be equal to one of the allowed values"}}
	}
	if s.Not != nil && len(s.Not.validate(data, path+"/not", true)) == 0 {
		return []vErr{{path + "/not", "must NOT be valid"}}
	}
	if s.AnyOf != nil {
		var all []vErr
		ok := false
		for i, sub := range s.AnyOf {
			errs := sub.validate(data, fmt.Sprintf("%s/anyOf/%d", path, i), true)
			if len(errs) == 0 {
				ok = true
				break
			}
			all = append(all, errs...)
		}
		if !ok {
			return append(all, vErr{path + "/anyOf", "must match a schema in anyOf"})
		}
	}
	if s.OneOf != nil {
		var all []vErr
		passing := 0
		for i, sub := range s.OneOf {
			errs := sub.validate(data, fmt.Sprintf("%s/oneOf/%d", path, i), true)
			if len(errs) == 0 {
				passing++
				if passing > 1 {
					break // Ajv stops at the second passing branch
				}
				continue
			}
			all = append(all, errs...)
		}
		if passing != 1 {
			// Errors of failing branches are kept even when two passed,
			// so the first reported error can be a branch's own.
			return append(all, vErr{path + "/oneOf", "must match exactly one schema in oneOf"})
		}
	}
	for i, sub := range s.AllOf {
		if errs := sub.validate(data, fmt.Sprintf("%s/allOf/%d", path, i), composite); len(errs) > 0 {
			return errs
		}
	}
	if s.If != nil && (s.Then != nil || s.Else != nil) {
		ifOK := len(s.If.validate(data, path+"/if", true)) == 0
		clause, name := s.Then, "then"
		if !ifOK {
			clause, name = s.Else, "else"
		}
		if clause != nil {
			if errs := clause.validate(data, path+"/"+name, composite); len(errs) > 0 {
				return append(errs, vErr{path + "/if", `must match "` + name + `" schema`})
			}
		}
	}
	return nil
}

func (s *Schema) numberKeywords(n float64, path string) []vErr {
	switch {
	case s.Maximum != nil && !(n <= *s.Maximum):
		return []vErr{{path + "/maximum", "must be <= " + jsNumber(*s.Maximum)}}
	case s.Minimum != nil && !(n >= *s.Minimum):
		return []vErr{{path + "/minimum", "must be >= " + jsNumber(*s.Minimum)}}
	case s.ExclusiveMaximum != nil && !(n < *s.ExclusiveMaximum):
		return []vErr{{path + "/exclusiveMaximum", "must be < " + jsNumber(*s.ExclusiveMaximum)}}
	case s.ExclusiveMinimum != nil && !(n > *s.ExclusiveMinimum):
		return []vErr{{path + "/exclusiveMinimum", "must be > " + jsNumber(*s.ExclusiveMinimum)}}
	case s.MultipleOf != nil && !isMultiple(n, *s.MultipleOf):
		return []vErr{{path + "/multipleOf", "must be multiple of " + jsNumber(*s.MultipleOf)}}
	}
	return nil
}

func isMultiple(n, m float64) bool {
	q := n / m
	return q == math.Trunc(q)
}

func (s *Schema) stringKeywords(str string, path string) []vErr {
	// Ajv counts characters with ucs2length (option unicode defaults to
	// true): code points, so an astral character such as an emoji counts
	// once, not twice as JavaScript's String.length would.
	n := utf8.RuneCountInString(str)
	switch {
	case s.MaxLength != nil && n > *s.MaxLength:
		return []vErr{{path + "/maxLength", fmt.Sprintf("must NOT have more than %d characters", *s.MaxLength)}}
	case s.MinLength != nil && n < *s.MinLength:
		return []vErr{{path + "/minLength", fmt.Sprintf("must NOT have fewer than %d characters", *s.MinLength)}}
	case s.pattern != nil && !s.pattern.MatchString(str):
		// Ajv quotes the pattern as it is, without escaping (a real
		// server answers `must match pattern "[^\s]+"`).
		return []vErr{{path + "/pattern", `must match pattern "` + s.Pattern + `"`}}
	case s.Format == "misskey:id" && !misskeyID.MatchString(str):
		return []vErr{{path + "/format", `must match format "misskey:id"`}}
	}
	// Other formats (date-time, url, …) are not checked: Misskey registers
	// only misskey:id, and api.json uses no other.
	return nil
}

func (s *Schema) arrayKeywords(arr []any, path string, composite bool) []vErr {
	switch {
	case s.MaxItems != nil && len(arr) > *s.MaxItems:
		return []vErr{{path + "/maxItems", fmt.Sprintf("must NOT have more than %d items", *s.MaxItems)}}
	case s.MinItems != nil && len(arr) < *s.MinItems:
		return []vErr{{path + "/minItems", fmt.Sprintf("must NOT have fewer than %d items", *s.MinItems)}}
	}
	if s.UniqueItems {
		if i, j, dup := s.duplicate(arr); dup {
			return []vErr{{path + "/uniqueItems", fmt.Sprintf("must NOT have duplicate items (items ## %d and %d are identical)", j, i)}}
		}
	}
	if s.Items != nil {
		for _, el := range arr {
			if errs := s.Items.validate(el, path+"/items", composite); len(errs) > 0 {
				return errs
			}
		}
	}
	return nil
}

// duplicate finds two equal items the way Ajv's uniqueItems does, returning
// Ajv's error params i and j. When the item schema names only scalar types
// Ajv walks backwards with a lookup table (skipping items of other types) and
// j is the later index; otherwise it compares pairs and j is the earlier one.
func (s *Schema) duplicate(arr []any) (i, j int, dup bool) {
	var itemTypes []string
	if s.Items != nil {
		itemTypes = s.Items.Types
	}
	scalar := len(itemTypes) > 0 && !slices.Contains(itemTypes, "object") && !slices.Contains(itemTypes, "array")
	if scalar {
		seen := map[string]int{}
		for i := len(arr) - 1; i >= 0; i-- {
			item := arr[i]
			if !matchesAnyType(item, itemTypes) {
				continue
			}
			key := scalarKey(item, len(itemTypes) > 1)
			if j, ok := seen[key]; ok {
				return i, j, true
			}
			seen[key] = i
		}
		return 0, 0, false
	}
	for i := len(arr) - 1; i >= 0; i-- {
		for j := i - 1; j >= 0; j-- {
			if jsonEqual(arr[i], arr[j]) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

// scalarKey is the property name JavaScript would use for item in a plain
// object; with several item types Ajv appends "_" to strings to keep "1"
// and 1 apart.
func scalarKey(item any, mixed bool) string {
	switch v := item.(type) {
	case string:
		if mixed {
			return v + "_"
		}
		return v
	case float64:
		return jsNumber(v)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return "null"
	}
	return fmt.Sprint(item)
}

func (s *Schema) objectKeywords(obj map[string]any, path string, composite bool) []vErr {
	if !composite {
		for _, p := range s.Properties {
			if _, present := obj[p.Name]; !present && p.Schema.HasDefault {
				obj[p.Name] = deepCopy(p.Schema.Default)
			}
		}
	}
	switch {
	case s.MaxProperties != nil && len(obj) > *s.MaxProperties:
		return []vErr{{path + "/maxProperties", fmt.Sprintf("must NOT have more than %d properties", *s.MaxProperties)}}
	case s.MinProperties != nil && len(obj) < *s.MinProperties:
		return []vErr{{path + "/minProperties", fmt.Sprintf("must NOT have fewer than %d properties", *s.MinProperties)}}
	}
	for _, r := range s.Required {
		if _, present := obj[r]; !present {
			return []vErr{{path + "/required", fmt.Sprintf("must have required property '%s'", r)}}
		}
	}
	if ap := s.AdditionalProperties; ap != nil && !(ap.Bool != nil && *ap.Bool) {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			if _, known := s.Property(k); !known {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys) // JS would use insertion order, which a Go map loses
		for _, k := range keys {
			if ap.Bool != nil {
				return []vErr{{path + "/additionalProperties", "must NOT have additional properties"}}
			}
			if errs := ap.validate(obj[k], path+"/additionalProperties", composite); len(errs) > 0 {
				return errs
			}
		}
	}
	for _, p := range s.Properties {
		v, present := obj[p.Name]
		if !present {
			continue
		}
		if errs := p.Schema.validate(v, path+"/properties/"+escapeFragment(p.Name), composite); len(errs) > 0 {
			return errs
		}
	}
	return nil
}

// escapeFragment is Ajv's escapeFragment: a JSON pointer token, URI-encoded.
func escapeFragment(s string) string {
	s = strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
	// encodeURIComponent leaves A-Z a-z 0-9 - _ . ! ~ * ' ( ) alone.
	esc := url.QueryEscape(s)
	esc = strings.ReplaceAll(esc, "+", "%20")
	for _, c := range []string{"!", "*", "'", "(", ")"} {
		esc = strings.ReplaceAll(esc, url.QueryEscape(c), c)
	}
	return esc
}

func isType(data any, t string) bool {
	switch t {
	case "string":
		_, ok := data.(string)
		return ok
	case "number":
		n, ok := data.(float64)
		return ok && !math.IsInf(n, 0) && !math.IsNaN(n)
	case "integer":
		n, ok := data.(float64)
		return ok && n == math.Trunc(n) && !math.IsInf(n, 0)
	case "boolean":
		_, ok := data.(bool)
		return ok
	case "null":
		return data == nil
	case "array":
		_, ok := data.([]any)
		return ok
	case "object":
		_, ok := data.(map[string]any)
		return ok
	}
	return false
}

func matchesAnyType(data any, types []string) bool {
	return slices.ContainsFunc(types, func(t string) bool { return isType(data, t) })
}

// jsonEqual is deep equality of decoded JSON values (fast-deep-equal).
func jsonEqual(a, b any) bool { return reflect.DeepEqual(a, b) }

func deepCopy(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		a := make([]any, len(x))
		for i, e := range x {
			a[i] = deepCopy(e)
		}
		return a
	}
	return v
}

// jsNumber formats a number the way JavaScript's String(n) does for the
// values schemas use.
func jsNumber(n float64) string {
	if n == math.Trunc(n) && math.Abs(n) < 1e21 {
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	return strconv.FormatFloat(n, 'g', -1, 64)
}
