package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkctl/mkctl/internal/credentials"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

func resolverFor(t *testing.T, env map[string]string, n int) (*tokenResolver, *[]string) {
	t.Helper()
	var warnings []string
	r := &tokenResolver{getenv: func(k string) string { return env[k] }, accounts: n, warn: func(m string) { warnings = append(warnings, m) }}
	return r, &warnings
}

func TestTokenPrecedence(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"XDG_CONFIG_HOME": dir}
	store := &credentials.Store{Path: filepath.Join(dir, "mkctl", credentials.FileName)}
	for _, c := range []credentials.Credential{
		{Host: "https://a.example", Username: "Weather", Token: "stored-weather", Permissions: []string{"read:account"}},
		{Host: "https://a.example", Username: "rain", Token: "stored-rain"},
	} {
		if _, err := store.Put(c); err != nil {
			t.Fatal(err)
		}
	}
	weather := &schema.Account{Label: "weather", Host: "https://a.example", Username: "weather"}

	// 3. the stored credential (usernames compare case-insensitively)
	r, _ := resolverFor(t, env, 1)
	rt, err := r.tokenFor(weather)
	if err != nil || rt.Token != "stored-weather" || rt.Source != tokenFromStore || rt.StorePath != store.Path {
		t.Fatalf("stored: %+v, %v", rt, err)
	}
	if perms, known := rt.permissions(); !known || strings.Join(perms, ",") != "read:account" {
		t.Errorf("stored permissions %v %v", perms, known)
	}
	if !strings.Contains(rt.describe(), store.Path) || strings.Contains(rt.describe(), "stored-weather") {
		t.Errorf("describe: %s", rt.describe())
	}

	// 2. MKCTL_TOKEN, with one account
	env["MKCTL_TOKEN"] = "shared"
	r, _ = resolverFor(t, env, 1)
	rt, _ = r.tokenFor(weather)
	if rt.Token != "shared" || rt.Source != tokenFromSharedEnv {
		t.Errorf("shared: %+v", rt)
	}
	if _, known := rt.permissions(); known {
		t.Error("an environment token's permissions are known")
	}
	// ...but not with two: the stored one then
	r, _ = resolverFor(t, env, 2)
	if rt, _ := r.tokenFor(weather); rt.Token != "stored-weather" {
		t.Errorf("two accounts: %+v", rt)
	}

	// 1. MKCTL_TOKEN_<ACCOUNT>
	env["MKCTL_TOKEN_WEATHER"] = "own"
	r, _ = resolverFor(t, env, 1)
	if rt, _ := r.tokenFor(weather); rt.Token != "own" || rt.EnvVar != "MKCTL_TOKEN_WEATHER" {
		t.Errorf("own: %+v", rt)
	}
	// for_each instances have their own variable
	inst := &schema.Account{Label: "fleet", Key: "rain", Host: "https://a.example", Username: "rain"}
	env["MKCTL_TOKEN_FLEET_RAIN"] = "fleet-rain"
	if rt, _ := r.tokenFor(inst); rt.Token != "fleet-rain" {
		t.Errorf("for_each: %+v", rt)
	}
}

func TestMissingTokenSaysHowToLogIn(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"XDG_CONFIG_HOME": dir}
	store := &credentials.Store{Path: filepath.Join(dir, "mkctl", credentials.FileName)}
	if _, err := store.Put(credentials.Credential{Host: "https://a.example", Username: "alice", Token: "x"}); err != nil {
		t.Fatal(err)
	}
	bob := &schema.Account{Label: "bob", Host: "https://a.example", Username: "bob"}
	r, _ := resolverFor(t, env, 1)
	_, err := r.tokenFor(bob)
	want := "no token for account.bob (@bob on https://a.example): set MKCTL_TOKEN or MKCTL_TOKEN_BOB, or run `mkctl login --host a.example`"
	if err == nil || err.Error() != want {
		t.Fatalf("got  %v\nwant %s", err, want)
	}
	hint := err.(*missingTokenError).Hint()
	if !strings.Contains(hint, "signed in as @bob") || !strings.Contains(hint, "belong to @alice, not @bob") {
		t.Errorf("hint: %s", hint)
	}
	r, _ = resolverFor(t, env, 3)
	if _, err := r.tokenFor(bob); err == nil || !strings.Contains(err.Error(), "set MKCTL_TOKEN_BOB (MKCTL_TOKEN is used only when the configuration declares one account), or run `mkctl login --host a.example`") {
		t.Errorf("three accounts: %v", err)
	}
	loopback := &schema.Account{Label: "l", Host: "http://127.0.0.1:3000", Username: "bob"}
	if _, err := r.tokenFor(loopback); err == nil || !strings.Contains(err.Error(), "`mkctl login --host http://127.0.0.1:3000`") {
		t.Errorf("loopback: %v", err)
	}
}

