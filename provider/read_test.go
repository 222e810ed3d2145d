package provider

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/schema"
)

func profileManaging(names ...string) *schema.Profile {
	p := &schema.Profile{Attrs: map[string]schema.ProfileValue{}}
	for _, n := range names {
		p.Attrs[n] = schema.ProfileValue{}
	}
	return p
}

func TestReadAccount(t *testing.T) {
	me := loadSample(t, "01")
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		if noRecord(t, w, req) {
			return
		}
		if req.Endpoint != "i" {
			t.Errorf("unexpected call to %s", req.Endpoint)
		}
		me.write(w)
	})
	c, _ := newTestClient(t, fs.URL)
	acct := &schema.Account{Label: "weather", Host: fs.URL, Username: "Alice", Profile: profileManaging("name", "also_known_as")}
	live, err := ReadAccount(context.Background(), c, acct)
	if err != nil {
		t.Fatal(err)
	}
	if live.UserID != "au12na4bvr920004" || live.Username != "alice" {
		t.Errorf("live = %s/%s", live.UserID, live.Username)
	}
	if live.Profile["chatScope"] != "mutual" || live.Profile["publicReactions"] != true {
		t.Errorf("profile not filled from i: %v", live.Profile["chatScope"])
	}
	if live.Policies["mentionLimit"] != float64(20) {
		t.Errorf("policies = %v", live.Policies)
	}
	// alsoKnownAs is null in the sample: nothing to resolve. A
	// profile-only account costs `i` and the ownership record.
	if n := len(fs.requests("")); n != 2 || len(fs.requests("i/registry/get-detail")) != 1 {
		t.Errorf("%d calls, want only i and i/registry/get-detail", n)
	}
	if live.Ownership != nil || len(live.Follows) != 0 || live.DriveFolders != nil {
		t.Errorf("live = %+v", live)
	}
}

func TestReadAccountMismatch(t *testing.T) {
	me := loadSample(t, "01")
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) { me.write(w) })
	c, _ := newTestClient(t, fs.URL)
	acct := &schema.Account{Label: "weather", Host: fs.URL, Username: "weatherbot"}
	_, err := ReadAccount(context.Background(), c, acct)
	var mm *AccountMismatchError
	if !errors.As(err, &mm) {
		t.Fatalf("err = %v, want *AccountMismatchError", err)
	}
	want := `the token belongs to @alice, but account.weather declares username = "weatherbot"; use that account's token`
	if err.Error() != want {
		t.Errorf("got  %q\nwant %q", err, want)
	}
}

func TestReadAccountPassesAPIErrors(t *testing.T) {
	s := loadSample(t, "46")
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) { s.write(w) })
	c, _ := newTestClient(t, fs.URL)
	_, err := ReadAccount(context.Background(), c, &schema.Account{Label: "weather", Username: "alice"})
	if !IsCode(err, "AUTHENTICATION_FAILED") {
		t.Fatalf("err = %v", err)
	}
}

func TestReadAccountResolvesAlsoKnownAs(t *testing.T) {
	s := loadSample(t, "01")
	meResp := s.responseMap(t)
	meResp["alsoKnownAs"] = []any{"remote1", "local1", "remote1", "gone1"}
	bob := loadSample(t, "02").responseMap(t) // a local user: host null
	bob["id"] = "local1"
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		if noRecord(t, w, req) {
			return
		}
		switch req.Endpoint {
		case "i":
			writeJSON(w, 200, meResp)
		case "users/show":
			// Answers in request order and drops unknown ids, like Misskey.
			writeJSON(w, 200, []any{
				map[string]any{"id": "remote1", "username": "carol", "host": "Remote.Example"},
				bob,
			})
		default:
			t.Errorf("unexpected call to %s", req.Endpoint)
		}
	})
	c, _ := newTestClient(t, fs.URL)
	acct := &schema.Account{Label: "weather", Host: fs.URL, Username: "alice", Profile: profileManaging("also_known_as")}
	live, err := ReadAccount(context.Background(), c, acct)
	if err != nil {
		t.Fatal(err)
	}
	calls := fs.requests("users/show")
	if len(calls) != 1 {
		t.Fatalf("%d users/show calls, want 1", len(calls))
	}
	if got, want := calls[0].Body["userIds"], []any{"remote1", "local1", "gone1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("userIds = %v, want %v (deduplicated)", got, want)
	}
	localHost := strings.TrimPrefix(fs.URL, "http://")
	want := []any{"@bob@" + localHost, "@carol@remote.example"}
	if !reflect.DeepEqual(live.Profile["alsoKnownAs"], want) {
		t.Errorf("alsoKnownAs = %v, want %v", live.Profile["alsoKnownAs"], want)
	}
}

func TestReadAccountSkipsUsersShowWhenNotNeeded(t *testing.T) {
	s := loadSample(t, "01")
	withAliases := s.responseMap(t)
	withAliases["alsoKnownAs"] = []any{"remote1"}
	empty := s.responseMap(t)
	empty["alsoKnownAs"] = []any{}
	cases := []struct {
		name    string
		me      map[string]any
		profile *schema.Profile
	}{
		{"no profile block", withAliases, nil},
		{"also_known_as not managed", withAliases, profileManaging("name")},
		{"empty list", empty, profileManaging("also_known_as")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) { writeJSON(w, 200, tc.me) })
			c, _ := newTestClient(t, fs.URL)
			live, err := ReadAccount(context.Background(), c, &schema.Account{Label: "a", Username: "alice", Profile: tc.profile})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(fs.requests("users/show")); n != 0 {
				t.Errorf("%d users/show calls, want 0", n)
			}
			if !reflect.DeepEqual(live.Profile["alsoKnownAs"], tc.me["alsoKnownAs"]) {
				t.Errorf("alsoKnownAs changed to %v", live.Profile["alsoKnownAs"])
			}
		})
	}
}

func TestReadAccountAliasErrorIsReported(t *testing.T) {
	s := loadSample(t, "01")
	me := s.responseMap(t)
	me["alsoKnownAs"] = []any{"x1"}
	failed := loadSample(t, "04")
	fs := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, req recorded, n int) {
		if noRecord(t, w, req) {
			return
		}
		if req.Endpoint == "i" {
			writeJSON(w, 200, me)
			return
		}
		failed.write(w)
	})
	c, _ := newTestClient(t, fs.URL)
	_, err := ReadAccount(context.Background(), c, &schema.Account{Label: "a", Username: "alice", Profile: profileManaging("also_known_as")})
	if !IsCode(err, "FAILED_TO_RESOLVE_REMOTE_USER") || !strings.HasPrefix(err.Error(), "resolving also_known_as: users/show: ") {
		t.Fatalf("err = %v", err)
	}
}

// noRecord answers i/registry/get-detail as Misskey does for a token
// without an ownership record (NO_SUCH_KEY).
func noRecord(t *testing.T, w http.ResponseWriter, req recorded) bool {
	if req.Endpoint != "i/registry/get-detail" {
		return false
	}
	// The record of each configured account has its own key.
	if key, _ := req.Body["key"].(string); !strings.HasPrefix(key, "ownership:account.") || !reflect.DeepEqual(req.Body["scope"], []any{"mkctl"}) {
		t.Errorf("registry read %s", req.Raw)
	}
	writeJSON(w, 400, map[string]any{"error": map[string]any{
		"message": "No such key.", "code": "NO_SUCH_KEY", "id": "97a1e8e7-c0f7-47d2-957a-92e61256e01a", "kind": "client",
	}})
	return true
}
