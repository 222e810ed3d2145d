package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/mkctl/mkctl/internal/safego"
	"github.com/mkctl/mkctl/planner"
)

// exportFile is a packed DriveFile with the owner's url: the original
// bytes, which export downloads.
type exportFile struct {
	apiFile
	URL string `json:"url"`
}

// exportFiles are the drive files ReadForExport reads: every file of the
// drive from drive/stream (and the avatar and banner), with their urls.
type exportFiles struct {
	listed []exportFile
	read   bool // drive/stream was read: listed is the whole drive
	urls   map[string]string
}

// readStream lists every file of the drive with drive/stream, 100 a page
// whatever their folder: ⌊files/100⌋+1 requests, fewer than one
// drive/files listing per folder (folders+1) for any drive with fewer
// than 100 files per folder on average.
func (x *exportFiles) readStream(ctx context.Context, r *reading) (func(*planner.Live), error) {
	files, err := readPages(ctx, r, "drive/stream", nil, func(f *exportFile) string { return f.ID })
	if err != nil {
		return nil, fmt.Errorf("reading drive files: %w", err)
	}
	x.listed, x.read = files, true
	return nil, nil
}

// place fills Live.DriveFiles with the listed files, each with its
// folder's path ("//" and the folder id for a folder that was not read,
// which no block can declare), sorted by drive path.
func (x *exportFiles) place(live *planner.Live) {
	if !x.read {
		return
	}
	paths := map[string]string{}
	for _, f := range live.DriveFolders {
		paths[f.ID] = f.Path
	}
	out := make([]planner.LiveFile, 0, len(x.listed))
	seen := map[string]bool{}
	for _, f := range x.listed {
		if seen[f.ID] {
			continue // listed twice when files came during the paging
		}
		seen[f.ID] = true
		p := ""
		if id := f.folderID(); id != "" {
			var ok bool
			if p, ok = paths[id]; !ok {
				p = "//" + id
			}
		}
		out = append(out, f.live(p))
		if f.URL != "" {
			x.urls[f.ID] = f.URL
		}
	}
	slices.SortFunc(out, func(a, b planner.LiveFile) int {
		if c := strings.Compare(a.Key(), b.Key()); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	live.DriveFiles = out
}

// readImages fills Live.ProfileImages: the files avatarId and bannerId
// point at, from the drive's listing when it was read (no request), else
// one drive/files/show each (one for an image that is both). A file that
// is gone (NO_SUCH_FILE) is left out.
func (x *exportFiles) readImages(ctx context.Context, r *reading, live *planner.Live) error {
	byID := map[string]*exportFile{}
	for i := range x.listed {
		byID[x.listed[i].ID] = &x.listed[i]
	}
	var ask []string
	ids := map[string]string{}
	for _, name := range []string{"avatar", "banner"} {
		id, _ := r.me[name+"Id"].(string)
		if id == "" {
			continue
		}
		ids[name] = id
		if _, ok := byID[id]; !ok && !slices.Contains(ask, id) {
			ask = append(ask, id)
		}
	}
	shown := make([]*exportFile, len(ask))
	g, gctx := safego.WithContext(ctx, "drive/files/show (export)")
	for i, id := range ask {
		g.Go(func() error {
			var f exportFile
			if err := r.read(gctx, "drive/files/show", map[string]any{"fileId": id}, &f); err != nil {
				if IsCode(err, "NO_SUCH_FILE") {
					return nil
				}
				return fmt.Errorf("reading the avatar or banner (drive file %s): %w", id, err)
			}
			shown[i] = &f
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for _, f := range shown {
		if f != nil {
			byID[f.ID] = f
		}
	}
	paths := map[string]string{}
	for _, f := range live.DriveFolders {
		paths[f.ID] = f.Path
	}
	for name, id := range ids {
		f, ok := byID[id]
		if !ok {
			continue
		}
		if live.ProfileImages == nil {
			live.ProfileImages = map[string]planner.LiveFile{}
		}
		live.ProfileImages[name] = f.live(paths[f.folderID()])
		if f.URL != "" {
			x.urls[f.ID] = f.URL
		}
	}
	return nil
}

// exportPinnedNotes are the pinned notes as pinnedNotes reads them, except
// that attached files do not make a note unsupported: export declares a
// note whose files it exports (files = [drive_file["…"]]), and says why
// it cannot for the others.
func exportPinnedNotes(me map[string]any) ([]planner.LiveNote, error) {
	notes, err := pinnedNotes(me)
	if err != nil || len(notes) == 0 {
		return notes, err
	}
	data, err := json.Marshal(me["pinnedNotes"])
	if err != nil {
		return nil, fmt.Errorf("i: pinnedNotes: %w", err)
	}
	var raw []apiNote
	if err := json.Unmarshal(data, &raw); err != nil || len(raw) != len(notes) {
		return notes, nil
	}
	for i, n := range raw {
		n.FileIDs = nil
		notes[i].Unsupported = unsupportedNote(n)
	}
	return notes, nil
}
