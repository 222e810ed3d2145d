package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mkctl/mkctl/internal/acctest"
)

type accKey struct{}

// TestAccScripts runs the scripts in testdata/acc against the REAL Misskey
// (internal/acctest; MKCTL_ACC=1, README "Testing"): the mkctl binary is
// driven exactly as a user drives it, and what it did is checked through
// the real API. Each script gets a fresh account of its own, deleted when
// the script ends, so it starts from a known, empty state with per-user
// rate-limit buckets of its own, and scripts can run in parallel.
//
// The environment of a script:
//
//	$MISSKEY          a counting proxy in front of the server (loopback, so mkctl accepts http://)
//	$MISSKEY_DIRECT   the server itself, for what must name the instance's own host (also_known_as)
//	$TOKEN            a MiAuth token of the main account with mkctl's 7 permissions
//	$USER_NAME        the main account's (random) username; also $MKCTL_VAR_user
//	$MKCTL_VAR_host   $MISSKEY
//	$HOME, $XDG_CONFIG_HOME  inside $WORK, so `mkctl login` stores nothing outside it
func TestAccScripts(t *testing.T) {
	srv := acctest.Connect(t)
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/acc",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			// testscript's T for a script is its *testing.T subtest, so
			// users and the proxy made here go when the script ends.
			tb, ok := env.T().(testing.TB)
			if !ok {
				return fmt.Errorf("testscript's T (%T) is not a testing.TB", env.T())
			}
			main := srv.NewUser(tb, "acc")
			proxy := srv.NewProxy(tb)
			env.Setenv("MISSKEY", proxy.URL)
			env.Setenv("MISSKEY_DIRECT", srv.URL)
			env.Setenv("TOKEN", main.MiAuth(tb, allPermissions...))
			env.Setenv("USER_NAME", main.Username)
			env.Setenv("MKCTL_VAR_user", main.Username)
			env.Setenv("MKCTL_VAR_host", proxy.URL)
			env.Setenv("NO_COLOR", "1")
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_CONFIG_HOME", env.WorkDir+"/config")
			env.Values[accKey{}] = &accScript{
				srv: srv, proxy: proxy, tb: tb,
				users: map[string]*acctest.User{"main": main},
				alias: map[string]string{main.Username: "main"},
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"real":     cmdReal,
			"timeat":   cmdTimeAt,
			"waitpast": cmdWaitPast,
		},
	})
}

// accScript is the state of one acceptance script.
type accScript struct {
	srv   *acctest.Server
	proxy *acctest.Proxy
	tb    testing.TB               // the script's subtest: users made by commands are deleted when it ends
	users map[string]*acctest.User // alias → account
	alias map[string]string        // real username → alias, for printing
}

// scriptTB hands acctest a testing.TB whose failures end the script the
// way testscript expects (its Fatalf unwinds to the script runner, which
// then prints the script's log), while Cleanup still runs when the
// script's subtest ends.
type scriptTB struct {
	testing.TB
	ts *testscript.TestScript
}

func (s scriptTB) Fatalf(format string, args ...any) { s.ts.Fatalf(format, args...) }
func (s scriptTB) Fatal(args ...any)                 { s.ts.Fatalf("%s", fmt.Sprint(args...)) }
func (s scriptTB) Helper()                           {}

