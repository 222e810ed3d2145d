package misskeyapi

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func body(t *testing.T, js string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(js), &m); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return m
}

const antennaBase = `"src":"all","keywords":[["a"]],"excludeKeywords":[],"users":[],"caseSensitive":false,"withReplies":false,"withFile":false`

func TestValidate(t *testing.T) {
	tests := []struct {
		endpoint string
		body     string
		param    string // "" = valid
		reason   string
	}{
		// i/update: sample 06 and the nullable strings.
		{"i/update", `{"name":""}`, "#/properties/name/minLength", "must NOT have fewer than 1 characters"},
		{"i/update", `{"name":null}`, "", ""},
		{"i/update", `{"name":"Sample Bot","i":"tok"}`, "", ""},
		{"i/update", `{"name":"` + strings.Repeat("n", 51) + `"}`, "#/properties/name/maxLength", "must NOT have more than 50 characters"},
		{"i/update", `{"name":"` + strings.Repeat("n", 50) + `"}`, "", ""},
		{"i/update", `{"name":5}`, "#/properties/name/type", "must be string"}, // nullable: Ajv names only the type (ajv-corpus.json)
		{"i/update", `{"isBot":"yes"}`, "#/properties/isBot/type", "must be boolean"},
		{"i/update", `{"birthday":"2000-1-1"}`, "#/properties/birthday/pattern", `must match pattern "^([0-9]{4})-([0-9]{2})-([0-9]{2})$"`},
		{"i/update", `{"birthday":"2000-01-01"}`, "", ""},
		// lang: enum with null allowed.
		{"i/update", `{"lang":null}`, "", ""},
		{"i/update", `{"lang":"ja-JP"}`, "", ""},
		{"i/update", `{"lang":"xx"}`, "#/properties/lang/enum", "must be equal to one of the allowed values"},
		{"i/update", `{"lang":3}`, "#/properties/lang/type", "must be string"}, // nullable: Ajv names only the type (ajv-corpus.json)
		{"i/update", `{"followingVisibility":"friends"}`, "#/properties/followingVisibility/enum", "must be equal to one of the allowed values"},
		{"i/update", `{"followingVisibility":null}`, "#/properties/followingVisibility/type", "must be string"},
		{"i/update", `{"chatScope":"mutual"}`, "", ""},
		// fields: items and their required keys.
		{"i/update", `{"fields":[{"name":"a","value":"b"}]}`, "", ""},
		{"i/update", `{"fields":[{"name":"a"}]}`, "#/properties/fields/items/required", "must have required property 'value'"},
		{"i/update", `{"fields":[{"value":"a"}]}`, "#/properties/fields/items/required", "must have required property 'name'"},
		{"i/update", `{"fields":[{"name":1,"value":"b"}]}`, "#/properties/fields/items/properties/name/type", "must be string"},
		{"i/update", `{"fields":` + repeatJSON(`{"name":"a","value":"b"}`, 17) + `}`, "#/properties/fields/maxItems", "must NOT have more than 16 items"},
		{"i/update", `{"fields":{}}`, "#/properties/fields/type", "must be array"},
		// alsoKnownAs: uniqueItems with scalar items, Ajv's indices.
		{"i/update", `{"alsoKnownAs":["@a@x","@b@x","@a@x"]}`, "#/properties/alsoKnownAs/uniqueItems", "must NOT have duplicate items (items ## 2 and 0 are identical)"},
		{"i/update", `{"alsoKnownAs":` + repeatJSON(`"@a@x"`, 11) + `}`, "#/properties/alsoKnownAs/maxItems", "must NOT have more than 10 items"},
		// integers and nullable integers.
		{"i/update", `{"makeNotesHiddenBefore":-3600}`, "", ""},
		{"i/update", `{"makeNotesHiddenBefore":1.5}`, "#/properties/makeNotesHiddenBefore/type", "must be integer"}, // nullable: Ajv names only the type (ajv-corpus.json)
		{"i/update", `{"makeNotesHiddenBefore":null}`, "", ""},
		// numbers with bounds inside items.
		{"i/update", `{"avatarDecorations":[{"id":"abc","angle":0.6}]}`, "#/properties/avatarDecorations/items/properties/angle/maximum", "must be <= 0.5"},
		{"i/update", `{"avatarDecorations":[{"id":"abc","offsetY":-0.3}]}`, "#/properties/avatarDecorations/items/properties/offsetY/minimum", "must be >= -0.25"},
		{"i/update", `{"avatarDecorations":[{"id":"a-b"}]}`, "#/properties/avatarDecorations/items/properties/id/format", `must match format "misskey:id"`},
		// oneOf inside items: the first failing branch's error comes first.
		{"i/update", `{"mutedWords":[["a","b"],"/x/"]}`, "", ""},
		{"i/update", `{"mutedWords":[5]}`, "#/properties/mutedWords/items/oneOf/0/type", "must be array"},
		// Sample 49: a number where a string is required.
		{"antennas/create", `{"name":5,` + antennaBase + `}`, "#/properties/name/type", "must be string"},
		{"antennas/create", `{"name":"",` + antennaBase + `}`, "#/properties/name/minLength", "must NOT have fewer than 1 characters"},
		{"antennas/create", `{` + antennaBase + `}`, "#/required", "must have required property 'name'"},
		{"antennas/create", `{"name":"x",` + antennaBase + `,"src":"everything"}`, "#/properties/src/enum", "must be equal to one of the allowed values"},
		// users/show: allOf + anyOf; the first branch's error is reported.
		{"users/show", `{"userId":"abc123"}`, "", ""},
		{"users/show", `{"userIds":["a","b"]}`, "", ""},
		{"users/show", `{"username":"bob"}`, "", ""},
		{"users/show", `{"username":"bob","host":null}`, "", ""},
		{"users/show", `{"username":"bob","host":"remote.example"}`, "", ""},
		{"users/show", `{}`, "#/allOf/0/anyOf/0/required", "must have required property 'userId'"},
		{"users/show", `{"host":"x"}`, "#/allOf/0/anyOf/0/required", "must have required property 'userId'"},
		{"users/show", `{"userId":"a-b"}`, "#/allOf/0/anyOf/0/properties/userId/format", `must match format "misskey:id"`},
		{"users/show", `{"userIds":["a","a"]}`, "#/allOf/0/anyOf/0/required", "must have required property 'userId'"},
		{"users/show", `{"username":"bob","host":5}`, "#/allOf/1/properties/host/type", "must be string"}, // nullable: Ajv names only the type (ajv-corpus.json)
		// registry: scope pattern, required value (null counts as present).
		{"i/registry/set", `{"key":"state","value":null,"scope":["mkctl"]}`, "", ""},
		{"i/registry/set", `{"key":"state","scope":["mkctl"]}`, "#/required", "must have required property 'value'"},
		{"i/registry/set", `{"key":"","value":1,"scope":["mkctl"]}`, "#/properties/key/minLength", "must NOT have fewer than 1 characters"},
		{"i/registry/set", `{"key":"k","value":1,"scope":["mk.ctl"]}`, "#/properties/scope/items/pattern", `must match pattern "^[a-zA-Z0-9_]+$"`},
		{"i/registry/get", `{"key":"k"}`, "", ""}, // scope is required, but has a default
		// miauth/gen-token: required nullable session, unique permissions.
		{"miauth/gen-token", `{"session":null,"permission":["read:account"]}`, "", ""},
		{"miauth/gen-token", `{"permission":[]}`, "#/required", "must have required property 'session'"},
		{"miauth/gen-token", `{"session":"s","permission":["a","a"]}`, "#/properties/permission/uniqueItems", "must NOT have duplicate items (items ## 1 and 0 are identical)"},
		// notes/create: if/then — text needs a non-space character unless
		// something else is attached; JavaScript's \s includes U+3000.
		{"notes/create", `{"text":"hello"}`, "", ""},
		{"notes/create", `{}`, "#/then/required", "must have required property 'text'"},
		{"notes/create", `{"text":"   "}`, "#/then/properties/text/pattern", `must match pattern "[^\s]+"`},
		{"notes/create", `{"text":"\u3000"}`, "#/then/properties/text/pattern", `must match pattern "[^\s]+"`},
		{"notes/create", `{"renoteId":"abc"}`, "", ""},
		{"notes/create", `{"text":"x","visibility":"secret"}`, "#/properties/visibility/enum", "must be equal to one of the allowed values"},
		// integer bounds.
		{"users/following", `{"userId":"abc","limit":0}`, "#/allOf/1/properties/limit/minimum", "must be >= 1"},
		{"users/following", `{"userId":"abc","limit":101}`, "#/allOf/1/properties/limit/maximum", "must be <= 100"},
		{"users/following", `{"userId":"abc","limit":2.5}`, "#/allOf/1/properties/limit/type", "must be integer"},
		// drive folder names: schema allows 200 (the DB only 128).
		{"drive/folders/create", `{"name":"` + strings.Repeat("n", 129) + `"}`, "", ""},
		{"drive/folders/create", `{"name":"` + strings.Repeat("n", 201) + `"}`, "#/properties/name/maxLength", "must NOT have more than 200 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.endpoint+" "+tt.body, func(t *testing.T) {
			verr := Validate(tt.endpoint, body(t, tt.body))
			if tt.param == "" {
				if verr != nil {
					t.Fatalf("want valid, got %+v", verr)
				}
				return
			}
			if verr == nil {
				t.Fatalf("want %s %q, got valid", tt.param, tt.reason)
			}
			if verr.Unknown {
				t.Fatalf("reported as unknown parameter: %v", verr)
			}
			if verr.Param != tt.param || verr.Reason != tt.reason {
				t.Errorf("got  %s %q\nwant %s %q", verr.Param, verr.Reason, tt.param, tt.reason)
			}
		})
	}
}

