package export

import (
	"bytes"
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// The round-trip property: for any account the provider can read, the
// exported files load, and planning them against the same account changes
// nothing (adoptions aside), while every object that the language can
// describe is declared. A seeded math/rand builds the accounts, so a
// failure names the seed that reproduces it.

// textPieces are the parts random text is made of: template introducers,
// escapes, heredoc markers, white space at the edges of lines, scripts
// and emoji, control characters.
var textPieces = []string{
	"${x}", "%{if true}", "$${y}", "%%{z}", "$", "%", "{", "}", "$$", "${", "%{",
	"hello", "Good morning", "world", "the", "a", "42", "2026",
	"🎉", "👨‍👩‍👧", "❤️", "日本語", "テキスト", "中文", "한국어", "Ünïcödé", "café",
	"\t", "  ", " ", "\n", "\n", "\n\n", "\r\n", "\r", "EOT", "EOF", "END", "TEXT", "  EOT  ",
	"\\", "\\n", `"`, `\"`, "<<EOT", "<<-EOT", "#", "//", "/*", "*/",
	"\u00a0", "\u200b", "\u200d", "\ufeff", "\x01", "\x1b[0m", "\x7f", "\u2028", "\u0085",
}

// randText is text of at most max code points made of random pieces;
// lines=false keeps it on one line.
func randText(r *rand.Rand, max int, lines bool) string {
	var b strings.Builder
	n := 1 + r.Intn(12)
	for i := 0; i < n; i++ {
		p := textPieces[r.Intn(len(textPieces))]
		if !lines && strings.ContainsAny(p, "\r\n\u2028\u0085") {
			continue
		}
		if i > 0 && r.Intn(2) == 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p)
	}
	return truncRunes(b.String(), max)
}

func truncRunes(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max])
}

// trimmedText is text as Misskey stores a trimmed value: not empty.
func trimmedText(r *rand.Rand, max int, lines bool) string {
	for {
		if s := schema.JSTrim(randText(r, max, lines)); s != "" {
			return s
		}
	}
}

// world is one random account and what the export of it must declare.
type world struct {
	acc Account
	// want* count what must be declared.
	wantNotes, wantFollows, wantFolders, wantLists, wantAntennas int
	wantProfile                                                  []string // HCL names
	// duplicates: the plan may stop with "Duplicate ..." errors (and only
	// then), since duplicates of an exported name are left on the account.
	duplicates bool
	// pulls: user ids each exported list will lose (members whose acct is
	// unknown), by list name.
	pulls map[string][]string
}

// freshI is the `i` answer of a new account as the provider keeps it in
// Live.Profile (samples/01-i.json, managed and unmanaged fields alike).
func freshI(username string) map[string]any {
	return map[string]any{
		"id": "u0", "name": nil, "username": username, "host": nil, "avatarUrl": "https://x/identicon", "isBot": false, "isCat": false,
		"onlineStatus": "unknown", "url": nil, "uri": nil, "movedTo": nil, "alsoKnownAs": nil, "createdAt": "2026-11-26T12:07:02.651Z",
		"isLocked": false, "description": nil, "location": nil, "birthday": nil, "lang": nil, "fields": []any{}, "verifiedLinks": []any{},
		"followersCount": 0.0, "followingCount": 0.0, "notesCount": 0.0, "pinnedNoteIds": []any{}, "publicReactions": true,
		"followersVisibility": "public", "followingVisibility": "public", "chatScope": "mutual", "canChat": true, "followedMessage": nil,
		"injectFeaturedNote": true, "receiveAnnouncementEmail": true, "alwaysMarkNsfw": false, "autoSensitive": false, "carefulBot": false,
		"autoAcceptFollowed": true, "noCrawle": false, "preventAiLearning": true, "isExplorable": true, "hideOnlineStatus": false,
		"mutedWords": []any{}, "emailNotificationTypes": []any{"follow", "receiveFollowRequest"},
	}
}

var usernameChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"

func randUsername(r *rand.Rand, remote bool) string {
	n := 1 + r.Intn(10)
	b := make([]byte, n)
	for i := range b {
		b[i] = usernameChars[r.Intn(len(usernameChars))]
		if remote && i > 0 && i < n-1 && r.Intn(8) == 0 {
			b[i] = ".-"[r.Intn(2)]
		}
	}
	return string(b)
}

func randBool(r *rand.Rand, pTrue int) bool { return r.Intn(100) < pTrue }

