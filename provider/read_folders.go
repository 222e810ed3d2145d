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
)

// apiFolder is a packed drive folder; drive/folders/show adds the counts
// and the parent chain (each parent packed with detail too).
type apiFolder struct {
	ID           string     `json:"id"`
	Name         string     `json:"name"`
	CreatedAt    string     `json:"createdAt"`
	ParentID     *string    `json:"parentId"`
	FoldersCount *int       `json:"foldersCount"`
	FilesCount   *int       `json:"filesCount"`
	Parent       *apiFolder `json:"parent"`
}

// readDriveFolders reads the part of the folder tree the plan needs.
// drive/folders lists the direct children of one folder (100 per request),
// so a full walk costs one request per folder, leaves included (a 200-folder
// drive: 201). Only `purge` needs the whole tree; otherwise the walk lists
//
//   - the root, and
//   - every folder on the way to a declared or owned path ("assets" for
//     "assets/icons"), but not the declared or owned folders themselves:
//     what is inside a folder that stays does not matter.
//
// Folders whose name holds "/" are neither shown nor listed (see
// folderWalk.list). Folders at a declared path that several folders share,
// and everything in them, are shown and listed: the planner keeps one and
// may delete the others (planner/dedupe.go); this costs nothing while the
// drive has no such duplicates.
//
// Delete candidates — folders the plan may delete: owned but no longer
// declared, or not declared under purge — get one drive/folders/show for
// filesCount (LiveFolder.FilesCount; -1 for every other folder). Its
// foldersCount then decides whether the candidate's children are listed:
// they are when it has any (the planner must see what would block the
// delete), and not when it has none, even under purge.
//
// An owned folder not found at its recorded path (renamed or moved in the
// web UI) gets one drive/folders/show by id, whose parent chain gives its
// path; NO_SUCH_FOLDER means it is gone.
func readDriveFolders(ctx context.Context, r *reading) (func(*planner.Live), error) {
	if !r.manages(planner.TypeDriveFolder) {
		return nil, nil
	}
	w := &folderWalk{
		r:         r,
		purge:     purges(r.acct, planner.TypeDriveFolder),
		declared:  map[string]bool{},
		ancestors: map[string]bool{},
		ownedIDs:  map[string]bool{},
		found:     map[string]*planner.LiveFolder{},
	}
	for _, f := range r.acct.DriveFolders {
		w.declared[f.Path] = true
		w.addAncestors(f.Path)
	}
	owned := ownedOfKind(r.rec, planner.TypeDriveFolder)
	for _, o := range owned {
		w.ownedIDs[o.ID] = true
		w.addAncestors(keyName(o.Key))
	}

	g, gctx := safego.WithContext(ctx, "drive/folders (folder walk)")
	w.g = g
	w.prefetchListings(gctx, owned)
	g.Go(func() error { return w.list(gctx, "", nil, false) })
	err := g.Wait()
	w.prefetching.Wait() // none outlives the read (one left unused is rare: a folder moved)
	if err != nil {
		return nil, fmt.Errorf("reading drive folders: %w", err)
	}
	if err := w.findMissingOwned(ctx); err != nil {
		return nil, fmt.Errorf("reading drive folders: %w", err)
	}

	folders := make([]planner.LiveFolder, 0, len(w.found))
	for _, f := range w.found {
		folders = append(folders, *f)
	}
	// Parents before children, and a stable order for equal depths.
	slices.SortFunc(folders, func(a, b planner.LiveFolder) int {
		return cmp.Or(cmp.Compare(strings.Count(a.Path, "/"), strings.Count(b.Path, "/")),
			cmp.Compare(a.Path, b.Path), cmp.Compare(a.ID, b.ID))
	})
	return func(l *planner.Live) { l.DriveFolders = folders }, nil
}

type folderWalk struct {
	r         *reading
	g         *safego.Group
	purge     bool
	declared  map[string]bool // declared paths
	ancestors map[string]bool // strict ancestors of declared and owned paths: their children are listed
	ownedIDs  map[string]bool

	mu    sync.Mutex
	found map[string]*planner.LiveFolder // by id

	// prefetched are listings started before the walk reaches their
	// folder (prefetchListings); read-only once the walk has begun.
	prefetched  map[string]*listing // by folder id
	prefetching sync.WaitGroup
}

