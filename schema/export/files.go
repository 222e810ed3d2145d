package export

import (
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// Where the downloaded files go, relative to the output directory: the
// drive files under FilesDir by their drive path, the avatar and banner
// (when they are not exported drive files already) under ImagesDir.
const (
	FilesDir  = "files"
	ImagesDir = "images"
)

// folderInfo is what the export makes of one live folder: declared (its
// drive path) or not (why, for the files in it).
type folderInfo struct {
	path     string
	declared bool
	why      string
}

// fileEntry is one drive file of a folder as the folder's block shows it:
// a drive_file block, or a comment where it would be.
type fileEntry struct {
	name    string
	file    *planner.LiveFile // nil: comment only
	source  string            // the local path of a declared file
	comment string
}

// folderPlan decides, as driveFolders does when it writes them, which
// folders are declared: a name a label can be, the only one of that name
// in its parent, in a declared folder (or at the root), its parent read.
func (g *gen) folderPlan() map[string]folderInfo {
	known := map[string]planner.LiveFolder{}
	children := map[string][]planner.LiveFolder{}
	for _, f := range g.acc.Live.DriveFolders {
		known[f.ID] = f
	}
	out := map[string]folderInfo{}
	for _, f := range g.acc.Live.DriveFolders {
		if f.ParentID != "" {
			if _, ok := known[f.ParentID]; !ok {
				out[f.ID] = folderInfo{path: f.Path, why: fmt.Sprintf("its folder %s is in a folder that was not read", quoteName(f.Path))}
				continue
			}
		}
		children[f.ParentID] = append(children[f.ParentID], f)
	}
	var walk func(parentID, parentPath, inherited string)
	walk = func(parentID, parentPath, inherited string) {
		same := map[string]int{}
		for _, c := range children[parentID] {
			same[c.Name]++
		}
		for _, c := range children[parentID] {
			p := c.Name
			if parentPath != "" {
				p = parentPath + "/" + c.Name
			}
			info := folderInfo{path: p, why: inherited}
			switch {
			case inherited != "":
			case folderNameProblem(c.Name) != "":
				info.why = fmt.Sprintf("its folder %s is not exported (%s)", quoteName(p), folderNameProblem(c.Name))
			case same[c.Name] > 1:
				info.why = fmt.Sprintf("its folder %s is one of %d folders of that name, which are not exported", quoteName(p), same[c.Name])
			default:
				info.declared = true
			}
			out[c.ID] = info
			in := inherited
			if !info.declared && in == "" {
				in = fmt.Sprintf("its folder %s is in a folder that is not exported", quoteName(p))
				if strings.HasPrefix(info.why, "its folder") {
					in = info.why
				}
			}
			walk(c.ID, p, in)
		}
	}
	walk("", "", "")
	return out
}

// planFiles decides which drive files are declared and where their bytes
// go (g.fileEntries, g.fileKeys, g.filePaths, downloads), and which
// folders must be written to hold them when the drive folders themselves
// are not exported (g.fileFolders). A file is left out, with a comment at
// its place and a note, when its block could not describe it exactly:
// Load would refuse its name or content, or Misskey would store it under
// another name; and so are all files of one name in one folder (mkctl
// could not tell them apart), and the files of a folder left out.
func (g *gen) planFiles() {
	cnt := g.count("drive_files")
	folders := g.folderPlan()
	g.fileEntries = map[string][]fileEntry{}
	g.fileKeys = map[string]string{}
	g.filePaths = map[string]string{}
	g.fileFolders = map[string]bool{}
	byKey := map[string][]*planner.LiveFile{}
	var keys []string
	inFolderLeftOut := map[string][]string{} // why → file keys
	var whys []string
	for i := range g.acc.Live.DriveFiles {
		f := &g.acc.Live.DriveFiles[i]
		if f.FolderID != "" {
			info, ok := folders[f.FolderID]
			if !ok {
				info.why = "its folder was not read"
			}
			if !info.declared {
				if _, seen := inFolderLeftOut[info.why]; !seen {
					whys = append(whys, info.why)
				}
				inFolderLeftOut[info.why] = append(inFolderLeftOut[info.why], f.Key())
				cnt.Skipped++
				continue
			}
		}
		k := f.Key()
		if _, ok := byKey[k]; !ok {
			keys = append(keys, k)
		}
		byKey[k] = append(byKey[k], f)
	}
	sort.Strings(whys)
	for _, why := range whys {
		ks := inFolderLeftOut[why]
		sort.Strings(ks)
		what := fmt.Sprintf("drive file %s is", quoteName(ks[0]))
		if len(ks) > 1 {
			what = fmt.Sprintf("%d drive files (%s) are", len(ks), quotedNames(ks, 5))
		}
		g.note("%s not exported: %s.", what, stays(why))
	}
	sort.Strings(keys)
	// Local paths: the directories first, so that no file takes the name
	// of a directory another file needs.
	alloc := newPathAllocator()
	type decl struct {
		f   *planner.LiveFile
		dir string
	}
	var decls []decl
	for _, k := range keys {
		group := byKey[k]
		f := group[0]
		add := func(comment string) {
			g.fileEntries[f.FolderID] = append(g.fileEntries[f.FolderID], fileEntry{name: f.Name, comment: comment})
		}
		if len(group) > 1 {
			ids := make([]string, len(group))
			for i, x := range group {
				ids[i] = x.ID
			}
			sort.Strings(ids)
			why := fmt.Sprintf("Misskey has %d files of that name here and mkctl finds files by path, so it could not tell them apart", len(group))
			add(fmt.Sprintf("Drive files %s (ids %s) are not exported: %s. They stay as they are, not managed by mkctl; rename one in Misskey and export again to manage them.",
				quoteName(k), strings.Join(ids, ", "), why))
			g.note("drive files %s (ids %s) are not exported: %s; they stay as they are, not managed by mkctl (rename one in Misskey and export again to manage them).",
				quoteName(k), strings.Join(ids, ", "), why)
			cnt.Skipped += len(group)
			continue
		}
		if why := g.fileProblem(f); why != "" {
			why = stays(why)
			add(fmt.Sprintf("Drive file %s (id %s) is not exported: %s.", quoteName(k), f.ID, why))
			g.note("drive file %s (id %s) is not exported: %s.", quoteName(k), f.ID, why)
			cnt.Skipped++
			continue
		}
		dir := FilesDir
		if f.Folder != "" {
			for _, c := range strings.Split(f.Folder, "/") {
				dir += "/" + safeComponent(c, false)
			}
		}
		alloc.dir(dir)
		decls = append(decls, decl{f, dir})
		g.fileEntries[f.FolderID] = append(g.fileEntries[f.FolderID], fileEntry{name: f.Name, file: f})
	}
	for _, d := range decls {
		p := alloc.file(d.dir, safeComponent(d.f.Name, true))
		g.fileKeys[d.f.ID] = d.f.Key()
		g.filePaths[d.f.ID] = p
		g.addDownload(d.f, p, d.f.Name, false, fmt.Sprintf("drive_file %s", quoteName(d.f.Key())))
		cnt.Declared++
		for id := d.f.FolderID; id != ""; {
			g.fileFolders[id] = true
			id = g.parentOf(id)
		}
	}
	for id, es := range g.fileEntries {
		for i := range es {
			if es[i].file != nil {
				es[i].source = g.filePaths[es[i].file.ID]
			}
		}
		sort.SliceStable(es, func(i, j int) bool { return es[i].name < es[j].name })
		g.fileEntries[id] = es
	}
	g.imagePaths = alloc
}

func (g *gen) parentOf(id string) string {
	for _, f := range g.acc.Live.DriveFolders {
		if f.ID == id {
			return f.ParentID
		}
	}
	return ""
}

// addDownload adds f to the downloads, once per path.
func (g *gen) addDownload(f *planner.LiveFile, p, name string, image bool, what string) {
	for i := range g.downloads {
		if g.downloads[i].Path == p {
			g.downloads[i].Image = g.downloads[i].Image || image
			return
		}
	}
	g.downloads = append(g.downloads, Download{FileID: f.ID, URL: g.acc.FileURLs[f.ID], Path: p, MD5: f.MD5, Size: f.Size,
		Type: f.Type, Name: name, Image: image, What: what})
}

// fileProblem says why a drive_file block cannot declare f exactly, ""
// when it can.
func (g *gen) fileProblem(f *planner.LiveFile) string {
	if why, ok := g.opts.SkipFiles[f.ID]; ok {
		return why
	}
	if why := schema.FileNameProblem(f.Name); why != "" {
		return why
	}
	switch {
	case g.acc.FileURLs[f.ID] == "":
		return "Misskey gave no URL to download it from"
	case f.MD5 == "":
		return "Misskey gave no md5 of its content"
	case f.Size > schema.MaxUploadBytes:
		return fmt.Sprintf("it is larger than the %d bytes mkctl uploads", int64(schema.MaxUploadBytes))
	case f.Type == "application/octet-stream" || f.Type == "":
		return "Misskey did not recognise its content (application/octet-stream), which mkctl refuses to upload"
	}
	if schema.DefaultUploadable(f.Type) {
		ext := schema.DetectedExt(f.Type)
		if ext == "" {
			return fmt.Sprintf("mkctl does not recognise its type %s", f.Type)
		}
		if stored := schema.CorrectFilename(f.Name, ext); stored != f.Name {
			return fmt.Sprintf("its name does not end with the extension of its type %s, so mkctl expects Misskey to store a new upload as %s", f.Type, quoteName(stored))
		}
	}
	if f.Comment != nil {
		switch c := *f.Comment; {
		case c == "":
			return "its comment is empty rather than none, which a drive_file block cannot say"
		case schema.CharLen(c) > schema.MaxFileComment:
			return fmt.Sprintf("its comment is longer than the %d characters mkctl accepts", schema.MaxFileComment)
		}
	}
	if !f.IsSensitive && g.acc.Live.Policies["alwaysMarkNsfw"] == true {
		return "it is not sensitive, but the account's role marks every file sensitive (alwaysMarkNsfw), so mkctl refuses such a block"
	}
	return ""
}

// writeFiles writes the drive_file blocks (and comments) of one folder
// ("" for the root) into body, each after a blank line.
func (g *gen) writeFiles(body *hclwrite.Body, folderID string, first bool) bool {
	for _, e := range g.fileEntries[folderID] {
		if !first {
			body.AppendNewline()
		}
		first = false
		if e.file == nil {
			comment(body, e.comment)
			continue
		}
		b := body.AppendNewBlock("drive_file", []string{e.name}).Body()
		b.SetAttributeRaw("source", str(e.source))
		if e.file.Comment != nil {
			b.SetAttributeRaw("comment", g.text(*e.file.Comment))
		}
		if e.file.IsSensitive {
			b.SetAttributeRaw("is_sensitive", boolTok(true))
		}
	}
	return first
}

// driveFileRef is drive_file["KEY"].
func driveFileRef(key string) hclwrite.Tokens {
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenIdent, Bytes: []byte("drive_file")}, {Type: hclsyntax.TokenOBrack, Bytes: []byte("[")}}
	toks = append(toks, str(key)...)
	return append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")})
}

