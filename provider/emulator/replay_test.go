package emulator

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// recordedSample is one exchange with a real Misskey 2026.5.4
// (testdata/samples/README.md).
type recordedSample struct {
	Endpoint string            `json:"endpoint"`
	Request  map[string]any    `json:"request"`
	Status   int               `json:"status"`
	Headers  map[string]string `json:"headers"`
	Response json.RawMessage   `json:"response"`
}

// replayEnv is the state a sample is replayed against: alice (the recorded
// account) and bob, and the token "<token>" stands for.
type replayEnv struct {
	t     *testing.T
	e     *Emulator
	alice *User
	bob   *User
	token string
	// compareValues also compares the values of the response's fields,
	// except those that depend on ids, time or unmodelled state.
	compareValues bool
	// violation is the kind of violation the sample must record.
	violation ViolationKind
}

// volatile are response fields whose values legitimately differ from the
// recording (ids and dates are new; the recorded account had notifications).
var volatile = []string{"id", "createdAt", "updatedAt", "unreadNotificationsCount", "hasUnreadNotification", "resetMs", "reset"}

// sampleSetups prepares the state of each replayed sample, by number.
// Every sample of an endpoint the emulator implements needs one.
var sampleSetups = map[string]func(env *replayEnv){
	"01": func(env *replayEnv) { env.compareValues = true },
	"02": func(env *replayEnv) { env.compareValues = true },
	"03": func(env *replayEnv) {},
	"04": func(env *replayEnv) {},
	"05": func(env *replayEnv) { env.compareValues = true },
	"06": func(env *replayEnv) { env.violation = ViolationInvalidParam },
	"07": func(env *replayEnv) {
		// 07 runs after 05 on the same account.
		s := loadSample(env.t, "05")
		delete(s.Request, "i")
		mustOK(env.t, post(env.t, env.e, "i/update", env.token, s.Request))
		env.compareValues = true
	},
	"11": func(env *replayEnv) {}, // i after pins: the emulator has no notes yet, the shape is the same
	"42": func(env *replayEnv) {},
	"43": func(env *replayEnv) {
		setState(env, env.token)
		env.compareValues = true
	},
	"44": func(env *replayEnv) { setState(env, env.token) },
	"45": func(env *replayEnv) {
		// Written with another token of the same user: invisible here.
		setState(env, env.e.IssueToken(env.alice.ID, allPermissions))
	},
	"46": func(env *replayEnv) { env.token = strings.Repeat("x", 32) },
	"47": func(env *replayEnv) { env.token = "" },
	"48": func(env *replayEnv) { env.token = env.e.IssueToken(env.alice.ID, []string{"read:account"}) },
}

func setState(env *replayEnv, token string) {
	a := post(env.t, env.e, "i/registry/set", token, map[string]any{"key": "state", "value": map[string]any{"v": 1}, "scope": []any{"mkctl"}})
	if a.Status != http.StatusNoContent {
		env.t.Fatalf("registry set: %d %s", a.Status, a.Body)
	}
}

func loadSample(t *testing.T, number string) recordedSample {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "samples", number+"-*.json"))
	if len(files) != 1 {
		t.Fatalf("sample %s: %v", number, files)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var s recordedSample
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatalf("%s: %v", files[0], err)
	}
	return s
}

func TestReplaySamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "samples", "*.json"))
	if err != nil || len(files) < 50 {
		t.Fatalf("samples: %v %v", files, err)
	}
	replayed := 0
	for _, f := range files {
		number := filepath.Base(f)[:2]
		s := loadSample(t, number)
		if !Implements(s.Endpoint) {
			continue
		}
		setup, ok := sampleSetups[number]
		if !ok {
			t.Errorf("%s: the emulator implements %s but the sample has no set-up in sampleSetups", filepath.Base(f), s.Endpoint)
			continue
		}
		replayed++
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			e, _ := newTestEmulator(t, Options{})
			env := &replayEnv{t: t, e: e, alice: e.CreateUser("alice"), bob: e.CreateUser("bob")}
			env.token = e.IssueToken(env.alice.ID, allPermissions)
			// The recorded account had called `i` that day (sample 01).
			mustOK(t, post(t, e, "i", env.token, nil))
			setup(env)
			got := replay(t, env, s)
			compareAnswer(t, env, s, got)
			if env.violation != "" {
				v := e.Violations()
				if len(v) != 1 || v[0].Kind != env.violation {
					t.Errorf("violations %v, want one %s", v, env.violation)
				}
				e.ResetViolations()
			}
		})
	}
	if replayed < 15 {
		t.Errorf("replayed %d samples, want at least the 15 of the endpoints implemented now", replayed)
	}
}

