package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mkctl/mkctl/provider/emulator"
)

// fakeBrowserMain plays the user's browser for `mkctl login` in the
// end-to-end scripts, where MKCTL_BROWSER names it: it loads the consent
// page, then accepts the way Misskey's web client does — POST
// /api/miauth/gen-token with the signed-in user's own (native) token from
// $BROWSER_TOKEN — and goes back to the callback with ?session=.
//
//	fakebrowser [-forge] [-deny] [-no-callback] URL
//
//	-forge        first visit the callback with another session id
//	-deny         stop after the page: the user clicks Deny
//	-no-callback  approve but never come back: a browser on another machine
//
// It reports each step, never a token or the session, in $WORK/browser.log.
func fakeBrowserMain() int {
	args := os.Args[1:]
	flags := map[string]bool{}
	for len(args) > 1 && strings.HasPrefix(args[0], "-") {
		flags[args[0]] = true
		args = args[1:]
	}
	logPath := filepath.Join(os.Getenv("WORK"), "browser.log")
	report := func(format string, a ...any) {
		f, err := os.OpenFile(logPath, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
		if err == nil {
			fmt.Fprintf(f, format+"\n", a...)
			f.Close()
		}
	}
	if len(args) != 1 {
		report("usage: fakebrowser [-forge] [-deny] [-no-callback] URL")
		return 2
	}
	if err := fakeBrowse(args[0], flags, report); err != nil {
		report("error: %v", err)
		return 1
	}
	return 0
}

func fakeBrowse(raw string, flags map[string]bool, report func(string, ...any)) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	session, ok := strings.CutPrefix(u.Path, "/miauth/")
	if !ok {
		return fmt.Errorf("not a MiAuth URL: %s", u.Path)
	}
	hc := &http.Client{Timeout: 10 * time.Second}
	resp, err := hc.Get(raw)
	if err != nil {
		return err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	report("consent page: %d %s", resp.StatusCode, pageSummary(string(page)))

	q := u.Query()
	callback := q.Get("callback")
	back := func(s string) (int, error) {
		if callback == "" {
			return 0, errors.New("no callback in the URL")
		}
		resp, err := hc.Get(callback + "?session=" + url.QueryEscape(s))
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	if flags["-forge"] {
		code, err := back("forged-" + session[:4])
		if err != nil {
			return err
		}
		report("forged callback: %d", code)
	}
	if flags["-deny"] {
		report("denied")
		return nil
	}
	var perms []string
	if p := q.Get("permission"); p != "" {
		perms = strings.Split(p, ",")
	}
	body, _ := json.Marshal(map[string]any{"session": session, "name": q.Get("name"), "iconUrl": nil, "permission": perms})
	req, _ := http.NewRequest(http.MethodPost, u.Scheme+"://"+u.Host+"/api/miauth/gen-token", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+os.Getenv("BROWSER_TOKEN"))
	report("accepting")
	resp, err = hc.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("gen-token: HTTP %d", resp.StatusCode)
	}
	if flags["-no-callback"] {
		return nil
	}
	code, err := back(session)
	if err != nil {
		return err
	}
	report("callback: %d", code)
	return nil
}

// pageSummary is the consent page's heading and permission list.
func pageSummary(page string) string {
	var parts []string
	if _, rest, ok := strings.Cut(page, "<h1>"); ok {
		h, _, _ := strings.Cut(rest, "</h1>")
		parts = append(parts, strings.TrimSpace(h))
	}
	rest := page
	for {
		_, after, ok := strings.Cut(rest, "<li>")
		if !ok {
			break
		}
		item, tail, _ := strings.Cut(after, "</li>")
		parts = append(parts, item)
		rest = tail
	}
	return strings.Join(parts, " | ")
}

// emuApps lists a user's access tokens (emu apps USER) or puts the newest
// MiAuth one in a variable (emu apptoken VAR USER).
func emuApps(ts *testscript.TestScript, emu *emulator.Emulator, args []string) {
	name := args[1]
	if args[0] == "apptoken" {
		name = args[2]
	}
	u := emu.FindUserByUsername(name)
	if u == nil {
		ts.Fatalf("no user %s", name)
	}
	tokens := emu.AccessTokensOf(u.ID)
	if args[0] == "apps" {
		for _, t := range tokens {
			n := "(unnamed)"
			if t.Name != nil {
				n = *t.Name
			}
			fmt.Fprintf(ts.Stdout(), "%s %s\n", n, strings.Join(t.Permission, ","))
		}
		return
	}
	for i := len(tokens) - 1; i >= 0; i-- {
		if tokens[i].Session != nil {
			ts.Setenv(args[1], tokens[i].Token)
			return
		}
	}
	ts.Fatalf("%s has no MiAuth token", name)
}
