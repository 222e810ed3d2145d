package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/acctest"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
	"github.com/mkctl/mkctl/schema/export"
)

// TestAccExportRoundTrip: on the real server, an account set up by hand
// with every kind and awkward text — profile fields, pinned notes with
// template sequences, tabs, trailing spaces and several lines, a pinned
// note with a poll and a reply, follows including a pending one to a
// locked account, nested folders and one whose name holds "/", two lists
// (one with a member the account does not follow), antennas on a list and
// on users, and copies Misskey allows but mkctl cannot tell apart (two
// folders "twin" in "media", one holding a folder, two lists "dup" and an
// antenna on one of them) — is exported, loaded and planned: no changes;
// drive files (a logo in a folder that a pinned note attaches, notes at
// the root) and an avatar and a banner are downloaded next to the files;
// the poll, the reply and the copies are skipped with a note; the apply
// uploads nothing and writes nothing but the
// ownership record; a follow and an antenna removed from the
// configuration are then planned as deletions, and the whole configuration
// plans to nothing.
func TestAccExportRoundTrip(t *testing.T) {
	srv := acctest.Connect(t)
	ctx := accCtx(t)
	u := srv.NewUser(t, "export")
	friend := srv.NewUser(t, "exfriend")
	member := srv.NewUser(t, "exmember")
	locked := srv.NewUser(t, "exlocked")
	locked.Call(t, "i/update", map[string]any{"isLocked": true}, nil)

	u.Call(t, "i/update", map[string]any{
		"name":        "Export ${x} 🎉",
		"description": "line one\n\tline two %{if true}x%{endif} $${y}\ntrailing  \n\nlast",
		"location":    "Tokyo  ",
		"birthday":    "2000-01-31",
		"lang":        "en-US",
		"fields": []map[string]any{
			{"name": "Source", "value": "https://git.example/${repo}"},
			{"name": "tab\there", "value": "emoji 🎉 \"quoted\""},
		},
		"isBot": true, "isCat": true, "followingVisibility": "followers",
	}, nil)

	note := func(params map[string]any, pin bool) string {
		var created struct {
			CreatedNote struct {
				ID string `json:"id"`
			} `json:"createdNote"`
		}
		u.Call(t, "notes/create", params, &created)
		if pin {
			u.Call(t, "i/pin", map[string]any{"noteId": created.CreatedNote.ID}, nil)
		}
		return created.CreatedNote.ID
	}
	first := note(map[string]any{"text": "Hello ${x} %{if} 🎉\n\tindented  \nEOT\nlast", "cw": "read ${me}", "visibility": "home", "localOnly": true, "reactionAcceptance": "likeOnly"}, true)
	note(map[string]any{"text": "Which one?", "poll": map[string]any{"choices": []string{"a", "b"}}}, true)
	note(map[string]any{"text": "a reply", "replyId": first}, true)
	note(map[string]any{"text": "<<EOT\n\"quotes\" and \\backslash\\", "visibility": "followers"}, true)

	u.Call(t, "following/create", map[string]any{"userId": friend.ID}, nil)
	u.Call(t, "following/update", map[string]any{"userId": friend.ID, "notify": "normal", "withReplies": true}, nil)
	u.Call(t, "following/create", map[string]any{"userId": locked.ID}, nil) // a request

	folder := func(name, parent string) string {
		var f struct {
			ID string `json:"id"`
		}
		p := map[string]any{"name": name}
		if parent != "" {
			p["parentId"] = parent
		}
		u.Call(t, "drive/folders/create", p, &f)
		return f.ID
	}
	media := folder("media", "")
	thumbs := folder("thumbs ${x}", media)
	folder("small 🎉", thumbs)
	folder("a/b", "")
	twin := folder("twin", media)
	folder("twin", media)
	folder("inside", twin)

	var list, second struct {
		ID string `json:"id"`
	}
	u.Call(t, "users/lists/create", map[string]any{"name": "friends ${x}"}, &list)
	u.Call(t, "users/lists/create", map[string]any{"name": "second"}, &second)
	for _, id := range []string{friend.ID, member.ID} {
		u.Call(t, "users/lists/push", map[string]any{"listId": list.ID, "userId": id}, nil)
	}
	u.Call(t, "users/lists/push", map[string]any{"listId": second.ID, "userId": member.ID}, nil)
	var dup struct {
		ID string `json:"id"`
	}
	u.Call(t, "users/lists/create", map[string]any{"name": "dup"}, &dup)
	u.Call(t, "users/lists/create", map[string]any{"name": "dup"}, nil)
	u.Call(t, "users/lists/push", map[string]any{"listId": dup.ID, "userId": member.ID}, nil)
	u.Call(t, "antennas/create", map[string]any{"name": "on dup", "src": "list", "userListId": dup.ID,
		"keywords": [][]string{{"dup"}}, "excludeKeywords": [][]string{}, "users": []string{},
		"caseSensitive": false, "withReplies": false, "withFile": false}, nil)
	u.Call(t, "antennas/create", map[string]any{"name": "news %{x}", "src": "list", "userListId": list.ID,
		"keywords": [][]string{{"breaking"}, {"urgent", "update"}}, "excludeKeywords": [][]string{{"${sponsored}"}}, "users": []string{},
		"caseSensitive": true, "withReplies": false, "withFile": false, "excludeBots": true}, nil)
	u.Call(t, "antennas/create", map[string]any{"name": "people", "src": "users",
		"keywords": [][]string{{"storm"}}, "excludeKeywords": [][]string{}, "users": []string{"@" + friend.Username, member.Username},
		"caseSensitive": false, "withReplies": true, "withFile": false, "localOnly": true}, nil)

	// Blocks, mutes (one ending with milliseconds, one without end, one
	// that ended a moment ago and that Misskey lists until its 5-minute
	// job removes it) and a renote mute.
	rel := srv.NewUsers(t, "exrel", 5)
	u.Call(t, "blocking/create", map[string]any{"userId": rel[0].ID}, nil)
	muteEnd := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second).Add(123 * time.Millisecond)
	u.Call(t, "mute/create", map[string]any{"userId": rel[1].ID, "expiresAt": muteEnd.UnixMilli()}, nil)
	u.Call(t, "mute/create", map[string]any{"userId": rel[2].ID}, nil)
	u.Call(t, "mute/create", map[string]any{"userId": rel[3].ID, "expiresAt": time.Now().Add(500 * time.Millisecond).UnixMilli()}, nil)
	u.Call(t, "renote-mute/create", map[string]any{"userId": rel[4].ID}, nil)
	time.Sleep(time.Second) // rel[3]'s mute has ended

	proxy := srv.NewProxy(t)
	c, err := NewClient(proxy.URL, u.MiAuth(t, mkctlPermissions...), WithUserAgent("mkctl/acceptance"))
	if err != nil {
		t.Fatal(err)
	}

	// Files: a logo in media (with a comment, sensitive) that a pinned
	// note attaches, notes at the root, the avatar at the root and the
	// banner in "thumbs ${x}" (a folder whose name the local path keeps).
	src := t.TempDir()
	put := func(name, folderID string, data []byte, fields ...[2]string) string {
		p := filepath.Join(src, fmt.Sprintf("%d", len(fields))+name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		fields = append(fields, [2]string{"name", name})
		if folderID != "" {
			fields = append(fields, [2]string{"folderId", folderID})
		}
		var f struct{ ID string }
		if err := c.Upload(ctx, "drive/files/create", upload{Fields: fields, Path: p, Filename: name, Size: int64(len(data))}, &f); err != nil {
			t.Fatalf("upload %s: %v", name, err)
		}
		return f.ID
	}
	logo := put("logo.png", media, pngBytes(t, 21), [2]string{"comment", "The logo ${x}"}, [2]string{"isSensitive", "true"})
	put("notes.txt", "", []byte("Some notes ${x}\n"))
	avatar := put("face.png", "", pngBytes(t, 22))
	banner := put("banner.png", thumbs, pngBytes(t, 23))
	u.Call(t, "i/update", map[string]any{"avatarId": avatar, "bannerId": banner}, nil)
	note(map[string]any{"text": "Our logo", "fileIds": []string{logo}}, true)

	proxy.Reset()
	acc, err := ReadForExport(ctx, c, u.Username, nil)
	if err != nil {
		t.Fatal(err)
	}
	exportRequests := proxy.Total()
	var reasons []string
	for _, n := range acc.Live.PinnedNotes {
		reasons = append(reasons, n.Unsupported)
	}
	// Top first: the last pinned.
	if want := []string{"", "", "it is a reply (replyId)", "it has a poll", ""}; strings.Join(reasons, "|") != strings.Join(want, "|") {
		t.Errorf("Unsupported of the pinned notes: %q, want %q", reasons, want)
	}
	if acc.UserAccts[member.ID] != "@"+member.Username || acc.UserAccts[friend.ID] != "@"+friend.Username {
		t.Errorf("UserAccts %v", acc.UserAccts)
	}

	dir := t.TempDir()
	res := exportWithFiles(t, c, acc, export.Options{}, dir)
	var downloads []string
	for _, d := range res.Downloads {
		downloads = append(downloads, d.Path)
	}
	if want := "[files/face.png files/media/logo.png files/media/thumbs ${x}/banner.png files/notes.txt]"; fmt.Sprint(downloads) != want {
		t.Errorf("downloads %v, want %s", downloads, want)
	}
	var all strings.Builder
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&all, "--- %s\n%s", f.Name, f.Content)
	}
	t.Logf("export: %d requests, notes %q\n%s", exportRequests, res.Notes, all.String())
	notes := strings.Join(res.Notes, "\n")
	for _, want := range []string{"poll", "reply", `"a/b"`, `drive folders "media/twin" (ids `, `user lists "dup" (ids `, `antenna "on dup"`} {
		if !strings.Contains(notes, want) {
			t.Errorf("no note mentions %s: %q", want, res.Notes)
		}
	}
	for _, want := range []string{
		`avatar = "files/face.png"`, `banner = "files/media/thumbs $${x}/banner.png"`,
		`files = [drive_file["media/logo.png"]]`, `comment      = "The logo $${x}"`, "is_sensitive = true",
		`drive_file "notes.txt" {`,
	} {
		// Compared with runs of spaces as one: hclwrite aligns the "=".
		if !strings.Contains(strings.Join(strings.Fields(all.String()), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("the files do not say %s", want)
		}
	}
	for _, want := range []string{
		`block "@` + rel[0].Username + `" {`,
		`mute "@` + rel[1].Username + `" { expires_at = "` + muteEnd.Format("2006-01-02T15:04:05.000Z") + `" }`,
		`mute "@` + rel[2].Username + `" { }`, `renote_mute "@` + rel[4].Username + `" { }`,
	} {
		if !strings.Contains(strings.Join(strings.Fields(all.String()), " "), want) {
			t.Errorf("the files do not say %s", want)
		}
	}
	if strings.Contains(all.String(), `mute "@`+rel[3].Username) {
		t.Errorf("the ended mute of %s is declared (validate refuses an expires_at in the past)", rel[3].Username)
	}
	if slices.ContainsFunc(acc.Live.Mutes, func(m planner.LiveRelation) bool { return m.UserID == rel[3].ID }) {
		if !strings.Contains(notes, `mute "@`+rel[3].Username+`" is not exported: it expired at`) {
			t.Errorf("no note on the ended mute: %q", res.Notes)
		}
	} else {
		t.Logf("Misskey's 5-minute job removed the ended mute before the export read")
	}
	if !strings.Contains(all.String(), "# ") || !strings.Contains(all.String(), "poll") {
		t.Errorf("the files do not say the poll note was skipped")
	}
	cfg, _, diags := schema.Load(dir, schema.LoadOptions{})
	if diags.HasErrors() {
		t.Fatalf("the export does not load: %s", diags.Error())
	}
	acct := cfg.Accounts[0]
	// The files name the server as exported; the test talks to it
	// through the proxy.
	acct.Host = proxy.URL

	proxy.Reset()
	live, err := ReadAccount(ctx, c, acct)
	if err != nil {
		t.Fatal(err)
	}
	planRequests := proxy.Total()
	ap, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if len(ap.Changes) != 0 {
		t.Fatalf("the plan of the export has changes: %v", planChanges(ap))
	}
	t.Logf("requests: export %d, plan of the export %d; %d to adopt", exportRequests, planRequests, len(ap.Adopt))

	proxy.Reset()
	if _, err := Apply(ctx, c, ap, nil); err != nil {
		t.Fatal(err)
	}
	for _, ep := range []string{"i/update", "notes/create", "notes/delete", "i/pin", "i/unpin", "following/create", "following/delete",
		"following/update", "following/requests/cancel", "drive/folders/create", "drive/folders/update", "drive/folders/delete",
		"antennas/create", "antennas/update", "antennas/delete", "users/lists/create", "users/lists/update", "users/lists/delete",
		"users/lists/push", "users/lists/pull", "drive/files/create", "drive/files/update", "drive/files/delete",
		"blocking/create", "blocking/delete", "mute/create", "mute/delete", "renote-mute/create", "renote-mute/delete"} {
		if n := proxy.Count(ep); n != 0 {
			t.Errorf("the adopting apply called %s %d time(s)", ep, n)
		}
	}
	if proxy.Count("i/registry/set") == 0 {
		t.Error("the adopting apply did not write the ownership record")
	}

	trimmed, removed := withoutSome(acct, acc.Live)
	live, err = ReadAccount(ctx, c, trimmed)
	if err != nil {
		t.Fatal(err)
	}
	dp, diags := planner.PlanAccount(trimmed, live)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	deleted := map[string]bool{}
	for _, ch := range dp.Changes {
		if ch.Action == planner.ActionDelete {
			deleted[ch.Key] = true
		}
	}
	for _, key := range removed {
		if !deleted[key] {
			t.Errorf("removing %s from the configuration plans %v, not its deletion", key, planChanges(dp))
		}
	}

	live, err = ReadAccount(ctx, c, acct)
	if err != nil {
		t.Fatal(err)
	}
	again, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() || len(again.Changes) != 0 || len(again.Adopt) != 0 {
		t.Fatalf("the plan after adopting: changes %v, adopt %d, %v", planChanges(again), len(again.Adopt), diags)
	}
}