// listing is the children of one folder, read ahead of the walk.
type listing struct {
	done     chan struct{}
	children []apiFolder
	err      error
}

// prefetchListings starts, at once and side by side, the listing of every
// recorded folder the walk will list: one declared at its recorded path with
// declared or recorded folders below it. Walking from the root, those
// listings would run one level after another ("a", then "a/b", then
// "a/b/c"), though the record already holds every id: the chain of the read
// would grow with the depth of the tree. The walk still decides what each
// listing means — it uses one only when it reaches that folder — so a folder
// moved elsewhere costs one unused listing and changes nothing else.
// Folders the plan may delete are not listed ahead: whether they are listed
// at all depends on their drive/folders/show.
func (w *folderWalk) prefetchListings(ctx context.Context, owned []planner.Owned) {
	w.prefetched = map[string]*listing{}
	for _, o := range owned {
		path := keyName(o.Key)
		if o.ID == "" || !w.declared[path] || !w.ancestors[path] || w.prefetched[o.ID] != nil {
			continue
		}
		l := &listing{done: make(chan struct{})}
		w.prefetched[o.ID] = l
		w.prefetching.Add(1)
		go func() {
			defer w.prefetching.Done()
			defer close(l.done)
			l.err = safego.Call("drive/folders", func() (err error) {
				l.children, err = w.readChildren(ctx, &o.ID)
				return err
			})
		}()
	}
}

