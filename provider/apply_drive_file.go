package provider

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/mkctl/mkctl/planner"
)

// driveFileApplier uploads, updates and deletes drive files (issue 11).
//
//	create   putFile: drive/files/find-by-hash {md5}, then reuse the file found at the wanted folder
//	         and name (an upload whose reply was lost), or drive/files/create (multipart, streamed
//	         from disk) with force when the account already has those bytes elsewhere (without it
//	         Misskey returns the old file unchanged, API-NOTES §10); a stored name that differs
//	         (Misskey appends the detected extension) is set back with drive/files/update.
//	replace  the same upload; the old file, when mkctl owns it, stays in the record under a
//	         retiring key (KEY~OLDID) until its follow-up deletion at the end of the apply, after the
//	         pinned notes that used it were replaced.
//	update   drive/files/update {fileId: ID} + After (comment, isSensitive; never empty: a 500).
//	delete   deleteFile: kept when another record entry holds the id or a note still attaches it
//	         (drive/files/attached-notes), else drive/files/delete; NO_SUCH_FILE is success.
type driveFileApplier struct{}

func (driveFileApplier) check(ch *planner.Change) error {
	switch ch.Action {
	case planner.ActionCreate, planner.ActionReplace:
		if _, err := sourceOf(ch.After); err != nil {
			return err
		}
		if name, _ := ch.After["name"].(string); name == "" {
			return fmt.Errorf("the plan gives no file name")
		}
		if ch.Action == planner.ActionReplace && ch.ID == "" {
			return fmt.Errorf("the plan gives no id for the file to replace")
		}
	case planner.ActionUpdate:
		if ch.ID == "" || len(ch.After) == 0 {
			return fmt.Errorf("the plan gives no file id or nothing to update")
		}
	case planner.ActionDelete:
		if ch.ID == "" {
			return fmt.Errorf("the plan gives no file id to delete")
		}
	default:
		return fmt.Errorf("a drive file cannot be changed by %q", ch.Action)
	}
	return nil
}

func (driveFileApplier) apply(ctx context.Context, run *applyRun, ch *planner.Change) (string, error) {
	switch ch.Action {
	case planner.ActionUpdate:
		body := map[string]any{"fileId": ch.ID}
		for k, v := range ch.After {
			body[k] = v
		}
		return ch.ID, run.c.Write(ctx, "drive/files/update", body, nil)
	case planner.ActionDelete:
		return "", deleteFile(ctx, run, ch.Key, ch.ID)
	}
	src, _ := sourceOf(ch.After)
	want := fileWant{src: src, name: ch.After["name"].(string), isSensitive: ch.After["isSensitive"] == true, setMeta: true}
	if c, ok := ch.After["comment"].(string); ok {
		want.comment = &c
	}
	if id, _ := ch.After["folderId"].(string); id != "" {
		want.folderID = id
	} else if ref := ch.Refs["folder"]; ref != "" {
		id, err := run.idOf(ctx, ref)
		if err != nil {
			return "", err
		}
		want.folderID = id
	}
	f, err := putFile(ctx, run, want)
	if err != nil {
		return "", err
	}
	if ch.Action == planner.ActionReplace && ch.After["retireOld"] == true && f.ID != ch.ID {
		if _, err := run.put(ctx, planner.RetiringFileKey(ch.Key, ch.ID), ch.ID, nil); err != nil {
			return "", err
		}
	}
	return f.ID, nil
}

// fileSource is a file of the repository to upload.
type fileSource struct {
	abs, path, md5, typ string
	size                int64
}

func sourceOf(after map[string]any) (fileSource, error) {
	var s fileSource
	s.abs, _ = after["source"].(string)
	s.path, _ = after["path"].(string)
	s.md5, _ = after["md5"].(string)
	s.typ, _ = after["type"].(string)
	switch n := after["size"].(type) {
	case int64:
		s.size = n
	case float64:
		s.size = int64(n)
	case int:
		s.size = int64(n)
	}
	if s.abs == "" || len(s.md5) != 32 {
		return s, fmt.Errorf("the plan gives no file to upload (source and md5)")
	}
	return s, nil
}

