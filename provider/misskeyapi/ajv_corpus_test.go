package misskeyapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/acctest"
)

// The Ajv corpus is what the real Misskey answered to invalid (and a few
// valid) request bodies: testdata/ajv-corpus.json. TestAjvCorpus checks,
// without a server, that the validator reports exactly the recorded
// info.param and info.reason for each. TestAccAjvCorpus makes the bodies,
// sends them to the real server and compares its answers with the file; with
// MKCTL_AJV_RECORD=1 it writes the file instead:
//
//	eval "$(../shared/misskey/server/env.sh)"
//	MKCTL_ACC=1 MKCTL_AJV_RECORD=1 go test ./provider/misskeyapi -run TestAccAjvCorpus -count=1
const corpusPath = "testdata/ajv-corpus.json"

type corpusFile struct {
	// Misskey is the version of the server that answered ("2026.5.4").
	Misskey string        `json:"misskey"`
	Note    string        `json:"note"`
	Entries []corpusEntry `json:"entries"`
}

type corpusEntry struct {
	Endpoint string          `json:"endpoint"`
	Case     string          `json:"case"` // how the body was made
	Body     json.RawMessage `json:"body"`
	Status   int             `json:"status"`
	Code     string          `json:"code,omitempty"` // error.code; "" for a 2xx
	Param    string          `json:"param,omitempty"`
	Reason   string          `json:"reason,omitempty"`
}

