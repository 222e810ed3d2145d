package misskeyapi

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// EndpointSpec is what api.json says about one endpoint.
type EndpointSpec struct {
	Name string // "i/update"

	// Kind is the permission a third-party token needs ("write:account"),
	// "" when the endpoint declares none. It is read from the description
	// ("**Permission**: *write:account*"): that is the only place the spec
	// writes it, and `security` cannot stand in for it (users/lists/list
	// has a kind but no `security`, since it does not require a credential).
	Kind string
	// RequireCredential is "**Credential required**: *Yes*".
	RequireCredential bool
	// Secure is meta.secure: only a native (web session) token may call
	// it. The generator marks these "**Internal Endpoint**".
	Secure bool
	// AllowGet is true when the spec lists a GET operation (meta.allowGet).
	AllowGet bool
	// Multipart is true for drive/files/create, whose body is a form.
	Multipart bool

	// Schema is the request body schema; an empty object schema when the
	// spec has no request body (endpoints without parameters).
	Schema *Schema
	// RawSchema is the same schema as written in api.json.
	RawSchema json.RawMessage

	params []string
}

// Params lists every top-level parameter name the schema knows, sorted: the
// union of "properties" across the top level and its allOf/anyOf/oneOf and
// if/then/else branches.
func (e *EndpointSpec) Params() []string { return slices.Clone(e.params) }

// HasParam reports whether name is a known top-level parameter.
func (e *EndpointSpec) HasParam(name string) bool {
	_, ok := slices.BinarySearch(e.params, name)
	return ok
}

// Spec is the parsed api.json.
type Spec struct {
	Version   string
	endpoints map[string]*EndpointSpec
	names     []string
}

var (
	loadOnce sync.Once
	loaded   *Spec
	loadErr  error
)

// Load parses the embedded api.json once and returns it. The document is
// part of the binary, so an error here is a build problem: tests catch it.
func Load() (*Spec, error) {
	loadOnce.Do(func() { loaded, loadErr = Parse(apiJSON) })
	return loaded, loadErr
}

// MustLoad is Load for callers that cannot continue without the spec.
func MustLoad() *Spec {
	s, err := Load()
	if err != nil {
		panic(fmt.Sprintf("misskeyapi: embedded api.json: %v", err))
	}
	return s
}

// Endpoint looks up an endpoint of the embedded spec.
func Endpoint(name string) (*EndpointSpec, bool) { return MustLoad().Endpoint(name) }

// Endpoint looks up an endpoint by name ("i/update", no leading slash).
func (s *Spec) Endpoint(name string) (*EndpointSpec, bool) {
	e, ok := s.endpoints[name]
	return e, ok
}

// Names lists every endpoint, sorted.
func (s *Spec) Names() []string { return slices.Clone(s.names) }

type openAPIDoc struct {
	Info struct {
		Version string `json:"version"`
	} `json:"info"`
	Paths map[string]map[string]struct {
		Description string `json:"description"`
		RequestBody *struct {
			Content map[string]struct {
				Schema json.RawMessage `json:"schema"`
			} `json:"content"`
		} `json:"requestBody"`
	} `json:"paths"`
}

var (
	permissionRe = regexp.MustCompile(`\*\*Permission\*\*: \*([^*]+)\*`)
	credentialRe = regexp.MustCompile(`\*\*Credential required\*\*: \*(Yes|No)\*`)
)

const internalMarker = "**Internal Endpoint**"

// Parse reads an OpenAPI document as Misskey generates it.
func Parse(doc []byte) (*Spec, error) {
	var d openAPIDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("api.json: %w", err)
	}
	spec := &Spec{Version: d.Info.Version, endpoints: map[string]*EndpointSpec{}}
	for path, ops := range d.Paths {
		post, ok := ops["post"]
		if !ok {
			continue
		}
		name := strings.TrimPrefix(path, "/")
		e := &EndpointSpec{Name: name, Secure: strings.Contains(post.Description, internalMarker)}
		_, e.AllowGet = ops["get"]
		if m := permissionRe.FindStringSubmatch(post.Description); m != nil {
			e.Kind = m[1]
		}
		m := credentialRe.FindStringSubmatch(post.Description)
		if m == nil {
			return nil, fmt.Errorf("api.json %s: no \"Credential required\" line in the description", name)
		}
		e.RequireCredential = m[1] == "Yes"
		e.RawSchema = json.RawMessage(`{"type":"object","properties":{}}`)
		if post.RequestBody != nil {
			if c, ok := post.RequestBody.Content["application/json"]; ok {
				e.RawSchema = c.Schema
			} else if c, ok := post.RequestBody.Content["multipart/form-data"]; ok {
				e.RawSchema = c.Schema
				e.Multipart = true
			}
		}
		e.Schema = new(Schema)
		if err := json.Unmarshal(e.RawSchema, e.Schema); err != nil {
			return nil, fmt.Errorf("api.json %s: %w", name, err)
		}
		names := map[string]bool{}
		collectParams(e.Schema, names)
		for n := range names {
			e.params = append(e.params, n)
		}
		sort.Strings(e.params)
		spec.endpoints[name] = e
		spec.names = append(spec.names, name)
	}
	sort.Strings(spec.names)
	return spec, nil
}

// collectParams gathers the property names reachable at the top level of the
// body: the properties themselves and those of top-level combinators.
func collectParams(s *Schema, into map[string]bool) {
	if s == nil {
		return
	}
	for _, p := range s.Properties {
		into[p.Name] = true
	}
	for _, list := range [][]*Schema{s.AllOf, s.AnyOf, s.OneOf} {
		for _, sub := range list {
			collectParams(sub, into)
		}
	}
	collectParams(s.If, into)
	collectParams(s.Then, into)
	collectParams(s.Else, into)
}
