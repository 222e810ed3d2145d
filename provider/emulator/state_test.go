package emulator

import (
	"bytes"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSaveLoadRoundTrip(t *testing.T) {
	e, clock := newTestEmulator(t, Options{RateLimits: true})
	alice := e.CreateUser("alice")
	bob := e.CreateUser("bob")
	e.CreateRemoteUser("carol", "remote.example")
	e.SetPolicy(alice.ID, "pinLimit", 7)
	app := e.IssueToken(alice.ID, []string{"read:account", "write:account"})
	native := e.NativeToken(alice.ID)
	mustOK(t, post(t, e, "i/update", native, map[string]any{
		"name": "Alice", "fields": []any{map[string]any{"name": "a", "value": "b"}}, "alsoKnownAs": []any{"@bob", "@carol@remote.example"},
	}))
	if a := post(t, e, "i/registry/set", app, map[string]any{"key": "state", "value": map[string]any{"n": 1.5}, "scope": []any{"mkctl"}}); a.Status != 204 {
		t.Fatal(a.Status)
	}
	before := mustOK(t, post(t, e, "i", native, nil))

	var buf bytes.Buffer
	if err := e.Save(&buf); err != nil {
		t.Fatal(err)
	}
	loaded := New(Options{Clock: clock, RateLimits: true})
	if err := loaded.LoadFrom(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { loaded.AssertNoViolations(t) })

	after := mustOK(t, post(t, loaded, "i", native, nil))
	if !reflect.DeepEqual(before, after) {
		t.Errorf("i differs after Save/Load:\nbefore %v\nafter  %v", before, after)
	}
	if got := mustOK(t, post(t, loaded, "i/registry/get", app, map[string]any{"key": "state", "scope": []any{"mkctl"}})); got["n"] != 1.5 {
		t.Errorf("registry after load: %v", got)
	}
	if u := loaded.FindUserByUsername("BOB"); u == nil || u.ID != bob.ID || u.Token != "" {
		t.Errorf("FindUserByUsername: %+v", u)
	}
	if loaded.FindUserByUsername("carol") != nil {
		t.Error("FindUserByUsername found a remote user")
	}
	// New ids keep being unique and ordered after the loaded ones.
	dave := loaded.CreateUser("dave")
	if dave.ID <= bob.ID {
		t.Errorf("new id %s not after %s", dave.ID, bob.ID)
	}
	// Rate-limit windows survive: 1 i/update was made, 19 remain.
	for i := 0; i < 19; i++ {
		if a := post(t, loaded, "i/update", native, map[string]any{"location": "x"}); a.Status != http.StatusOK {
			t.Fatalf("call %d after load: %d", i+2, a.Status)
		}
	}
	if a := post(t, loaded, "i/update", native, map[string]any{"location": "x"}); a.Status != http.StatusTooManyRequests {
		t.Errorf("21st call across Save/Load: %d", a.Status)
	}

	// Load with default options works on the same data.
	if _, err := Load(bytes.NewReader(buf.Bytes())); err != nil {
		t.Errorf("Load: %v", err)
	}
}

func TestLoadRefusesBadState(t *testing.T) {
	for name, data := range map[string]string{
		"not json":        "{",
		"other version":   `{"version": 99}`,
		"user without id": `{"version": 1, "users": [{"username": "x"}]}`,
	} {
		if _, err := Load(strings.NewReader(data)); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

func TestSnapshotsAreCopies(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	alice := e.CreateUser("alice")
	alice.Fields = append(alice.Fields, Field{Name: "x", Value: "y"})
	alice.Username = "mallory"
	if u := e.UserByID(alice.ID); u.Username != "alice" || len(u.Fields) != 0 {
		t.Errorf("changing a copy changed the emulator: %+v", u)
	}
	e.UpdateUser(alice.ID, func(u *User) { u.IsLocked = true })
	if !e.UserByID(alice.ID).IsLocked {
		t.Error("UpdateUser did not apply")
	}
	if e.UserByID("nope") != nil || e.NativeToken("nope") != "" {
		t.Error("unknown id")
	}
}

func TestCreateUserPanics(t *testing.T) {
	e, _ := newTestEmulator(t, Options{})
	e.CreateUser("alice")
	for name, f := range map[string]func(){
		"taken, other case": func() { e.CreateUser("ALICE") },
		"invalid":           func() { e.CreateUser("not valid!") },
		"token for nobody":  func() { e.IssueToken("nope", []string{"read:account"}) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestDatesFollowTheClock(t *testing.T) {
	start := time.Date(2026, 11, 26, 12, 7, 2, 651_000_000, time.UTC)
	e := New(Options{Clock: NewFakeClock(start)})
	alice := e.CreateUser("alice")
	me := mustOK(t, post(t, e, "i", e.NativeToken(alice.ID), nil))
	if me["createdAt"] != "2026-11-26T12:07:02.651Z" || !strings.HasPrefix(alice.ID, "au12na4b") {
		t.Errorf("createdAt %v, id %s", me["createdAt"], alice.ID)
	}
}
