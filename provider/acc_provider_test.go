package provider

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/acctest"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// Provider-level acceptance tests against the real Misskey (MKCTL_ACC=1):
// ReadAccount, PlanAccount and Apply through the Go API, the ownership
// record in the real registry, and real errors mapped to APIError. The CLI
// covers each resource kind in cmd/; these pin down what the provider
// itself relies on.

// accClient is a client for the real server with token.
func accClient(t *testing.T, srv *acctest.Server, token string, opts ...Option) *Client {
	t.Helper()
	c, err := NewClient(srv.URL, token, append([]Option{WithUserAgent("mkctl/acceptance")}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// accCtx bounds one test's calls: the real server answers in milliseconds,
// so a minute means something hangs.
func accCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// accRepresentative is a configuration with one or two of every kind.
func accRepresentative(srv *acctest.Server, u, friend *acctest.User) *schema.Account {
	yes := true
	a := account(
		folders("media", "media/icons"),
		func(a *schema.Account) {
			a.Username = u.Username
			a.Host = srv.URL
			a.Profile = &schema.Profile{Attrs: map[string]schema.ProfileValue{
				"name":        {Value: "Provider Acc"},
				"description": {Value: "made by the provider acceptance test"},
			}}
			a.PinnedNotes = []*schema.PinnedNote{
				{Label: "top", Text: "provider acc: top", Visibility: "public"},
				{Label: "bottom", Text: "provider acc: bottom", Visibility: "public"},
			}
			a.Follows = []*schema.Follow{{Acct: "@" + friend.Username, WithReplies: &yes}}
			a.UserLists = []*schema.UserList{{Name: "friends", Members: []string{"@" + friend.Username}}}
			a.Antennas = []*schema.Antenna{{Name: "friends-feed", Source: "list", UserList: "friends", Keywords: [][]string{{"hello"}}}}
		},
	)
	return a
}

// planReal reads the account from the real server and plans acct.
func planReal(t *testing.T, ctx context.Context, c *Client, acct *schema.Account) (*planner.Live, *planner.AccountPlan) {
	t.Helper()
	live, err := ReadAccount(ctx, c, acct)
	if err != nil {
		t.Fatalf("ReadAccount: %v", err)
	}
	ap, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() {
		t.Fatalf("plan: %s", diags.Error())
	}
	return live, ap
}

// changesOf lists a plan's non-noop changes as "action key".
func changesOf(ap *planner.AccountPlan) []string {
	var out []string
	for _, ch := range ap.Changes {
		if ch != nil && ch.Action != planner.ActionNoop {
			out = append(out, string(ch.Action)+" "+ch.Type+" "+ch.Key)
		}
	}
	return out
}

// TestAccProviderReadApplyOwnership: a fresh account reads as empty; the
// representative plan applies and converges; the ownership record lands in
// the real registry under the MiAuth token with the real ids, another token
// of the same user cannot see it, and that token adopts everything without
// creating a duplicate.
func TestAccProviderReadApplyOwnership(t *testing.T) {
	srv := acctest.Connect(t)
	ctx := accCtx(t)
	u := srv.NewUser(t, "pbot")
	friend := srv.NewUser(t, "pfriend")
	c := accClient(t, srv, u.MiAuth(t, mkctlPermissions...))
	acct := accRepresentative(srv, u, friend)

	// A fresh account: nothing of any kind, no record, real policies.
	live, ap := planReal(t, ctx, c, acct)
	if live.UserID != u.ID || live.Username != u.Username {
		t.Errorf("live account %s/%s, want %s/%s", live.UserID, live.Username, u.ID, u.Username)
	}
	if len(live.PinnedNotes)+len(live.Follows)+len(live.DriveFolders)+len(live.Antennas)+len(live.UserLists) != 0 || live.Ownership != nil {
		t.Errorf("a fresh account read as %+v", live)
	}
	if pl, ok := live.Policies["pinLimit"].(float64); !ok || pl < 2 {
		t.Errorf("policies: pinLimit %v, want the instance's default (a number ≥ 2)", live.Policies["pinLimit"])
	}
	if live.Users["@"+friend.Username] != friend.ID {
		t.Errorf("the friend resolved to %q, want %s", live.Users["@"+friend.Username], friend.ID)
	}
	want := []string{
		"update profile ",
		"create pinned_note pinned_note.bottom", "create pinned_note pinned_note.top",
		`create follow follow["@` + friend.Username + `"]`,
		`create drive_folder drive_folder["media"]`, `create drive_folder drive_folder["media/icons"]`,
		"create user_list user_list.friends", "create antenna antenna.friends-feed",
	}
	got := changesOf(ap)
	if !sameSet(got, want) {
		t.Fatalf("plan of the fresh account:\n got %q\nwant %q", got, want)
	}

	res, err := Apply(ctx, c, ap, nil)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if res.Added != 7 || res.Changed != 1 || res.Destroyed != 0 {
		t.Errorf("Apply result %+v, want 7 added, 1 changed", res)
	}
	live, ap = planReal(t, ctx, c, acct)
	if ch := changesOf(ap); len(ch) != 0 || len(ap.Adopt) != 0 || len(ap.Forget) != 0 {
		t.Fatalf("plan after apply: changes %q, adopt %v, forget %v; want none", ch, ap.Adopt, ap.Forget)
	}

	// The record in the registry holds every object with its real id.
	rec, err := readOwnership(ctx, c.Read, "account.main")
	if err != nil || rec == nil {
		t.Fatalf("ownership record: %v, %v", rec, err)
	}
	wantIDs := liveIDs(live)
	if gotIDs := recordIDs(rec); !maps.Equal(gotIDs, wantIDs) {
		t.Errorf("ownership record ids:\n got %v\nwant %v", gotIDs, wantIDs)
	}
	if len(rec.Intents) != 0 {
		t.Errorf("intents left in the record after a clean apply: %v", rec.Intents)
	}

	// Another token of the same user does not see it: Misskey keys the
	// registry by token (API-NOTES §7).
	c2 := accClient(t, srv, u.MiAuth(t, mkctlPermissions...))
	err = c2.Read(ctx, "i/registry/get-detail", registryParams("account.main"), nil)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "NO_SUCH_KEY" || ae.Status != 400 {
		t.Fatalf("the second token reading the record: %v, want 400 NO_SUCH_KEY", err)
	}

	// The new token adopts every object by natural key, changes nothing.
	_, ap2 := planReal(t, ctx, c2, acct)
	if ch := changesOf(ap2); len(ch) != 0 {
		t.Fatalf("plan with a new token changes %q; want only adoptions", ch)
	}
	adopted := map[string]string{}
	for _, o := range ap2.Adopt {
		adopted[o.Key] = o.ID
	}
	if !maps.Equal(adopted, wantIDs) {
		t.Errorf("adopted:\n got %v\nwant %v", adopted, wantIDs)
	}
	if _, err := Apply(ctx, c2, ap2, nil); err != nil {
		t.Fatalf("Apply of the adoptions: %v", err)
	}
	rec2, err := readOwnership(ctx, c2.Read, "account.main")
	if err != nil || rec2 == nil || !maps.Equal(recordIDs(rec2), wantIDs) {
		t.Fatalf("the new token's record: %v (err %v), want ids %v", rec2, err, wantIDs)
	}
	_, ap3 := planReal(t, ctx, c2, acct)
	if ch := changesOf(ap3); len(ch) != 0 || len(ap3.Adopt) != 0 {
		t.Errorf("plan after adopting: changes %q, adopt %v", ch, ap3.Adopt)
	}

	// Nothing duplicated on the server, read with the user's own token.
	var notes []struct {
		Text string `json:"text"`
	}
	u.Call(t, "users/notes", map[string]any{"userId": u.ID, "limit": 100}, &notes)
	if len(notes) != 2 {
		t.Errorf("the account has %d notes, want the 2 pinned ones: %+v", len(notes), notes)
	}
	var me struct {
		PinnedNotes []struct {
			Text string `json:"text"`
		} `json:"pinnedNotes"`
	}
	u.Call(t, "i", nil, &me)
	if len(me.PinnedNotes) != 2 || me.PinnedNotes[0].Text != "provider acc: top" || me.PinnedNotes[1].Text != "provider acc: bottom" {
		t.Errorf("pinned notes, top first: %+v", me.PinnedNotes)
	}
	var lists, antennas []map[string]any
	u.Call(t, "users/lists/list", nil, &lists)
	u.Call(t, "antennas/list", nil, &antennas)
	if len(lists) != 1 || len(antennas) != 1 {
		t.Errorf("%d lists and %d antennas, want 1 and 1", len(lists), len(antennas))
	}
}

// liveIDs is what the record should hold for the live account: every
// object's key and id (the profile has no entry).
func liveIDs(live *planner.Live) map[string]string {
	ids := map[string]string{}
	for _, n := range live.PinnedNotes {
		switch n.Text {
		case "provider acc: top":
			ids["pinned_note.top"] = n.ID
		case "provider acc: bottom":
			ids["pinned_note.bottom"] = n.ID
		}
	}
	for _, f := range live.Follows {
		ids[`follow["`+f.Acct+`"]`] = f.UserID
	}
	for _, f := range live.DriveFolders {
		ids[`drive_folder["`+f.Path+`"]`] = f.ID
	}
	for _, l := range live.UserLists {
		ids["user_list."+l.Name] = l.ID
	}
	for _, a := range live.Antennas {
		ids["antenna."+a.Name] = a.ID
	}
	return ids
}

func recordIDs(rec *planner.Ownership) map[string]string {
	ids := map[string]string{}
	for k, o := range rec.Objects {
		ids[k] = o.ID
	}
	return ids
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b)
}

// TestAccProviderRealErrors: real error answers become typed APIErrors with
// the endpoint, Misskey's code, id and kind, and a hint that says what to do;
// the token never shows.
func TestAccProviderRealErrors(t *testing.T) {
	srv := acctest.Connect(t)
	ctx := accCtx(t)
	u := srv.NewUser(t, "perr")

	t.Run("bad token", func(t *testing.T) {
		const bad = "notAToken0123456789abcdefABCDEF99" // the shape of a MiAuth token
		c := accClient(t, srv, bad)
		err := c.Read(ctx, "i", nil, nil)
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Fatalf("a bad token: %v, want an APIError", err)
		}
		if ae.Endpoint != "i" || ae.Status != 401 || ae.Code != "AUTHENTICATION_FAILED" || ae.ID != "b0a7f5f8-dc2f-4171-b91f-de88ad238e14" {
			t.Errorf("got %+v, want i 401 AUTHENTICATION_FAILED b0a7f5f8-…", ae)
		}
		hint := ae.Hint()
		// http:// stays in the command: login would assume https otherwise.
		if !strings.Contains(hint, "MKCTL_TOKEN") || !strings.Contains(hint, "`mkctl login --host "+srv.URL+"`") {
			t.Errorf("hint %q: want it to name MKCTL_TOKEN and the login command for this host", hint)
		}
		// Through ReadAccount, the way plan meets it.
		_, err = ReadAccount(ctx, c, account(func(a *schema.Account) { a.Username = u.Username; a.Host = srv.URL }))
		if !IsCode(err, "AUTHENTICATION_FAILED") || !strings.Contains(err.Error(), "i: Misskey answered 401 AUTHENTICATION_FAILED") {
			t.Errorf("ReadAccount with a bad token: %v", err)
		}
		for _, s := range []string{err.Error(), ae.Error(), hint} {
			if strings.Contains(s, bad) {
				t.Errorf("the token shows in %q", s)
			}
		}
	})

	t.Run("missing permission", func(t *testing.T) {
		token := u.MiAuth(t, "read:account", "write:account")
		c := accClient(t, srv, token)
		err := c.Write(ctx, "notes/create", map[string]any{"text": "must not be posted"}, nil)
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Fatalf("notes/create without write:notes: %v, want an APIError", err)
		}
		if ae.Endpoint != "notes/create" || ae.Status != 403 || ae.Code != "PERMISSION_DENIED" ||
			ae.ID != "1370e5b7-d4eb-4566-bb1d-7748ee6a1838" || ae.Kind != "permission" {
			t.Errorf("got %+v, want notes/create 403 PERMISSION_DENIED 1370e5b7-… kind permission", ae)
		}
		if hint := ae.Hint(); !strings.Contains(hint, "write:notes") || !strings.Contains(hint, "notes/create") {
			t.Errorf("hint %q: want it to name write:notes and notes/create", hint)
		}
		if strings.Contains(err.Error(), token) {
			t.Error("the token shows in the error")
		}

		// The probes find exactly what is missing, on the real server,
		// without changing anything.
		missing, err := ProbePermissions(ctx, c, []string{
			"read:account", "write:account", "read:following", "write:following", "write:notes", "read:drive", "write:drive",
			"read:blocks", "write:blocks", "read:mutes", "write:mutes",
		})
		if err != nil {
			t.Fatalf("ProbePermissions: %v", err)
		}
		if want := []string{"read:following", "write:following", "write:notes", "read:drive", "write:drive", "read:blocks", "write:blocks", "read:mutes", "write:mutes"}; !slices.Equal(missing, want) {
			t.Errorf("probes say missing %v, want %v", missing, want)
		}
		var notes []map[string]any
		u.Call(t, "users/notes", map[string]any{"userId": u.ID, "limit": 10}, &notes)
		if len(notes) != 0 {
			t.Errorf("the account has %d notes after refused calls", len(notes))
		}
	})

	t.Run("invalid param", func(t *testing.T) {
		c := accClient(t, srv, u.MiAuth(t, mkctlPermissions...))
		err := c.Write(ctx, "drive/folders/create", map[string]any{"name": strings.Repeat("x", 201)}, nil)
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != 400 || ae.Code != "INVALID_PARAM" || ae.ID != "3d81ceae-475f-4600-b2a8-2bc116157532" {
			t.Fatalf("a too-long folder name: %v, want 400 INVALID_PARAM", err)
		}
		if !strings.Contains(ae.Error(), "(param #/properties/name/maxLength") {
			t.Errorf("the message %q does not name the parameter", ae.Error())
		}
	})
}
