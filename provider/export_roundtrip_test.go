package provider

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
	"github.com/mkctl/mkctl/schema/export"
)

// TestExportRoundTrip is issue 10's must-show 2, a property over random
// accounts (seeded; MKCTL_EXPORT_SEEDS=N tries N of them, MKCTL_EXPORT_SEED=S
// replays one): an account made through the emulator's API with every kind
// and awkward text is exported (ReadForExport, export.Generate, the files
// written), the files are loaded with schema.Load and planned against the
// account. Every other seed gives folders, lists and antennas names from a
// small set, so that several share one (two folders "twin" at the top, one
// holding a folder, always): export declares none of those.
//
//   - the plan has no changes, only adoptions, and no error;
//   - its apply makes no write but the ownership record;
//   - after it every exported object is owned: removing a follow, an
//     antenna, a list and a leaf folder from the configuration plans their
//     deletion;
//   - the next plan of the whole configuration is empty (nothing to adopt).
func TestExportRoundTrip(t *testing.T) {
	seeds := []uint64{1, 2, 3, 4, 5, 6}
	if s := os.Getenv("MKCTL_EXPORT_SEEDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		seeds = seeds[:0]
		for i := range n {
			seeds = append(seeds, uint64(i+1))
		}
	}
	if s := os.Getenv("MKCTL_EXPORT_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		seeds = []uint64{n}
	}
	var st exportStats
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) { exportRoundTrip(t, seed, &st) })
	}
	t.Logf("of %d accounts: %d with drive files exported, %d with an avatar, %d with a pinned note attaching files", len(seeds), st.files, st.images, st.noteFiles)
	if st.files == 0 || st.images == 0 || st.noteFiles == 0 {
		t.Errorf("no seed exported drive files, an avatar or a note with files: %+v", st)
	}
	if len(seeds) >= 6 && (st.clips == 0 || st.clipPins == 0) {
		t.Errorf("no seed exported a clip holding a pinned note: %+v", st)
	}
	if len(seeds) >= 6 && (st.blockLists == 0 || st.expired == 0) {
		t.Errorf("no seed exported a blocks list file or left out an expired mute: %+v", st)
	}
}

// exportStats count what the seeds exported.
type exportStats struct {
	files, images, noteFiles int
	// blockLists: seeds whose blocks went into blocks.mk.hcl; expired:
	// seeds with an ended, still listed mute left out.
	blockLists, expired int
	// clips exported, and pinned_note.LABEL entries in their notes.
	clips, clipPins int
}

