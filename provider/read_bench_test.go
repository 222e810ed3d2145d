package provider

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// benchAccount seeds an account in the steady state of a large
// configuration — 5,000 follows, 200 drive folders (20 top-level folders
// with 9 subfolders each), 5 antennas, 10 user lists of 5 followed members —
// all declared and all in the ownership record.
func benchAccount(b *testing.B) (*emuEnv, *schema.Account) {
	env := newEmuEnv(b)
	ctx := context.Background()
	ids := env.emu.SeedUsers("user", 5000)
	env.emu.SeedFollows(env.me.ID, ids)
	rec := planner.NewOwnership("account.main")
	acct := account()
	for i, id := range ids {
		acct.Follows = append(acct.Follows, &schema.Follow{Acct: "@user" + itoa(i)})
		rec.Objects[`follow["@user`+itoa(i)+`"]`] = planner.Owned{ID: id}
	}
	for i := range 20 {
		top := "dir" + itoa(i)
		parent := env.emu.SeedFolders(env.me.ID, "", []string{top})[0]
		acct.DriveFolders = append(acct.DriveFolders, &schema.DriveFolder{Name: top, Path: top})
		rec.Objects[folderKey(top)] = planner.Owned{ID: parent}
		var names []string
		for j := range 9 {
			names = append(names, "sub"+itoa(j))
		}
		for j, id := range env.emu.SeedFolders(env.me.ID, parent, names) {
			path := top + "/" + names[j]
			acct.DriveFolders = append(acct.DriveFolders, &schema.DriveFolder{Name: names[j], Path: path, Parent: top})
			rec.Objects[folderKey(path)] = planner.Owned{ID: id}
		}
	}
	for i := range 10 {
		name := "list" + itoa(i)
		var list struct{ ID string }
		if err := env.c.Write(ctx, "users/lists/create", map[string]any{"name": name}, &list); err != nil {
			b.Fatal(err)
		}
		ul := &schema.UserList{Name: name}
		for j := range 5 {
			k := i*5 + j
			if err := env.c.Write(ctx, "users/lists/push", map[string]any{"listId": list.ID, "userId": ids[k]}, nil); err != nil {
				b.Fatal(err)
			}
			ul.Members = append(ul.Members, "@user"+itoa(k))
		}
		acct.UserLists = append(acct.UserLists, ul)
		rec.Objects["user_list."+name] = planner.Owned{ID: list.ID}
	}
	for i := range 5 {
		name := "antenna" + itoa(i)
		var a struct{ ID string }
		if err := env.c.Write(ctx, "antennas/create", map[string]any{"name": name, "src": "all",
			"keywords": [][]string{{"k" + itoa(i)}}, "excludeKeywords": [][]string{}, "users": []string{},
			"caseSensitive": false, "withReplies": false, "withFile": false}, &a); err != nil {
			b.Fatal(err)
		}
		acct.Antennas = append(acct.Antennas, &schema.Antenna{Name: name, Source: "all", Keywords: [][]string{{"k" + itoa(i)}}})
		rec.Objects["antenna."+name] = planner.Owned{ID: a.ID}
	}
	env.writeRecord(b, rec)
	return env, acct
}

// BenchmarkReadAccount reports the requests one ReadAccount makes
// (requests/op) for a large account, with and without purge.
func BenchmarkReadAccount(b *testing.B) {
	for _, tc := range []struct {
		name  string
		purge []string
	}{
		{"declared", nil},
		{"purge-all", schema.Collections},
	} {
		b.Run(tc.name, func(b *testing.B) {
			env, acct := benchAccount(b)
			purge(tc.purge...)(acct)
			ctx := context.Background()
			env.resetCounts()
			b.ResetTimer()
			for b.Loop() {
				live, err := ReadAccount(ctx, env.c, acct)
				if err != nil {
					b.Fatal(err)
				}
				if len(live.Follows) != 5000 || len(live.DriveFolders) != 200 || len(live.Antennas) != 5 || len(live.UserLists) != 10 {
					b.Fatalf("read %d follows, %d folders, %d antennas, %d lists",
						len(live.Follows), len(live.DriveFolders), len(live.Antennas), len(live.UserLists))
				}
			}
			b.ReportMetric(float64(env.total())/float64(b.N), "requests/op")
			b.ReportMetric(float64(env.count("users/following"))/float64(b.N), "follow-pages/op")
			b.ReportMetric(float64(env.count("drive/folders")+env.count("drive/folders/show"))/float64(b.N), "folder-requests/op")
		})
	}
}

// replayTransport answers from responses recorded once from the emulator,
// so a benchmark measures mkctl's own work (requests, JSON decoding,
// merging) without the emulator's packing of 5,000 users in the profile.
type replayTransport struct {
	next     http.RoundTripper
	replay   bool
	mu       sync.Mutex
	recorded map[string]replayed
}

type replayed struct {
	status int
	header http.Header
	body   []byte
}

func (t *replayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, _ := io.ReadAll(req.Body)
	key := req.URL.Path + " " + string(body)
	t.mu.Lock()
	r, ok := t.recorded[key]
	t.mu.Unlock()
	if !t.replay || !ok {
		req.Body = io.NopCloser(bytes.NewReader(body))
		resp, err := t.next.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		r = replayed{resp.StatusCode, resp.Header.Clone(), data}
		t.mu.Lock()
		t.recorded[key] = r
		t.mu.Unlock()
	}
	return &http.Response{StatusCode: r.status, Header: r.header, Body: io.NopCloser(bytes.NewReader(r.body)), ContentLength: int64(len(r.body)), Request: req}, nil
}

// BenchmarkReadAccountClientOnly is BenchmarkReadAccount/declared with the
// server's answers replayed from memory: its time and B/op are mkctl's.
func BenchmarkReadAccountClientOnly(b *testing.B) {
	env, acct := benchAccount(b)
	rt := &replayTransport{next: env.emu.Transport(), recorded: map[string]replayed{}}
	token := env.emu.IssueToken(env.me.ID, mkctlPermissions)
	c, err := NewClient("http://127.0.0.1:3000", token, WithHTTPClient(&http.Client{Transport: rt}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := ReadAccount(ctx, c, acct); err != nil { // record
		b.Fatal(err)
	}
	rt.replay = true
	requests := len(rt.recorded)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		live, err := ReadAccount(ctx, c, acct)
		if err != nil {
			b.Fatal(err)
		}
		if len(live.Follows) != 5000 {
			b.Fatalf("read %d follows", len(live.Follows))
		}
	}
	b.ReportMetric(float64(requests), "requests/op")
}
