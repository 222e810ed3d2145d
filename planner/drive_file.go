package planner

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/mkctl/mkctl/schema"
)

// Drive files (issue 11). A drive_file block is identified by its drive
// path (folder path and name) and its content by md5: Misskey never changes
// a file's bytes, so changed bytes are a new upload (a replace), while the
// comment and is_sensitive are updated in place. The avatar and banner are
// files too, uploaded into a folder of mkctl's own (ImageFolderName) and
// compared by the md5 of the file avatarId/bannerId points at, never by URL.

// TypeDriveFile is the change type of drive files (see changes.go).
const TypeDriveFile = "drive_file"

// ImageFolderName is the root folder mkctl uploads the avatar and banner
// into. Its id is kept in the ownership record under ImageFolderKey; the
// folder is never deleted by mkctl (it may hold the user's files too).
const ImageFolderName = "mkctl"

// ImageFolderKey is the record key of the image folder.
const ImageFolderKey = "image_folder"

// DriveFileKey is a drive file's record key: drive_file["media/logo.png"].
func DriveFileKey(path string) string { return "drive_file[" + strconv.Quote(path) + "]" }

// DriveFolderKey is a drive folder's record key: drive_folder["media"].
func DriveFolderKey(path string) string { return folderKey(path) }

// ProfileImageKey is the record key of the file mkctl uploaded as the
// avatar or banner: profile.avatar, profile.banner.
func ProfileImageKey(name string) string { return "profile." + name }

// RetiringFileKey is where a replaced file mkctl owns stays in the record
// until it is deleted: KEY~ID (as pinned notes do, see changes.go).
func RetiringFileKey(key, id string) string { return key + "~" + id }

// isRetiringFileKey reports whether a record key is a retiring file entry.
func isRetiringFileKey(key string) bool {
	return (strings.HasPrefix(key, TypeDriveFile+"[") || strings.HasPrefix(key, "profile.")) && strings.Contains(key, "~")
}

// fileDesc is how a file's content is shown in the plan: md5, size and,
// for the desired side, the repository path.
func fileDesc(md5 string, size int64, path string) map[string]any {
	m := map[string]any{"md5": md5, "size": size}
	if path != "" {
		m["path"] = path
	}
	return m
}

// uploadAfter is what the provider needs to upload a source file.
func uploadAfter(src *schema.FileSource) map[string]any {
	return map[string]any{"source": src.Abs, "path": src.Path, "md5": src.MD5, "size": src.Size, "type": src.Type}
}