func exportRoundTrip(t *testing.T, seed uint64, st *exportStats) {
	env := newEmuEnv(t)
	rng := rand.New(rand.NewPCG(seed, 0x6d6b63746c))
	shared := seed%2 == 0
	made := randomAccount(t, env, rng, shared)
	ctx := context.Background()

	acc, err := ReadForExport(ctx, env.c, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res := exportWithFiles(t, env.c, acc, export.Options{}, dir)
	var all strings.Builder
	for _, f := range res.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&all, "--- %s\n%s", f.Name, f.Content)
	}
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("seed %d: %s\naccount: %s\nnotes: %q\nexported:\n%s", seed, fmt.Sprintf(format, args...), made, res.Notes, all.String())
	}
	if shared && !slices.ContainsFunc(res.Notes, func(n string) bool {
		return strings.HasPrefix(n, `drive folders "twin" (ids `) && strings.Contains(n, " in them: Misskey has 2 folders of that name here")
	}) {
		fail("no note on the two folders \"twin\"")
	}
	cfg, _, diags := schema.Load(dir, schema.LoadOptions{})
	if diags.HasErrors() {
		fail("the export does not load: %s", diags.Error())
	}
	if len(cfg.Accounts) != 1 {
		fail("%d accounts", len(cfg.Accounts))
	}
	acct := cfg.Accounts[0]

	live, err := ReadAccount(ctx, env.c, acct)
	if err != nil {
		fail("read: %v", err)
	}
	ap, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() {
		fail("plan: %s", diags.Error())
	}
	if len(ap.Changes) != 0 {
		fail("the plan of the export has changes: %v", planChanges(ap))
	}
	if len(ap.Adopt) == 0 {
		fail("nothing to adopt")
	}

	env.resetCounts()
	if _, err := Apply(ctx, env.c, ap, nil); err != nil {
		fail("apply: %v", err)
	}
	env.mu.Lock()
	for ep, n := range env.counts {
		if !strings.HasPrefix(ep, "i/registry/") && !exportReadEndpoints[ep] {
			t.Errorf("seed %d: the adopting apply called %s %d time(s)", seed, ep, n)
		}
	}
	env.mu.Unlock()
	if n := env.count("drive/files/create") + env.count("i/update"); n != 0 {
		t.Errorf("seed %d: the adopting apply uploaded or set images: %d request(s)", seed, n)
	}
	if len(acct.DriveFiles) > 0 {
		st.files++
	}
	if acct.Profile != nil && acct.Profile.Images["avatar"].Source != nil {
		st.images++
	}
	if slices.ContainsFunc(acct.PinnedNotes, func(n *schema.PinnedNote) bool { return len(n.Files) > 0 }) {
		st.noteFiles++
	}
	for _, c := range acct.Clips {
		st.clips++
		for _, n := range c.Notes {
			if n.PinnedNote != "" {
				st.clipPins++
			}
		}
	}
	if slices.ContainsFunc(res.Files, func(f export.File) bool { return f.Name == "blocks.mk.hcl" }) {
		st.blockLists++
	}
	if c, _ := res.Count("mutes"); c.Skipped > 0 {
		if !slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "expired at") }) {
			fail("a skipped mute without a note saying it expired")
		}
		st.expired++
	}

	// Owned now: dropping objects from the configuration deletes them.
	rec, err := readOwnership(ctx, env.c.Read, acct.Address())
	if err != nil {
		fail("reading the record: %v", err)
	}
	if rec == nil || len(rec.Objects) < len(ap.Adopt) {
		fail("the record holds %v after adopting %d objects", rec, len(ap.Adopt))
	}
	trimmed, removed := withoutSome(acct, acc.Live) // the whole tree: a plan does not list inside declared folders
	live, err = ReadAccount(ctx, env.c, trimmed)
	if err != nil {
		fail("read: %v", err)
	}
	dp, diags := planner.PlanAccount(trimmed, live)
	if diags.HasErrors() {
		fail("plan without %v: %s", removed, diags.Error())
	}
	deleted := map[string]bool{}
	for _, c := range dp.Changes {
		if c.Action == planner.ActionDelete {
			deleted[c.Key] = true
		}
	}
	for _, key := range removed {
		if !deleted[key] {
			fail("removing %s from the configuration plans %v, not its deletion", key, planChanges(dp))
		}
	}

	live, err = ReadAccount(ctx, env.c, acct)
	if err != nil {
		fail("read: %v", err)
	}
	again, diags := planner.PlanAccount(acct, live)
	if diags.HasErrors() || len(again.Changes) != 0 || len(again.Adopt) != 0 {
		fail("the plan after adopting: changes %v, adopt %d, %v", planChanges(again), len(again.Adopt), diags)
	}
}

// exportReadEndpoints are the endpoints apply may read with.
var exportReadEndpoints = map[string]bool{"i": true, "users/show": true, "notes/show": true}

func planChanges(ap *planner.AccountPlan) []string {
	var out []string
	for _, c := range ap.Changes {
		out = append(out, string(c.Action)+" "+c.Key)
	}
	return out
}

