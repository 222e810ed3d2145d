package misskeyapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
)

// Schema is one JSON schema of a request body, as api.json writes it. It
// holds the keywords Misskey's paramDefs use; Unknown lists any other keyword
// so that a test can notice when a new spec needs more of the validator.
//
// Properties keep the order of the document: Ajv checks them in that order,
// which decides which error is reported first.
type Schema struct {
	// Bool is set for the boolean schemas true and false.
	Bool *bool

	Types      []string // "type"; nil when absent
	typeIsList bool     // "type" was written as an array (affects the message)

	Properties           []Property
	Required             []string
	AdditionalProperties *Schema // nil when absent; a Bool schema for true/false
	MinProperties        *int
	MaxProperties        *int

	Items       *Schema
	MinItems    *int
	MaxItems    *int
	UniqueItems bool

	MinLength *int
	MaxLength *int
	Pattern   string
	Format    string

	Minimum          *float64
	Maximum          *float64
	ExclusiveMinimum *float64
	ExclusiveMaximum *float64
	MultipleOf       *float64

	Enum     []any
	HasEnum  bool
	Const    any
	HasConst bool

	Default    any
	HasDefault bool

	AllOf []*Schema
	AnyOf []*Schema
	OneOf []*Schema
	Not   *Schema
	If    *Schema
	Then  *Schema
	Else  *Schema

	Description string
	Unknown     []string // keywords this package does not interpret

	pattern *regexp.Regexp
}

// Property is one entry of "properties".
type Property struct {
	Name   string
	Schema *Schema
}

// Property finds a property schema by name.
func (s *Schema) Property(name string) (*Schema, bool) {
	for _, p := range s.Properties {
		if p.Name == name {
			return p.Schema, true
		}
	}
	return nil, false
}

// UnmarshalJSON decodes a schema, keeping the order of "properties".
func (s *Schema) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("true")) || bytes.Equal(data, []byte("false")) {
		b := data[0] == 't'
		s.Bool = &b
		return nil
	}
	var kw map[string]json.RawMessage
	if err := json.Unmarshal(data, &kw); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	for k, v := range kw {
		if err := s.keyword(k, v); err != nil {
			return fmt.Errorf("schema keyword %q: %w", k, err)
		}
	}
	if s.Pattern != "" {
		re, err := compileJSRegexp(s.Pattern)
		if err != nil {
			return fmt.Errorf("schema pattern %q: %w", s.Pattern, err)
		}
		s.pattern = re
	}
	return nil
}

func (s *Schema) keyword(k string, v json.RawMessage) error {
	switch k {
	case "type":
		var one string
		if err := json.Unmarshal(v, &one); err == nil {
			s.Types = []string{one}
			return nil
		}
		s.typeIsList = true
		return json.Unmarshal(v, &s.Types)
	case "properties":
		props, err := decodeOrderedProperties(v)
		s.Properties = props
		return err
	case "required":
		return json.Unmarshal(v, &s.Required)
	case "additionalProperties":
		return decodeSub(v, &s.AdditionalProperties)
	case "minProperties":
		return json.Unmarshal(v, &s.MinProperties)
	case "maxProperties":
		return json.Unmarshal(v, &s.MaxProperties)
	case "items":
		return decodeSub(v, &s.Items)
	case "minItems":
		return json.Unmarshal(v, &s.MinItems)
	case "maxItems":
		return json.Unmarshal(v, &s.MaxItems)
	case "uniqueItems":
		return json.Unmarshal(v, &s.UniqueItems)
	case "minLength":
		return json.Unmarshal(v, &s.MinLength)
	case "maxLength":
		return json.Unmarshal(v, &s.MaxLength)
	case "pattern":
		return json.Unmarshal(v, &s.Pattern)
	case "format":
		return json.Unmarshal(v, &s.Format)
	case "minimum":
		return json.Unmarshal(v, &s.Minimum)
	case "maximum":
		return json.Unmarshal(v, &s.Maximum)
	case "exclusiveMinimum":
		return json.Unmarshal(v, &s.ExclusiveMinimum)
	case "exclusiveMaximum":
		return json.Unmarshal(v, &s.ExclusiveMaximum)
	case "multipleOf":
		return json.Unmarshal(v, &s.MultipleOf)
	case "enum":
		s.HasEnum = true
		return json.Unmarshal(v, &s.Enum)
	case "const":
		s.HasConst = true
		return json.Unmarshal(v, &s.Const)
	case "default":
		s.HasDefault = true
		return json.Unmarshal(v, &s.Default)
	case "allOf":
		return json.Unmarshal(v, &s.AllOf)
	case "anyOf":
		return json.Unmarshal(v, &s.AnyOf)
	case "oneOf":
		return json.Unmarshal(v, &s.OneOf)
	case "not":
		return decodeSub(v, &s.Not)
	case "if":
		return decodeSub(v, &s.If)
	case "then":
		return decodeSub(v, &s.Then)
	case "else":
		return decodeSub(v, &s.Else)
	case "description":
		return json.Unmarshal(v, &s.Description)
	case "title", "examples", "example", "deprecated", "readOnly", "writeOnly", "$comment":
		return nil // annotations: Ajv ignores them too
	}
	s.Unknown = append(s.Unknown, k)
	return nil
}

func decodeSub(v json.RawMessage, dst **Schema) error {
	sub := new(Schema)
	if err := json.Unmarshal(v, sub); err != nil {
		return err
	}
	*dst = sub
	return nil
}

// decodeOrderedProperties reads a "properties" object token by token so the
// document order survives (a Go map would lose it).
func decodeOrderedProperties(v json.RawMessage) ([]Property, error) {
	dec := json.NewDecoder(bytes.NewReader(v))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("properties must be an object")
	}
	props := []Property{} // non-nil: an empty "properties" still counts as present
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := tok.(string)
		sub := new(Schema)
		if err := dec.Decode(sub); err != nil {
			return nil, fmt.Errorf("property %q: %w", name, err)
		}
		props = append(props, Property{Name: name, Schema: sub})
	}
	return props, nil
}

// unknownKeywords lists every keyword in s and its subschemas that this
// package does not interpret, as "path: keyword".
func (s *Schema) unknownKeywords(path string) []string {
	if s == nil {
		return nil
	}
	var out []string
	for _, k := range s.Unknown {
		out = append(out, path+": "+k)
	}
	for _, p := range s.Properties {
		out = append(out, p.Schema.unknownKeywords(path+"/properties/"+p.Name)...)
	}
	subs := map[string]*Schema{"additionalProperties": s.AdditionalProperties, "items": s.Items, "not": s.Not, "if": s.If, "then": s.Then, "else": s.Else}
	for k, sub := range subs {
		out = append(out, sub.unknownKeywords(path+"/"+k)...)
	}
	for k, list := range map[string][]*Schema{"allOf": s.AllOf, "anyOf": s.AnyOf, "oneOf": s.OneOf} {
		for i, sub := range list {
			out = append(out, sub.unknownKeywords(fmt.Sprintf("%s/%s/%d", path, k, i))...)
		}
	}
	return out
}