func randTime(r *rand.Rand) time.Time {
	if r.Intn(10) == 0 {
		return time.Time{} // unknown
	}
	return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Intn(1000)) * time.Hour)
}

func randWorld(seed int64) *world {
	r := rand.New(rand.NewSource(seed))
	w := &world{pulls: map[string][]string{}}
	host, ownHost := "misskey.example", "misskey.example"
	if r.Intn(4) == 0 {
		host, ownHost = "http://127.0.0.1:3000", "127.0.0.1:3000"
	}
	username := randUsername(r, false)
	live := &planner.Live{UserID: "u0", Username: username, Users: map[string]string{}}
	w.acc = Account{Host: host, Username: username, Live: live, UserAccts: map[string]string{}}

	// Users the account knows: local and remote, some differing only in
	// case from others.
	nextID := 0
	newUser := func() (id, acct string) {
		nextID++
		id = fmt.Sprintf("user%05d", nextID)
		if r.Intn(3) == 0 {
			u := randUsername(r, false) + fmt.Sprint(nextID)
			if strings.EqualFold(u, username) {
				u += "x"
			}
			return id, "@" + u
		}
		return id, fmt.Sprintf("@%s%d@host-%d.example", randUsername(r, true), nextID, r.Intn(5))
	}

	w.profile(r, live, ownHost)
	w.pinnedNotes(r, live)

	// Follows: none, a few (one block each) or many (a for_each list).
	var nFollows int
	switch r.Intn(4) {
	case 0:
	case 1:
		nFollows = 1 + r.Intn(20)
	default:
		nFollows = 21 + r.Intn(400)
	}
	for i := 0; i < nFollows; i++ {
		id, acct := newUser()
		f := planner.LiveFollow{UserID: id, Acct: acct, Pending: randBool(r, 10)}
		if !f.Pending {
			f.WithReplies = randBool(r, 5)
			f.Notify = randBool(r, 5)
		}
		live.Follows = append(live.Follows, f)
		w.acc.UserAccts[id] = acct
	}
	w.wantFollows = nFollows

	w.folders(r, live)
	w.lists(r, live, newUser)
	w.antennas(r, live, ownHost)
	return w
}

