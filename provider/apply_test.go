package provider

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"sort"
	"testing"

	"github.com/mkctl/mkctl/planner"
)

func profilePlan(attrs ...planner.AttrChange) *planner.AccountPlan {
	return &planner.AccountPlan{
		Address:  "account.weather",
		Username: "alice",
		UserID:   "au12na4bvr920004",
		Changes: []*planner.Change{{
			Address: "account.weather.profile", Type: "profile", Action: planner.ActionUpdate, Attrs: attrs,
		}},
	}
}

// applyServer answers i with sample 01 and i/update with update (sample 05
// unless a test overrides it).
func applyServer(t *testing.T, update string) *fakeServer {
	me := loadSample(t, "01")
	upd := loadSample(t, update)
	return newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		switch req.Endpoint {
		case "i":
			me.write(w)
		case "i/update":
			upd.write(w)
		default:
			t.Errorf("unexpected call to %s", req.Endpoint)
		}
	})
}

func TestApplyProfile(t *testing.T) {
	fs := applyServer(t, "05")
	c, _ := newTestClient(t, fs.URL)
	fields := []any{map[string]any{"name": "Src", "value": "https://example.org"}}
	ap := profilePlan(
		planner.AttrChange{Name: "name", Before: nil, After: "Sample Bot"},
		planner.AttrChange{Name: "description", Before: "old bio", After: nil},
		planner.AttrChange{Name: "is_bot", Before: false, After: true},
		planner.AttrChange{Name: "fields", Before: []any{}, After: fields},
		planner.AttrChange{Name: "also_known_as", Before: []any{}, After: []any{"@carol@remote.example"}},
	)
	var events []Event
	res, err := Apply(context.Background(), c, ap, func(e Event) { events = append(events, e) })
	if err != nil {
		t.Fatal(err)
	}
	if res != (Result{Changed: 1}) {
		t.Errorf("result = %+v", res)
	}
	calls := fs.requests("i/update")
	if len(calls) != 1 {
		t.Fatalf("%d i/update calls, want 1", len(calls))
	}
	body := calls[0].Body
	var keys []string
	for k := range body {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if want := []string{"alsoKnownAs", "description", "fields", "isBot", "name"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("i/update keys = %v, want %v", keys, want)
	}
	if v, ok := body["description"]; !ok || v != nil {
		t.Errorf("description = %#v (present %v), want JSON null", v, ok)
	}
	if body["name"] != "Sample Bot" || body["isBot"] != true || !reflect.DeepEqual(body["fields"], fields) ||
		!reflect.DeepEqual(body["alsoKnownAs"], []any{"@carol@remote.example"}) {
		t.Errorf("i/update body = %s", calls[0].Raw)
	}
	if len(events) != 2 ||
		events[0] != (Event{Address: "account.weather.profile", Action: planner.ActionUpdate, Phase: PhaseStart}) ||
		events[1].Phase != PhaseDone || events[1].Address != "account.weather.profile" || events[1].Err != nil {
		t.Errorf("events = %+v", events)
	}
}

func TestApplyNothingToSend(t *testing.T) {
	fs := applyServer(t, "05")
	c, _ := newTestClient(t, fs.URL)
	// No attrs: nothing to send, so no i/update (it costs a rate-limit slot
	// and republishes the profile to every follower).
	if _, err := Apply(context.Background(), c, profilePlan(), nil); err != nil {
		t.Fatal(err)
	}
	noop := &planner.AccountPlan{Address: "account.weather", Username: "alice",
		Changes: []*planner.Change{{Address: "account.weather.profile", Type: "profile", Action: planner.ActionNoop}}}
	res, err := Apply(context.Background(), c, noop, nil)
	if err != nil || res != (Result{}) {
		t.Fatalf("res %+v err %v", res, err)
	}
	if n := len(fs.requests("i/update")); n != 0 {
		t.Errorf("%d i/update calls, want 0", n)
	}
	if n := len(fs.requests("i")); n != 1 {
		t.Errorf("%d i calls, want 1 (only for the plan with a change)", n)
	}
}

func TestApplyFailure(t *testing.T) {
	fs := applyServer(t, "06")
	c, _ := newTestClient(t, fs.URL)
	var events []Event
	res, err := Apply(context.Background(), c, profilePlan(planner.AttrChange{Name: "name", After: ""}), func(e Event) { events = append(events, e) })
	if !IsCode(err, "INVALID_PARAM") {
		t.Fatalf("err = %v", err)
	}
	if err.Error() != "account.weather.profile: i/update: Misskey answered 400 INVALID_PARAM: Invalid param. (param #/properties/name/minLength: must NOT have fewer than 1 characters)" {
		t.Errorf("err = %q", err)
	}
	if res != (Result{}) {
		t.Errorf("result = %+v, want nothing counted", res)
	}
	if len(events) != 2 || events[1].Phase != PhaseFailed || !IsCode(events[1].Err, "INVALID_PARAM") {
		t.Errorf("events = %+v", events)
	}
}

func TestApplyRejectsBeforeWriting(t *testing.T) {
	cases := map[string]*planner.AccountPlan{
		"unknown type": {Address: "account.weather", Username: "alice", Changes: []*planner.Change{
			{Address: "account.weather.profile", Type: "profile", Action: planner.ActionUpdate, Attrs: []planner.AttrChange{{Name: "name", After: "x"}}},
			{Address: "account.weather.widget", Type: "widget", Action: planner.ActionCreate},
		}},
		"unknown attribute":  profilePlan(planner.AttrChange{Name: "name", After: "x"}, planner.AttrChange{Name: "nickname", After: "x"}),
		"profile delete":     {Address: "account.weather", Username: "alice", Changes: []*planner.Change{{Address: "account.weather.profile", Type: "profile", Action: planner.ActionDelete}}},
		"other account name": {Address: "account.weather", Username: "weatherbot", Changes: profilePlan(planner.AttrChange{Name: "name", After: "x"}).Changes},
		"other user id":      {Address: "account.weather", Username: "alice", UserID: "someoneelse", Changes: profilePlan(planner.AttrChange{Name: "name", After: "x"}).Changes},
	}
	for name, ap := range cases {
		t.Run(name, func(t *testing.T) {
			fs := applyServer(t, "05")
			c, _ := newTestClient(t, fs.URL)
			_, err := Apply(context.Background(), c, ap, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if n := len(fs.requests("i/update")); n != 0 {
				t.Errorf("%d i/update calls, want 0", n)
			}
			if name == "other account name" || name == "other user id" {
				var mm *AccountMismatchError
				if !errors.As(err, &mm) {
					t.Errorf("err = %v, want *AccountMismatchError", err)
				}
			}
		})
	}
}
