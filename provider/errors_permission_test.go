package provider

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/provider/misskeyapi"
)

// TestEndpointPermissionCoversCalls: a PERMISSION_DENIED from any endpoint
// the provider names in its code says which permission to add, api.json's
// (blocks, mutes, webhooks and drafts once got the vague "lacks a
// permission" hint: a hand-kept table had left them out).
func TestEndpointPermissionCoversCalls(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	called := map[string]string{} // endpoint → file that names it
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && strings.Contains(s, "/") {
				called[s] = name
			}
			return true
		})
	}
	var checked []string
	for ep, file := range called {
		spec, ok := misskeyapi.Endpoint(ep)
		if !ok || spec.Kind == "" {
			continue
		}
		checked = append(checked, ep)
		e := &APIError{Endpoint: ep, Status: 403, Code: "PERMISSION_DENIED"}
		if h := e.Hint(); !strings.Contains(h, "the permission "+spec.Kind+" that "+ep+" needs") {
			t.Errorf("%s (named in %s) needs %s; PERMISSION_DENIED's hint is %q", ep, file, spec.Kind, h)
		}
	}
	// The scan must find the endpoints of this session's kinds, or it
	// proves nothing.
	for _, ep := range []string{"clips/add-note", "notes/drafts/create", "blocking/create", "mute/create", "i/webhooks/create"} {
		if !slices.Contains(checked, ep) {
			t.Errorf("the scan did not find %s in the provider's code", ep)
		}
	}
}

// TestPermissionDeniedNamesDraftPermission: notes/drafts/* has no drafts
// permission of its own; the hint must say write:account.
func TestPermissionDeniedNamesDraftPermission(t *testing.T) {
	e := &APIError{Endpoint: "notes/drafts/create", Status: 403, Code: "PERMISSION_DENIED", Login: "mkctl login --host x.example"}
	if h := e.Hint(); !strings.Contains(h, "write:account") || !strings.Contains(h, "notes/drafts/create") {
		t.Errorf("Hint() = %q, want the permission write:account and the endpoint", h)
	}
}

// TestNoteContentHints: notes/create and notes/drafts/* refuse a note's
// content with codes of their own; each hint says what to change.
func TestNoteContentHints(t *testing.T) {
	for code, want := range map[string]string{
		"CONTAINS_PROHIBITED_WORDS":  "prohibit a word",
		"CONTAINS_TOO_MANY_MENTIONS": "mentionLimit",
	} {
		for _, ep := range []string{"notes/create", "notes/drafts/create", "notes/drafts/update"} {
			e := &APIError{Endpoint: ep, Status: 400, Code: code}
			if h := e.Hint(); !strings.Contains(h, want) {
				t.Errorf("%s from %s: Hint() = %q, want it to contain %q", code, ep, h, want)
			}
		}
	}
}

// TestClipDeletedDuringReadHint: clips/list then clips/notes; a clip
// deleted in between fails the read with NO_SUCH_CLIP, which says to run
// again.
func TestClipDeletedDuringReadHint(t *testing.T) {
	e := &APIError{Endpoint: "clips/notes", Status: 400, Code: "NO_SUCH_CLIP"}
	if h := e.Hint(); !strings.Contains(h, "run mkctl again") {
		t.Errorf("Hint() = %q", h)
	}
}
