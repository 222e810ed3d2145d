package emulator

import (
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The structural comparator of the conformance test: it compares an answer
// of the emulator with the real server's answer to the same request. Ids,
// dates, URLs and tokens differ legitimately between two servers; keys,
// JSON types, null versus absent, list lengths and order, booleans, numbers
// and other strings must not.
//
// Ids are compared through symbols: the first time an id appears (under a
// key "id", "…Id" or in a "…Ids" array) at the same place in both answers,
// the two values are bound to one symbol; afterwards each side's value must
// carry the same symbol as the other side's. That is what checks list
// order (pinnedNoteIds newest-pinned first, pagination) and references
// between steps, although no id is ever the same on both servers.

// symbols binds the values of one side (emulator or real server) to
// symbolic names shared by both sides.
type symbols map[string]string

// difference is one way the emulator's answer differs from the server's.
type difference struct {
	Path string // JSON path, ".a.b[2].c"; "(status)" etc. for the envelope
	What string
}

// key is how an allow-list pattern sees a difference: array indexes are
// dropped so that one entry covers every element of a list.
func (d difference) key() string {
	return arrayIndex.ReplaceAllString(d.Path, "[]") + ": " + d.What
}

func (d difference) String() string { return d.Path + ": " + d.What }

var arrayIndex = regexp.MustCompile(`\[\d+\]`)

// volatileKeys hold values that legitimately differ between two servers
// even for the same story: dates, URLs derived from ids or hosts, secrets,
// per-instance counters. Only their presence and JSON type are compared.
var volatileKeys = map[string]bool{
	"createdAt": true, "updatedAt": true, "lastUsedAt": true, "lastFetchedAt": true,
	"token": true, "avatarUrl": true, "avatarBlurhash": true, "url": true, "uri": true,
	// A blurhash is computed from the pixels as sharp scales them: the
	// emulator gives one of the same form (fakeBlurhash), not the same value.
	"blurhash": true, "bannerBlurhash": true,
	"reset": true, "resetMs": true, "scheduledAt": true, "message": false, // error messages are deterministic: compared
}

// idLike reports whether a value under key is an id to bind to a symbol.
func idLike(key string, inArrayOf string) bool {
	return key == "id" || strings.HasSuffix(key, "Id") || strings.HasSuffix(inArrayOf, "Ids")
}

// comparer holds both sides' symbols across the steps of one sequence.
type comparer struct {
	emu, real symbols
	next      int
	// shapeOnly compares keys, types and lengths but no values (a live
	// answer against a recording made with other accounts).
	shapeOnly bool
	// anyLength also accepts lists of other lengths (racy answers); the
	// items both have are still compared.
	anyLength bool
	// names of the two sides in differences: the value compared, and the
	// reference it is compared with.
	this, ref string
}

func newComparer() *comparer {
	return &comparer{emu: symbols{}, real: symbols{}, this: "emulator", ref: "real"}
}

// bind gives one symbol to a value on each side (a user's id, username).
func (c *comparer) bind(name, emu, real string) {
	c.emu[emu] = name
	c.real[real] = name
}

// compare returns the differences between the emulator's value and the
// real server's, binding ids seen for the first time.
func (c *comparer) compare(emu, real any) []difference {
	var out []difference
	c.walk("", "", "", emu, real, &out)
	return out
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

func (c *comparer) walk(path, key, arrayKey string, emu, real any, out *[]difference) {
	add := func(format string, args ...any) {
		*out = append(*out, difference{Path: path, What: fmt.Sprintf(format, args...)})
	}
	if te, tr := jsonType(emu), jsonType(real); te != tr {
		add("type %s, %s %s", te, c.ref, tr)
		return
	}
	switch r := real.(type) {
	case map[string]any:
		e := emu.(map[string]any)
		for _, k := range keys(r) {
			if _, ok := e[k]; !ok {
				*out = append(*out, difference{Path: path + "." + k, What: "missing in " + c.this})
			}
		}
		for _, k := range keys(e) {
			if _, ok := r[k]; !ok {
				*out = append(*out, difference{Path: path + "." + k, What: "extra in " + c.this})
				continue
			}
			c.walk(path+"."+k, k, "", e[k], r[k], out)
		}
	case []any:
		e := emu.([]any)
		if unorderedKeys[key] {
			e, r = c.sortByID(e, c.emu).([]any), c.sortByID(r, c.real).([]any)
		}
		if len(e) != len(r) && !c.anyLength {
			add("%d items, %s %d", len(e), c.ref, len(r))
		}
		for i := range min(len(e), len(r)) {
			c.walk(fmt.Sprintf("%s[%d]", path, i), "", key, e[i], r[i], out)
		}
	case string:
		if c.shapeOnly {
			return
		}
		e := emu.(string)
		se, sr := c.emu[e], c.real[r]
		switch {
		case se != "" || sr != "":
			if se != sr {
				add("%s, %s %s", symbolOr(se, e), c.ref, symbolOr(sr, r))
			}
		case idLike(key, arrayKey):
			c.next++
			c.bind(fmt.Sprintf("#%d%s", c.next, path), e, r)
		case volatileKeys[key] || looksVolatile(e) && looksVolatile(r):
			if ke, kr := fileURLKind(e), fileURLKind(r); ke != kr {
				add("%s file URL, %s %s", ke, c.ref, kr)
			}
		case e != r && substSymbols(e, c.emu) != substSymbols(r, c.real):
			// (Ids inside a text, as in an error message, count through
			// their symbols.)
			add("%q, %s %q", e, c.ref, r)
		}
	case float64:
		if e := emu.(float64); e != r && !volatileKeys[key] && !c.shapeOnly {
			add("%v, %s %v", e, c.ref, r)
		}
	case bool:
		if e := emu.(bool); e != r && !c.shapeOnly {
			add("%v, %s %v", e, c.ref, r)
		}
	}
}

// substSymbols replaces the bound ids and names inside a text with their
// symbols.
func substSymbols(s string, syms symbols) string {
	for v, sym := range syms {
		if len(v) >= 8 && strings.Contains(s, v) {
			s = strings.ReplaceAll(s, v, sym)
		}
	}
	return s
}

// sortByID orders a list by the symbols of its items — strings, or
// objects by their "id" — (values not bound yet sort last, by value), for
// lists whose order the server does not define.
func (c *comparer) sortByID(v any, syms symbols) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	sortKey := func(item any) string {
		id, isString := item.(string)
		if !isString {
			m, _ := item.(map[string]any)
			id, _ = m["id"].(string)
		}
		if sym, ok := syms[id]; ok {
			return "0" + sym
		}
		return "1" + id
	}
	out := slices.Clone(list)
	slices.SortStableFunc(out, func(a, b any) int { return strings.Compare(sortKey(a), sortKey(b)) })
	return out
}

// unorderedKeys are arrays the server fills without an ORDER BY: a user
// list's userIds (UserListEntityService reads the memberships unordered).
var unorderedKeys = map[string]bool{"userIds": true}

func symbolOr(sym, v string) string {
	if sym != "" {
		return sym
	}
	return fmt.Sprintf("unbound %q", v)
}

// fileURLKind tells which copy of a drive file a URL (or a media-proxy
// URL of one) names — "webpublic", "thumbnail" or "original" — and "" for
// other values. The keys are random on each server; the copy is not.
func fileURLKind(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		s = u
	}
	i := strings.LastIndex(s, "/files/")
	if i < 0 {
		return ""
	}
	switch rest := s[i+len("/files/"):]; {
	case strings.HasPrefix(rest, "webpublic-"):
		return "webpublic"
	case strings.HasPrefix(rest, "thumbnail-"):
		return "thumbnail"
	}
	return "original"
}

