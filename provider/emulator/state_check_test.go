package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// validState is a saved state with a row in every table that references
// another: two users, a token, folders a ⊃ b, a file, notes with a reply and
// a renote, a pin, a follow, a list and an antenna on it.
func validState(t testing.TB) []byte {
	t.Helper()
	e := New(Options{Clock: NewFakeClock(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))})
	alice, bob := e.CreateUser("alice"), e.CreateUser("bob")
	tok := e.IssueToken(alice.ID, allPermissions)
	// Plain HTTP rather than post: FuzzLoad makes its seed with a *testing.F.
	call := func(endpoint string, body map[string]any) map[string]any {
		t.Helper()
		body["i"] = tok
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodPost, "/api/"+endpoint, bytes.NewReader(data))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code == http.StatusNoContent {
			return nil
		}
		var m map[string]any
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &m) != nil {
			t.Fatalf("%s: %d %s", endpoint, rec.Code, rec.Body)
		}
		return m
	}
	a := call("drive/folders/create", map[string]any{"name": "a"})["id"]
	b := call("drive/folders/create", map[string]any{"name": "b", "parentId": a})["id"].(string)
	e.AddDriveFile(alice.ID, b, "f.bin")
	n1 := call("notes/create", map[string]any{"text": "one"})["createdNote"].(map[string]any)["id"]
	call("notes/create", map[string]any{"text": "two", "replyId": n1})
	call("notes/create", map[string]any{"renoteId": n1})
	call("i/pin", map[string]any{"noteId": n1})
	call("following/create", map[string]any{"userId": bob.ID})
	list := call("users/lists/create", map[string]any{"name": "l"})["id"]
	call("users/lists/push", map[string]any{"listId": list, "userId": bob.ID})
	body := antennaBody("list")
	body["src"], body["userListId"] = "list", list
	call("antennas/create", body)
	var buf bytes.Buffer
	if err := e.Save(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// edit decodes a saved state, lets f change it and encodes it again.
func edit(t *testing.T, data []byte, f func(st map[string]any)) string {
	t.Helper()
	var st map[string]any
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	f(st)
	out, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func row(st map[string]any, table string, i int) map[string]any {
	return st[table].([]any)[i].(map[string]any)
}

// A state file edited by hand, merged badly or cut short is refused with a
// message that says what is wrong, in bounded time: handlers walk parent
// and renote chains and would recurse or loop forever on a cycle.
func TestLoadRefusesInconsistentState(t *testing.T) {
	good := validState(t)
	if _, err := Load(bytes.NewReader(good)); err != nil {
		t.Fatalf("the valid state: %v", err)
	}
	cases := []struct {
		name string
		data string
		want string // in the error
	}{
		{"folder parent cycle", edit(t, good, func(st map[string]any) {
			a, b := row(st, "driveFolders", 0), row(st, "driveFolders", 1)
			a["parentId"] = b["id"] // b's parent is a
		}), "parent chain loops"},
		{"folder its own parent", edit(t, good, func(st map[string]any) {
			a := row(st, "driveFolders", 0)
			a["parentId"] = a["id"]
		}), "parent chain loops"},
		{"folder of another user's parent", edit(t, good, func(st map[string]any) {
			row(st, "driveFolders", 1)["userId"] = row(st, "users", 1)["id"]
		}), "another user's folder"},
		{"renote cycle", edit(t, good, func(st map[string]any) {
			n1, n3 := row(st, "notes", 0), row(st, "notes", 2)
			n1["renoteId"] = n3["id"] // n3 renotes n1
		}), "renote chain loops"},
		{"reply to itself", edit(t, good, func(st map[string]any) {
			n1 := row(st, "notes", 0)
			n1["replyId"] = n1["id"]
		}), "reply chain loops"},
		{"reply to an unknown note", edit(t, good, func(st map[string]any) {
			row(st, "notes", 1)["replyId"] = "nosuchnote"
		}), `unknown note "nosuchnote"`},
		{"renote of an unknown note", edit(t, good, func(st map[string]any) {
			row(st, "notes", 2)["renoteId"] = "nosuchnote"
		}), `unknown note "nosuchnote"`},
		{"duplicate user id", edit(t, good, func(st map[string]any) {
			row(st, "users", 1)["id"] = row(st, "users", 0)["id"]
		}), "duplicate id"},
		{"duplicate local username", edit(t, good, func(st map[string]any) {
			row(st, "users", 1)["username"] = "ALICE"
		}), `username "ALICE"`},
		{"duplicate note id", edit(t, good, func(st map[string]any) {
			row(st, "notes", 1)["id"] = row(st, "notes", 0)["id"]
		}), "duplicate id"},
		{"duplicate folder id", edit(t, good, func(st map[string]any) {
			row(st, "driveFolders", 1)["id"] = row(st, "driveFolders", 0)["id"]
		}), "duplicate id"},
		{"duplicate token", edit(t, good, func(st map[string]any) {
			row(st, "accessTokens", 0)["token"] = row(st, "users", 1)["token"]
		}), "same token"},
		{"duplicate pin", edit(t, good, func(st map[string]any) {
			st["pins"] = append(st["pins"].([]any), st["pins"].([]any)[0])
		}), "duplicate id"},
		{"trailing garbage", string(good) + "garbage", "after the state's JSON"},
		{"a second document", string(good) + "{}", "after the state's JSON"},
		{"a stray bracket", strings.TrimSpace(string(good)) + "}", "after the state's JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := Load(strings.NewReader(c.data))
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil {
					t.Fatalf("loaded; want an error containing %q", c.want)
				}
				if !strings.Contains(err.Error(), c.want) {
					t.Errorf("error %q does not contain %q", err, c.want)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Load did not return within 5s")
			}
		})
	}
	// Trailing white space is what editors add: still fine.
	if _, err := Load(strings.NewReader(string(good) + "\n\n  \t\n")); err != nil {
		t.Errorf("trailing white space: %v", err)
	}
}

// FuzzLoad: whatever the bytes, Load returns (no panic, no hang), and an
// emulator it accepts answers the requests that walk folder and note chains.
// The seed corpus runs as a normal test; explore with
// go test ./provider/emulator -run '^$' -fuzz FuzzLoad -fuzztime 60s.
func FuzzLoad(f *testing.F) {
	good := validState(f)
	f.Add(good)
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":1,"users":[{"id":"u","username":"a"}],"driveFolders":[{"id":"a","userId":"u","parentId":"b"},{"id":"b","userId":"u","parentId":"a"}]}`))
	f.Add([]byte(`{"version":1,"users":[{"id":"u","username":"a"}],"notes":[{"id":"n","userId":"u","renoteId":"n","visibility":"public"}]}`))
	f.Add(append(append([]byte{}, good...), "x"...))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a failure too: the fuzzer would otherwise just stall.
		tm := time.AfterFunc(10*time.Second, func() { panic("FuzzLoad: Load or packing the loaded rows did not return within 10s") })
		defer tm.Stop()
		e, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		e.mu.Lock()
		st := e.st
		e.mu.Unlock()
		for _, u := range st.Users {
			if u.IsLocal() {
				e.NativeToken(u.ID)
			}
		}
		for _, fo := range st.DriveFolders {
			e.mu.Lock()
			e.packDriveFolder(fo, true)
			e.mu.Unlock()
		}
		for _, n := range st.Notes {
			e.mu.Lock()
			e.packNote(n, nil, true)
			e.mu.Unlock()
		}
	})
}