func (w *world) profile(r *rand.Rand, live *planner.Live, ownHost string) {
	p := freshI(w.acc.Username)
	live.Profile = p
	for _, f := range schema.ProfileFields {
		if r.Intn(3) != 0 {
			continue // keeps a new account's value
		}
		var v any
		switch f.Kind {
		case schema.KindString:
			if r.Intn(8) == 0 {
				v = nil
				break
			}
			switch f.Name {
			case "birthday":
				v = time.Date(1900+r.Intn(200), time.Month(1+r.Intn(12)), 1+r.Intn(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
			case "name":
				v = trimmedText(r, f.MaxLen, false)
			default:
				max := f.MaxLen
				if max == 0 {
					max = 200
				}
				s := randText(r, max, true)
				if s == "" {
					s = "x"
				}
				v = s
			}
		case schema.KindBool:
			b := randBool(r, 50)
			if f.API == "requireSigninToViewContents" {
				// `i` sends it only when true.
				if b {
					p[f.API] = true
				}
				continue
			}
			v = b
		case schema.KindEnum:
			if f.Nullable && r.Intn(5) == 0 {
				v = nil
			} else {
				v = f.Enum[r.Intn(len(f.Enum))]
			}
		case schema.KindFields:
			var items []any
			for i := r.Intn(f.MaxLen + 1); i > 0; i-- {
				items = append(items, map[string]any{"name": trimmedText(r, 40, false), "value": trimmedText(r, 80, true)})
			}
			if items == nil {
				items = []any{}
			}
			v = items
		case schema.KindAccts:
			// As the provider reads it: "@user@host" with the host even for
			// a local user, sorted; or user ids left for UserAccts.
			var items []any
			for i := r.Intn(f.MaxLen + 1); i > 0; i-- {
				acct := fmt.Sprintf("@old%d@%s", i, []string{ownHost, "other.example"}[r.Intn(2)])
				if r.Intn(4) == 0 {
					id := fmt.Sprintf("aka%d", i)
					w.acc.UserAccts[id] = acct
					items = append(items, id)
					continue
				}
				items = append(items, acct)
			}
			if items == nil && r.Intn(2) == 0 {
				v = nil
			} else {
				v = items
			}
		}
		p[f.API] = v
	}
	for _, f := range schema.ProfileFields {
		v, ok := p[f.API]
		if !ok {
			v = f.LiveDefault
		}
		if items, isList := v.([]any); isList {
			if len(items) > 0 {
				w.wantProfile = append(w.wantProfile, f.Name)
			}
			continue
		}
		if f.Kind == schema.KindFields || f.Kind == schema.KindAccts {
			continue // null
		}
		if v != FreshProfile[f.API] || (f.Name == "name" || f.Name == "description") && v != nil {
			w.wantProfile = append(w.wantProfile, f.Name)
		}
	}
	sort.Strings(w.wantProfile)
}

func (w *world) pinnedNotes(r *rand.Rand, live *planner.Live) {
	var texts []string
	for i := r.Intn(6); i > 0; i-- {
		n := planner.LiveNote{ID: fmt.Sprintf("note%d", i), Visibility: schema.NoteVisibilities[r.Intn(3)], LocalOnly: randBool(r, 20), CreatedAt: randTime(r)}
		switch {
		case len(texts) > 0 && r.Intn(4) == 0:
			n.Text = texts[r.Intn(len(texts))] // same text: label collision
		case r.Intn(5) == 0:
			n.Text = []string{"🎉", "日本語のノート", "!!!", "123 go", "Good morning, world!"}[r.Intn(5)]
		default:
			n.Text = trimmedText(r, 3000, true)
		}
		texts = append(texts, n.Text)
		if r.Intn(3) == 0 {
			cw := trimmedText(r, 100, r.Intn(2) == 0)
			n.CW = &cw
		}
		if r.Intn(3) == 0 {
			ra := schema.ReactionAcceptances[r.Intn(len(schema.ReactionAcceptances))]
			n.ReactionAcceptance = &ra
		}
		switch r.Intn(8) {
		case 0:
			n.Unsupported = "it has a poll"
		case 1:
			n.Visibility = "specified"
		}
		live.PinnedNotes = append(live.PinnedNotes, n)
	}
	// A note of the same content as one left out above it cannot be
	// declared either (the planner matches notes by content).
	left := map[string]bool{}
	for _, n := range live.PinnedNotes {
		key := noteContentKey(n)
		if n.Unsupported != "" || n.Visibility == "specified" || left[key] {
			left[key] = true
			continue
		}
		w.wantNotes++
	}
}

var folderNames = []string{"media", "icons", "assets", "2026", "a b", "${x}", "%{if}", "日本語", "🎉", "Ünï", "tab\there", "trailing ", " leading", `"q"`, `back\slash`, "EOT"}

func (w *world) folders(r *rand.Rand, live *planner.Live) {
	n := 0
	var add func(parentID, parentPath string, depth int, counted bool)
	add = func(parentID, parentPath string, depth int, counted bool) {
		used := map[string]bool{}
		for i := r.Intn(4); i > 0 && n < 60; i-- {
			n++
			name := folderNames[r.Intn(len(folderNames))]
			ok := counted
			switch r.Intn(12) {
			case 0:
				name += "/sub" // refused: contains "/"
				ok = false
			case 1:
				name = strings.Repeat("x", schema.MaxFolderName+1) // too long
				ok = false
			case 2:
				name = strings.Repeat("長", schema.MaxFolderName) // 128 characters: fits
			}
			if used[name] && ok {
				// A duplicate: only the oldest is exported.
				ok = false
				w.duplicates = true
			}
			f := planner.LiveFolder{ID: fmt.Sprintf("folder%03d", n), Name: name, ParentID: parentID, FilesCount: -1, CreatedAt: randTime(r)}
			if used[name] {
				// Younger than the first one, so that one is exported.
				f.CreatedAt = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Hour)
			}
			used[name] = true
			f.Path = name
			if parentPath != "" {
				f.Path = parentPath + "/" + name
			}
			live.DriveFolders = append(live.DriveFolders, f)
			if ok {
				w.wantFolders++
			}
			if depth < 4 {
				add(f.ID, f.Path, depth+1, ok)
			}
		}
	}
	add("", "", 0, true)
	// Parents before children, as the reader lists them: add appends a
	// folder before recursing, so this holds already.
}

var listNames = []string{"friends", "My list", "news-sources", "${x}", "日本語", "🎉 fun", "a", "tab\tname", `quote"d`, "_under", "9lives"}

func (w *world) lists(r *rand.Rand, live *planner.Live, newUser func() (string, string)) {
	used := map[string]bool{}
	for i := r.Intn(6); i > 0; i-- {
		name := listNames[r.Intn(len(listNames))]
		ok := true
		if r.Intn(10) == 0 {
			name = strings.Repeat("l", schema.MaxListName+1)
			ok = false
		}
		created := randTime(r)
		if used[name] {
			ok = false
			w.duplicates = true
			created = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		}
		used[name] = true
		l := planner.LiveUserList{ID: fmt.Sprintf("list%d", i), Name: name, UserIDs: []string{}, CreatedAt: created}
		for m := r.Intn(20); m > 0; m-- {
			switch {
			case len(live.Follows) > 0 && r.Intn(2) == 0:
				l.UserIDs = append(l.UserIDs, live.Follows[r.Intn(len(live.Follows))].UserID)
			case r.Intn(6) == 0:
				gone := fmt.Sprintf("gone%d_%d", i, m)
				l.UserIDs = append(l.UserIDs, gone)
				if ok {
					w.pulls[name] = append(w.pulls[name], gone)
				}
			default:
				id, acct := newUser()
				l.UserIDs = append(l.UserIDs, id)
				w.acc.UserAccts[id] = acct
				// The provider resolves the accts a configuration names.
				live.Users[acct] = id
			}
		}
		l.UserIDs = slices.Compact(sortedCopy(l.UserIDs))
		if ok {
			w.wantLists++
		}
		live.UserLists = append(live.UserLists, l)
	}
}

func sortedCopy(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	return out
}

var keywordWords = []string{"breaking", "urgent update", "${x}", "%{if}", "日本語", "🎉", "Tab\there", "trailing ", `"q"`, "\\", "EOT"}

func (w *world) antennas(r *rand.Rand, live *planner.Live, ownHost string) {
	used := map[string]bool{}
	exported := map[string]bool{} // list ids that are exported
	byName := map[string]planner.LiveUserList{}
	for _, l := range live.UserLists {
		if old, seen := byName[l.Name]; !seen || l.CreatedAt.Before(old.CreatedAt) {
			byName[l.Name] = l
		}
	}
	for _, l := range byName {
		if schema.CharLen(l.Name) <= schema.MaxListName {
			exported[l.ID] = true
		}
	}
	for i := r.Intn(6); i > 0; i-- {
		name := listNames[r.Intn(len(listNames))] + " antenna"
		ok := true
		created := randTime(r)
		if used[name] {
			ok = false
			w.duplicates = true
			created = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
		}
		used[name] = true
		groups := func() []any {
			var gs []any
			for g := r.Intn(3); g > 0; g-- {
				var words []any
				for k := 1 + r.Intn(3); k > 0; k-- {
					words = append(words, keywordWords[r.Intn(len(keywordWords))])
				}
				gs = append(gs, words)
			}
			if gs == nil {
				return []any{}
			}
			return gs
		}
		fields := map[string]any{
			"src": schema.AntennaSources[r.Intn(len(schema.AntennaSources))], "keywords": groups(), "excludeKeywords": groups(),
			"users": []any{}, "userListId": nil,
			"caseSensitive": randBool(r, 30), "localOnly": randBool(r, 30), "excludeBots": randBool(r, 30),
			"withReplies": randBool(r, 30), "withFile": randBool(r, 30), "excludeNotesInSensitiveChannel": randBool(r, 30),
		}
		if len(fields["keywords"].([]any))+len(fields["excludeKeywords"].([]any)) == 0 {
			ok = false // Misskey would not have created it; export skips it
		}
		switch fields["src"] {
		case "users", "users_blacklist":
			var users []any
			for k := r.Intn(4); k > 0; k-- {
				// Verbatim, in the forms people type.
				users = append(users, []string{"@alice", "alice", "Bob@Other.Example", "@carol@" + ownHost, fmt.Sprintf("@u%d@x.example", k)}[k%5])
			}
			if users != nil {
				fields["users"] = users
			}
		case "list":
			if len(live.UserLists) == 0 {
				ok = false
				break
			}
			l := live.UserLists[r.Intn(len(live.UserLists))]
			fields["userListId"] = l.ID
			if !exported[l.ID] {
				ok = false
			}
		}
		if r.Intn(10) == 0 {
			fields["keywords"] = []any{[]any{""}} // Misskey keeps it; mkctl refuses it
			ok = false
		}
		if ok {
			w.wantAntennas++
		}
		live.Antennas = append(live.Antennas, planner.LiveAntenna{ID: fmt.Sprintf("antenna%d", i), Name: name, Fields: fields, CreatedAt: created})
	}
}

func TestRoundTripProperty(t *testing.T) {
	seeds := 200
	if testing.Short() {
		seeds = 30
	}
	for seed := int64(1); seed <= int64(seeds); seed++ {
		w := randWorld(seed)
		res, err := Generate(w.acc, Options{})
		if err != nil {
			t.Fatalf("seed %d: Generate: %v", seed, err)
		}
		for _, f := range res.Files {
			if !bytes.Equal(hclwrite.Format(f.Content), f.Content) {
				t.Fatalf("seed %d: %s is not canonically formatted:\n%s", seed, f.Name, f.Content)
			}
		}
		if msg := w.check(t, res, true); msg != "" {
			t.Fatalf("seed %d: %s\n%s\nnotes: %q", seed, msg, dumpFiles(res), res.Notes)
		}
		// Some of the kinds only: what is written still plans to nothing.
		r := rand.New(rand.NewSource(seed))
		kinds := map[string]bool{}
		for _, k := range Kinds {
			if r.Intn(2) == 0 {
				kinds[k] = true
			}
		}
		res, err = Generate(w.acc, Options{Kinds: kinds})
		if err != nil {
			t.Fatalf("seed %d, kinds %v: Generate: %v", seed, kinds, err)
		}
		if msg := w.check(t, res, false); msg != "" {
			t.Fatalf("seed %d, kinds %v: %s\n%s\nnotes: %q", seed, kinds, msg, dumpFiles(res), res.Notes)
		}
	}
}

// planLive is the account as a plan reads it: the same, except that
// alsoKnownAs holds accts (the provider resolves the ids `i` answers when
// the configuration manages also_known_as).
func (w *world) planLive() *planner.Live {
	l := *w.acc.Live
	p := make(map[string]any, len(l.Profile))
	for k, v := range l.Profile {
		p[k] = v
	}
	if items, ok := p["alsoKnownAs"].([]any); ok {
		out := make([]any, len(items))
		for i, it := range items {
			if acct, ok := w.acc.UserAccts[it.(string)]; ok {
				it = acct
			}
			out[i] = it
		}
		p["alsoKnownAs"] = out
	}
	l.Profile = p
	return &l
}

// check loads and plans res; it returns what is wrong, "" when nothing.
// all: every kind was exported, so the counts of declared objects are
// known too.
func (w *world) check(t *testing.T, res *Result, all bool) string {
	cfg, ap, diags := loadAndPlan(t, res, w.planLive())
	if cfg == nil {
		return fmt.Sprintf("Load: %v", diags)
	}
	for _, d := range errorsOnly(diags) {
		if !w.duplicates || !strings.HasPrefix(d.Summary, "Duplicate ") {
			return fmt.Sprintf("plan: %s: %s", d.Summary, d.Detail)
		}
	}
	for _, c := range ap.Changes {
		if c.Type == planner.TypeUserList && c.Action == planner.ActionUpdate {
			name := strings.TrimPrefix(c.Key, "user_list.")
			push, _ := c.After["push"].([]any)
			pull, _ := c.After["pull"].([]any)
			if len(push) == 0 && fmt.Sprint(pull) == fmt.Sprint(sortedCopy(w.pulls[name])) {
				continue // members whose account is gone, left out on purpose
			}
		}
		return fmt.Sprintf("change: %s %s %+v after=%v", c.Action, c.Address, c.Attrs, c.After)
	}
	if !all {
		return ""
	}
	a := cfg.Accounts[0]
	var gotProfile []string
	if a.Profile != nil {
		for k := range a.Profile.Attrs {
			gotProfile = append(gotProfile, k)
		}
	}
	sort.Strings(gotProfile)
	if fmt.Sprint(gotProfile) != fmt.Sprint(w.wantProfile) {
		return fmt.Sprintf("profile attributes %v, want %v", gotProfile, w.wantProfile)
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"pinned notes", len(a.PinnedNotes), w.wantNotes},
		{"follows", len(a.Follows), w.wantFollows},
		{"drive folders", len(a.DriveFolders), w.wantFolders},
		{"user lists", len(a.UserLists), w.wantLists},
		{"antennas", len(a.Antennas), w.wantAntennas},
	} {
		if c.got != c.want {
			return fmt.Sprintf("%d %s declared, want %d", c.got, c.what, c.want)
		}
	}
	// Every declared object matched a live one: without a record, each is
	// adopted (none created).
	want := w.wantNotes + w.wantFollows + w.wantFolders + w.wantLists + w.wantAntennas
	if !w.duplicates && len(ap.Adopt) != want {
		return fmt.Sprintf("%d adoptions, want %d", len(ap.Adopt), want)
	}
	return ""
}
