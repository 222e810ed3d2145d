package provider

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
	"github.com/mkctl/mkctl/schema/export"
)

// ExportUserError is a token that belongs to another account than the one
// `mkctl export --username` names.
type ExportUserError struct {
	Wanted        string // --username
	TokenUsername string // the token's account (`i`)
}

func (e *ExportUserError) Error() string {
	return fmt.Sprintf("the token belongs to @%s, not @%s (--username); use @%s's token, or leave --username out to export @%s",
		e.TokenUsername, e.Wanted, e.Wanted, e.TokenUsername)
}

// ReadForExport reads the whole account the token belongs to, for
// `mkctl export`: the profile and pinned notes (`i`), every follow and sent
// follow request, every drive folder, antenna and user list, and the accts
// of the users the lists hold. kinds are export.Kinds to read (nil or empty:
// all of them); a kind left out costs no request. username, when not "",
// must be the token's account (ExportUserError otherwise).
//
// It uses ReadAccount's readers with a synthetic account that purges every
// collection, so each reads everything, except where that would cost
// requests a plan of the exported configuration never makes:
//
//   - no ownership record: export describes what is live, not what mkctl
//     owns (a new token has no record anyway), so neither the record nor
//     the notes/show of recorded notes that are not pinned are read;
//   - drive folders: a purging plan asks drive/folders/show for every folder
//     it may delete (for filesCount); export deletes nothing, so it only
//     lists each folder's children (one request per folder, the fewest that
//     show the whole tree: a listing is the only way to see that a folder
//     has no subfolders);
//   - list members among the follows need no lookup; the others are asked
//     about with users/show {userIds}, 100 per request;
//   - drive files: every file of the drive with drive/stream, whatever its
//     folder (⌊files/100⌋+1 pages; per-folder drive/files listings would
//     cost folders+1 at least), with the url of its original bytes
//     (export.Account.FileURLs); the avatar and banner are found in it, or
//     cost one drive/files/show each when the files are not read. Pinned
//     notes with files are not marked unsupported: export declares those
//     whose files it exports.
//
// Requests: `i`, ⌊follows/100⌋+1 pages of follows and of sent requests,
// folders+1 listings, ⌊files/100⌋+1 pages of drive/stream, 1
// antennas/list, 1 users/lists/list, 1 i/webhooks/list, ⌊clips/100⌋+1
// pages of clips/list and ⌊notes/100⌋+1 of clips/notes per clip,
// ⌊blocks/100⌋+1, ⌊mutes/100⌋+1, ⌊renote mutes/100⌋+1 and
// ⌊drafts/100⌋+1 pages, ⌈members not followed/100⌉ users/show, and 1
// users/show when the profile has alsoKnownAs.
func ReadForExport(ctx context.Context, c *Client, username string, kinds map[string]bool) (*export.Account, error) {
	want := func(kind string) bool { return len(kinds) == 0 || kinds[kind] }
	me, err := readMe(ctx, c)
	if err != nil {
		return nil, err
	}
	id, _ := me["id"].(string)
	name, _ := me["username"].(string)
	if username != "" && !strings.EqualFold(strings.TrimPrefix(username, "@"), name) {
		return nil, &ExportUserError{Wanted: strings.TrimPrefix(username, "@"), TokenUsername: name}
	}

	// Every collection purged: each reader reads everything it can see.
	purgeAll := map[string]bool{}
	for _, col := range schema.Collections {
		purgeAll[col] = true
	}
	acct := &schema.Account{Label: "export", Host: c.BaseURL(), Username: name, Purge: purgeAll,
		// readAlsoKnownAs resolves the aliases only for a profile that
		// manages them.
		Profile: &schema.Profile{Attrs: map[string]schema.ProfileValue{"also_known_as": {}}},
	}
	r := &reading{c: c, acct: acct, me: me, slots: make(chan struct{}, maxConcurrentReads)}

	policies, _ := me["policies"].(map[string]any)
	live := &planner.Live{
		UserID:     id,
		Username:   name,
		Profile:    me,
		Policies:   policies,
		Users:      map[string]string{},
		Unresolved: map[string]string{},
	}
	if want("pinned_notes") {
		if live.PinnedNotes, err = exportPinnedNotes(me); err != nil {
			return nil, err
		}
	}

	var readers []liveReader
	if want("profile") {
		readers = append(readers, readAlsoKnownAs)
	}
	if want("follows") {
		readers = append(readers, readFollows, readFollowRequests)
	}
	if want("drive_folders") || want("drive_files") {
		// The files' blocks go in their folders' blocks: their paths.
		readers = append(readers, readAllFolders)
	}
	files := &exportFiles{urls: map[string]string{}}
	if want("drive_files") {
		readers = append(readers, files.readStream)
	}
	if want("antennas") {
		readers = append(readers, readAntennas)
	}
	if want("webhooks") {
		readers = append(readers, readWebhooks)
	}
	if want("clips") {
		// clips/list, then clips/notes of every clip at once.
		readers = append(readers, readAllClips)
	}
	// blocking/list, mute/list, renote-mute/list: ⌊n/100⌋+1 pages each.
	if want("blocks") {
		readers = append(readers, readBlocks)
	}
	if want("mutes") {
		readers = append(readers, readMutes)
	}
	if want("renote_mutes") {
		readers = append(readers, readRenoteMutes)
	}
	if want("scheduled_notes") {
		// notes/drafts/list: ⌊drafts/100⌋+1 pages (noteDraftLimit is 10 by default).
		readers = append(readers, readDrafts)
	}
	if want("antennas") || want("user_lists") {
		// An antenna names its list by id: the list's name comes from here.
		readers = append(readers, readUserLists)
	}
	stores := make([]func(*planner.Live), len(readers))
	g, gctx := safego.WithContext(ctx, "reading the account for export")
	for i, read := range readers {
		g.Go(func() error {
			store, err := read(gctx, r)
			stores[i] = store
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, store := range stores {
		if store != nil {
			store(live)
		}
	}

	files.place(live)
	if want("profile") {
		if err := files.readImages(ctx, r, live); err != nil {
			return nil, err
		}
	}

	accts := map[string]string{}
	if want("user_lists") || want("antennas") {
		if accts, err = memberAccts(ctx, r, live); err != nil {
			return nil, err
		}
	}
	host := c.BaseURL()
	if h, ok := strings.CutPrefix(host, "https://"); ok {
		host = h // what a configuration writes: https is assumed
	}
	return &export.Account{Host: host, Username: name, Live: live, UserAccts: accts, FileURLs: files.urls}, nil
}

// memberAccts maps the user ids the live lists hold to accts: from the
// follows read already, else with users/show {userIds}, 100 per request
// (at once, in the read's slots). A user users/show does not return
// (deleted, suspended) is left out.
func memberAccts(ctx context.Context, r *reading, live *planner.Live) (map[string]string, error) {
	known := make(map[string]string, len(live.Follows))
	for _, f := range live.Follows {
		known[f.UserID] = f.Acct
	}
	accts := map[string]string{}
	asked := map[string]bool{}
	var ids []string
	for _, ul := range live.UserLists {
		for _, id := range ul.UserIDs {
			if _, done := accts[id]; done || asked[id] {
				continue
			}
			if acct, ok := known[id]; ok {
				accts[id] = acct
			} else {
				asked[id] = true // users/show insists on unique ids
				ids = append(ids, id)
			}
		}
	}
	batches := make([][]apiUser, (len(ids)+pageSize-1)/pageSize)
	g, gctx := safego.WithContext(ctx, "users/show (list members)")
	for i := range batches {
		g.Go(func() error {
			batch := ids[i*pageSize : min((i+1)*pageSize, len(ids))]
			if err := r.read(gctx, "users/show", map[string]any{"userIds": batch}, &batches[i]); err != nil {
				return fmt.Errorf("resolving user list members: %w", err)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for _, b := range batches {
		for _, u := range b {
			if u.ID != "" && u.Username != "" {
				accts[u.ID] = u.acct()
			}
		}
	}
	return accts, nil
}

// readAllFolders lists the whole drive folder tree, one drive/folders
// listing (every page of it) per folder, the root's included, side by side
// in the read's slots. Unlike readDriveFolders under purge it asks no
// drive/folders/show: files counts matter only to a plan that deletes.
// A folder whose name holds "/" is kept (with childPath's doubled "/", which
// no block can declare) but not looked into: nothing inside it can be
// declared either.
func readAllFolders(ctx context.Context, r *reading) (func(*planner.Live), error) {
	var (
		mu    sync.Mutex
		found = map[string]planner.LiveFolder{}
	)
	g, gctx := safego.WithContext(ctx, "drive/folders")
	var list func(parentPath string, parentID *string) error
	list = func(parentPath string, parentID *string) error {
		params := map[string]any{}
		if parentID != nil {
			params["folderId"] = *parentID
		}
		children, err := readPages(gctx, r, "drive/folders", params, func(f *apiFolder) string { return f.ID })
		if err != nil {
			return err
		}
		for _, c := range children {
			lf := planner.LiveFolder{ID: c.ID, Name: c.Name, Path: childPath(parentPath, c.Name), FilesCount: -1, CreatedAt: parseTime(c.CreatedAt)}
			if parentID != nil {
				lf.ParentID = *parentID
			}
			mu.Lock()
			_, seen := found[c.ID]
			found[c.ID] = lf
			mu.Unlock()
			if seen || strings.Contains(c.Name, "/") {
				continue // moved during the walk (walk it once), or not declarable
			}
			id := c.ID
			g.Go(func() error { return list(lf.Path, &id) })
		}
		return nil
	}
	g.Go(func() error { return list("", nil) })
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("reading drive folders: %w", err)
	}
	folders := make([]planner.LiveFolder, 0, len(found))
	for _, f := range found {
		folders = append(folders, f)
	}
	// Parents before children, as readDriveFolders orders them.
	slices.SortFunc(folders, func(a, b planner.LiveFolder) int {
		return cmp.Or(cmp.Compare(strings.Count(a.Path, "/"), strings.Count(b.Path, "/")),
			cmp.Compare(a.Path, b.Path), cmp.Compare(a.ID, b.ID))
	})
	return func(l *planner.Live) { l.DriveFolders = folders }, nil
}