func repeatJSON(item string, n int) string {
	return "[" + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + "]"
}

// Ajv counts code points (ucs2length), not UTF-16 units: an astral
// character counts once.
func TestValidateLengthCountsCodePoints(t *testing.T) {
	fifty := strings.Repeat("😀", 50) // 100 UTF-16 units
	if verr := Validate("i/update", map[string]any{"name": fifty}); verr != nil {
		t.Errorf("50 emoji: %v", verr)
	}
	if verr := Validate("i/update", map[string]any{"name": fifty + "a"}); verr == nil || verr.Param != "#/properties/name/maxLength" {
		t.Errorf("51 characters: %v", verr)
	}
	if verr := Validate("i/update", map[string]any{"name": strings.Repeat("é", 50)}); verr != nil {
		t.Errorf("50 two-byte characters: %v", verr)
	}
}

func TestValidateUnknownParameter(t *testing.T) {
	// Sample 35: the real server took notify and ignored it.
	verr := Validate("antennas/create", body(t, `{"name":"x",`+antennaBase+`,"notify":true,"i":"tok"}`))
	if verr == nil || !verr.Unknown || verr.Name != "notify" {
		t.Fatalf("got %+v, want unknown parameter notify", verr)
	}
	if !strings.Contains(verr.Reason, `"notify"`) || !strings.Contains(verr.Reason, "silently ignore") {
		t.Errorf("reason %q should name the parameter and say the server ignores it", verr.Reason)
	}
	if strings.Contains(verr.Reason, "tok") {
		t.Errorf("reason %q mentions the token", verr.Reason)
	}
	// Checked before the schema: a body with both gets the unknown error.
	verr = Validate("i/update", body(t, `{"name":"","displayName":"x"}`))
	if verr == nil || !verr.Unknown || verr.Name != "displayName" {
		t.Errorf("got %+v, want unknown displayName", verr)
	}
	// The token is not a parameter.
	if verr := Validate("i", body(t, `{"i":"tok"}`)); verr != nil {
		t.Errorf("i with a token: %v", verr)
	}
	if verr := Validate("i", body(t, `{"detail":true}`)); verr == nil || !verr.Unknown {
		t.Errorf("i takes no parameters, got %+v", verr)
	}
}