// fileWant is a file putFile makes sure exists.
type fileWant struct {
	src         fileSource
	name        string
	folderID    string // "" for the root
	comment     *string
	isSensitive bool
	// setMeta: comment and isSensitive are the block's (a drive_file); an
	// image's upload leaves them at Misskey's defaults.
	setMeta bool
	// reuseOwned: any file of those bytes mkctl owns will do (the avatar
	// and banner need the bytes, not a file of their own).
	reuseOwned bool
}

// putFile makes sure a file with the source's bytes exists where want says
// and returns it, uploading it at most once: first drive/files/find-by-hash
// {md5} (no rate limit) finds a file an interrupted apply uploaded, or one
// mkctl owns that an image may share; else one drive/files/create.
func putFile(ctx context.Context, run *applyRun, want fileWant) (apiFile, error) {
	var found []apiFile
	if err := run.c.Read(ctx, "drive/files/find-by-hash", map[string]any{"md5": want.src.md5}, &found); err != nil {
		return apiFile{}, err
	}
	for _, f := range found {
		if f.folderID() == want.folderID && f.Name == want.name {
			return f, fixMeta(ctx, run, f, want)
		}
	}
	if want.reuseOwned {
		rec, err := run.record(ctx)
		if err != nil {
			return apiFile{}, err
		}
		for _, f := range found {
			if rec.OwnsID(f.ID) || run.createdID(f.ID) {
				return f, nil
			}
		}
	}
	fields := [][2]string{{"name", want.name}}
	if want.folderID != "" {
		fields = append(fields, [2]string{"folderId", want.folderID}) // left out for the root: "null" is a 500
	}
	if want.setMeta {
		if want.comment != nil {
			fields = append(fields, [2]string{"comment", *want.comment})
		}
		fields = append(fields, [2]string{"isSensitive", strconv.FormatBool(want.isSensitive)})
	}
	if len(found) > 0 {
		// Without force Misskey would return the file it has, unchanged
		// (its name and folder kept): a second copy it is.
		fields = append(fields, [2]string{"force", "true"})
	}
	var f apiFile
	up := upload{Fields: fields, Path: want.src.abs, Filename: want.name, Size: want.src.size}
	if err := run.c.Upload(ctx, "drive/files/create", up, &f); err != nil {
		return apiFile{}, err
	}
	if f.ID == "" {
		return apiFile{}, fmt.Errorf("drive/files/create: the answer has no file id")
	}
	for _, old := range found {
		if old.ID == f.ID {
			return apiFile{}, fmt.Errorf("drive/files/create returned the existing file %s instead of a new one", f.ID)
		}
	}
	if f.MD5 != "" && f.MD5 != want.src.md5 {
		return f, fmt.Errorf("%s changed since the plan was made (md5 %s, uploaded as file %s with md5 %s); plan again", want.src.path, want.src.md5, f.ID, f.MD5)
	}
	run.uploaded = append(run.uploaded, f.ID)
	if want.setMeta && f.IsSensitive != want.isSensitive {
		// The account's "always mark as sensitive" setting marked it.
		if err := run.c.Write(ctx, "drive/files/update", map[string]any{"fileId": f.ID, "isSensitive": want.isSensitive}, nil); err != nil {
			return f, fmt.Errorf("the file was uploaded (id %s) but Misskey marked it sensitive, and unmarking it failed: %w", f.ID, err)
		}
	}
	if f.Name != want.name {
		// Misskey appends the detected extension to a name that lacks it
		// ("logo" → "logo.png"); drive/files/update stores a name as sent.
		if err := run.c.Write(ctx, "drive/files/update", map[string]any{"fileId": f.ID, "name": want.name}, nil); err != nil {
			return f, fmt.Errorf("the file was uploaded (id %s) as %q, and renaming it to %q failed: %w", f.ID, f.Name, want.name, err)
		}
		f.Name = want.name
	}
	return f, nil
}

// fixMeta sets a found file's comment and isSensitive to the block's, in
// one drive/files/update, only when they differ (an empty update is a 500).
func fixMeta(ctx context.Context, run *applyRun, f apiFile, want fileWant) error {
	if !want.setMeta {
		return nil
	}
	body := map[string]any{}
	if (f.Comment == nil) != (want.comment == nil) || f.Comment != nil && *f.Comment != *want.comment {
		if want.comment == nil {
			body["comment"] = nil
		} else {
			body["comment"] = *want.comment
		}
	}
	if f.IsSensitive != want.isSensitive {
		body["isSensitive"] = want.isSensitive
	}
	if len(body) == 0 {
		return nil
	}
	body["fileId"] = f.ID
	return run.c.Write(ctx, "drive/files/update", body, nil)
}