// cmdReal inspects and changes the real server from a script. USER is an
// alias: "main" (the account mkctl manages) or one made with `real user`.
// Accounts are printed as @ALIAS when they are known, so expected output
// does not depend on the random usernames.
//
//	real user ALIAS                  make a fresh account; $ALIAS and $MKCTL_VAR_ALIAS hold its username
//	real users ALIAS N               make N fresh accounts at once; $MKCTL_VAR_ALIAS holds their usernames, sorted, as
//	                                 an HCL list, $ALIAS1 … $ALIASN each one
//	real lock USER                   make USER's follows need approval (i/update isLocked)
//	real call USER ENDPOINT [JSON]   call the API with USER's own (native) token, print the answer
//	real token VAR USER PERM,...     put a new MiAuth token of USER with these permissions in $VAR
//	real native VAR USER             put USER's native (web session) token in $VAR
//	real stored VAR                  put the token `mkctl login` stored (the only one) in $VAR, to look for leaks
//	real policy USER KEY VALUE       give USER a role with this policy (pinLimit 2, canPublicNote false)
//	real note USER TEXT [pin]        post (and pin) a note by hand
//	real follow USER OTHER           USER follows OTHER by hand
//	real folder USER NAME            make a root drive folder by hand
//	real file USER PATH              upload a small text file into USER's drive folder PATH
//	real id VAR KIND USER [NAME]     put an id in $VAR: KIND user (USER's own), note, draft (by text), folder (by path), antenna, list, clip (by name)
//	real pins USER                   print USER's pinned note texts in the order of `i`'s pinnedNoteIds, top first
//	real notes USER                  print USER's note texts, oldest first
//	real follows USER                print followees, then pending requests sent ("(pending)")
//	real folders USER                print drive folder paths, sorted
//	real antennas USER               print antennas: name, source, keywords, sorted
//	real lists USER                  print lists: name and members, sorted
//	real antennanotes USER NAME      print the texts of the notes antenna NAME collected, once it has any (waits up to 15 s)
//	real apps USER                   print USER's access tokens: name and permissions (never the token)
//	real count ENDPOINT N            assert how many requests ENDPOINT received through $MISSKEY
//	real reset                       forget the proxy's counts
//	real ratereset                   forget the server's rate-limit counters (the kit's script); every
//	                                 counter of the instance, also those of tests running alongside (the
//	                                 real-429 test): only for a script that must exceed a per-user limit
func cmdReal(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("real does not support !")
	}
	if len(args) == 0 {
		ts.Fatalf("usage: real user|lock|call|token|native|stored|policy|note|follow|folder|file|id|pins|notes|follows|folders|antennas|antennanotes|lists|apps|count|reset|ratereset ...")
	}
	a := ts.Value(accKey{}).(*accScript)
	tb := scriptTB{TB: a.tb, ts: ts}
	need := func(n int) {
		if len(args) < n+1 {
			ts.Fatalf("real %s: want %d argument(s), got %v", args[0], n, args[1:])
		}
	}
	user := func(alias string) *acctest.User {
		u := a.users[alias]
		if u == nil {
			ts.Fatalf("no user %q (make it with `real user %s`)", alias, alias)
		}
		return u
	}
	out := ts.Stdout()
	switch args[0] {
	case "user":
		need(1)
		if a.users[args[1]] != nil {
			ts.Fatalf("user %q exists already", args[1])
		}
		u := a.srv.NewUser(tb, args[1])
		a.users[args[1]] = u
		a.alias[u.Username] = args[1]
		ts.Setenv(args[1], u.Username)
		ts.Setenv("MKCTL_VAR_"+args[1], u.Username)
	case "users":
		need(2)
		n, err := strconv.Atoi(args[2])
		ts.Check(err)
		names := realBulkUsers(tb, a.srv, args[1], n)
		list, _ := json.Marshal(names)
		ts.Setenv("MKCTL_VAR_"+args[1], string(list))
		for i, name := range names {
			ts.Setenv(args[1]+strconv.Itoa(i+1), name)
		}
	case "lock":
		need(1)
		user(args[1]).Call(tb, "i/update", map[string]any{"isLocked": true}, nil)
	case "call":
		need(2)
		body := "{}"
		if len(args) > 3 {
			body = args[3]
		}
		raw := realCall(ts, a.srv, user(args[1]).NativeToken, args[2], body)
		var pretty bytes.Buffer
		if len(raw) > 0 {
			ts.Check(json.Indent(&pretty, raw, "", "  "))
		}
		fmt.Fprintln(out, pretty.String())
	case "token":
		need(3)
		ts.Setenv(args[1], user(args[2]).MiAuth(tb, strings.Split(args[3], ",")...))
	case "native":
		need(2)
		ts.Setenv(args[1], user(args[2]).NativeToken)
	case "stored":
		need(1)
		data, err := os.ReadFile(filepath.Join(ts.Getenv("XDG_CONFIG_HOME"), "mkctl", "credentials.json"))
		ts.Check(err)
		var f struct {
			Credentials []struct {
				Token string `json:"token"`
			} `json:"credentials"`
		}
		ts.Check(json.Unmarshal(data, &f))
		if len(f.Credentials) != 1 || f.Credentials[0].Token == "" {
			ts.Fatalf("credentials.json holds %d credentials, want 1 with a token", len(f.Credentials))
		}
		ts.Setenv(args[1], f.Credentials[0].Token)
	case "policy":
		need(3)
		var value any
		switch args[3] {
		case "true", "false":
			value = args[3] == "true"
		default:
			n, err := strconv.Atoi(args[3])
			ts.Check(err)
			value = n
		}
		a.srv.SetPolicy(tb, user(args[1]), args[2], value)
	case "note":
		need(2)
		u := user(args[1])
		var created struct {
			CreatedNote struct {
				ID string `json:"id"`
			} `json:"createdNote"`
		}
		u.Call(tb, "notes/create", map[string]any{"text": args[2]}, &created)
		if len(args) > 3 && args[3] == "pin" {
			u.Call(tb, "i/pin", map[string]any{"noteId": created.CreatedNote.ID}, nil)
		}
	case "follow":
		need(2)
		user(args[1]).Call(tb, "following/create", map[string]any{"userId": user(args[2]).ID}, nil)
	case "folder":
		need(2)
		user(args[1]).Call(tb, "drive/folders/create", map[string]any{"name": args[2]}, nil)
	case "file":
		need(2)
		u := user(args[1])
		realUpload(ts, a.srv, u, realID(tb, u, "folder", args[2]))
	case "id":
		need(3)
		name := ""
		if len(args) > 4 {
			name = args[4]
		}
		ts.Setenv(args[1], realID(tb, user(args[3]), args[2], name))
	case "pins":
		need(1)
		for _, text := range realPins(tb, user(args[1])) {
			fmt.Fprintln(out, text)
		}
	case "notes":
		need(1)
		for _, text := range realNotes(tb, user(args[1])) {
			fmt.Fprintln(out, text)
		}
	case "follows":
		need(1)
		followees, pending := realFollows(tb, user(args[1]))
		for _, u := range followees {
			fmt.Fprintln(out, a.acct(u))
		}
		for _, u := range pending {
			fmt.Fprintln(out, a.acct(u)+" (pending)")
		}
	case "folders":
		need(1)
		for _, p := range realFolders(tb, user(args[1])) {
			fmt.Fprintln(out, p)
		}
	case "antennas":
		need(1)
		for _, line := range realAntennas(tb, user(args[1])) {
			fmt.Fprintln(out, line)
		}
	case "antennanotes":
		need(2)
		for _, text := range realAntennaNotes(tb, user(args[1]), args[2]) {
			fmt.Fprintln(out, text)
		}
	case "lists":
		need(1)
		for _, line := range realLists(tb, a, user(args[1])) {
			fmt.Fprintln(out, line)
		}
	case "apps":
		need(1)
		var apps []struct {
			Name       *string  `json:"name"`
			Permission []string `json:"permission"`
		}
		user(args[1]).Call(tb, "i/apps", map[string]any{"sort": "+createdAt"}, &apps)
		for _, app := range apps {
			name := "(unnamed)"
			if app.Name != nil {
				name = *app.Name
			}
			fmt.Fprintf(out, "%s %s\n", name, strings.Join(app.Permission, ","))
		}
	case "count":
		need(2)
		want, err := strconv.Atoi(args[2])
		ts.Check(err)
		if got := a.proxy.Count(args[1]); got != want {
			ts.Fatalf("%s received %d requests, want %d", args[1], got, want)
		}
	case "reset":
		a.proxy.Reset()
	case "ratereset":
		a.srv.ResetRateLimits(tb)
	default:
		ts.Fatalf("unknown real command %q", args[0])
	}
}

