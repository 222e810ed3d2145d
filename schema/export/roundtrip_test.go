package export

import (
	"bytes"
	"fmt"
	"math/rand"
	"reflect"
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
	// Blocks, mutes and renote mutes (relations): how many of each must
	// be declared (expired mutes are not).
	wantBlocks, wantMutes, wantRenoteMutes int
	// notifLists: the profile's notification_receive_config names an
	// exported list (counted over the seeds).
	notifLists  int
	wantClips   int      // clips.go's clips_test.go
	wantProfile []string // HCL names
	// Drive files (roundtrip_files_test.go): the bytes of each file by
	// id, the folders export declares, and how many files it must declare.
	fileData        map[string][]byte
	declaredFolders map[string]bool
	wantFiles       int
	// duplicates: the account has folders, lists or antennas that share a
	// name (none of them is declared); for the failure message.
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

	// In a third of the accounts folders, lists and antennas take their
	// names from a small set, so that several share one often.
	few := r.Intn(3) == 0
	w.folders(r, live, few)
	w.lists(r, live, newUser, few)
	w.antennas(r, live, ownHost, few)
	// Files from a source of their own: the worlds above stay as they were.
	w.files(rand.New(rand.NewSource(seed^0x5eed)), live)
	// Relations last, drawing on r after everything else: the worlds
	// above stay as they were.
	w.relations(r, live, newUser)
	// Clips from a source of their own too.
	w.clips(rand.New(rand.NewSource(seed^0xc11b)), live)
	w.notifList(rand.New(rand.NewSource(seed^0x4e07)), live)
	return w
}

// notifList makes, in a third of the accounts with lists, replies notify
// only the members of one list: export names it as user_list.NAME when it
// writes that list (one of its name, a name validate accepts), and leaves
// notification_receive_config out otherwise.
func (w *world) notifList(r *rand.Rand, live *planner.Live) {
	if len(live.UserLists) == 0 || r.Intn(3) != 0 {
		return
	}
	l := live.UserLists[r.Intn(len(live.UserLists))]
	cfg := map[string]any{}
	if old, ok := live.Profile["notificationRecieveConfig"].(map[string]any); ok {
		for k, v := range old {
			cfg[k] = v
		}
	}
	cfg["reply"] = map[string]any{"type": "list", "userListId": l.ID}
	live.Profile["notificationRecieveConfig"] = cfg
	same := 0
	for _, x := range live.UserLists {
		if x.Name == l.Name {
			same++
		}
	}
	const attr = "notification_receive_config"
	w.wantProfile = slices.DeleteFunc(w.wantProfile, func(a string) bool { return a == attr })
	if same == 1 && nameProblem(l.Name) == "" {
		w.wantProfile = append(w.wantProfile, attr)
		sort.Strings(w.wantProfile)
		w.notifLists++
	}
}

// relations gives the account none, a few (a block each) or many (a
// for_each list) blocks, mutes and renote mutes; some mutes have an end
// (with milliseconds), some ended already but are still listed, as
// Misskey lists them until its job removes them; some blocks are of
// accounts a pending follow request was sent to (the follow is then not
// exported: validate refuses a block and a follow of one account).
func (w *world) relations(r *rand.Rand, live *planner.Live, newUser func() (string, string)) {
	howMany := func() int {
		switch r.Intn(4) {
		case 0:
			return 0
		case 1:
			return 1 + r.Intn(20)
		}
		return 21 + r.Intn(200)
	}
	n := howMany()
	for i := 0; i < n; i++ {
		id, acct := newUser()
		live.Blocks = append(live.Blocks, planner.LiveRelation{UserID: id, Acct: acct})
	}
	w.wantBlocks = n
	for i := range live.Follows {
		if f := live.Follows[i]; f.Pending && r.Intn(3) == 0 {
			live.Blocks = append(live.Blocks, planner.LiveRelation{UserID: f.UserID, Acct: f.Acct})
			w.wantBlocks++
			w.wantFollows--
		}
	}
	n = howMany()
	for i := 0; i < n; i++ {
		id, acct := newUser()
		m := planner.LiveRelation{UserID: id, Acct: acct}
		switch r.Intn(5) {
		case 0:
			t := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Int63n(int64(1000 * time.Hour))).Truncate(time.Millisecond))
			m.ExpiresAt = &t
		case 1:
			t := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.Intn(1000)) * time.Hour)
			m.ExpiresAt = &t // expired, still listed: not exported
			w.wantMutes--
		}
		live.Mutes = append(live.Mutes, m)
	}
	w.wantMutes += n
	n = howMany()
	for i := 0; i < n; i++ {
		id, acct := newUser()
		live.RenoteMutes = append(live.RenoteMutes, planner.LiveRelation{UserID: id, Acct: acct})
	}
	w.wantRenoteMutes = n
}