// createdID reports whether this apply uploaded or recorded the id.
func (run *applyRun) createdID(id string) bool {
	if slices.Contains(run.uploaded, id) {
		return true
	}
	for _, v := range run.created {
		if v == id {
			return true
		}
	}
	return false
}

// deleteFile deletes a file mkctl owns once nothing else uses it, and drops
// key from the record either way: another record entry (a drive_file and
// an image sharing bytes) or a note that still attaches it (a note mkctl
// does not manage; deleting the file would blank it for good) keeps it.
func deleteFile(ctx context.Context, run *applyRun, key, id string) error {
	rec, err := run.record(ctx)
	if err != nil {
		return err
	}
	for k, o := range rec.Objects {
		if o.ID == id && k != key && (strings.HasPrefix(k, planner.TypeDriveFile+"[") || strings.HasPrefix(k, "profile.")) && !strings.Contains(k, "~") {
			return nil // still someone's file
		}
	}
	for k, v := range run.created {
		if v == id && k != key {
			return nil
		}
	}
	var notes []struct {
		ID string `json:"id"`
	}
	err = run.c.Read(ctx, "drive/files/attached-notes", map[string]any{"fileId": id, "limit": 1}, &notes)
	if IsCode(err, "NO_SUCH_FILE") {
		return nil
	}
	if err != nil {
		return err
	}
	if len(notes) > 0 {
		run.base.notify(fmt.Sprintf("drive file %s is kept: note %s attaches it (%s)", id, notes[0].ID, run.progress()))
		return nil
	}
	err = run.c.Delete(ctx, "drive/files/delete", map[string]any{"fileId": id}, nil)
	if IsCode(err, "NO_SUCH_FILE") {
		return nil
	}
	return err
}

// imageFolder is the id of ImageFolderName, where the avatar and banner are
// uploaded: the recorded one if it still exists (drive/folders/show, no
// rate limit), else the oldest root folder of that name
// (drive/folders/find), else a new one; recorded under ImageFolderKey.
func imageFolder(ctx context.Context, run *applyRun) (string, error) {
	if run.imageFolderID != "" {
		return run.imageFolderID, nil
	}
	rec, err := run.record(ctx)
	if err != nil {
		return "", err
	}
	if o, ok := rec.Objects[planner.ImageFolderKey]; ok && o.ID != "" {
		var d apiFolder
		err := run.c.Read(ctx, "drive/folders/show", map[string]any{"folderId": o.ID}, &d)
		if err == nil && (d.ParentID == nil || *d.ParentID == "") {
			run.imageFolderID = o.ID
			return o.ID, nil
		}
		if err != nil && !IsCode(err, "NO_SUCH_FOLDER") {
			return "", err
		}
	}
	var found []apiFolder
	if err := run.c.Read(ctx, "drive/folders/find", map[string]any{"name": planner.ImageFolderName, "parentId": nil}, &found); err != nil {
		return "", err
	}
	id := ""
	if len(found) > 0 {
		best := found[0]
		for _, f := range found[1:] {
			if f.CreatedAt < best.CreatedAt {
				best = f
			}
		}
		id = best.ID
	} else {
		var created apiFolder
		if err := run.c.Write(ctx, "drive/folders/create", map[string]any{"name": planner.ImageFolderName}, &created); err != nil {
			return "", err
		}
		if created.ID == "" {
			return "", fmt.Errorf("drive/folders/create: the answer has no folder id")
		}
		id = created.ID
	}
	if err := run.ownLater(ctx, planner.ImageFolderKey, id); err != nil {
		return "", err
	}
	run.imageFolderID = id
	return id, nil
}

// putImage makes sure the avatar or banner's bytes are a file of the
// account and returns its id: a file mkctl owns with those bytes (a
// drive_file, the other image) is reused, else it is uploaded into the
// image folder under the source's base name.
func putImage(ctx context.Context, run *applyRun, src fileSource) (string, error) {
	folder, err := imageFolder(ctx, run)
	if err != nil {
		return "", err
	}
	f, err := putFile(ctx, run, fileWant{src: src, name: filepath.Base(src.path), folderID: folder, reuseOwned: true})
	if err != nil {
		return "", err
	}
	return f.ID, nil
}