// realID finds the id of one of u's objects by what a script knows of it.
func realID(tb testing.TB, u *acctest.User, kind, name string) string {
	var ids []string
	switch kind {
	case "user":
		return u.ID
	case "note":
		for _, n := range realNoteList(tb, u) {
			if n.Text != nil && *n.Text == name {
				ids = append(ids, n.ID)
			}
		}
	case "folder":
		for _, f := range realFolderList(tb, u) {
			if f.path == name {
				ids = append(ids, f.id)
			}
		}
	case "draft":
		var all []struct {
			ID   string  `json:"id"`
			Text *string `json:"text"`
		}
		u.Call(tb, "notes/drafts/list", map[string]any{"limit": 100}, &all)
		for _, d := range all {
			if d.Text != nil && *d.Text == name {
				ids = append(ids, d.ID)
			}
		}
	case "antenna", "list", "clip":
		endpoint := map[string]string{"antenna": "antennas/list", "list": "users/lists/list", "clip": "clips/list"}[kind]
		var all []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
		u.Call(tb, endpoint, map[string]any{}, &all)
		for _, x := range all {
			if x.Name == name {
				ids = append(ids, x.ID)
			}
		}
	default:
		tb.Fatalf("real id: unknown kind %q", kind)
	}
	if len(ids) != 1 {
		tb.Fatalf("real id: %d %s(s) %q of @%s, want exactly 1", len(ids), kind, name, u.Username)
	}
	return ids[0]
}

// realBulkUsers makes n accounts named prefix_… (acctest NewUsers), deleted
// when the script ends. Their usernames are returned sorted.
func realBulkUsers(tb testing.TB, srv *acctest.Server, prefix string, n int) []string {
	names := make([]string, 0, n)
	for _, u := range srv.NewUsers(tb, prefix, n) {
		names = append(names, u.Username)
	}
	sort.Strings(names)
	return names
}

