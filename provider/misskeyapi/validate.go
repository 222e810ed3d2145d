package misskeyapi

import (
	"fmt"
	"sort"
	"strings"
)

// ValidationError is why a request body is refused. For a schema violation
// it carries what Misskey puts in INVALID_PARAM's info: Param is the JSON
// schema path of Ajv's first error ("#/properties/name/minLength") and Reason
// is Ajv's message ("must NOT have fewer than 1 characters").
type ValidationError struct {
	Param  string
	Reason string

	// Unknown marks a body with a parameter the endpoint does not know.
	// The real server accepts such a body and silently ignores the
	// parameter; this check exists to catch the typo that would cause.
	// Name is then the (first, in sorted order) unknown parameter.
	Unknown bool
	Name    string
	// UnknownEndpoint marks an endpoint api.json does not have.
	UnknownEndpoint bool
}

func (e *ValidationError) Error() string {
	if e.Unknown || e.UnknownEndpoint {
		return e.Reason
	}
	return fmt.Sprintf("invalid param %s: %s", e.Param, e.Reason)
}

// Validate checks a request body of an endpoint of the embedded spec. See
// (*Spec).Validate.
func Validate(endpoint string, body map[string]any) *ValidationError {
	return MustLoad().Validate(endpoint, body)
}

// Validate checks a request body. First any top-level parameter the
// endpoint does not know (other than the token "i") is an error; then the
// body is checked against the schema like Misskey's Ajv does
// (useDefaults, first error only). Defaults are written into body, as Ajv
// does, so a handler sees them.
func (s *Spec) Validate(endpoint string, body map[string]any) *ValidationError {
	e, ok := s.Endpoint(endpoint)
	if !ok {
		return &ValidationError{Param: "#", Reason: fmt.Sprintf("no endpoint %q in api.json (Misskey %s)", endpoint, s.Version), UnknownEndpoint: true}
	}
	if verr := e.unknownParams(body); verr != nil {
		return verr
	}
	if body == nil {
		// A JSON body always decodes to an object here; nil is treated
		// like the empty object a client without parameters sends.
		body = map[string]any{}
	}
	return e.ValidateValue(body)
}

func (e *EndpointSpec) unknownParams(body map[string]any) *ValidationError {
	var unknown []string
	for k := range body {
		if k != "i" && !e.HasParam(k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	quoted := make([]string, len(unknown))
	for i, u := range unknown {
		quoted[i] = fmt.Sprintf("%q", u)
	}
	noun := "parameter"
	if len(unknown) > 1 {
		noun = "parameters"
	}
	return &ValidationError{
		Param:   "#/additionalProperties",
		Reason:  fmt.Sprintf("unknown %s %s for %s: the real server would silently ignore it (known: %s)", noun, strings.Join(quoted, ", "), e.Name, strings.Join(e.params, ", ")),
		Unknown: true,
		Name:    unknown[0],
	}
}

// ValidateValue runs only the schema check (no unknown-parameter check) on
// any JSON value, as decoded by encoding/json into any. Defaults are applied
// in place to the maps it contains.
func (e *EndpointSpec) ValidateValue(v any) *ValidationError {
	errs := e.Schema.validate(v, "#", false)
	if len(errs) == 0 {
		return nil
	}
	return &ValidationError{Param: errs[0].path, Reason: errs[0].msg}
}
