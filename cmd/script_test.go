package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mkctl/mkctl/provider/emulator"
)

// TestMain lets testscript run mkctl as a subprocess of the test binary.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"mkctl":         func() { os.Exit(Main(System(), os.Args[1:])) },
		"fakebrowser":   func() { os.Exit(fakeBrowserMain()) },
		"benchemulator": func() { os.Exit(benchEmulatorMain()) },
	})
}

// allPermissions is what `mkctl login` will ask for: everything mkctl needs.
var allPermissions = []string{
	"read:account", "write:account", "read:following", "write:following",
	"write:notes", "read:drive", "write:drive",
	"read:blocks", "write:blocks", "read:mutes", "write:mutes",
}

type emuKey struct{}

// TestScripts runs the end-to-end scenarios in testdata/script. Each script
// gets its own emulator served on a loopback port ($MISSKEY) with a user
// alice and her token ($TOKEN), and the `emu` command to inspect and change
// the emulator from the script.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			emu := emulator.New(emulator.Options{})
			srv := httptest.NewServer(emu)
			env.Defer(srv.Close)
			env.Defer(func() {
				// A request the real server would not accept (or would
				// silently misread) fails the scenario that sent it.
				for _, v := range emu.Violations() {
					env.T().Fatal(fmt.Sprintf("emulator violation: %+v", v))
				}
			})
			alice := emu.CreateUser("alice")
			env.Setenv("MISSKEY", srv.URL)
			env.Setenv("TOKEN", emu.IssueToken(alice.ID, allPermissions))
			env.Setenv("NO_COLOR", "")
			env.Setenv("HOME", env.WorkDir)
			env.Values[emuKey{}] = &scriptEmu{emu: emu, url: srv.URL}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"emu":      cmdEmu,
			"waitfor":  cmdWaitFor,
			"timeat":   cmdTimeAt,
			"waitpast": cmdWaitPast,
		},
	})
}

type scriptEmu struct {
	emu *emulator.Emulator
	url string
}

// cmdEmu drives the emulator from a script:
//
//	emu user NAME                       create a local user
//	emu token VAR USER [PERM,PERM|native] put a token for USER in $VAR
//	emu call USER ENDPOINT JSON          call the API as USER (all permissions), print the answer
//	emu count ENDPOINT N                 assert how many requests ENDPOINT received
//	emu reset                            forget the request log
//	emu remote USER HOST                 create a remote user
//	emu lock USER                        make USER's follows need approval
//	emu accept FOLLOWER FOLLOWEE         FOLLOWEE accepts FOLLOWER's request
//	emu file USER PATH                   put a file in USER's drive folder PATH
//	emu policy USER KEY NUMBER           set a role policy
//	emu fail ENDPOINT drop|before        make the next call of ENDPOINT fail
//	emu note USER TEXT [pin]             post (and pin) a note outside mkctl
//	emu noteid VAR USER TEXT             post a note outside mkctl and put its id in $VAR
//	emu draftid VAR USER TEXT            put the id of USER's note draft with TEXT in $VAR
//	emu follow USER ACCT                 USER follows ACCT outside mkctl
//	emu folder USER NAME                 create a root folder outside mkctl
//	emu pins USER                        print USER's pinned note texts, top first
//	emu notes USER                       print USER's note texts, oldest first
//	emu follows USER                     print followees (pending ones marked)
//	emu folders USER                     print folder paths
//	emu antennas USER                    print antenna names and sources
//	emu lists USER                       print lists and member counts
//	emu apps USER                        print USER's access tokens: name and permissions (never the token)
//	emu apptoken VAR USER                put USER's newest MiAuth token in $VAR (to look for leaks)
func cmdEmu(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("emu does not support !")
	}
	se := ts.Value(emuKey{}).(*scriptEmu)
	if len(args) == 0 {
		ts.Fatalf("usage: emu user|token|call|count|reset ...")
	}
	switch args[0] {
	case "user":
		se.emu.CreateUser(args[1])
	case "token":
		u := se.emu.FindUserByUsername(args[2])
		if u == nil {
			ts.Fatalf("no user %s", args[2])
		}
		var perms []string
		switch {
		case len(args) < 4:
			perms = allPermissions
		case args[3] == "native":
			ts.Setenv(args[1], se.emu.NativeToken(u.ID))
			return
		default:
			perms = strings.Split(args[3], ",")
		}
		ts.Setenv(args[1], se.emu.IssueToken(u.ID, perms))
	case "call":
		u := se.emu.FindUserByUsername(args[1])
		if u == nil {
			ts.Fatalf("no user %s", args[1])
		}
		body := "{}"
		if len(args) > 3 {
			body = args[3]
		}
		req, err := http.NewRequest("POST", se.url+"/api/"+args[2], strings.NewReader(body))
		ts.Check(err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+se.emu.IssueToken(u.ID, allPermissions))
		resp, err := http.DefaultClient.Do(req)
		ts.Check(err)
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode >= 300 {
			ts.Fatalf("emu call %s: %d %s", args[2], resp.StatusCode, data)
		}
		var out bytes.Buffer
		if len(data) > 0 {
			ts.Check(json.Indent(&out, data, "", "  "))
		}
		fmt.Fprintln(ts.Stdout(), out.String())
	case "draftid":
		// emu draftid VAR USER TEXT: the id of USER's note draft with TEXT
		// in $VAR (to delete it by hand).
		u := se.emu.FindUserByUsername(args[2])
		if u == nil {
			ts.Fatalf("no user %s", args[2])
		}
		req, err := http.NewRequest("POST", se.url+"/api/notes/drafts/list", strings.NewReader(`{"limit":100}`))
		ts.Check(err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+se.emu.IssueToken(u.ID, allPermissions))
		resp, err := http.DefaultClient.Do(req)
		ts.Check(err)
		defer resp.Body.Close()
		var drafts []struct {
			ID   string  `json:"id"`
			Text *string `json:"text"`
		}
		ts.Check(json.NewDecoder(resp.Body).Decode(&drafts))
		for _, d := range drafts {
			if d.Text != nil && *d.Text == args[3] {
				ts.Setenv(args[1], d.ID)
				return
			}
		}
		ts.Fatalf("no draft of %s with text %q", args[2], args[3])
	case "count":
		want, err := strconv.Atoi(args[2])
		ts.Check(err)
		if got := se.emu.RequestCount(args[1]); got != want {
			ts.Fatalf("%s received %d requests, want %d", args[1], got, want)
		}
	case "reset":
		se.emu.ResetRequests()
	case "apps", "apptoken":
		emuApps(ts, se.emu, args)
	default:
		emuResources(ts, se.emu, args)
	}
}