// imageSource is where the avatar or banner's bytes go: the path of the
// exported drive file when it is one, else images/NAME.EXT (once for an
// image that is both).
func (g *gen) imageSource(name string, f *planner.LiveFile) string {
	if p, ok := g.filePaths[f.ID]; ok {
		for i := range g.downloads {
			if g.downloads[i].FileID == f.ID {
				g.downloads[i].Image = true
			}
		}
		return p
	}
	for _, d := range g.downloads {
		if d.FileID == f.ID {
			return d.Path
		}
	}
	if g.imagePaths == nil {
		g.imagePaths = newPathAllocator()
	}
	p := g.imagePaths.file(ImagesDir, name+"."+imageExt(f))
	g.addDownload(f, p, "", true, "the "+name)
	return p
}

var simpleExt = regexp.MustCompile(`\.([0-9A-Za-z]{1,8})$`)

// imageExt is the extension an image's local copy gets: the usual one of
// its type, else its name's.
func imageExt(f *planner.LiveFile) string {
	if ext := schema.DetectedExt(f.Type); ext != "" {
		return ext
	}
	if m := simpleExt.FindStringSubmatch(f.Name); m != nil {
		return strings.ToLower(m[1])
	}
	return "img"
}

// pathAllocator gives each downloaded file a path of its own that is
// safe on common file systems: compared without case (macOS and Windows
// fold it), never a directory another file lies in.
type pathAllocator struct {
	used map[string]bool // lower-cased paths of files and directories
}