// replay sends the recorded request, with "<token>" replaced by the
// environment's token ("_auth": "Bearer <token>" means the header).
func replay(t *testing.T, env *replayEnv, s recordedSample) answer {
	t.Helper()
	body := map[string]any{}
	header := http.Header{"Content-Type": {"application/json"}}
	for k, v := range s.Request {
		switch {
		case k == "_auth":
			header.Set("Authorization", strings.ReplaceAll(v.(string), "<token>", env.token))
		case k == "i" && v == "<token>":
			if env.token != "" {
				body["i"] = env.token
			}
		default:
			body[k] = v
		}
	}
	data, _ := json.Marshal(body)
	return raw(t, env.e, http.MethodPost, "/api/"+s.Endpoint, header, string(data))
}

func compareAnswer(t *testing.T, env *replayEnv, s recordedSample, got answer) {
	t.Helper()
	if got.Status != s.Status {
		t.Fatalf("status %d, recorded %d; body %s", got.Status, s.Status, got.Body)
	}
	for _, h := range []string{"www-authenticate", "retry-after", "content-type"} {
		want, recorded := s.Headers[h]
		if have := got.Header.Get(h); have != want || (!recorded && have != "") {
			t.Errorf("header %s = %q, recorded %q", h, have, want)
		}
	}
	if string(s.Response) == "null" {
		if len(got.Body) != 0 {
			t.Errorf("body %q, recorded none", got.Body)
		}
		return
	}
	var want, have any
	json.Unmarshal(s.Response, &want)
	if err := json.Unmarshal(got.Body, &have); err != nil {
		t.Fatalf("body %q: %v", got.Body, err)
	}
	if wm, ok := want.(map[string]any); ok {
		if we, isErr := wm["error"].(map[string]any); isErr {
			he := have.(map[string]any)["error"].(map[string]any)
			// An error answer is deterministic: all of it must match.
			if !reflect.DeepEqual(dropKeys(we, "info"), dropKeys(he, "info")) {
				t.Errorf("error %v, recorded %v", he, we)
			}
			if we["code"] == "RATE_LIMIT_EXCEEDED" {
				return
			}
			if !reflect.DeepEqual(we["info"], he["info"]) {
				t.Errorf("error info %v, recorded %v", he["info"], we["info"])
			}
			return
		}
	}
	compareShape(t, "", want, have, env.compareValues)
}

// compareShape checks that have has the same keys as want at every level
// of objects, and — with values — the same values outside volatile fields.
func compareShape(t *testing.T, path string, want, have any, values bool) {
	t.Helper()
	switch w := want.(type) {
	case map[string]any:
		h, ok := have.(map[string]any)
		if !ok {
			t.Errorf("%s: %T, recorded an object", path, have)
			return
		}
		wk, hk := keys(w), keys(h)
		if missing, extra := diffKeys(wk, hk); len(missing)+len(extra) > 0 {
			t.Errorf("%s: missing keys %v, extra keys %v", path, missing, extra)
		}
		for _, k := range wk {
			if _, ok := h[k]; !ok || slices.Contains(volatile, k) || k == "avatarUrl" && !values {
				continue
			}
			compareShape(t, path+"."+k, w[k], h[k], values)
		}
	case []any:
		h, ok := have.([]any)
		if !ok {
			t.Errorf("%s: %T, recorded an array", path, have)
			return
		}
		if values && len(h) != len(w) {
			t.Errorf("%s: %d items, recorded %d", path, len(h), len(w))
			return
		}
		for i := range min(len(w), len(h)) {
			compareShape(t, path+"["+string(rune('0'+i%10))+"]", w[i], h[i], values)
		}
	default:
		if values && !reflect.DeepEqual(want, have) {
			t.Errorf("%s = %#v, recorded %#v", path, have, want)
		}
	}
}

func dropKeys(m map[string]any, drop ...string) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if !slices.Contains(drop, k) {
			out[k] = v
		}
	}
	return out
}

func diffKeys(want, have []string) (missing, extra []string) {
	for _, k := range want {
		if !slices.Contains(have, k) {
			missing = append(missing, k)
		}
	}
	for _, k := range have {
		if !slices.Contains(want, k) {
			extra = append(extra, k)
		}
	}
	return missing, extra
}
