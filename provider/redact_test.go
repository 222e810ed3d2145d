package provider

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// A server that echoes the token anywhere in a successful answer, even
// spelled with JSON escapes, gets it scrubbed before any caller sees it:
// struct fields, pointers, maps (keys too), slices, interfaces, raw JSON.
func TestDecodedAnswersAreRedacted(t *testing.T) {
	escaped := ""
	// \u escapes of each character: 't' = \u0074 …
	for _, b := range []byte(testToken) {
		escaped += `\u00` + hex2(b)
	}
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"name":"x` + testToken + `x","description":"` + escaped + `",` +
			`"fields":[{"name":"` + testToken + `","value":"v"}],` +
			`"map":{"` + testToken + `":"` + testToken + `"},` +
			`"any":{"deep":["` + testToken + `"]},` +
			`"raw":{"v":"` + testToken + `"}}`))
	})
	c, _ := newTestClient(t, fs.URL)
	var out struct {
		Name        string
		Description *string
		Fields      []struct{ Name, Value string }
		Map         map[string]string
		Any         any
		Raw         json.RawMessage
	}
	if err := c.Read(context.Background(), "i", nil, &out); err != nil {
		t.Fatal(err)
	}
	all, _ := json.Marshal(out)
	if strings.Contains(string(all), testToken) {
		t.Errorf("the token survived decoding: %s", all)
	}
	if out.Name != "x<redacted>x" || *out.Description != "<redacted>" || out.Fields[0].Name != "<redacted>" || out.Map["<redacted>"] != "<redacted>" {
		t.Errorf("decoded %+v", out)
	}
	var m map[string]any
	if err := c.Read(context.Background(), "i", nil, &m); err != nil {
		t.Fatal(err)
	}
	if all, _ := json.Marshal(m); strings.Contains(string(all), testToken) {
		t.Errorf("the token survived decoding into a map: %s", all)
	}
}

func hex2(b byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}

// A one-character token must not turn every such character of a message
// into <redacted>; as a whole word it is still redacted.
func TestShortTokenIsRedactedOnlyAsAWholeWord(t *testing.T) {
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{
			"message": "a bad request: token a", "code": "INVALID_PARAM", "id": "3d81ceae-475f-4600-b2a8-2bc116157532", "kind": "client"}})
	})
	c, err := NewClient(fs.URL, "a")
	if err != nil {
		t.Fatal(err)
	}
	err = c.Write(context.Background(), "i/update", nil, nil)
	if want := "i/update: Misskey answered 400 INVALID_PARAM: <redacted> bad request: token <redacted>"; err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
	for _, tc := range []struct{ s, tok, want string }{
		{"banana a", "a", "banana <redacted>"},
		{"xtok3nx", "tok3n", "xtok3nx"},
		{"long-token-12345 inside xlong-token-12345x", "long-token-12345", "<redacted> inside x<redacted>x"},
		{"", "", ""},
	} {
		if got := RedactToken(tc.s, tc.tok); got != tc.want {
			t.Errorf("RedactToken(%q, %q) = %q, want %q", tc.s, tc.tok, got, tc.want)
		}
	}
}
