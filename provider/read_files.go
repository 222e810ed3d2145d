package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/planner"
)

// apiFile is a packed DriveFile (API-NOTES §10), the fields mkctl compares.
type apiFile struct {
	ID          string  `json:"id"`
	CreatedAt   string  `json:"createdAt"`
	Name        string  `json:"name"`
	Type        string  `json:"type"`
	MD5         string  `json:"md5"`
	Size        int64   `json:"size"`
	IsSensitive bool    `json:"isSensitive"`
	Comment     *string `json:"comment"`
	FolderID    *string `json:"folderId"`
}

func (f *apiFile) folderID() string {
	if f.FolderID == nil {
		return ""
	}
	return *f.FolderID
}

// live turns a packed file into the planner's, with its folder's path
// (folderPath: "" at the root).
func (f *apiFile) live(folderPath string) planner.LiveFile {
	return planner.LiveFile{ID: f.ID, Name: f.Name, FolderID: f.folderID(), Folder: folderPath, MD5: f.MD5, Size: f.Size,
		Type: f.Type, Comment: f.Comment, IsSensitive: f.IsSensitive, CreatedAt: parseTime(f.CreatedAt)}
}

// readProfileImages fills Live.ProfileImages: one drive/files/show per
// avatar or banner the profile declares and `i` has an id for. The plan
// compares the md5 of that file with the source's, never the URLs (the
// avatar's is a media-proxy URL). A file that is gone (NO_SUCH_FILE) is
// left out: the plan then sets the image again.
func readProfileImages(ctx context.Context, r *reading) (func(*planner.Live), error) {
	if r.acct.Profile == nil || len(r.acct.Profile.Images) == 0 {
		return nil, nil
	}
	names := []string{}
	ids := []string{}
	for _, name := range []string{"avatar", "banner"} {
		if _, ok := r.acct.Profile.Images[name]; !ok {
			continue
		}
		id, _ := r.me[name+"Id"].(string)
		if id == "" {
			continue
		}
		names, ids = append(names, name), append(ids, id)
	}
	files := make([]*apiFile, len(ids))
	g, gctx := safego.WithContext(ctx, "drive/files/show (profile images)")
	for i, id := range ids {
		if i > 0 && id == ids[0] {
			continue // one file as both avatar and banner: one request
		}
		g.Go(func() error {
			var f apiFile
			if err := r.read(gctx, "drive/files/show", map[string]any{"fileId": id}, &f); err != nil {
				if IsCode(err, "NO_SUCH_FILE") {
					return nil
				}
				return fmt.Errorf("reading the %s: %w", names[i], err)
			}
			files[i] = &f
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if len(ids) == 2 && ids[0] == ids[1] {
		files[1] = files[0]
	}
	out := map[string]planner.LiveFile{}
	for i, f := range files {
		if f != nil {
			out[names[i]] = f.live("")
		}
	}
	return func(l *planner.Live) { l.ProfileImages = out }, nil
}

// readDriveFiles fills Live.DriveFiles once the folders are known: the
// files of every folder that holds declared files, or recorded ones by
// their recorded path (drive/files {folderId}, 100 a page; the root
// without folderId), all listings at once. A recorded file not found there
// (moved in the web UI) costs one drive/files/show; NO_SUCH_FILE means it
// is gone. Nothing is read when no file is declared, purged or recorded.
func readDriveFiles(ctx context.Context, r *reading, live *planner.Live) error {
	return readDriveFilesWith(ctx, r, live, nil)
}

// filePaths are the folder paths whose files the plan needs: those of
// declared files and of recorded ones ("" for the root).
func filePaths(r *reading) map[string]bool {
	paths := map[string]bool{}
	for _, f := range r.acct.DriveFiles {
		paths[f.Folder] = true
	}
	for _, o := range ownedOfKind(r.rec, planner.TypeDriveFile) {
		name := keyName(strings.SplitN(o.Key, "~", 2)[0])
		if i := strings.LastIndex(name, "/"); i >= 0 {
			paths[name[:i]] = true
		} else {
			paths[""] = true
		}
	}
	return paths
}

// fileListing is the files of one folder, listed ahead of the folder walk.
type fileListing struct {
	done  chan struct{}
	files []apiFile
	err   error
}

// prefetchFileListings starts, before the folder walk, the listings it
// will want whose folder is known without it: the root, and folders the
// record holds at a path that needs its files. The walk still decides
// which listing belongs to which path: one of a folder moved elsewhere
// costs a request and is not used.
func prefetchFileListings(ctx context.Context, r *reading, wg *sync.WaitGroup) map[string]*fileListing {
	out := map[string]*fileListing{}
	for p := range filePaths(r) {
		id := ""
		if p != "" {
			if r.rec == nil {
				continue
			}
			o, ok := r.rec.Objects[planner.DriveFolderKey(p)]
			if !ok || o.ID == "" {
				continue
			}
			id = o.ID
		}
		if out[id] != nil {
			continue
		}
		l := &fileListing{done: make(chan struct{})}
		out[id] = l
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(l.done)
			l.err = safego.Call("drive/files", func() (err error) {
				l.files, err = listFiles(ctx, r, id)
				return err
			})
		}()
	}
	return out
}

// listFiles lists the files of a folder ("" for the root), every page.
func listFiles(ctx context.Context, r *reading, folderID string) ([]apiFile, error) {
	params := map[string]any{}
	if folderID != "" {
		params["folderId"] = folderID
	}
	return readPages(ctx, r, "drive/files", params, func(f *apiFile) string { return f.ID })
}

func readDriveFilesWith(ctx context.Context, r *reading, live *planner.Live, pre map[string]*fileListing) error {
	if !r.manages(planner.TypeDriveFile) {
		return nil
	}
	owned := ownedOfKind(r.rec, planner.TypeDriveFile)
	paths := filePaths(r)
	byID := map[string]*planner.LiveFolder{}
	byPath := map[string][]*planner.LiveFolder{}
	for i := range live.DriveFolders {
		f := &live.DriveFolders[i]
		byID[f.ID] = f
		byPath[f.Path] = append(byPath[f.Path], f)
	}
	type job struct {
		path string
		id   string // "" for the root
	}
	var jobs []job
	for _, p := range slices.Sorted(maps.Keys(paths)) {
		if p == "" {
			jobs = append(jobs, job{"", ""})
			continue
		}
		for _, f := range byPath[p] {
			jobs = append(jobs, job{p, f.ID})
		}
	}
	listed := make([][]apiFile, len(jobs))
	g, gctx := safego.WithContext(ctx, "drive/files")
	for i, j := range jobs {
		g.Go(func() error {
			var files []apiFile
			var err error
			if l := pre[j.id]; l != nil {
				select {
				case <-l.done:
					files, err = l.files, l.err
				case <-gctx.Done():
					return gctx.Err()
				}
			} else {
				files, err = listFiles(gctx, r, j.id)
			}
			if err != nil {
				if IsCode(err, "NO_SUCH_FOLDER") {
					return nil
				}
				return fmt.Errorf("reading the files of drive folder %q: %w", j.path, err)
			}
			listed[i] = files
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	var out []planner.LiveFile
	seen := map[string]bool{}
	for i, files := range listed {
		for _, f := range files {
			if !seen[f.ID] {
				seen[f.ID] = true
				out = append(out, f.live(jobs[i].path))
			}
		}
	}
	// Recorded files elsewhere: moved by hand, or in a folder the plan
	// does not look at.
	var missing []string
	for _, o := range owned {
		if o.ID != "" && !seen[o.ID] && !slices.Contains(missing, o.ID) {
			missing = append(missing, o.ID)
		}
	}
	slices.Sort(missing)
	shown := make([]*apiFile, len(missing))
	g, gctx = safego.WithContext(ctx, "drive/files/show")
	for i, id := range missing {
		g.Go(func() error {
			var f apiFile
			if err := r.read(gctx, "drive/files/show", map[string]any{"fileId": id}, &f); err != nil {
				if IsCode(err, "NO_SUCH_FILE") || IsCode(err, "ACCESS_DENIED") {
					return nil
				}
				return fmt.Errorf("reading recorded drive file %s: %w", id, err)
			}
			shown[i] = &f
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, f := range shown {
		if f == nil {
			continue
		}
		path := ""
		if fid := f.folderID(); fid != "" {
			if lf, ok := byID[fid]; ok {
				path = lf.Path
			} else {
				// A folder the plan did not read: a path no block can have.
				path = "//" + fid
			}
		}
		out = append(out, f.live(path))
	}
	slices.SortFunc(out, func(a, b planner.LiveFile) int {
		if c := strings.Compare(a.Key(), b.Key()); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	live.DriveFiles = out
	return nil
}

// readDriveUsage reads `drive` ({capacity, usage}, no rate limit) when the
// plan may upload something — a declared file with no live file of its
// bytes at its path, or an avatar or banner whose file has other bytes —
// so the plan can refuse uploads that would not fit (planner.checkUploads).
// A plan that uploads nothing does not pay for it.
func readDriveUsage(ctx context.Context, r *reading, live *planner.Live) error {
	if !mayUpload(r, live) {
		return nil
	}
	var d struct {
		Capacity int64 `json:"capacity"`
		Usage    int64 `json:"usage"`
	}
	if err := r.read(ctx, "drive", nil, &d); err != nil {
		return fmt.Errorf("reading the drive's capacity: %w", err)
	}
	live.Drive = &planner.DriveUsage{Capacity: d.Capacity, Usage: d.Usage}
	return nil
}

func mayUpload(r *reading, live *planner.Live) bool {
	have := map[string]bool{}
	for _, f := range live.DriveFiles {
		have[f.Key()+"\x00"+f.MD5] = true
	}
	for _, f := range r.acct.DriveFiles {
		if !have[f.Key()+"\x00"+f.Source.MD5] {
			return true
		}
	}
	if r.acct.Profile != nil {
		for name, img := range r.acct.Profile.Images {
			if img.Source != nil && live.ProfileImages[name].MD5 != img.Source.MD5 {
				return true
			}
		}
	}
	return false
}

// readFoldersAndFiles is the folder walk followed at once by the listings of
// the files in those folders, in one reader: the files need the folders'
// ids, and nothing else.
func readFoldersAndFiles(ctx context.Context, r *reading) (func(*planner.Live), error) {
	var pre map[string]*fileListing
	var wg sync.WaitGroup
	defer wg.Wait() // none outlives the read
	if r.manages(planner.TypeDriveFile) {
		pre = prefetchFileListings(ctx, r, &wg)
	}
	storeFolders, err := readDriveFolders(ctx, r)
	if err != nil {
		return nil, err
	}
	tmp := &planner.Live{}
	if storeFolders != nil {
		storeFolders(tmp)
	}
	if err := readDriveFilesWith(ctx, r, tmp, pre); err != nil {
		return nil, err
	}
	if storeFolders == nil && tmp.DriveFiles == nil {
		return nil, nil
	}
	return func(l *planner.Live) {
		if storeFolders != nil {
			l.DriveFolders = tmp.DriveFolders
		}
		l.DriveFiles = tmp.DriveFiles
	}, nil
}