// loadCorpus reads testdata/ajv-corpus.json.
func loadCorpus(t *testing.T) corpusFile {
	t.Helper()
	data, err := os.ReadFile(corpusPath)
	if err != nil {
		t.Fatal(err)
	}
	var f corpusFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestAjvCorpus(t *testing.T) {
	f := loadCorpus(t)
	if f.Misskey != MustLoad().Version {
		t.Errorf("the corpus was recorded on Misskey %s, api.json is %s: record it again", f.Misskey, MustLoad().Version)
	}
	if len(f.Entries) < 300 {
		t.Errorf("only %d entries", len(f.Entries))
	}
	bad := 0
	for _, c := range f.Entries {
		e, ok := Endpoint(c.Endpoint)
		if !ok {
			t.Errorf("%s: not in api.json", c.Endpoint)
			continue
		}
		var body any
		if err := json.Unmarshal(c.Body, &body); err != nil {
			t.Fatalf("%s %s: %v", c.Endpoint, c.Body, err)
		}
		got := e.ValidateValue(body)
		var gotParam, gotReason string
		if got != nil {
			gotParam, gotReason = got.Param, got.Reason
		}
		// Only INVALID_PARAM comes from Ajv; any other answer means the
		// body passed validation.
		wantParam, wantReason := "", ""
		if c.Code == "INVALID_PARAM" {
			wantParam, wantReason = c.Param, c.Reason
		}
		if gotParam != wantParam || gotReason != wantReason {
			bad++
			if bad <= 40 {
				t.Errorf("%s %s (%s)\n  real:      %d %s %q %q\n  validator: %q %q", c.Endpoint, c.Body, c.Case, c.Status, c.Code, wantParam, wantReason, gotParam, gotReason)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d entries differ", bad, len(f.Entries))
	}
}

// corpusEndpoints are the endpoints mkctl calls (and a few with composite
// schemas), each with a body that passes validation: mutations of it make
// the invalid bodies. Ids name nothing, so a body that passes validation
// ends in NO_SUCH_… rather than changing anything.
var corpusEndpoints = []struct {
	name string
	base string
}{
	{"i/update", `{}`},
	{"antennas/create", `{"name":"n","src":"all","keywords":[["a"]],"excludeKeywords":[],"users":[],"caseSensitive":false,"withReplies":false,"withFile":false}`},
	{"antennas/update", `{"antennaId":"nosuch"}`},
	{"antennas/show", `{"antennaId":"nosuch"}`},
	{"antennas/delete", `{"antennaId":"nosuch"}`},
	{"antennas/list", `{}`},
	{"notes/create", `{"text":"hi","visibility":"specified","visibleUserIds":[]}`},
	{"notes/delete", `{"noteId":"nosuch"}`},
	{"notes/show", `{"noteId":"nosuch"}`},
	{"drive/folders/create", `{"name":"f","parentId":"nosuch"}`},
	{"drive/folders/update", `{"folderId":"nosuch"}`},
	{"drive/folders/find", `{"name":"f"}`},
	{"drive/folders", `{}`},
	{"users/lists/create", `{"name":"l"}`},
	{"users/lists/update", `{"listId":"nosuch"}`},
	{"users/lists/push", `{"listId":"nosuch","userId":"nosuch"}`},
	{"users/lists/pull", `{"listId":"nosuch","userId":"nosuch"}`},
	{"users/lists/show", `{"listId":"nosuch"}`},
	{"i/registry/set", `{"key":"k","value":1,"scope":["mkctl"]}`},
	{"i/registry/get", `{"key":"k","scope":["mkctl"]}`},
	{"following/create", `{"userId":"nosuch"}`},
	{"following/delete", `{"userId":"nosuch"}`},
	{"following/update", `{"userId":"nosuch"}`},
	{"following/requests/cancel", `{"userId":"nosuch"}`},
	{"users/show", `{"userId":"nosuch"}`},
	{"users/notes", `{"userId":"nosuch"}`},
	{"users/following", `{"userId":"nosuch"}`},
	{"i/pin", `{"noteId":"nosuch"}`},
	{"i/unpin", `{"noteId":"nosuch"}`},
	{"miauth/gen-token", `{"session":"nosuch","permission":[]}`},
}

// corpusExtra are hand-made bodies for what single mutations miss: several
// faults at once (which one Ajv reports first), composite schemas, nested
// arrays, characters that count differently in UTF-16.
var corpusExtra = []struct{ endpoint, body string }{
	{"i/update", `{"name":5,"description":5}`},
	{"i/update", `{"description":5,"name":""}`},
	{"i/update", `{"name":null,"description":null,"location":null,"birthday":null,"lang":null}`},
	{"i/update", `{"birthday":"2000-1-1"}`},
	{"i/update", `{"birthday":"２０００-01-01"}`},
	{"i/update", `{"name":"` + strings.Repeat("😀", 50) + `"}`},
	{"i/update", `{"name":"` + strings.Repeat("😀", 51) + `"}`},
	{"i/update", `{"fields":[{"name":"a","value":"b"},{"name":"a"}]}`},
	{"i/update", `{"fields":[{"name":5,"value":5}]}`},
	{"i/update", `{"fields":[{}]}`},
	{"i/update", `{"fields":[null]}`},
	{"i/update", `{"alsoKnownAs":["@a@x","@b@x","@a@x"]}`},
	{"i/update", `{"alsoKnownAs":["@a@x",5]}`},
	{"i/update", `{"mutedWords":[5]}`},
	{"i/update", `{"mutedWords":[["a",5]]}`},
	{"i/update", `{"mutedWords":["a"]}`},
	{"i/update", `{"mutedWords":[["a"],"/x/"]}`},
	{"i/update", `{"hardMutedWords":[[]]}`},
	{"i/update", `{"avatarDecorations":[{"id":"abc","angle":0.6}]}`},
	{"i/update", `{"avatarDecorations":[{"id":"a-b"}]}`},
	{"i/update", `{"avatarDecorations":[{"angle":0}]}`},
	{"i/update", `{"emailNotificationTypes":["x"]}`},
	{"i/update", `{"notificationRecieveConfig":5}`},
	{"i/update", `{"makeNotesHiddenBefore":1.5}`},
	{"i/update", `{"followingVisibility":null}`},
	{"i/update", `{"lang":"xx"}`},
	{"i/update", `{"lang":5}`},
	{"antennas/create", `{"name":"n","src":"all","keywords":[[5]],"excludeKeywords":[],"users":[],"caseSensitive":false,"withReplies":false,"withFile":false}`},
	{"antennas/create", `{"name":"n","src":"all","keywords":["a"],"excludeKeywords":[],"users":[],"caseSensitive":false,"withReplies":false,"withFile":false}`},
	{"antennas/create", `{"name":"n","src":"all","keywords":[["a"]],"excludeKeywords":[[null]],"users":[],"caseSensitive":false,"withReplies":false,"withFile":false}`},
	{"antennas/create", `{"name":"n","src":"all","keywords":[["a"]],"excludeKeywords":[],"users":[5],"caseSensitive":false,"withReplies":false,"withFile":false}`},
	{"antennas/create", `{"name":"n","src":"list","userListId":"a-b","keywords":[["a"]],"excludeKeywords":[],"users":[],"caseSensitive":false,"withReplies":false,"withFile":false}`},
	{"antennas/create", `{}`},
	{"antennas/create", `{"name":5,"src":5}`},
	{"antennas/update", `{"antennaId":"x","keywords":[["a"],[5]]}`},
	{"notes/create", `{}`},
	{"notes/create", `{"text":"   "}`},
	{"notes/create", `{"text":"\u3000"}`},
	{"notes/create", `{"text":""}`},
	{"notes/create", `{"text":null}`},
	{"notes/create", `{"cw":"x"}`},
	{"notes/create", `{"text":"x","poll":{"choices":["a"]}}`},
	{"notes/create", `{"text":"x","poll":{"choices":["a","a"]}}`},
	{"notes/create", `{"text":"x","poll":{"choices":["a","b"],"expiresAt":"soon"}}`},
	{"notes/create", `{"text":"x","poll":{"choices":["a",""]}}`},
	{"notes/create", `{"text":"x","visibility":"secret"}`},
	{"notes/create", `{"text":"x","fileIds":[]}`},
	{"notes/create", `{"fileIds":["a","a"]}`},
	{"notes/create", `{"renoteId":null,"text":null}`},
	{"notes/create", `{"text":"x","reactionAcceptance":"all"}`},
	{"users/show", `{}`},
	{"users/show", `{"username":5}`},
	{"users/show", `{"username":"bob","host":5}`},
	{"users/show", `{"userIds":[]}`},
	{"users/show", `{"userIds":[5]}`},
	{"users/show", `{"userId":5,"username":"bob"}`},
	{"users/notes", `{"userId":"x","limit":0}`},
	{"users/notes", `{"userId":"x","limit":101}`},
	{"users/notes", `{"userId":"x","sinceDate":"yesterday"}`},
	{"i/registry/set", `{"key":"k","value":null,"scope":["mk.ctl"]}`},
	{"i/registry/set", `{"key":"k","scope":[]}`},
	{"i/registry/set", `{"key":"","value":1,"scope":["a b"]}`},
	{"miauth/gen-token", `{"session":null,"permission":["read:account","read:account"]}`},
	{"miauth/gen-token", `{"session":null,"permission":[5]}`},
	{"drive/folders/create", `{"name":"` + strings.Repeat("x", 201) + `"}`},
	{"drive/folders/update", `{"folderId":"x","parentId":5}`},
	{"following/update", `{"userId":"x","notify":"sometimes"}`},
	{"following/update", `{"userId":"x","withReplies":"yes"}`},
}

// corpusCase is one body to send.
type corpusCase struct {
	endpoint, name string
	body           any
}

// corpusCases makes the bodies: each hand-made one, and for each endpoint
// its base and every mutation of one parameter at a time.
func corpusCases(t *testing.T) []corpusCase {
	var out []corpusCase
	for _, ep := range corpusEndpoints {
		spec, ok := Endpoint(ep.name)
		if !ok {
			t.Fatalf("%s: not in api.json", ep.name)
		}
		var base map[string]any
		if err := json.Unmarshal([]byte(ep.base), &base); err != nil {
			t.Fatal(err)
		}
		out = append(out, corpusCase{ep.name, "base", base})
		for _, name := range spec.Params() {
			ps := paramSchema(spec.Schema, name)
			if ps == nil {
				continue
			}
			for _, m := range mutations(ps, base[name], 0) {
				b := deepCopy(base).(map[string]any)
				if m.remove {
					delete(b, name)
				} else {
					b[name] = m.value
				}
				out = append(out, corpusCase{ep.name, name + ": " + m.name, b})
			}
			if _, present := base[name]; present {
				b := deepCopy(base).(map[string]any)
				delete(b, name)
				out = append(out, corpusCase{ep.name, name + ": missing", b})
			}
		}
	}
	for _, x := range corpusExtra {
		var b any
		if err := json.Unmarshal([]byte(x.body), &b); err != nil {
			t.Fatalf("%s: %v", x.body, err)
		}
		out = append(out, corpusCase{x.endpoint, "hand-made", b})
	}
	// The same body twice says nothing new.
	seen := map[string]bool{}
	return slices.DeleteFunc(out, func(c corpusCase) bool {
		k := c.endpoint + " " + mustJSON(c.body)
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	})
}

// paramSchema is the schema of a top-level parameter, looked up through
// allOf/anyOf/oneOf and if/then/else as collectParams does.
func paramSchema(s *Schema, name string) *Schema {
	if s == nil {
		return nil
	}
	if ps, ok := s.Property(name); ok {
		return ps
	}
	for _, group := range [][]*Schema{s.AllOf, s.AnyOf, s.OneOf, {s.If, s.Then, s.Else}} {
		for _, sub := range group {
			if ps := paramSchema(sub, name); ps != nil {
				return ps
			}
		}
	}
	return nil
}

type mutation struct {
	name   string
	value  any
	remove bool
}

// mutations are values that break one keyword of s each (types, null, length,
// pattern, format, enum, bounds, items, required properties), made from a
// valid value where there is one. depth limits the walk into items and
// properties.
func mutations(s *Schema, valid any, depth int) []mutation {
	if s == nil || s.Bool != nil || depth > 2 {
		return nil
	}
	if valid == nil {
		valid = validValue(s)
	}
	var out []mutation
	add := func(name string, v any) { out = append(out, mutation{name: name, value: v}) }
	// A value of each JSON type the schema does not allow (null among
	// them: the nulls for non-nullable parameters).
	if len(s.Types) > 0 {
		for _, c := range []struct {
			typ string
			v   any
		}{{"string", "x"}, {"number", 1.5}, {"boolean", true}, {"array", []any{}}, {"object", map[string]any{}}, {"null", nil}} {
			if !matchesAnyType(c.v, s.Types) {
				add("a "+c.typ, c.v)
			}
		}
	}
	if s.HasEnum {
		add("not in the enum", "__nope__")
	}
	if s.MaxLength != nil && *s.MaxLength < 10000 {
		add("too long", strings.Repeat("a", *s.MaxLength+1))
	}
	if s.MinLength != nil && *s.MinLength > 0 {
		add("too short", strings.Repeat("a", *s.MinLength-1))
	}
	if s.pattern != nil {
		for _, v := range []string{" ", "a b", "\u3000", "!", "-", "a.b", "1", ""} {
			if !s.pattern.MatchString(v) {
				add(fmt.Sprintf("pattern miss %q", v), v)
				break
			}
		}
	}
	if s.Format == "misskey:id" {
		add("not an id", "a-b")
	}
	if s.Maximum != nil {
		add("over the maximum", *s.Maximum+1)
	}
	if s.Minimum != nil {
		add("under the minimum", *s.Minimum-1)
	}
	if slices.Contains(s.Types, "integer") {
		add("not an integer", 0.5)
	}
	if slices.Contains(s.Types, "array") {
		item := any("a")
		if arr, ok := valid.([]any); ok && len(arr) > 0 {
			item = arr[0]
		} else if s.Items != nil {
			item = validValue(s.Items)
		}
		if s.MaxItems != nil && *s.MaxItems < 200 {
			items := make([]any, *s.MaxItems+1)
			for i := range items {
				items[i] = distinct(item, i)
			}
			add("too many items", items)
		}
		if s.MinItems != nil && *s.MinItems > 0 {
			add("too few items", []any{})
		}
		if s.UniqueItems {
			add("duplicate items", []any{item, deepCopy(item)})
		}
		if s.Items != nil {
			for _, m := range mutations(s.Items, item, depth+1) {
				if !m.remove {
					out = append(out, mutation{name: "item: " + m.name, value: []any{m.value}})
				}
			}
		}
	}
	if slices.Contains(s.Types, "object") && len(s.Properties) > 0 {
		obj, _ := valid.(map[string]any)
		if obj == nil {
			obj, _ = validValue(s).(map[string]any)
		}
		for _, r := range s.Required {
			o := deepCopy(obj).(map[string]any)
			delete(o, r)
			add("without "+r, o)
		}
		for _, p := range s.Properties {
			for _, m := range mutations(p.Schema, obj[p.Name], depth+1) {
				o := deepCopy(obj).(map[string]any)
				o[p.Name] = m.value
				add(p.Name+": "+m.name, o)
			}
		}
	}
	return out
}

// distinct makes the i-th of several items different when it is a string,
// so that maxItems, not uniqueItems, is what fails.
func distinct(item any, i int) any {
	if s, ok := item.(string); ok {
		return fmt.Sprintf("%s%d", s, i)
	}
	return deepCopy(item)
}

// validValue is a simple value of s's first type that its keywords accept
// in the common cases (enough for items and objects of the schemas used).
func validValue(s *Schema) any {
	if s == nil {
		return nil
	}
	if s.HasEnum {
		for _, v := range s.Enum {
			if v != nil {
				return v
			}
		}
	}
	t := ""
	if len(s.Types) > 0 {
		t = s.Types[0]
	}
	switch t {
	case "string":
		n := 1
		if s.MinLength != nil && *s.MinLength > n {
			n = *s.MinLength
		}
		return strings.Repeat("a", n)
	case "number", "integer":
		if s.Minimum != nil {
			return *s.Minimum
		}
		return 0.0
	case "boolean":
		return false
	case "array":
		return []any{}
	case "object":
		o := map[string]any{}
		for _, r := range s.Required {
			if ps, ok := s.Property(r); ok {
				o[r] = validValue(ps)
			}
		}
		return o
	}
	return nil
}

func mustJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only JSON values are made here
	}
	return strings.TrimSpace(buf.String())
}

// TestAccAjvCorpus sends every corpus body to the real server (as a fresh
// account, by its native token: every permission) and compares each answer
// with the recorded one, or records the file with MKCTL_AJV_RECORD=1.
func TestAccAjvCorpus(t *testing.T) {
	srv := acctest.Connect(t)
	user := srv.NewUser(t, "ajv")
	var meta struct {
		Version string `json:"version"`
	}
	srv.Must(t, "", "meta", map[string]any{"detail": false}, &meta)

	cases := corpusCases(t)
	var got []corpusEntry
	for _, c := range cases {
		body := mustJSON(c.body)
		var r *acctest.Response
		for attempt := 0; ; attempt++ {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			var err error
			r, err = srv.Call(ctx, user.NativeToken, c.endpoint, body)
			cancel()
			if err != nil {
				t.Fatalf("%s %s: %v", c.endpoint, body, err)
			}
			if r.Status != 429 || attempt > 0 {
				break
			}
			srv.ResetRateLimits(t) // limits stay on; the window starts afresh
		}
		e := corpusEntry{Endpoint: c.endpoint, Case: c.name, Body: json.RawMessage(body), Status: r.Status}
		if r.Status >= 400 {
			var answer struct {
				Error struct {
					Code string `json:"code"`
					Info struct {
						Param  string `json:"param"`
						Reason string `json:"reason"`
					} `json:"info"`
				} `json:"error"`
			}
			if err := json.Unmarshal(r.Body, &answer); err != nil {
				t.Fatalf("%s %s: %d %q: %v", c.endpoint, body, r.Status, r.Body, err)
			}
			e.Code = answer.Error.Code
			if e.Code == "INVALID_PARAM" {
				e.Param, e.Reason = answer.Error.Info.Param, answer.Error.Info.Reason
			}
		}
		got = append(got, e)
	}

	if os.Getenv("MKCTL_AJV_RECORD") == "1" {
		f := corpusFile{
			Misskey: meta.Version,
			Note:    "Answers of a real Misskey to these bodies, made and recorded by TestAccAjvCorpus (MKCTL_AJV_RECORD=1); TestAjvCorpus checks the validator against them.",
			Entries: got,
		}
		if err := os.WriteFile(filepath.FromSlash(corpusPath), encodeCorpus(f), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("recorded %d entries from Misskey %s", len(got), meta.Version)
		return
	}
	f := loadCorpus(t)
	if f.Misskey != meta.Version {
		t.Fatalf("the corpus is of Misskey %s, the server is %s: record it again (MKCTL_AJV_RECORD=1)", f.Misskey, meta.Version)
	}
	recorded := map[string]corpusEntry{}
	for _, e := range f.Entries {
		recorded[e.Endpoint+" "+string(e.Body)] = e
	}
	for _, e := range got {
		r, ok := recorded[e.Endpoint+" "+string(e.Body)]
		if !ok {
			t.Errorf("%s %s is not in the corpus: record it again (MKCTL_AJV_RECORD=1)", e.Endpoint, e.Body)
			continue
		}
		if r.Status != e.Status || r.Code != e.Code || r.Param != e.Param || r.Reason != e.Reason {
			t.Errorf("%s %s: the server now answers %d %s %q %q, the corpus has %d %s %q %q", e.Endpoint, e.Body, e.Status, e.Code, e.Param, e.Reason, r.Status, r.Code, r.Param, r.Reason)
		}
	}
	if len(got) != len(f.Entries) {
		t.Errorf("%d bodies made, %d in the corpus: record it again (MKCTL_AJV_RECORD=1)", len(got), len(f.Entries))
	}
}

// encodeCorpus writes one entry per line, so that a new recording diffs
// entry by entry.
func encodeCorpus(f corpusFile) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "{\n  \"misskey\": %s,\n  \"note\": %s,\n  \"entries\": [\n", mustJSON(f.Misskey), mustJSON(f.Note))
	for i, e := range f.Entries {
		b.WriteString("    " + mustJSON(e))
		if i < len(f.Entries)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("  ]\n}\n")
	return []byte(b.String())
}