// realCall calls an endpoint and fails the script unless it succeeds. A
// 429 of a per-second limit (notes/delete allows one a second, and mkctl
// may have just deleted one) is waited out; an hourly one is a failure:
// scripts stay within the hourly limits of their fresh accounts or use
// `real ratereset`, never wait.
func realCall(ts *testscript.TestScript, srv *acctest.Server, token, endpoint, body string) []byte {
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		r, err := srv.Call(ctx, token, endpoint, body)
		cancel()
		ts.Check(err)
		if r.Status == http.StatusTooManyRequests && attempt < 3 {
			if wait, err := strconv.Atoi(r.Header.Get("Retry-After")); err == nil && wait <= 2 {
				time.Sleep(time.Duration(wait+1) * time.Second)
				continue
			}
		}
		if r.Status >= 300 {
			ts.Fatalf("real call %s: HTTP %d %s", endpoint, r.Status, r.Body)
		}
		return r.Body
	}
}

// realUpload puts a small text file into a folder of u with
// drive/files/create, the one multipart endpoint (force: a fresh file even
// if the same content was uploaded before).
func realUpload(ts *testscript.TestScript, srv *acctest.Server, u *acctest.User, folderID string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	ts.Check(mw.WriteField("folderId", folderID))
	ts.Check(mw.WriteField("force", "true"))
	fw, err := mw.CreateFormFile("file", "note.txt")
	ts.Check(err)
	fmt.Fprintf(fw, "a file kept in the folder (%d)\n", time.Now().UnixNano())
	ts.Check(mw.Close())
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/drive/files/create", &body)
	ts.Check(err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+u.NativeToken)
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	ts.Check(err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		ts.Fatalf("drive/files/create: HTTP %d %s", resp.StatusCode, data)
	}
}

type realUser struct {
	ID       string  `json:"id"`
	Username string  `json:"username"`
	Host     *string `json:"host"`
}

// acct prints a user as @ALIAS when the script made it, else @username.
func (a *accScript) acct(u realUser) string {
	name := u.Username
	if alias, ok := a.alias[u.Username]; ok && u.Host == nil {
		name = alias
	}
	if u.Host != nil {
		return "@" + name + "@" + *u.Host
	}
	return "@" + name
}

// realPins reads pinnedNoteIds from `i` — the order Misskey shows, most
// recently pinned first — and the text of each. `i` is read fresh here:
// i/unpin answers before its delete is done, but a later `i` sees it.
func realPins(tb testing.TB, u *acctest.User) []string {
	var me struct {
		PinnedNoteIDs []string `json:"pinnedNoteIds"`
		PinnedNotes   []struct {
			ID   string  `json:"id"`
			Text *string `json:"text"`
		} `json:"pinnedNotes"`
	}
	u.Call(tb, "i", map[string]any{}, &me)
	texts := map[string]string{}
	for _, n := range me.PinnedNotes {
		if n.Text != nil {
			texts[n.ID] = *n.Text
		}
	}
	out := make([]string, 0, len(me.PinnedNoteIDs))
	for _, id := range me.PinnedNoteIDs {
		t, ok := texts[id]
		if !ok {
			tb.Fatalf("pinned note %s is not among pinnedNotes", id)
		}
		out = append(out, t)
	}
	return out
}

type realNote struct {
	ID   string  `json:"id"`
	Text *string `json:"text"`
}

// realNotes lists the text of every note of u, oldest first.
func realNotes(tb testing.TB, u *acctest.User) []string {
	var texts []string
	for _, n := range realNoteList(tb, u) {
		t := "(no text)"
		if n.Text != nil {
			t = *n.Text
		}
		texts = append(texts, t)
	}
	return texts
}

// realNoteList lists every note of u (users/notes, every page), oldest first.
func realNoteList(tb testing.TB, u *acctest.User) []realNote {
	var notes []realNote
	untilID := ""
	for {
		body := map[string]any{"userId": u.ID, "limit": 100, "withReplies": true, "withRenotes": true}
		if untilID != "" {
			body["untilId"] = untilID
		}
		var page []realNote
		u.Call(tb, "users/notes", body, &page)
		notes = append(notes, page...)
		if len(page) < 100 {
			break
		}
		untilID = page[len(page)-1].ID
	}
	// users/notes is newest first.
	for i, j := 0, len(notes)-1; i < j; i, j = i+1, j-1 {
		notes[i], notes[j] = notes[j], notes[i]
	}
	return notes
}