func TestBrokenCredentialsFileMattersOnlyWhenNeeded(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "mkctl", credentials.FileName)
	os.MkdirAll(filepath.Dir(path), 0o700)
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"XDG_CONFIG_HOME": dir, "MKCTL_TOKEN_A": "env"}
	a := &schema.Account{Label: "a", Host: "https://a.example", Username: "a"}
	b := &schema.Account{Label: "b", Host: "https://a.example", Username: "b"}
	r, warnings := resolverFor(t, env, 2)
	if rt, err := r.tokenFor(a); err != nil || rt.Token != "env" {
		t.Fatalf("%+v, %v", rt, err)
	}
	if len(*warnings) != 0 {
		t.Errorf("the file was read although the environment had the token: %v", *warnings)
	}
	_, err := r.tokenFor(b)
	if err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("%v", err)
	}
	// Read once, warned once, however many accounts.
	r.tokenFor(b)
	if len(*warnings) != 1 || !strings.Contains((*warnings)[0], "chmod 600") {
		t.Errorf("warnings %v", *warnings)
	}
}

func TestPlanPermissions(t *testing.T) {
	ap := func(changes ...*planner.Change) *planner.AccountPlan {
		return &planner.AccountPlan{Address: "account.a", Changes: changes}
	}
	kinds := func(need map[string][]string) string {
		var k []string
		for _, p := range mkctlPermissions {
			if _, ok := need[p]; ok {
				k = append(k, p)
			}
		}
		if len(k) != len(need) {
			t.Errorf("unexpected kinds in %v", need)
		}
		return strings.Join(k, ",")
	}
	for _, tc := range []struct {
		name string
		plan *planner.AccountPlan
		want string
	}{
		{"nothing", ap(), ""},
		{"no-ops", ap(&planner.Change{Type: planner.TypeProfile, Action: planner.ActionNoop}), ""},
		{"profile", ap(&planner.Change{Address: "account.a.profile", Type: planner.TypeProfile, Action: planner.ActionUpdate}), "read:account,write:account"},
		{"follow", ap(&planner.Change{Type: planner.TypeFollow, Action: planner.ActionCreate}), "read:account,write:account,write:following"},
		{"folder", ap(&planner.Change{Type: planner.TypeDriveFolder, Action: planner.ActionDelete}), "read:account,write:account,write:drive"},
		{"antenna", ap(&planner.Change{Type: planner.TypeAntenna, Action: planner.ActionCreate}), "read:account,write:account"},
		{"list", ap(&planner.Change{Type: planner.TypeUserList, Action: planner.ActionUpdate}), "read:account,write:account"},
		{"pin new note", ap(&planner.Change{Type: planner.TypePinnedNote, Action: planner.ActionCreate}), "read:account,write:account,write:notes"},
		{"re-pin", ap(&planner.Change{Type: planner.TypePinnedNote, Action: planner.ActionUpdate}), "read:account,write:account"},
		{"unpin, keep note", ap(&planner.Change{Type: planner.TypePinnedNote, Action: planner.ActionDelete, After: map[string]any{"keepNote": true}}), "read:account,write:account"},
		{"unpin and delete", ap(&planner.Change{Type: planner.TypePinnedNote, Action: planner.ActionDelete}), "read:account,write:account,write:notes"},
		{"adopt only", &planner.AccountPlan{Address: "account.a", Adopt: []planner.Owned{{Key: "k", ID: "i"}}}, "read:account,write:account"},
	} {
		if got := kinds(planPermissions(tc.plan)); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	need := planPermissions(ap(
		&planner.Change{Address: "account.a.profile", Type: planner.TypeProfile, Action: planner.ActionUpdate},
		&planner.Change{Address: `account.a.follow["@b"]`, Type: planner.TypeFollow, Action: planner.ActionCreate},
	))
	if got := strings.Join(need["write:account"], " "); got != `account.a.profile account.a.follow["@b"]` {
		t.Errorf("write:account needed by %s", got)
	}
}