// planDriveFiles matches declared files by path. It returns the uploads
// and updates (applied after the folders, before the pinned notes that
// attach them) and the deletions (applied last, after pinned notes that
// used an old file were replaced). A replaced file is one upload (the
// -/+ change) and, when mkctl owns the old file, its deletion at the end
// (a follow-up of the replace, not counted again).
func (p *planState) planDriveFiles() (ups, dels []*Change) {
	managed := len(p.acct.DriveFiles) > 0 || p.purged("drive_files") || p.ownsAny(TypeDriveFile+"[")
	if !managed {
		return nil, nil
	}
	byKey := groupBy(p.live.DriveFiles, func(f LiveFile) string { return f.Key() })
	folderByPath := groupBy(p.live.DriveFolders, func(f LiveFolder) string { return f.Path })
	p.fileIDs = map[string]string{}
	kept := map[string]bool{} // live ids matched by a declaration
	declaredFolders := map[string]bool{}
	forcedSensitive := p.live.Policies["alwaysMarkNsfw"] == true
	for _, want := range p.acct.DriveFiles {
		declaredFolders[want.Folder] = true
		key := DriveFileKey(want.Key())
		p.protect(key, want.Lifecycle)
		if forcedSensitive && !want.IsSensitive {
			p.errorf(want.DeclRange, "Files are always sensitive",
				"drive_file %q is not sensitive, but this account's role marks every file it uploads as sensitive and forbids unmarking it (role policy alwaysMarkNsfw): every plan would try again and fail (RESTRICTED_BY_ROLE). Hint: set is_sensitive = true.",
				want.Key())
		}
		m, ok := p.pickFile(key, byKey[want.Key()])
		if !ok {
			c := &Change{Address: p.address(key), Type: TypeDriveFile, Action: ActionCreate, Key: key,
				After: p.fileAfter(want, folderByPath),
				Attrs: fileAttrs(nil, want)}
			p.fileRefs(c, want, folderByPath)
			ups = append(ups, c)
			p.uploads = append(p.uploads, plannedUpload{what: "drive_file " + strconv.Quote(want.Key()), src: &want.Source, rng: want.Source.Range, decl: want.DeclRange})
			continue
		}
		kept[m.ID] = true
		if m.MD5 != want.Source.MD5 {
			c := &Change{Address: p.address(key), Type: TypeDriveFile, Action: ActionReplace, Key: key, ID: m.ID,
				After:  p.fileAfter(want, folderByPath),
				Reason: "its content changed; Misskey cannot change a file's bytes",
				Attrs:  fileAttrs(&m, want)}
			p.fileRefs(c, want, folderByPath)
			if p.owned(key, m.ID) {
				c.After["retireOld"] = true
				dels = append(dels, p.fileDelete(RetiringFileKey(key, m.ID), m, "the old content of "+p.address(key)+", replaced above"))
			} else {
				c.Reason += "; the old file was not uploaded by mkctl, so it stays"
			}
			ups = append(ups, c)
			p.uploads = append(p.uploads, plannedUpload{what: "drive_file " + strconv.Quote(want.Key()), src: &want.Source, rng: want.Source.Range, decl: want.DeclRange})
			continue
		}
		p.fileIDs[want.Key()] = m.ID
		if !p.owned(key, m.ID) {
			p.adopt(key, m.ID, nil) // the live md5 is compared, nothing applied is kept: the entry chunks
		}
		upd := map[string]any{}
		var attrs []AttrChange
		if !sameStrPtr(m.Comment, want.Comment) {
			upd["comment"] = strPtr(want.Comment)
			attrs = append(attrs, AttrChange{Name: "comment", Before: strPtr(m.Comment), After: strPtr(want.Comment)})
		}
		if m.IsSensitive != want.IsSensitive {
			upd["isSensitive"] = want.IsSensitive
			attrs = append(attrs, AttrChange{Name: "is_sensitive", Before: m.IsSensitive, After: want.IsSensitive})
		}
		if len(upd) > 0 { // drive/files/update with nothing to change is a 500
			ups = append(ups, &Change{Address: p.address(key), Type: TypeDriveFile, Action: ActionUpdate, Key: key, ID: m.ID,
				After: upd, Attrs: attrs})
		}
	}

	// Files nobody declares: delete what mkctl owns (or, under purge, what
	// lies in a folder the configuration declares files in); never a file
	// that is the avatar or banner and stays so.
	inUse := p.imageIDsKept()
	unmanaged := 0
	seen := map[string]bool{}
	for _, f := range p.live.DriveFiles {
		if kept[f.ID] || seen[f.ID] {
			continue
		}
		seen[f.ID] = true
		key, owned := p.ownedFileKey(f.ID)
		switch {
		case inUse[f.ID]:
			if owned || p.purged("drive_files") {
				p.note("drive file %q stays: it is the account's avatar or banner.", f.Key())
			}
		case owned && isRetiringFileKey(key):
			dels = append(dels, p.fileDelete(key, f, "the old content of a replaced file"))
		case owned:
			dels = append(dels, p.fileDelete(key, f, ""))
		case p.purged("drive_files") && declaredFolders[f.Folder]:
			dels = append(dels, p.fileDelete(DriveFileKey(f.Key())+"~"+f.ID, f, "deleted because of purge"))
		default:
			unmanaged++
		}
	}
	if unmanaged > 0 {
		p.note("%d drive file(s) not managed by this configuration (left alone).", unmanaged)
	}
	sort.SliceStable(dels, func(i, j int) bool { return dels[i].Key < dels[j].Key })
	return ups, dels
}

// pickFile chooses the live file a declaration means: the recorded one,
// else the oldest of those at its path (Misskey allows several files of one
// name in a folder; the others are left alone).
func (p *planState) pickFile(key string, files []LiveFile) (LiveFile, bool) {
	if len(files) == 0 {
		return LiveFile{}, false
	}
	if o, ok := p.live.Ownership.objects()[key]; ok {
		for _, f := range files {
			if f.ID == o.ID {
				return f, true
			}
		}
	}
	best := files[0]
	for _, f := range files[1:] {
		if f.CreatedAt.Before(best.CreatedAt) || f.CreatedAt.Equal(best.CreatedAt) && f.ID < best.ID {
			best = f
		}
	}
	return best, true
}