func TestValidateUnknownEndpoint(t *testing.T) {
	verr := Validate("notes/update", map[string]any{})
	if verr == nil || !verr.UnknownEndpoint {
		t.Fatalf("got %+v", verr)
	}
}

func TestValidateAppliesDefaults(t *testing.T) {
	b := body(t, `{"key":"k"}`)
	if verr := Validate("i/registry/get", b); verr != nil {
		t.Fatal(verr)
	}
	if !reflect.DeepEqual(b["scope"], []any{}) {
		t.Errorf("scope = %#v, want the default []", b["scope"])
	}
	b = body(t, `{}`)
	if verr := Validate("meta", b); verr != nil {
		t.Fatal(verr)
	}
	if b["detail"] != true {
		t.Errorf("meta detail = %#v, want default true", b["detail"])
	}
	b = body(t, `{"text":"x"}`)
	if verr := Validate("notes/create", b); verr != nil {
		t.Fatal(verr)
	}
	if b["visibility"] != "public" || b["localOnly"] != false {
		t.Errorf("notes/create defaults: %v", b)
	}
	// A given value is kept.
	b = body(t, `{"key":"k","scope":["a"]}`)
	Validate("i/registry/get", b)
	if !reflect.DeepEqual(b["scope"], []any{"a"}) {
		t.Errorf("scope = %#v", b["scope"])
	}
	// Defaults inside anyOf branches are not applied (Ajv ignores them in
	// composite rules): users/show has none, so check the mechanism directly.
	s := &Schema{AnyOf: []*Schema{{Types: []string{"object"}, Properties: []Property{{Name: "x", Schema: &Schema{HasDefault: true, Default: 1.0}}}}}}
	m := map[string]any{}
	if errs := s.validate(m, "#", false); len(errs) != 0 {
		t.Fatal(errs)
	}
	if _, ok := m["x"]; ok {
		t.Error("default applied inside anyOf")
	}
}

