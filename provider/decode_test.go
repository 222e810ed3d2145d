package provider

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// unmarshal must decode exactly what encoding/json decodes: every answer
// recorded from the real Misskey, into the generic form and into the
// typed rows the reads use, and answers that are not valid JSON (or not
// of the expected shape) fail with encoding/json's own error.
func TestUnmarshalMatchesEncodingJSON(t *testing.T) {
	files, err := filepath.Glob("emulator/testdata/samples/*.json")
	if err != nil || len(files) < 40 {
		t.Fatalf("samples: %d files, %v", len(files), err)
	}
	type following struct {
		ID         string   `json:"id"`
		FolloweeID string   `json:"followeeId"`
		Followee   *apiUser `json:"followee"`
	}
	targets := []func() any{
		func() any { return new(any) },
		func() any { return new(map[string]any) },
		func() any { return new([]following) },
		func() any { return new([]apiNote) },
		func() any { return new(apiNote) },
		func() any { return new(apiUser) },
	}
	bodies := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var sample struct {
			Response json.RawMessage `json:"response"`
		}
		if err := json.Unmarshal(raw, &sample); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if len(sample.Response) == 0 {
			continue
		}
		bodies++
		for _, target := range targets {
			compareDecoders(t, filepath.Base(f), sample.Response, target)
		}
	}
	if bodies < 40 {
		t.Fatalf("only %d answers compared", bodies)
	}
	bad := []string{
		``, `{`, `[{"id": "a"}`, `{"id": 1}`, `[{"id": "x", "followee": {"withReplies": "yes"}}]`,
		`{"id": "a"} trailing`, `"\ud800"`, `{"id": "a\u0000b", "id": "c"}`, `[1, 2, 3]`, `{"text": "\x01"}`,
		`{"createdAt": null, "text": null}`, `1e400`, `{"a": 1e400}`,
	}
	for _, b := range bad {
		for _, target := range targets {
			compareDecoders(t, "input "+b, json.RawMessage(b), target)
		}
	}
}

func compareDecoders(t *testing.T, name string, data []byte, target func() any) {
	t.Helper()
	want, got := target(), target()
	wantErr := json.Unmarshal(data, want)
	gotErr := unmarshal(data, got)
	typ := reflect.TypeOf(want).Elem().String()
	switch {
	case (wantErr == nil) != (gotErr == nil):
		t.Errorf("%s into %s: encoding/json says %v, unmarshal says %v", name, typ, wantErr, gotErr)
	case wantErr != nil:
		if wantErr.Error() != gotErr.Error() {
			t.Errorf("%s into %s: error %q, want encoding/json's %q", name, typ, gotErr, wantErr)
		}
	case !reflect.DeepEqual(want, got):
		t.Errorf("%s into %s: decoded\n%s\nwant\n%s", name, typ, dumpJSON(got), dumpJSON(want))
	}
}

func dumpJSON(v any) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return strings.TrimSpace(s)
}