// ownedFileKey finds the record key of a drive file id among the drive
// file entries (retiring ones included); the first in order when several.
func (p *planState) ownedFileKey(id string) (string, bool) {
	if p.fileKeys == nil {
		p.fileKeys = map[string]string{}
		for k, o := range p.live.Ownership.objects() {
			if strings.HasPrefix(k, TypeDriveFile+"[") {
				if old, ok := p.fileKeys[o.ID]; !ok || k < old {
					p.fileKeys[o.ID] = k
				}
			}
		}
	}
	k, ok := p.fileKeys[id]
	return k, ok
}

func (p *planState) fileDelete(key string, f LiveFile, reason string) *Change {
	c := &Change{Address: p.address(key), Type: TypeDriveFile, Action: ActionDelete, Key: key, ID: f.ID, Reason: reason,
		Attrs: []AttrChange{{Name: "path", Before: f.Key()}, {Name: "content", Before: fileDesc(f.MD5, f.Size, "")}}}
	if strings.Contains(key, "~") && !strings.Contains(reason, "purge") {
		c.Followup = true
	}
	return c
}

// fileAfter is the upload of a declared file.
func (p *planState) fileAfter(want *schema.DriveFile, folders map[string][]LiveFolder) map[string]any {
	after := uploadAfter(&want.Source)
	after["name"] = want.Name
	after["comment"] = strPtr(want.Comment)
	after["isSensitive"] = want.IsSensitive
	if want.Folder != "" {
		if fs := folders[want.Folder]; len(fs) > 0 {
			after["folderId"] = p.pickFolder(want.Folder, fs)
		}
	}
	return after
}

// pickFolder is the folder at a path the dedupe kept (the recorded one,
// else the oldest): the one files go into.
func (p *planState) pickFolder(path string, fs []LiveFolder) string {
	if o, ok := p.live.Ownership.objects()[folderKey(path)]; ok {
		for _, f := range fs {
			if f.ID == o.ID {
				return f.ID
			}
		}
	}
	best := fs[0]
	for _, f := range fs[1:] {
		if f.CreatedAt.Before(best.CreatedAt) {
			best = f
		}
	}
	return best.ID
}

// fileRefs points a new file at a folder created earlier in the apply.
func (p *planState) fileRefs(c *Change, want *schema.DriveFile, folders map[string][]LiveFolder) {
	if want.Folder != "" && len(folders[want.Folder]) == 0 {
		c.Refs = map[string]string{"folder": folderKey(want.Folder)}
	}
}

// fileAttrs shows a file's change: its content (md5, size, source path)
// and the metadata that differs.
func fileAttrs(before *LiveFile, want *schema.DriveFile) []AttrChange {
	after := fileDesc(want.Source.MD5, want.Source.Size, want.Source.Path)
	var out []AttrChange
	if before == nil {
		out = append(out, AttrChange{Name: "content", After: after})
		if want.Comment != nil {
			out = append(out, AttrChange{Name: "comment", After: *want.Comment})
		}
		if want.IsSensitive {
			out = append(out, AttrChange{Name: "is_sensitive", After: true})
		}
		return out
	}
	out = append(out, AttrChange{Name: "content", Before: fileDesc(before.MD5, before.Size, ""), After: after})
	if !sameStrPtr(before.Comment, want.Comment) {
		out = append(out, AttrChange{Name: "comment", Before: strPtr(before.Comment), After: strPtr(want.Comment)})
	}
	if before.IsSensitive != want.IsSensitive {
		out = append(out, AttrChange{Name: "is_sensitive", Before: before.IsSensitive, After: want.IsSensitive})
	}
	return out
}

func sameStrPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// imageIDsKept are the live avatar and banner file ids that stay so after
// this plan: an image the profile does not change, or does not manage.
func (p *planState) imageIDsKept() map[string]bool {
	out := map[string]bool{}
	for _, name := range []string{"avatar", "banner"} {
		id := p.liveImageID(name)
		if id == "" {
			continue
		}
		if p.imageChanges[name] {
			continue
		}
		out[id] = true
	}
	return out
}

// liveImageID is avatarId or bannerId of `i`, "" when null.
func (p *planState) liveImageID(name string) string {
	id, _ := p.live.Profile[name+"Id"].(string)
	return id
}