// Ajv evaluates untyped keywords (enum) before a deferred type check.
func TestValidateKeywordOrder(t *testing.T) {
	var s Schema
	if err := json.Unmarshal([]byte(`{"type":"string","enum":["a"],"minLength":2}`), &s); err != nil {
		t.Fatal(err)
	}
	if errs := s.validate(5.0, "#", false); errs[0].path != "#/enum" {
		t.Errorf("deferred type: first error %v, want #/enum", errs[0])
	}
	var s2 Schema
	json.Unmarshal([]byte(`{"type":"string","enum":["a"]}`), &s2)
	if errs := s2.validate(5.0, "#", false); errs[0].path != "#/type" {
		t.Errorf("type without string keywords: first error %v, want #/type", errs[0])
	}
	// uniqueItems before items.
	var s3 Schema
	json.Unmarshal([]byte(`{"type":"array","uniqueItems":true,"items":{"type":"string","minLength":3}}`), &s3)
	if errs := s3.validate([]any{"a", "a"}, "#", false); errs[0].path != "#/uniqueItems" {
		t.Errorf("first error %v, want #/uniqueItems", errs[0])
	}
	// Objects compare deeply, and the indices come in the other order.
	var s4 Schema
	json.Unmarshal([]byte(`{"type":"array","uniqueItems":true,"items":{"type":"object"}}`), &s4)
	errs := s4.validate([]any{map[string]any{"a": 1.0}, map[string]any{}, map[string]any{"a": 1.0}}, "#", false)
	if len(errs) == 0 || errs[0].msg != "must NOT have duplicate items (items ## 0 and 2 are identical)" {
		t.Errorf("object duplicates: %v", errs)
	}
	// oneOf with two passing branches.
	var s5 Schema
	json.Unmarshal([]byte(`{"oneOf":[{"type":"number"},{"type":"integer"}]}`), &s5)
	if errs := s5.validate(1.0, "#", false); len(errs) == 0 || errs[0].path != "#/oneOf" {
		t.Errorf("two passing branches: %v", errs)
	}
	if errs := s5.validate(1.5, "#", false); len(errs) != 0 {
		t.Errorf("one passing branch: %v", errs)
	}
}