func newPathAllocator() *pathAllocator { return &pathAllocator{used: map[string]bool{}} }

func (a *pathAllocator) dir(p string) {
	for p != "." && p != "" {
		a.used[strings.ToLower(p)+"/"] = true
		p = path.Dir(p)
	}
}

// file returns dir/name, or dir/name_2.ext, _3, … when that is taken.
func (a *pathAllocator) file(dir, name string) string {
	stem, ext := name, ""
	if m := simpleExt.FindString(name); m != "" && m != name {
		stem, ext = strings.TrimSuffix(name, m), m
	}
	for i := 1; ; i++ {
		n := name
		if i > 1 {
			n = fmt.Sprintf("%s_%d%s", stem, i, ext)
		}
		p := dir + "/" + n
		l := strings.ToLower(p)
		if !a.used[l] && !a.used[l+"/"] {
			a.used[l] = true
			return p
		}
	}
}

// maxComponentBytes keeps a path component within the 255 bytes most file
// systems allow, with room for a _N suffix.
const maxComponentBytes = 200

// windowsReserved are names Windows refuses whatever their extension.
var windowsReserved = func() map[string]bool {
	m := map[string]bool{"CON": true, "PRN": true, "AUX": true, "NUL": true, "CONIN$": true, "CONOUT$": true}
	for i := 0; i <= 9; i++ {
		m[fmt.Sprintf("COM%d", i)] = true
		m[fmt.Sprintf("LPT%d", i)] = true
	}
	return m
}()

