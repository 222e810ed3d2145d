package planner

import (
	"sort"
	"strconv"
	"strings"
)

func folderKey(path string) string { return "drive_folder[" + strconv.Quote(path) + "]" }

// planFolders matches folders by path. Folders are created parents first
// and deleted children first; a folder that still holds files is never
// deleted.
func (p *planState) planFolders(fileDels []*Change) (ups, dels []*Change) {
	// Files this plan deletes (before the folders) do not keep a folder.
	goneFiles := map[string]int{}
	for _, c := range fileDels {
		for _, f := range p.live.DriveFiles {
			if f.ID == c.ID && f.FolderID != "" {
				goneFiles[f.FolderID]++
				break
			}
		}
	}
	byPath := groupBy(p.live.DriveFolders, func(f LiveFolder) string { return f.Path })
	declared := map[string]bool{}
	for _, want := range p.acct.DriveFolders {
		declared[want.Path] = true
		key := folderKey(want.Path)
		p.protect(key, want.Lifecycle)
		matches := byPath[want.Path]
		switch {
		case len(matches) > 1:
			p.errorf(want.DeclRange, "Ambiguous drive folder",
				"The drive has %d folders at %q (Misskey allows duplicate names); mkctl cannot tell which one this block means. Hint: rename or delete the extra ones in the Misskey drive, then plan again.",
				len(matches), want.Path)
		case len(matches) == 1:
			p.adopt(key, matches[0].ID, nil)
		default:
			c := &Change{Address: p.address(key), Type: TypeDriveFolder, Action: ActionCreate, Key: key,
				After: map[string]any{"name": want.Name},
				Attrs: []AttrChange{{Name: "path", After: want.Path}}}
			if want.Parent != "" {
				if parents := byPath[want.Parent]; len(parents) == 1 {
					c.After["parentId"] = parents[0].ID
				} else {
					c.Refs = map[string]string{"parent": folderKey(want.Parent)}
				}
			}
			ups = append(ups, c)
		}
	}

	// Deletion candidates: undeclared folders mkctl owns, or all of them
	// under purge. Deepest first, so children go before their parents.
	var cands []LiveFolder
	unmanaged := 0
	for _, f := range p.live.DriveFolders {
		if declared[f.Path] || p.owned(ImageFolderKey, f.ID) {
			continue // the avatar and banner's folder is mkctl's, never deleted
		}
		if p.owned(folderKey(f.Path), f.ID) || p.purged("drive_folders") {
			cands = append(cands, f)
		} else {
			unmanaged++
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		di, dj := strings.Count(cands[i].Path, "/"), strings.Count(cands[j].Path, "/")
		if di != dj {
			return di > dj
		}
		return cands[i].Path < cands[j].Path
	})
	// A folder can go only when everything in it goes too.
	keeps := map[string]bool{} // folder id → stays
	for _, f := range p.live.DriveFolders {
		if declared[f.Path] {
			keeps[f.ID] = true
		}
	}
	deleting := map[string]bool{}
	for _, f := range cands {
		deleting[f.ID] = true
	}
	for _, f := range p.live.DriveFolders {
		if !deleting[f.ID] {
			keeps[f.ID] = true
		}
	}
	for _, f := range cands {
		if f.FilesCount > 0 && goneFiles[f.ID] >= f.FilesCount {
			f.FilesCount = 0
		}
		switch {
		case f.FilesCount < 0:
			p.note("drive_folder %q stays: mkctl could not tell whether it holds files.", f.Path)
			keeps[f.ID] = true
			p.keepAncestors(f, keeps)
			continue
		case f.FilesCount > 0:
			p.note("drive_folder %q still holds %d file(s): it stays (mkctl never deletes files). Move or delete them in Misskey to let it go.", f.Path, f.FilesCount)
			keeps[f.ID] = true
			p.keepAncestors(f, keeps)
			continue
		case p.hasKeptChild(f, keeps):
			p.note("drive_folder %q stays: it still holds folders that stay.", f.Path)
			keeps[f.ID] = true
			p.keepAncestors(f, keeps)
			continue
		}
		key := folderKey(f.Path)
		dels = append(dels, &Change{Address: p.address(key), Type: TypeDriveFolder, Action: ActionDelete, Key: key, ID: f.ID,
			Attrs: []AttrChange{{Name: "path", Before: f.Path}}})
	}
	if unmanaged > 0 {
		p.note("%d drive folder(s) not managed by this configuration (left alone).", unmanaged)
	}
	return ups, dels
}

func (p *planState) hasKeptChild(f LiveFolder, keeps map[string]bool) bool {
	for _, c := range p.live.DriveFolders {
		if c.ParentID == f.ID && keeps[c.ID] {
			return true
		}
	}
	return false
}

func (p *planState) keepAncestors(f LiveFolder, keeps map[string]bool) {
	for id := f.ParentID; id != ""; {
		keeps[id] = true
		next := ""
		for _, c := range p.live.DriveFolders {
			if c.ID == id {
				next = c.ParentID
			}
		}
		id = next
	}
}