// planProfileImages adds avatar and banner to the profile change. An
// image whose file has the md5 of the source is left alone (no upload, no
// write). A new image is uploaded (or found by md5) into ImageFolderName
// and set with the profile's i/update; the old file is deleted after it,
// at the end of the apply, when mkctl uploaded it and nothing else uses
// it, so the profile never shows the identicon in between.
func (p *planState) planProfileImages(c *Change) (*Change, []*Change) {
	prof := p.acct.Profile
	if prof == nil || len(prof.Images) == 0 {
		return c, nil
	}
	p.imageChanges = map[string]bool{}
	var dels []*Change
	for _, name := range []string{"avatar", "banner"} {
		want, ok := prof.Images[name]
		if !ok {
			continue
		}
		if want.Source != nil && !strings.HasPrefix(want.Source.Type, "image/") {
			p.errorf(want.Range, "Not an image",
				"The %s must be an image, but Misskey would store %s as %q and refuse it (%s_NOT_AN_IMAGE). Hint: use a PNG, JPEG, GIF, WebP, AVIF or SVG file.",
				name, want.Source.Path, want.Source.Type, strings.ToUpper(name))
			continue
		}
		liveID := p.liveImageID(name)
		lf, hasFile := p.live.ProfileImages[name]
		var before any
		if liveID != "" {
			if hasFile {
				before = fileDesc(lf.MD5, lf.Size, "")
			} else {
				before = map[string]any{"id": liveID}
			}
		}
		var after any
		switch {
		case want.Source == nil && liveID == "":
			continue
		case want.Source != nil && hasFile && liveID != "" && lf.MD5 == want.Source.MD5:
			// Set as declared. When mkctl's record names another file for
			// it (an apply whose i/update answer was lost), this one is the
			// file mkctl set: record it, so a later change deletes it.
			key := ProfileImageKey(name)
			if o, ok := p.live.Ownership.objects()[key]; ok && o.ID != liveID {
				p.adopt(key, liveID, map[string]any{"md5": lf.MD5})
			}
			continue
		case want.Source != nil:
			after = fileDesc(want.Source.MD5, want.Source.Size, want.Source.Path)
		}
		if c == nil {
			c = &Change{Address: p.acct.Address() + ".profile", Type: TypeProfile, Action: ActionUpdate}
		}
		if c.After == nil {
			c.After = map[string]any{}
		}
		if want.Source != nil && p.live.Policies["canUpdateBioMedia"] == false {
			p.errorf(want.Range, "Images may not be changed",
				"This account may not set its %s (role policy canUpdateBioMedia): Misskey would refuse it (RESTRICTED_BY_ROLE). Hint: remove %s from the profile block to leave the image as it is.",
				name, name)
		}
		if want.Source != nil {
			c.After[name] = uploadAfter(want.Source)
			p.uploads = append(p.uploads, plannedUpload{what: "the " + name, src: want.Source, rng: want.Range, decl: want.Range})
		} else {
			c.After[name] = nil
		}
		c.Attrs = append(c.Attrs, AttrChange{Name: name, Before: before, After: after})
		p.imageChanges[name] = true
		// The old file goes when mkctl uploaded it as this image.
		key := ProfileImageKey(name)
		if liveID != "" && p.owned(key, liveID) {
			c.After[name+"RetireOld"] = liveID
			f := lf
			if !hasFile {
				f = LiveFile{ID: liveID, Name: name}
			}
			d := p.fileDelete(RetiringFileKey(key, liveID), f, "the old "+name+", replaced above")
			d.Attrs = []AttrChange{{Name: "content", Before: before}}
			dels = append(dels, d)
		}
	}
	// Old images of an interrupted apply (retiring entries) that are not
	// the avatar or banner now.
	for k, o := range p.live.Ownership.objects() {
		if !strings.HasPrefix(k, "profile.") || !strings.Contains(k, "~") {
			continue
		}
		if o.ID == p.liveImageID("avatar") || o.ID == p.liveImageID("banner") {
			continue
		}
		dup := false
		for _, d := range dels {
			dup = dup || d.Key == k
		}
		if !dup {
			dels = append(dels, p.fileDelete(k, LiveFile{ID: o.ID}, "an old avatar or banner an interrupted apply left"))
		}
	}
	sort.SliceStable(dels, func(i, j int) bool { return dels[i].Key < dels[j].Key })
	return c, dels
}

// noteFiles resolves a pinned note's file keys to the ids the note must
// have: "" for a file this plan uploads (its id is known only at apply).
func (p *planState) noteFiles(n *schema.PinnedNote) []string {
	out := make([]string, len(n.Files))
	for i, k := range n.Files {
		out[i] = p.fileIDs[k]
	}
	return out
}

// sameFiles reports whether a live note has exactly the files a block
// asks for, all of them unchanged by this plan.
func (p *planState) sameFiles(n *schema.PinnedNote, live []string) bool {
	want := p.noteFiles(n)
	if len(want) != len(live) {
		return false
	}
	for i, id := range want {
		if id == "" || id != live[i] {
			return false
		}
	}
	return true
}