func TestJSRegexp(t *testing.T) {
	re, err := compileJSRegexp(`[^\s]+`)
	if err != nil {
		t.Fatal(err)
	}
	for s, want := range map[string]bool{"a": true, " a ": true, " ": false, "\u3000\u00a0": false, "\n\t": false} {
		if re.MatchString(s) != want {
			t.Errorf("%q: %v, want %v", s, !want, want)
		}
	}
	re, err = compileJSRegexp(`^[a-zA-Z0-9\/\-*]+$`)
	if err != nil {
		t.Fatal(err)
	}
	if !re.MatchString("image/*") || re.MatchString("a b") {
		t.Error(`\/ and \- inside a class`)
	}
}

// The samples recorded from a real server: every INVALID_PARAM among them
// must come out of Validate with the same param and reason.
func TestValidateMatchesRecordedSamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "emulator", "testdata", "samples", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	checked := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Endpoint string         `json:"endpoint"`
			Request  map[string]any `json:"request"`
			Status   int            `json:"status"`
			Response struct {
				Error *struct {
					Code string `json:"code"`
					Info struct {
						Param  string `json:"param"`
						Reason string `json:"reason"`
					} `json:"info"`
				} `json:"error"`
			} `json:"response"`
		}
		if err := json.Unmarshal(data, &s); err != nil {
			continue // a response that is not an object
		}
		if _, isForm := s.Request["multipart"]; isForm {
			// An upload (drive/files/create): its form fields are strings
			// that ApiCallService casts before Ajv sees them; the
			// emulator's upload tests check those against the schema.
			continue
		}
		delete(s.Request, "_auth")
		verr := Validate(s.Endpoint, s.Request)
		switch {
		case s.Response.Error != nil && s.Response.Error.Code == "INVALID_PARAM":
			checked++
			if verr == nil || verr.Param != s.Response.Error.Info.Param || verr.Reason != s.Response.Error.Info.Reason {
				t.Errorf("%s: got %+v, recorded %+v", filepath.Base(f), verr, s.Response.Error.Info)
			}
		case strings.Contains(f, "unknown-param"):
			if verr == nil || !verr.Unknown {
				t.Errorf("%s: got %+v, want an unknown parameter", filepath.Base(f), verr)
			}
		case s.Status < 500 && verr != nil:
			// Anything the server accepted past validation must pass.
			if s.Response.Error == nil || s.Response.Error.Code != "CREDENTIAL_REQUIRED" && s.Response.Error.Code != "AUTHENTICATION_FAILED" && s.Response.Error.Code != "PERMISSION_DENIED" && s.Response.Error.Code != "RATE_LIMIT_EXCEEDED" {
				t.Errorf("%s: server accepted the body, Validate says %v", filepath.Base(f), verr)
			}
		}
	}
	if checked < 2 {
		t.Errorf("checked %d INVALID_PARAM samples, want at least 2", checked)
	}
}

// Every endpoint of the spec can be validated, whatever the body.
func TestValidateEveryEndpoint(t *testing.T) {
	bodies := []string{`{}`, `{"userId":"abc","limit":5,"name":"x","text":"t"}`, `{"limit":"x","name":[],"i":"tok"}`}
	spec := MustLoad()
	invalid := 0
	for _, name := range spec.Names() {
		for _, b := range bodies {
			e, _ := spec.Endpoint(name)
			m := body(t, b)
			for k := range m {
				if !e.HasParam(k) && k != "i" {
					delete(m, k)
				}
			}
			if verr := spec.Validate(name, m); verr != nil {
				if verr.Unknown || verr.Param == "" || verr.Reason == "" || !strings.HasPrefix(verr.Param, "#") {
					t.Errorf("%s %s: %+v", name, b, verr)
				}
				invalid++
			}
		}
	}
	if invalid == 0 {
		t.Error("no body was invalid for any endpoint")
	}
}