// realFollows lists u's followees (users/following, every page) and the
// follow requests u sent that are still pending, each sorted by username.
func realFollows(tb testing.TB, u *acctest.User) (followees, pending []realUser) {
	untilID := ""
	for {
		body := map[string]any{"userId": u.ID, "limit": 100}
		if untilID != "" {
			body["untilId"] = untilID
		}
		var page []struct {
			ID       string   `json:"id"`
			Followee realUser `json:"followee"`
		}
		u.Call(tb, "users/following", body, &page)
		for _, f := range page {
			followees = append(followees, f.Followee)
		}
		if len(page) < 100 {
			break
		}
		untilID = page[len(page)-1].ID
	}
	var sent []struct {
		Followee realUser `json:"followee"`
	}
	u.Call(tb, "following/requests/sent", map[string]any{"limit": 100}, &sent)
	for _, r := range sent {
		pending = append(pending, r.Followee)
	}
	byName := func(s []realUser) {
		sort.Slice(s, func(i, j int) bool { return s[i].Username < s[j].Username })
	}
	byName(followees)
	byName(pending)
	return followees, pending
}

// realFolders returns every folder's slash-joined path, sorted.
func realFolders(tb testing.TB, u *acctest.User) []string {
	var paths []string
	for _, f := range realFolderList(tb, u) {
		paths = append(paths, f.path)
	}
	sort.Strings(paths)
	return paths
}

type realFolder struct{ id, path string }

// realFolderList walks u's drive from the root.
func realFolderList(tb testing.TB, u *acctest.User) []realFolder {
	var folders []realFolder
	var walk func(parentID any, prefix string)
	walk = func(parentID any, prefix string) {
		untilID := ""
		for {
			body := map[string]any{"folderId": parentID, "limit": 100}
			if untilID != "" {
				body["untilId"] = untilID
			}
			var page []struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			}
			u.Call(tb, "drive/folders", body, &page)
			for _, f := range page {
				folders = append(folders, realFolder{f.ID, prefix + f.Name})
				walk(f.ID, prefix+f.Name+"/")
			}
			if len(page) < 100 {
				return
			}
			untilID = page[len(page)-1].ID
		}
	}
	walk(nil, "")
	return folders
}

// realAntennas prints each antenna as "NAME SRC KEYWORDS" (keywords as
// JSON), sorted by name: antennas/list has no defined order.
func realAntennas(tb testing.TB, u *acctest.User) []string {
	var list []struct {
		Name      string     `json:"name"`
		Src       string     `json:"src"`
		Keywords  [][]string `json:"keywords"`
		LocalOnly bool       `json:"localOnly"`
	}
	u.Call(tb, "antennas/list", map[string]any{}, &list)
	var lines []string
	for _, an := range list {
		kw, _ := json.Marshal(an.Keywords)
		line := fmt.Sprintf("%s %s %s", an.Name, an.Src, kw)
		if an.LocalOnly {
			line += " localOnly"
		}
		lines = append(lines, line)
	}
	sort.Strings(lines)
	return lines
}

// realAntennaNotes lists the texts of the notes an antenna collected,
// newest first. Misskey files a note into antennas after notes/create has
// answered, so an empty antenna is read again for a while.
func realAntennaNotes(tb testing.TB, u *acctest.User, name string) []string {
	id := realID(tb, u, "antenna", name)
	deadline := time.Now().Add(15 * time.Second)
	for {
		var notes []realNote
		u.Call(tb, "antennas/notes", map[string]any{"antennaId": id, "limit": 100}, &notes)
		if len(notes) > 0 || time.Now().After(deadline) {
			texts := make([]string, 0, len(notes))
			for _, n := range notes {
				if n.Text != nil {
					texts = append(texts, *n.Text)
				}
			}
			return texts
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// realLists prints each list as "NAME @member @member", members sorted
// (userIds has no defined order), lists sorted by name.
func realLists(tb testing.TB, a *accScript, u *acctest.User) []string {
	var lists []struct {
		Name    string   `json:"name"`
		UserIDs []string `json:"userIds"`
	}
	u.Call(tb, "users/lists/list", map[string]any{}, &lists)
	var lines []string
	for _, l := range lists {
		members := []string{}
		if len(l.UserIDs) > 0 {
			var users []realUser
			u.Call(tb, "users/show", map[string]any{"userIds": l.UserIDs}, &users)
			for _, m := range users {
				members = append(members, a.acct(m))
			}
		}
		sort.Strings(members)
		lines = append(lines, strings.TrimSpace(l.Name+" "+strings.Join(members, " ")))
	}
	sort.Strings(lines)
	return lines
}