// children lists a folder (nil: the root), from its prefetched listing
// when there is one.
func (w *folderWalk) children(ctx context.Context, parentID *string) ([]apiFolder, error) {
	if parentID != nil {
		if l := w.prefetched[*parentID]; l != nil {
			select {
			case <-l.done:
				return l.children, l.err
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	return w.readChildren(ctx, parentID)
}

// readChildren asks drive/folders for the children of a folder (nil: the
// root), every page of them.
func (w *folderWalk) readChildren(ctx context.Context, parentID *string) ([]apiFolder, error) {
	params := map[string]any{}
	if parentID != nil {
		params["folderId"] = *parentID
	}
	return readPages(ctx, w.r, "drive/folders", params, func(f *apiFolder) string { return f.ID })
}

func (w *folderWalk) addAncestors(path string) {
	for i := range len(path) {
		if path[i] == '/' {
			w.ancestors[path[:i]] = true
		}
	}
}

// list reads the children of one folder (nil: the root) and goes on with
// each child in its own goroutine.
//
// inDup is set below a folder that shares a declared path with others: the
// planner keeps one of them and may delete the rest with everything in
// them, so each folder there is shown (its files count) and walked.
func (w *folderWalk) list(ctx context.Context, parentPath string, parentID *string, inDup bool) error {
	children, err := w.children(ctx, parentID)
	if err != nil {
		return err
	}
	names := map[string]int{}
	for _, c := range children {
		names[c.Name]++
	}
	for _, c := range children {
		path := childPath(parentPath, c.Name)
		lf := &planner.LiveFolder{ID: c.ID, Name: c.Name, Path: path, FilesCount: -1, CreatedAt: parseTime(c.CreatedAt)}
		if parentID != nil {
			lf.ParentID = *parentID
		}
		w.mu.Lock()
		_, seen := w.found[c.ID]
		w.found[c.ID] = lf
		w.mu.Unlock()
		if seen {
			continue // a folder listed twice (it moved during the walk): walk it once
		}
		if strings.Contains(c.Name, "/") {
			// Left as found: neither looked into nor shown. A name with
			// "/" cannot be declared (see childPath): the folder is
			// unmanaged, and its files count stays unknown (-1), which
			// keeps the planner from deleting it even under purge.
			continue
		}
		// A declared path held by several folders (two applies at once
		// created it twice): the planner keeps one and may delete the
		// others, so each is shown and walked like a delete candidate.
		dup := inDup || w.declared[path] && names[c.Name] > 1
		candidate := dup || !w.declared[path] && (w.ownedIDs[c.ID] || w.purge)
		w.g.Go(func() error { return w.visit(ctx, lf, candidate, dup) })
	}
	return nil
}

// childPath is the path of a folder named name in the folder at parentPath
// ("" at the root). Misskey allows "/" in a folder name, but mkctl's paths
// use it between names, so a folder "a/b" at the root would pass for folder
// b inside folder a. Such a name has each "/" doubled: "a//b" holds an
// empty name, which no declaration can have (a declared name is never
// empty), so it never matches a declared or recorded path, and a folder's
// path still has more "/" than its parent's (parents sort first).
func childPath(parentPath, name string) string {
	name = strings.ReplaceAll(name, "/", "//")
	if parentPath == "" {
		return name
	}
	return parentPath + "/" + name
}

// visit looks at one folder found by the walk. A candidate — a folder the
// plan may delete: owned but not declared, or under purge anything not
// declared — gets a drive/folders/show for its files count.
func (w *folderWalk) visit(ctx context.Context, lf *planner.LiveFolder, candidate, inDup bool) error {
	descend := w.purge || w.ancestors[lf.Path]
	if candidate {
		var d apiFolder
		if err := w.r.read(ctx, "drive/folders/show", map[string]any{"folderId": lf.ID}, &d); err != nil {
			if IsCode(err, "NO_SUCH_FOLDER") {
				w.mu.Lock()
				delete(w.found, lf.ID) // deleted since it was listed
				w.mu.Unlock()
				return nil
			}
			return err
		}
		w.mu.Lock()
		if d.FilesCount != nil {
			lf.FilesCount = *d.FilesCount
		}
		w.mu.Unlock()
		switch {
		case d.FoldersCount == nil:
			descend = true // unknown: look, the plan must know what blocks a delete
		case *d.FoldersCount == 0:
			descend = false // nothing below: listing would return []
		default:
			descend = true
		}
	}
	if !descend {
		return nil
	}
	id := lf.ID
	return w.list(ctx, lf.Path, &id, inDup)
}

// findMissingOwned looks up, by id, owned folders the walk did not meet.
func (w *folderWalk) findMissingOwned(ctx context.Context) error {
	var missing []string
	for id := range w.ownedIDs {
		if _, ok := w.found[id]; !ok {
			missing = append(missing, id)
		}
	}
	slices.Sort(missing)
	shown := make([]*apiFolder, len(missing))
	g, gctx := safego.WithContext(ctx, "drive/folders/show")
	for i, id := range missing {
		g.Go(func() error {
			var d apiFolder
			if err := w.r.read(gctx, "drive/folders/show", map[string]any{"folderId": id}, &d); err != nil {
				if IsCode(err, "NO_SUCH_FOLDER") {
					return nil // deleted outside mkctl
				}
				return err
			}
			shown[i] = &d
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, d := range shown {
		if d == nil {
			continue
		}
		lf := w.addChain(d)
		// A path with "//" lies in a folder whose name holds "/": left
		// alone like that folder (childPath), so its files are not counted.
		if lf != nil && d.FilesCount != nil && !w.declared[lf.Path] && !strings.Contains(lf.Path, "//") {
			lf.FilesCount = *d.FilesCount
		}
	}
	return nil
}

// addChain adds a folder from drive/folders/show and the parents it came
// with, computing its path from them; nil if the chain is incomplete.
func (w *folderWalk) addChain(d *apiFolder) *planner.LiveFolder {
	if lf, ok := w.found[d.ID]; ok {
		return lf
	}
	lf := &planner.LiveFolder{ID: d.ID, Name: d.Name, Path: childPath("", d.Name), FilesCount: -1, CreatedAt: parseTime(d.CreatedAt)}
	if d.ParentID != nil && *d.ParentID != "" {
		var parent *planner.LiveFolder
		if p, ok := w.found[*d.ParentID]; ok {
			parent = p
		} else if d.Parent != nil && d.Parent.ID == *d.ParentID {
			parent = w.addChain(d.Parent)
		}
		if parent == nil {
			return nil
		}
		lf.ParentID = parent.ID
		lf.Path = childPath(parent.Path, d.Name)
	}
	w.found[d.ID] = lf
	return lf
}