// fileNames shows a note's files by drive path where the plan knows them.
func (p *planState) fileNames(ids []string) []any {
	if len(ids) == 0 {
		return nil
	}
	byID := map[string]string{}
	for _, f := range p.live.DriveFiles {
		byID[f.ID] = f.Key()
	}
	out := make([]any, len(ids))
	for i, id := range ids {
		if k, ok := byID[id]; ok {
			out[i] = k
		} else {
			out[i] = id
		}
	}
	return out
}

// plannedUpload is a file the plan uploads, for the checks Misskey makes
// of drive/files/create, done here before anything changes.
type plannedUpload struct {
	what      string // drive_file "media/logo.png", the avatar
	src       *schema.FileSource
	rng, decl hcl.Range
}

// defaultUploadableTypes is Misskey's default uploadableFileTypes policy.
var defaultUploadableTypes = []any{"text/*", "application/json", "image/*", "video/*", "audio/*"}

// checkUploads refuses, at the block, an upload Misskey would refuse: a
// type the role's uploadableFileTypes does not allow (UNALLOWED_FILE_TYPE),
// a file over maxFileSizeMb (MAX_FILE_SIZE_EXCEEDED), and new files that
// do not fit in the drive's free capacity (NO_FREE_SPACE; old files are
// deleted only after the new ones are uploaded, so they free nothing
// before). Moderators and administrators skip these checks, as in Misskey.
func (p *planState) checkUploads() {
	if len(p.uploads) == 0 || p.live.Profile["isModerator"] == true || p.live.Profile["isAdmin"] == true {
		return
	}
	types, ok := p.live.Policies["uploadableFileTypes"].([]any)
	if !ok {
		types = defaultUploadableTypes
	}
	maxMB := p.policy("maxFileSizeMb", 30)
	var total int64
	seen := map[string]bool{}
	for _, u := range p.uploads {
		rng := u.rng
		if rng.Filename == "" {
			rng = u.decl
		}
		if !typeAllowed(u.src.Type, types) {
			p.errorf(rng, "File type not allowed",
				"%s is %s (%s), which this account may not upload (role policy uploadableFileTypes allows %s): Misskey would refuse it (UNALLOWED_FILE_TYPE). Hint: convert the file, or ask the administrator to allow the type.",
				u.what, u.src.Path, u.src.Type, typeList(types))
			continue
		}
		if limit := int64(maxMB) << 20; u.src.Size > limit {
			p.errorf(rng, "File too large",
				"%s is %s (%s), larger than the %d MB this account may upload (role policy maxFileSizeMb): Misskey would refuse it (MAX_FILE_SIZE_EXCEEDED). Hint: make the file smaller than %d bytes.",
				u.what, u.src.Path, HumanBytes(u.src.Size), maxMB, limit)
			continue
		}
		if !seen[u.src.MD5] {
			seen[u.src.MD5] = true
			total += u.src.Size
		}
	}
	if d := p.live.Drive; d != nil && d.Usage+total > d.Capacity {
		u := p.uploads[len(p.uploads)-1]
		rng := u.decl
		if rng.Filename == "" {
			rng = u.rng
		}
		p.errorf(rng, "Drive full",
			"This plan uploads %s, but the drive has %s free (%s of %s used): Misskey would refuse the uploads (NO_FREE_SPACE). Hint: delete files in the drive, or ask the administrator for more (role policy driveCapacityMb).",
			HumanBytes(total), HumanBytes(max(d.Capacity-d.Usage, 0)), HumanBytes(d.Usage), HumanBytes(d.Capacity))
	}
}

// typeAllowed is Misskey's check of a type against uploadableFileTypes.
func typeAllowed(typ string, allowed []any) bool {
	for _, a := range allowed {
		s, _ := a.(string)
		switch {
		case s == "*" || s == "*/*":
			return true
		case strings.HasSuffix(s, "/*") && strings.HasPrefix(typ, strings.TrimSuffix(s, "*")):
			return true
		case s == typ:
			return true
		}
	}
	return false
}

func typeList(types []any) string {
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = fmt.Sprint(t)
	}
	return strings.Join(parts, ", ")
}

// HumanBytes is a size for a message: "812 bytes", "18.0 KiB", "31.5 MiB".
// Exported so cmd's export messages word sizes like the plan's drive notes.
func HumanBytes(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