// withoutSome is acct without its first follow, antenna, a list no antenna
// uses (live: an antenna export left out, one of two of a name, keeps its
// list from deletion) and a folder without subfolders (live: one holding a folder whose
// name has "/" is not empty, though none is declared in it), and the
// record keys of those.
func withoutSome(acct *schema.Account, live *planner.Live) (*schema.Account, []string) {
	a := *acct
	var removed []string
	if len(a.Follows) > 0 {
		removed = append(removed, planner.TypeFollow+"["+strconv.Quote(a.Follows[0].Acct)+"]")
		a.Follows = a.Follows[1:]
	}
	if len(a.Blocks) > 0 {
		removed = append(removed, planner.TypeBlock+"["+strconv.Quote(strings.ToLower(a.Blocks[0].Acct))+"]")
		a.Blocks = a.Blocks[1:]
	}
	if len(a.Mutes) > 0 {
		removed = append(removed, planner.TypeMute+"["+strconv.Quote(strings.ToLower(a.Mutes[0].Acct))+"]")
		a.Mutes = a.Mutes[1:]
	}
	if len(a.Antennas) > 0 {
		removed = append(removed, planner.TypeAntenna+"."+a.Antennas[0].Name)
		a.Antennas = a.Antennas[1:]
	}
	used := map[string]bool{}
	for _, an := range a.Antennas {
		used[an.UserList] = true
	}
	for _, an := range live.Antennas {
		if id, _ := an.Fields["userListId"].(string); id != "" {
			for _, l := range live.UserLists {
				if l.ID == id {
					used[l.Name] = true
				}
			}
		}
	}
	for i, ul := range a.UserLists {
		if !used[ul.Name] {
			removed = append(removed, planner.TypeUserList+"."+ul.Name)
			a.UserLists = slices.Delete(slices.Clone(a.UserLists), i, i+1)
			break
		}
	}
	parents := map[string]bool{}
	for _, f := range live.DriveFolders {
		if f.ParentID != "" {
			parents[live.DriveFolders[slices.IndexFunc(live.DriveFolders, func(g planner.LiveFolder) bool { return g.ID == f.ParentID })].Path] = true
		}
	}
	for _, f := range live.DriveFiles {
		parents[f.Folder] = true // a folder holding files stays: not emptied by the plan
	}
	// A drive file no note attaches and that is not the avatar or banner.
	attached := map[string]bool{}
	for _, n := range a.PinnedNotes {
		for _, k := range n.Files {
			attached[k] = true
		}
	}
	for _, name := range []string{"avatar", "banner"} {
		if img, ok := live.ProfileImages[name]; ok {
			attached[img.Key()] = true
		}
	}
	for i, f := range a.DriveFiles {
		if !attached[f.Key()] {
			removed = append(removed, planner.DriveFileKey(f.Key()))
			a.DriveFiles = slices.Delete(slices.Clone(a.DriveFiles), i, i+1)
			break
		}
	}
	for i, f := range a.DriveFolders {
		if !parents[f.Path] {
			removed = append(removed, planner.TypeDriveFolder+"["+strconv.Quote(f.Path)+"]")
			a.DriveFolders = slices.Delete(slices.Clone(a.DriveFolders), i, i+1)
			break
		}
	}
	return &a, removed
}

// edgeTexts are pieces of text that HCL, its templates or the writer could
// get wrong.
var edgeTexts = []string{
	"${x}", "%{if true}yes%{endif}", "$${literal}", "%%{", "$", "%", "emoji 🎉👨‍👩‍👧", "tab\there", "trailing   ",
	"line one\nline two\n\nline four", "\"quoted\"", `back\slash`, "<<EOT", "EOT", "\nEOT\n", "é à ü", "{}", "# not a comment",
	"// nor this", "/* nor */", "→ arrows ←", "  two spaces", "\u200b", "日本語のテキスト", "a\r\nb", "\\n", "'single'",
}

func randomText(rng *rand.Rand, pieces int) string {
	var sb strings.Builder
	for range 1 + rng.IntN(pieces) {
		if rng.IntN(3) == 0 {
			sb.WriteString(" word")
			continue
		}
		sb.WriteString(edgeTexts[rng.IntN(len(edgeTexts))])
	}
	return sb.String()
}

// randomWord is an antenna keyword: no white space (Misskey's client
// splits keywords at spaces, and so does a string keyword in mkctl).
func randomWord(rng *rand.Rand) string {
	words := []string{"storm", "${x}", "%{if}", "🎉", "naïve", "\"q\"", `b\s`, "EOT", "日本", "a-b_c"}
	return words[rng.IntN(len(words))] + strconv.Itoa(rng.IntN(100))
}

