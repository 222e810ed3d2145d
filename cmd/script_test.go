package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mkctl/mkctl/provider/emulator"
)

// TestMain lets testscript run mkctl as a subprocess of the test binary.
func TestMain(m *testing.M) {
	os.Exit(testscript.RunMain(m, map[string]func() int{
		"mkctl": func() int { return Main(System(), os.Args[1:]) },
	}))
}

// allPermissions is what `mkctl login` will ask for: everything mkctl needs.
var allPermissions = []string{
	"read:account", "write:account", "read:following", "write:following",
	"write:notes", "read:drive", "write:drive",
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
			"emu": cmdEmu,
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
	case "count":
		want, err := strconv.Atoi(args[2])
		ts.Check(err)
		if got := se.emu.RequestCount(args[1]); got != want {
			ts.Fatalf("%s received %d requests, want %d", args[1], got, want)
		}
	case "reset":
		se.emu.ResetRequests()
	default:
		ts.Fatalf("unknown emu command %q", args[0])
	}
}