// looksVolatile: a date or a URL, whatever the key.
func looksVolatile(s string) bool {
	if _, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return true
	}
	return strings.Contains(s, "://")
}

// globMatch matches s against a pattern where * stands for any run of
// characters (spaces and slashes included) and everything else is literal.
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// The comparator's own tests: they always run, without a server.

func TestConformanceComparatorShapes(t *testing.T) {
	c := newComparer()
	c.bind("$a.id", "emuA", "realA")
	emu := map[string]any{
		"id": "e1", "userId": "emuA", "createdAt": "2026-01-01T00:00:00.000Z", "name": "x",
		"extra": 1.0, "count": 2.0, "flag": true, "list": []any{"e1"}, "nul": nil, "obj": map[string]any{},
	}
	real := map[string]any{
		"id": "r1", "userId": "realA", "createdAt": "2026-05-05T10:00:00.000Z", "name": "x",
		"missing": "m", "count": 3.0, "flag": false, "list": []any{"r1", "r1"}, "nul": "s", "obj": []any{},
	}
	var got []string
	for _, d := range c.compare(emu, real) {
		got = append(got, d.key())
	}
	want := []string{
		".missing: missing in emulator",
		".count: 2, real 3",
		".extra: extra in emulator",
		".flag: true, real false",
		".list: 1 items, real 2",
		`.nul: type null, real string`,
		".obj: type object, real array",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("differences\n got %q\nwant %q", got, want)
	}
	// "e1"/"r1" were bound by the first answer: swapping the order of a
	// list with a new id is seen.
	c.bind("$n2", "e2", "r2")
	ds := c.compare([]any{"e1", "e2"}, []any{"r2", "r1"})
	if len(ds) != 2 || !strings.Contains(ds[0].What, "#1.id, real $n2") {
		t.Errorf("order not seen: %v", ds)
	}
	if ds := c.compare([]any{"e1", "e2"}, []any{"r1", "r2"}); len(ds) != 0 {
		t.Errorf("same order reported: %v", ds)
	}
	// userIds has no defined order: the same members in another order
	// are no difference, another member is.
	if ds := c.compare(map[string]any{"userIds": []any{"e2", "e1"}}, map[string]any{"userIds": []any{"r1", "r2"}}); len(ds) != 0 {
		t.Errorf("unordered userIds reported: %v", ds)
	}
	if ds := c.compare(map[string]any{"userIds": []any{"e2", "e2"}}, map[string]any{"userIds": []any{"r1", "r2"}}); len(ds) == 0 {
		t.Errorf("other userIds not seen")
	}
	// A known id against a new one.
	if ds := c.compare(map[string]any{"noteId": "e2"}, map[string]any{"noteId": "r9"}); len(ds) != 1 {
		t.Errorf("known vs unbound id not seen: %v", ds)
	}
}

func TestConformanceGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"a", "a", true},
		{"a", "ab", false},
		{"*", "anything at/all", true},
		{"i/pin#2 *.badgeRoles: missing*", "i/pin#2 i/pin .user.badgeRoles: missing in emulator", true},
		{"*x*y", "axbyy", true},
		{"*x*y", "axbyz", false},
		{"sample/0* (status)*", "sample/04-users-show (status): 500, real 404", true},
	} {
		if got := globMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v", tc.pattern, tc.s, got)
		}
	}
}

func TestConformanceFileURLKinds(t *testing.T) {
	c := newComparer()
	proxied := "http://h/proxy/avatar.webp?url=http%3A%2F%2Fh%2Ffiles%2Fwebpublic-1&avatar=1"
	if ds := c.compare(map[string]any{"url": "http://h/files/webpublic-1", "avatarUrl": proxied}, map[string]any{"url": "http://h/files/webpublic-2", "avatarUrl": proxied}); len(ds) != 0 {
		t.Errorf("same kinds: %v", ds)
	}
	ds := c.compare(map[string]any{"url": "http://h/files/abc", "thumbnailUrl": "http://h/files/thumbnail-1"}, map[string]any{"url": "http://h/files/webpublic-2", "thumbnailUrl": "http://h/files/thumbnail-2"})
	if len(ds) != 1 || ds[0].key() != ".url: original file URL, real webpublic" {
		t.Errorf("another copy: %v", ds)
	}
}