// safeComponent turns a folder or file name into one path component that
// Linux, macOS and Windows all accept and that cannot climb out of its
// directory: characters Windows refuses (<>:"/\|?* and control
// characters) become "_", as do a trailing dot or space; "." and ".."
// become "_" and "__"; a reserved device name (CON, NUL, COM1, …) gets "_"
// in front; and the name is cut to 200 bytes, keeping a file's extension.
func safeComponent(name string, isFile bool) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r < 0x20 || r == 0x7f || strings.ContainsRune(`<>:"/\|?*`, r):
			b.WriteByte('_')
		case r == utf8.RuneError:
			b.WriteByte('_')
		default:
			b.WriteRune(r)
		}
	}
	s := b.String()
	trail := len(s) - len(strings.TrimRight(s, ". "))
	s = strings.TrimRight(s, ". ") + strings.Repeat("_", trail)
	if s == "" {
		s = "_"
	}
	stem := s
	if i := strings.IndexByte(s, '.'); i >= 0 {
		stem = s[:i]
	}
	if windowsReserved[strings.ToUpper(strings.TrimRight(stem, " "))] {
		s = "_" + s
	}
	if len(s) > maxComponentBytes {
		ext := ""
		if isFile {
			ext = simpleExt.FindString(s)
		}
		cut := maxComponentBytes - len(ext)
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + ext
	}
	return s
}

// quotedNames quotes the first max names, "and N more" after them.
func quotedNames(names []string, max int) string {
	var q []string
	for i, n := range names {
		if i == max {
			q = append(q, fmt.Sprintf("and %d more", len(names)-max))
			break
		}
		q = append(q, quoteName(n))
	}
	return strings.Join(q, ", ")
}