// emuResources is the part of cmdEmu about an account's resources.
func emuResources(ts *testscript.TestScript, emu *emulator.Emulator, args []string) {
	user := func(name string) *emulator.User {
		u := emu.FindUserByUsername(name)
		if u == nil {
			ts.Fatalf("no user %s", name)
		}
		return u
	}
	out := ts.Stdout()
	switch args[0] {
	case "remote":
		emu.CreateRemoteUser(args[1], args[2])
	case "lock":
		emu.SetLocked(user(args[1]).ID, true)
	case "accept":
		ts.Check(emu.AcceptFollowRequest(user(args[1]).ID, emu.EnsureUser(args[2]).ID))
	case "file":
		u := user(args[1])
		id := folderID(ts, emu, u.ID, args[2])
		emu.AddDriveFile(u.ID, id, "file.txt")
	case "policy":
		n, err := strconv.Atoi(args[3])
		ts.Check(err)
		emu.SetPolicy(user(args[1]).ID, args[2], n)
	case "fail":
		mode := emulator.FaultDropResponse
		if args[2] == "before" {
			mode = emulator.FaultBeforeExecute
		}
		emu.FailNext(args[1], mode)
	case "note":
		u := user(args[1])
		id := emu.CreateNote(u.ID, args[2])
		if len(args) > 3 && args[3] == "pin" {
			ts.Check(emu.PinNote(u.ID, id))
		}
	case "noteid":
		// emu noteid VAR USER TEXT: post a note outside mkctl, its id in $VAR.
		ts.Setenv(args[1], emu.CreateNote(user(args[2]).ID, args[3]))
	case "follow":
		emu.SeedFollows(user(args[1]).ID, []string{emu.EnsureUser(args[2]).ID})
	case "folder":
		emu.SeedFolders(user(args[1]).ID, "", []string{args[2]})
	case "pins":
		u := user(args[1])
		texts := map[string]string{}
		for _, n := range emu.NotesOf(u.ID) {
			if n.Text != nil {
				texts[n.ID] = *n.Text
			}
		}
		for _, id := range emu.PinnedNoteIDs(u.ID) {
			fmt.Fprintln(out, texts[id])
		}
	case "notes":
		for _, n := range emu.NotesOf(user(args[1]).ID) {
			if n.Text != nil {
				fmt.Fprintln(out, *n.Text)
			}
		}
	case "follows":
		u := user(args[1])
		for _, id := range emu.FolloweeIDs(u.ID) {
			fmt.Fprintln(out, acctOf(emu.UserByID(id)))
		}
		for _, id := range emu.PendingFolloweeIDs(u.ID) {
			fmt.Fprintln(out, acctOf(emu.UserByID(id))+" (pending)")
		}
	case "folders":
		for _, p := range folderPaths(emu, user(args[1]).ID) {
			fmt.Fprintln(out, p)
		}
	case "antennas":
		for _, a := range emu.AntennasOf(user(args[1]).ID) {
			fmt.Fprintf(out, "%s %s\n", a.Name, a.Src)
		}
	case "lists":
		for _, l := range emu.UserListsOf(user(args[1]).ID) {
			fmt.Fprintf(out, "%s %d\n", l.Name, len(l.UserIDs))
		}
	default:
		ts.Fatalf("unknown emu command %q", args[0])
	}
}

func acctOf(u *emulator.User) string {
	if u.Host == nil {
		return "@" + u.Username
	}
	return "@" + u.Username + "@" + *u.Host
}

// folderPaths lists a drive's folders as sorted slash-joined paths.
func folderPaths(emu *emulator.Emulator, userID string) []string {
	folders := emu.DriveFoldersOf(userID)
	byID := map[string]*emulator.DriveFolder{}
	for _, f := range folders {
		byID[f.ID] = f
	}
	var paths []string
	for _, f := range folders {
		p := f.Name
		for parent := f.ParentID; parent != nil; parent = byID[*parent].ParentID {
			p = byID[*parent].Name + "/" + p
		}
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

func folderID(ts *testscript.TestScript, emu *emulator.Emulator, userID, path string) string {
	folders := emu.DriveFoldersOf(userID)
	for _, f := range folders {
		p := f.Name
		byID := map[string]*emulator.DriveFolder{}
		for _, g := range folders {
			byID[g.ID] = g
		}
		for parent := f.ParentID; parent != nil; parent = byID[*parent].ParentID {
			p = byID[*parent].Name + "/" + p
		}
		if p == path {
			return f.ID
		}
	}
	ts.Fatalf("no folder %s", path)
	return ""
}