// randomAccount fills alice's account through the API with every kind, at
// random, and returns a summary for failure messages. shared: names of
// folders, lists and antennas come from a small set, and two folders
// "twin" are made at the top.
func randomAccount(t *testing.T, env *emuEnv, rng *rand.Rand, shared bool) string {
	t.Helper()
	ctx := context.Background()
	e := env.emu
	var summary []string
	write := func(endpoint string, params map[string]any, out any) {
		t.Helper()
		if err := env.c.Write(ctx, endpoint, params, out); err != nil {
			t.Fatalf("%s %v: %v", endpoint, params, err)
		}
	}
	pick := func(xs ...any) any { return xs[rng.IntN(len(xs))] }

	// Profile: a random subset of what i/update takes.
	profile := map[string]any{}
	if rng.IntN(4) > 0 {
		profile["name"] = strings.TrimSpace(truncateRunes(randomText(rng, 3), 50))
	}
	if rng.IntN(4) > 0 {
		profile["description"] = truncateRunes(randomText(rng, 12), 1500)
	}
	if rng.IntN(2) == 0 {
		profile["location"] = truncateRunes(randomText(rng, 2), 50)
	}
	if rng.IntN(2) == 0 {
		profile["birthday"] = pick("2000-01-31", "1999-12-01")
	}
	if rng.IntN(2) == 0 {
		profile["lang"] = pick("en-US", "ja-JP", "de-DE")
	}
	if rng.IntN(2) == 0 {
		var fields []map[string]any
		for range 1 + rng.IntN(4) {
			fields = append(fields, map[string]any{"name": truncateRunes(randomText(rng, 2), 60) + "n", "value": truncateRunes(randomText(rng, 3), 150) + "v"})
		}
		profile["fields"] = fields
	}
	for _, b := range []string{"isBot", "isCat", "isExplorable", "hideOnlineStatus", "publicReactions", "noCrawle", "preventAiLearning", "carefulBot", "autoAcceptFollowed", "requireSigninToViewContents"} {
		if rng.IntN(3) == 0 {
			profile[b] = rng.IntN(2) == 0
		}
	}
	if rng.IntN(3) == 0 {
		profile["followingVisibility"] = pick("public", "followers", "private")
	}
	if rng.IntN(3) == 0 {
		profile["chatScope"] = pick("everyone", "followers", "following", "mutual", "none")
	}
	if rng.IntN(3) == 0 {
		profile["followedMessage"] = truncateRunes(randomText(rng, 3), 256)
	}
	if rng.IntN(4) == 0 {
		e.CreateUser("oldme")
		profile["alsoKnownAs"] = []string{"@oldme"}
	}
	if len(profile) > 0 {
		write("i/update", profile, nil)
	}
	summary = append(summary, fmt.Sprintf("shared names %v; profile %q", shared, profile))

	// Users to follow and put in lists.
	local := e.SeedUsers("friend", 150+rng.IntN(200))
	var remote []string
	for i := range 5 + rng.IntN(10) {
		remote = append(remote, e.CreateRemoteUser("far"+strconv.Itoa(i), pick("other.example", "xn--bcher-kva.example", "remote.example:8443").(string)).ID)
	}
	locked := e.CreateUser("locked")
	e.SetLocked(locked.ID, true)
	others := e.SeedUsers("stranger", 20)

	var follows int
	for _, id := range slices.Concat(local[:len(local)-rng.IntN(20)], remote, []string{locked.ID}) {
		write("following/create", map[string]any{"userId": id}, nil)
		follows++
		if rng.IntN(10) == 0 && id != locked.ID && !slices.Contains(remote, id) {
			write("following/update", map[string]any{"userId": id, "notify": pick("normal", "none"), "withReplies": rng.IntN(2) == 0}, nil)
		}
	}
	summary = append(summary, fmt.Sprintf("%d follows", follows))

	// Pinned notes: supported ones with awkward text, sometimes one with a
	// poll (skipped by export).
	for range rng.IntN(5) {
		p := map[string]any{"text": truncateRunes(randomText(rng, 8), 3000)}
		if strings.TrimSpace(p["text"].(string)) == "" {
			p["text"] = "x"
		}
		if rng.IntN(3) == 0 {
			p["cw"] = truncateRunes(randomText(rng, 2), 100)
		}
		if rng.IntN(3) == 0 {
			p["visibility"] = pick("home", "followers")
		}
		if rng.IntN(4) == 0 {
			p["localOnly"] = true
		}
		if rng.IntN(4) == 0 {
			p["reactionAcceptance"] = pick("likeOnly", "nonSensitiveOnly")
		}
		if rng.IntN(6) == 0 {
			p["poll"] = map[string]any{"choices": []string{"yes", "no"}}
		}
		var n struct{ CreatedNote struct{ ID string } }
		write("notes/create", p, &n)
		write("i/pin", map[string]any{"noteId": n.CreatedNote.ID}, nil)
		summary = append(summary, fmt.Sprintf("pinned %q", p))
	}

	// Folders: a random tree, some names awkward, one with "/" sometimes,
	// two of one name in one folder (which export leaves out) sometimes.
	type folder struct{ id, path string }
	var folders []folder
	if shared {
		for range 2 {
			var f struct{ ID string }
			write("drive/folders/create", map[string]any{"name": "twin"}, &f)
			folders = append(folders, folder{f.ID, "twin"})
		}
		var f struct{ ID string }
		write("drive/folders/create", map[string]any{"name": "inside", "parentId": folders[0].id}, &f)
		folders = append(folders, folder{f.ID, "twin/inside"})
	}
	for range rng.IntN(25) {
		name := pick("media", "a b", "${x}", "🎉", "日本", "x.y", "EOT", "q\"q").(string) + strconv.Itoa(rng.IntN(1000))
		if shared {
			name = pick("media", "${x}").(string)
		}
		if rng.IntN(15) == 0 {
			name = "a/b" + strconv.Itoa(rng.IntN(1000))
		}
		p := map[string]any{"name": name}
		path := name
		if len(folders) > 0 && rng.IntN(3) > 0 {
			parent := folders[rng.IntN(len(folders))]
			if strings.Contains(parent.path, "/") && strings.Contains(parent.path, "a/b") {
				parent = folders[0]
			}
			p["parentId"] = parent.id
			path = parent.path + "/" + name
		}
		var f struct{ ID string }
		write("drive/folders/create", p, &f)
		folders = append(folders, folder{f.ID, path})
	}
	summary = append(summary, fmt.Sprintf("%d folders", len(folders)))
	var folderIDs []string
	for _, f := range folders {
		folderIDs = append(folderIDs, f.id)
	}
	summary = append(summary, randomFiles(t, env, rng, folderIDs))

	// Lists of followed, remote and unfollowed users.
	var lists []string
	for i := range rng.IntN(4) {
		name := truncateRunes(pick("friends", "${x} list", "🎉 list", "news").(string)+" "+strconv.Itoa(i), 100)
		if shared {
			name = pick("friends", "${x} list").(string)
		}
		var l struct{ ID string }
		write("users/lists/create", map[string]any{"name": name}, &l)
		lists = append(lists, l.ID)
		pool := slices.Concat(local[:10], remote, others)
		for _, j := range rng.Perm(len(pool))[:rng.IntN(8)] {
			write("users/lists/push", map[string]any{"listId": l.ID, "userId": pool[j]}, nil)
		}
	}
	summary = append(summary, fmt.Sprintf("%d lists", len(lists)))

	// Antennas (at most 5, antennaLimit), every source.
	for i := range rng.IntN(6) {
		var kw, ex [][]string
		for range 1 + rng.IntN(3) {
			var group []string
			for range 1 + rng.IntN(2) {
				group = append(group, randomWord(rng))
			}
			kw = append(kw, group)
		}
		if rng.IntN(2) == 0 {
			ex = append(ex, []string{randomWord(rng)})
		}
		src := pick("all", "home", "users", "users_blacklist", "list").(string)
		name := truncateRunes(randomText(rng, 2), 90) + strconv.Itoa(i)
		if shared {
			name = pick("news", "${x} antenna").(string)
		}
		p := map[string]any{"name": name, "src": src, "keywords": kw, "excludeKeywords": orEmpty(ex),
			"users": []string{}, "caseSensitive": rng.IntN(2) == 0, "withReplies": rng.IntN(2) == 0, "withFile": rng.IntN(2) == 0,
			"localOnly": rng.IntN(2) == 0, "excludeBots": rng.IntN(2) == 0, "excludeNotesInSensitiveChannel": rng.IntN(2) == 0}
		switch src {
		case "users", "users_blacklist":
			p["users"] = []string{"@friend0", "@far0@" + pick("other.example", "remote.example:8443").(string), "friend1"}[:1+rng.IntN(3)]
		case "list":
			if len(lists) == 0 {
				p["src"] = "all"
			} else {
				p["userListId"] = lists[rng.IntN(len(lists))]
			}
		}
		write("antennas/create", p, nil)
		summary = append(summary, fmt.Sprintf("antenna %q", p))
	}

	// Blocks (none, a few, or more than export writes inline), mutes with
	// and without an end, one that ended but is still listed (the clock
	// moves past its end, not past the next 5-minute job), renote mutes.
	// Drawn last: the account above is as it was.
	var blockees []string
	switch rng.IntN(3) {
	case 1:
		blockees = append(slices.Clone(others[:1+rng.IntN(5)]), local[len(local)-1], remote[0])
	case 2:
		blockees = e.SeedUsers("blockee", export.RelationsInline+1+rng.IntN(30))
	}
	for _, id := range blockees {
		write("blocking/create", map[string]any{"userId": id}, nil)
	}
	mutees := others[5 : 5+rng.IntN(10)]
	for i, id := range mutees {
		p := map[string]any{"userId": id}
		if i%2 == 0 {
			// Some time in 2027, with milliseconds.
			p["expiresAt"] = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli() + rng.Int64N(1e10)
		}
		write("mute/create", p, nil)
	}
	expired := rng.IntN(2) == 0
	if expired {
		write("mute/create", map[string]any{"userId": others[19], "expiresAt": env.clock.Now().Add(30 * time.Second).UnixMilli()}, nil)
		env.clock.Advance(time.Minute) // 12:01: ended, listed until the 12:05 job
	}
	rmutees := others[15 : 15+rng.IntN(4)]
	for _, id := range rmutees {
		write("renote-mute/create", map[string]any{"userId": id}, nil)
	}
	summary = append(summary, fmt.Sprintf("%d blocks, %d mutes (+ expired: %v), %d renote mutes", len(blockees), len(mutees), expired, len(rmutees)))

	// Clips, drawn after everything else: pinned notes (exported as
	// pinned_note.LABEL when their block is), other users' notes, and a
	// muted user's note, which clips/notes hides (the export leaves it,
	// and so does the plan).
	pins := e.PinnedNoteIDs(env.me.ID)
	for i := range rng.IntN(3) {
		var clip struct {
			ID string `json:"id"`
		}
		p := map[string]any{"name": pick("reading", "later", "a b", "📌")}
		if i == 1 {
			p["name"] = "second"
		}
		if rng.IntN(2) == 0 {
			p["description"] = truncateRunes(randomText(rng, 8), 2048)
			p["isPublic"] = true
		}
		write("clips/create", p, &clip)
		var notes []string
		for _, id := range pins {
			if rng.IntN(2) == 0 {
				notes = append(notes, id)
			}
		}
		notes = append(notes, e.CreateNote(others[rng.IntN(5)], "someone's note "+strconv.Itoa(i)))
		if len(mutees) > 0 && rng.IntN(2) == 0 {
			notes = append(notes, e.CreateNote(mutees[0], "a muted user's note"))
		}
		for _, id := range notes {
			write("clips/add-note", map[string]any{"clipId": clip.ID, "noteId": id}, nil)
		}
		summary = append(summary, fmt.Sprintf("clip %q of %d notes", p["name"], len(notes)))
	}
	return strings.Join(summary, "; ")
}

func orEmpty(x [][]string) [][]string {
	if x == nil {
		return [][]string{}
	}
	return x
}

func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}
