package misskeyapi

import (
	"slices"
	"testing"
)

func TestVersion(t *testing.T) {
	if got := Version(); got != "2026.5.4" {
		t.Errorf("Version() = %q, want 2026.5.4", got)
	}
	if got := Commit(); len(got) != 40 {
		t.Errorf("Commit() = %q, want a 40-digit commit", got)
	}
	spec := MustLoad()
	if spec.Version != Version() {
		t.Errorf("api.json info.version = %q, VERSION.txt = %q", spec.Version, Version())
	}
}

func TestSpecLoadsEveryEndpoint(t *testing.T) {
	spec := MustLoad()
	// API-NOTES: the document served by 2026.5.4 has 434 paths.
	if n := len(spec.Names()); n != 434 {
		t.Errorf("%d endpoints, want 434", n)
	}
	for _, name := range spec.Names() {
		e, _ := spec.Endpoint(name)
		if unknown := e.Schema.unknownKeywords("#"); len(unknown) > 0 {
			t.Errorf("%s: keywords the validator does not implement: %v", name, unknown)
		}
	}
}

func TestEndpointMeta(t *testing.T) {
	tests := []struct {
		name       string
		kind       string
		credential bool
		secure     bool
		allowGet   bool
	}{
		{"i", "read:account", true, false, false},
		{"i/update", "write:account", true, false, false},
		{"users/show", "", false, false, false},
		{"users/lists/list", "read:account", false, false, false}, // kind without credential
		{"meta", "", false, false, false},
		{"i/registry/get", "read:account", true, false, false},
		{"i/registry/set", "write:account", true, false, false},
		{"i/registry/scopes-with-domain", "", true, true, false},
		{"miauth/gen-token", "", true, true, false},
		{"notes/create", "write:notes", true, false, false},
		{"following/create", "write:following", true, false, false},
		{"drive/folders/create", "write:drive", true, false, false},
		{"server-info", "", false, false, true},
	}
	for _, tt := range tests {
		e, ok := Endpoint(tt.name)
		if !ok {
			t.Errorf("%s: not in the spec", tt.name)
			continue
		}
		if e.Kind != tt.kind || e.RequireCredential != tt.credential || e.Secure != tt.secure || e.AllowGet != tt.allowGet {
			t.Errorf("%s: kind %q credential %v secure %v allowGet %v, want %q %v %v %v",
				tt.name, e.Kind, e.RequireCredential, e.Secure, e.AllowGet, tt.kind, tt.credential, tt.secure, tt.allowGet)
		}
	}
	if _, ok := Endpoint("notes/update"); ok {
		t.Error("notes/update exists, but 2026.5.4 has no note edit endpoint")
	}
	if e, _ := Endpoint("drive/files/create"); !e.Multipart {
		t.Error("drive/files/create is multipart")
	}
}

func TestParams(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"i", nil},
		{"users/show", []string{"host", "userId", "userIds", "username"}}, // allOf + anyOf
		{"i/registry/get", []string{"domain", "key", "scope"}},
		{"miauth/gen-token", []string{"description", "iconUrl", "name", "permission", "session"}},
	}
	for _, tt := range tests {
		e, _ := Endpoint(tt.name)
		if got := e.Params(); !slices.Equal(got, tt.want) {
			t.Errorf("%s params = %v, want %v", tt.name, got, tt.want)
		}
	}
	e, _ := Endpoint("i/update")
	for _, p := range []string{"name", "alsoKnownAs", "chatScope", "requireSigninToViewContents", "makeNotesHiddenBefore"} {
		if !e.HasParam(p) {
			t.Errorf("i/update has no %s", p)
		}
	}
	if e.HasParam("notify") {
		t.Error("i/update has notify")
	}
}

func TestPropertiesKeepDocumentOrder(t *testing.T) {
	e, _ := Endpoint("i/update")
	var names []string
	for _, p := range e.Schema.Properties {
		names = append(names, p.Name)
	}
	want := []string{"name", "description", "followedMessage", "location", "birthday", "lang"}
	if !slices.Equal(names[:len(want)], want) {
		t.Errorf("first properties %v, want %v", names[:len(want)], want)
	}
}