// pickName is a random name of names, of its first two when few.
func pickName(r *rand.Rand, names []string, few bool) string {
	if few {
		return names[r.Intn(2)]
	}
	return names[r.Intn(len(names))]
}

// unique counts how many times each name of xs occurs.
func unique[T any](xs []T, name func(T) string) map[string]int {
	n := map[string]int{}
	for _, x := range xs {
		n[name(x)]++
	}
	return n
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
		case schema.KindNotifConfig:
			m := map[string]any{}
			for _, k := range schema.NotificationTypes {
				if r.Intn(6) == 0 {
					m[k] = map[string]any{"type": schema.NotificationReceivers[r.Intn(len(schema.NotificationReceivers))]}
				}
			}
			v = m
		case schema.KindMuteWords:
			items := []any{}
			for i := r.Intn(4); i > 0; i-- {
				switch r.Intn(3) {
				case 0:
					items = append(items, fmt.Sprintf("/^RT @%d/i", i))
				case 1:
					items = append(items, []any{"spoiler", trimmedText(r, 10, false)})
				default:
					items = append(items, []any{fmt.Sprintf("word%d", i)})
				}
			}
			v = items
		case schema.KindNoteAge:
			// `i` leaves the key out when it is null.
			switch r.Intn(3) {
			case 0:
				continue
			case 1:
				v = -float64(r.Intn(400 * 86400))
			default:
				v = float64(1 + r.Intn(2_000_000_000))
			}
		case schema.KindHosts:
			// Misskey keeps the order sent; mkctl writes them sorted.
			items := []any{}
			for i := r.Intn(4); i > 0; i-- {
				items = append(items, fmt.Sprintf("spam%d.example", i))
			}
			if r.Intn(4) == 0 {
				items = append(items, "xn--bcher-kva.example:8443")
			}
			v = items
		case schema.KindEnumSet:
			items := []any{}
			for _, e := range f.Enum {
				if r.Intn(4) == 0 {
					items = append(items, e)
				}
			}
			r.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })
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
		if f.Kind == schema.KindNotifConfig {
			if m, _ := v.(map[string]any); len(m) > 0 {
				w.wantProfile = append(w.wantProfile, f.Name)
			}
			continue
		}
		if f.Kind == schema.KindMuteWords {
			if items, _ := v.([]any); len(items) > 0 {
				w.wantProfile = append(w.wantProfile, f.Name)
			}
			continue
		}
		if f.Kind == schema.KindHosts || f.Kind == schema.KindEnumSet {
			if !reflect.DeepEqual(liveStringSet(v), liveStringSet(FreshProfile[f.API])) {
				w.wantProfile = append(w.wantProfile, f.Name)
			}
			continue
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

func (w *world) folders(r *rand.Rand, live *planner.Live, few bool) {
	n := 0
	var add func(parentID, parentPath string, depth int)
	add = func(parentID, parentPath string, depth int) {
		for i := r.Intn(4); i > 0 && n < 60; i-- {
			n++
			name := pickName(r, folderNames, few)
			switch r.Intn(12) {
			case 0:
				name += "/sub" // refused: contains "/"
			case 1:
				name = strings.Repeat("x", schema.MaxFolderName+1) // too long
			case 2:
				name = strings.Repeat("長", schema.MaxFolderName) // 128 characters: fits
			}
			f := planner.LiveFolder{ID: fmt.Sprintf("folder%03d", n), Name: name, ParentID: parentID, FilesCount: -1, CreatedAt: randTime(r)}
			f.Path = name
			if parentPath != "" {
				f.Path = parentPath + "/" + name
			}
			// Parents before children, as the reader lists them.
			live.DriveFolders = append(live.DriveFolders, f)
			if depth < 4 {
				add(f.ID, f.Path, depth+1)
			}
		}
	}
	add("", "", 0)
	// Declared: a folder whose name a label can be, the only one of its
	// name in its parent, in a declared folder (or at the top).
	children := map[string][]planner.LiveFolder{}
	for _, f := range live.DriveFolders {
		children[f.ParentID] = append(children[f.ParentID], f)
	}
	var count func(parentID string)
	count = func(parentID string) {
		same := unique(children[parentID], func(f planner.LiveFolder) string { return f.Name })
		for _, f := range children[parentID] {
			if same[f.Name] > 1 {
				w.duplicates = true
				continue
			}
			if strings.Contains(f.Name, "/") || schema.CharLen(f.Name) > schema.MaxFolderName {
				continue
			}
			w.wantFolders++
			if w.declaredFolders == nil {
				w.declaredFolders = map[string]bool{}
			}
			w.declaredFolders[f.ID] = true
			count(f.ID)
		}
	}
	count("")
}

var listNames = []string{"friends", "My list", "news-sources", "${x}", "日本語", "🎉 fun", "a", "tab\tname", `quote"d`, "_under", "9lives"}

func (w *world) lists(r *rand.Rand, live *planner.Live, newUser func() (string, string), few bool) {
	gone := map[string][]string{} // by list id
	for i := r.Intn(6); i > 0; i-- {
		name := pickName(r, listNames, few)
		if r.Intn(10) == 0 {
			name = strings.Repeat("l", schema.MaxListName+1)
		}
		l := planner.LiveUserList{ID: fmt.Sprintf("list%d", i), Name: name, UserIDs: []string{}, CreatedAt: randTime(r)}
		for m := r.Intn(20); m > 0; m-- {
			switch {
			case len(live.Follows) > 0 && r.Intn(2) == 0:
				l.UserIDs = append(l.UserIDs, live.Follows[r.Intn(len(live.Follows))].UserID)
			case r.Intn(6) == 0:
				id := fmt.Sprintf("gone%d_%d", i, m)
				l.UserIDs = append(l.UserIDs, id)
				gone[l.ID] = append(gone[l.ID], id)
			default:
				id, acct := newUser()
				l.UserIDs = append(l.UserIDs, id)
				w.acc.UserAccts[id] = acct
				// The provider resolves the accts a configuration names.
				live.Users[acct] = id
			}
		}
		l.UserIDs = slices.Compact(sortedCopy(l.UserIDs))
		live.UserLists = append(live.UserLists, l)
	}
	// Declared: a list whose name a label can be, the only one of its name.
	same := unique(live.UserLists, func(l planner.LiveUserList) string { return l.Name })
	for _, l := range live.UserLists {
		if same[l.Name] > 1 {
			w.duplicates = true
			continue
		}
		if schema.CharLen(l.Name) > schema.MaxListName {
			continue
		}
		w.wantLists++
		w.pulls[l.Name] = gone[l.ID]
	}
}

func sortedCopy(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	return out
}

var keywordWords = []string{"breaking", "urgent update", "${x}", "%{if}", "日本語", "🎉", "Tab\there", "trailing ", `"q"`, "\\", "EOT"}

func (w *world) antennas(r *rand.Rand, live *planner.Live, ownHost string, few bool) {
	exported := map[string]bool{} // list ids that are exported: the only one of a name a label can be
	same := unique(live.UserLists, func(l planner.LiveUserList) string { return l.Name })
	for _, l := range live.UserLists {
		if same[l.Name] == 1 && schema.CharLen(l.Name) <= schema.MaxListName {
			exported[l.ID] = true
		}
	}
	okNames := map[string]bool{} // antennas export could declare, were they alone of their name
	for i := r.Intn(6); i > 0; i-- {
		name := pickName(r, listNames, few) + " antenna"
		ok := true
		created := randTime(r)
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
		id := fmt.Sprintf("antenna%d", i)
		okNames[id] = ok
		live.Antennas = append(live.Antennas, planner.LiveAntenna{ID: id, Name: name, Fields: fields, CreatedAt: created})
	}
	sameAntenna := unique(live.Antennas, func(a planner.LiveAntenna) string { return a.Name })
	for _, a := range live.Antennas {
		switch {
		case sameAntenna[a.Name] > 1:
			w.duplicates = true
		case okNames[a.ID]:
			w.wantAntennas++
		}
	}
}

func TestRoundTripProperty(t *testing.T) {
	seeds := 200
	if testing.Short() {
		seeds = 30
	}
	withDuplicates, files, downloads := 0, 0, 0
	relationFiles, expiredMutes := 0, 0 // list files of blocks/mutes/renote mutes; accounts with an expired mute
	notifLists := 0                     // accounts whose notification_receive_config names an exported list
	for seed := int64(1); seed <= int64(seeds); seed++ {
		w := randWorld(seed)
		files += w.wantFiles
		if w.duplicates {
			withDuplicates++
		}
		res, err := w.generate(t, Options{})
		if err != nil {
			t.Fatalf("seed %d: Generate: %v", seed, err)
		}
		for _, f := range res.Files {
			if !bytes.Equal(hclwrite.Format(f.Content), f.Content) {
				t.Fatalf("seed %d: %s is not canonically formatted:\n%s", seed, f.Name, f.Content)
			}
		}
		downloads += len(res.Downloads)
		for _, f := range res.Files {
			if f.Name == "blocks.mk.hcl" || f.Name == "mutes.mk.hcl" || f.Name == "renote_mutes.mk.hcl" {
				relationFiles++
			}
		}
		if c, _ := res.Count("mutes"); c.Skipped > 0 {
			expiredMutes++
		}
		notifLists += w.notifLists
		if msg := w.check(t, res, nil, true); msg != "" {
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
		res, err = w.generate(t, Options{Kinds: kinds})
		if err != nil {
			t.Fatalf("seed %d, kinds %v: Generate: %v", seed, kinds, err)
		}
		if msg := w.check(t, res, kinds, false); msg != "" {
			t.Fatalf("seed %d, kinds %v: %s\n%s\nnotes: %q", seed, kinds, msg, dumpFiles(res), res.Notes)
		}
	}
	// Shared names must be common, not a rare accident of the draws.
	if withDuplicates < seeds/5 {
		t.Errorf("only %d of %d accounts have folders, lists or antennas that share a name", withDuplicates, seeds)
	}
	t.Logf("%d of %d accounts have folders, lists or antennas that share a name", withDuplicates, seeds)
	t.Logf("%d drive files declared, %d files downloaded", files, downloads)
	t.Logf("%d block/mute/renote mute list files, %d accounts with an expired mute left out", relationFiles, expiredMutes)
	t.Logf("%d accounts name an exported user list in notification_receive_config", notifLists)
	if notifLists < seeds/20 {
		t.Errorf("only %d accounts name a list in notification_receive_config", notifLists)
	}
	if relationFiles < seeds/2 || expiredMutes < seeds/10 {
		t.Errorf("too few relation list files (%d) or accounts with expired mutes (%d) in %d accounts", relationFiles, expiredMutes, seeds)
	}
	if files < seeds {
		t.Errorf("only %d drive files declared in %d accounts", files, seeds)
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

// check loads and plans res, exported with kinds; it returns what is
// wrong, "" when nothing. all: every kind was exported, so the counts of
// declared objects are known too. Result.Counts must agree with what
// Load finds whatever the kinds (checkCounts).
func (w *world) check(t *testing.T, res *Result, kinds map[string]bool, all bool) string {
	cfg, ap, diags := loadAndPlanFiles(t, res, w.planLive(), w.fileData)
	if cfg == nil {
		return fmt.Sprintf("Load: %v", diags)
	}
	for _, d := range errorsOnly(diags) {
		return fmt.Sprintf("plan (duplicates: %v): %s: %s", w.duplicates, d.Summary, d.Detail)
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
	if msg := checkCounts(res, cfg.Accounts[0], w.acc.Live, kinds); msg != "" {
		return msg
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
		{"drive files", len(a.DriveFiles), w.wantFiles},
		{"user lists", len(a.UserLists), w.wantLists},
		{"antennas", len(a.Antennas), w.wantAntennas},
		{"blocks", len(a.Blocks), w.wantBlocks},
		{"mutes", len(a.Mutes), w.wantMutes},
		{"renote mutes", len(a.RenoteMutes), w.wantRenoteMutes},
		{"clips", len(a.Clips), w.wantClips},
	} {
		if c.got != c.want {
			return fmt.Sprintf("%d %s declared, want %d", c.got, c.what, c.want)
		}
	}
	// Every declared object matched a live one: without a record, each is
	// adopted (none created).
	want := w.wantNotes + w.wantFollows + w.wantFolders + w.wantLists + w.wantAntennas + w.wantFiles +
		w.wantBlocks + w.wantMutes + w.wantRenoteMutes + w.wantClips
	if len(ap.Adopt) != want {
		return fmt.Sprintf("%d adoptions, want %d", len(ap.Adopt), want)
	}
	return ""
}
