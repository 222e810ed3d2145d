package schema

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Limits of drive/files/create (API-NOTES §10).
const (
	// maxFileName is DriveFileEntityService.validateFileName's limit,
	// counted with JavaScript's .length (UTF-16 code units: an emoji
	// outside the Basic Multilingual Plane counts 2).
	maxFileName = 200
	// maxFileComment is the comment's maxLength (DB_MAX_IMAGE_COMMENT_LENGTH),
	// counted by Ajv in code points.
	maxFileComment = 512
)

var driveFileDesc = bodyDesc{
	What: "a drive_file block",
	Schema: &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "source", Required: true},
			{Name: "comment"},
			{Name: "is_sensitive"},
		},
		Blocks: []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
	},
	Hints: map[string]string{
		"source": `Hint: add source = "images/logo.png", the file to upload (relative to the configuration directory).`,
	},
	Aliases: map[string]string{
		"path":        "source",
		"file":        "source",
		"src":         "source",
		"alt":         "comment",
		"alt_text":    "comment",
		"description": "comment",
		"caption":     "comment",
		"sensitive":   "is_sensitive",
		"nsfw":        "is_sensitive",
		"issensitive": "is_sensitive",
	},
	Refused: func() map[string]string {
		m := refusedResourceArgs("drive_file")
		m["name"] = "a file's name is its label: drive_file \"logo.png\" { ... }. Hint: remove name and put the name in the label."
		m["folder"] = "a file's folder is the drive_folder block it is written in. Hint: remove folder and move this block into the folder's block (directly in the account block for the drive's root)."
		m["folder_id"] = m["folder"]
		return m
	}(),
}

// driveFileBlock is a checked drive_file block.
type driveFileBlock struct {
	*resource
	name, folder string
	// badPath: the name or a parent folder's name was reported as
	// invalid, so the key is not checked for duplicates or referred to.
	badPath bool
	badName bool // the name itself was reported: its extension is not checked
}

func (fb *driveFileBlock) key() string {
	if fb.folder == "" {
		return fb.name
	}
	return fb.folder + "/" + fb.name
}

func decodeDriveFile(block *hcl.Block, folder string, badFolder bool) (*driveFileBlock, hcl.Diagnostics) {
	diags := checkFileName(block)
	badName := diags.HasErrors()
	r, _, d := decodeResource(block, driveFileDesc)
	diags = append(diags, d...)
	return &driveFileBlock{resource: r, name: block.Labels[0], folder: folder, badPath: badFolder || badName, badName: badName}, diags
}

// fileNameFault is the first rule of validateFileName and create's
// trimming that a drive_file name breaks: checkFileName words it as a
// diagnostic, FileNameProblem (for export) as a reason.
type fileNameFault int

const (
	fileNameOK fileNameFault = iota
	fileNameEmpty
	fileNameSlash
	fileNameBackslash
	fileNameDotDot
	fileNameSpace
	fileNameBlob
	fileNameNUL
	fileNameLong
)

func fileNameFaultOf(name string) fileNameFault {
	switch {
	case jsTrim(name) == "":
		return fileNameEmpty
	case strings.Contains(name, "/"):
		return fileNameSlash
	case strings.Contains(name, `\`):
		return fileNameBackslash
	case strings.Contains(name, ".."):
		return fileNameDotDot
	case jsTrim(name) != name:
		return fileNameSpace
	case name == "blob":
		return fileNameBlob
	case strings.ContainsRune(name, 0):
		return fileNameNUL
	case fileNameLen(name) > maxFileName:
		return fileNameLong
	}
	return fileNameOK
}

// fileNameLen counts as JavaScript's length does, in UTF-16 code units.
func fileNameLen(name string) int { return len(utf16.Encode([]rune(name))) }

// checkFileName applies validateFileName and create's trimming: a name
// Misskey would refuse, or store differently (trimmed, "blob" replaced by
// "untitled"), could never match the configuration.
func checkFileName(block *hcl.Block) hcl.Diagnostics {
	name := block.Labels[0]
	rng := block.LabelRanges[0]
	bad := func(format string, args ...any) hcl.Diagnostics {
		return hcl.Diagnostics{errorf(rng, "Invalid drive_file name", format, args...)}
	}
	switch fileNameFaultOf(name) {
	case fileNameEmpty:
		return bad("A file name cannot be empty or only white space: Misskey refuses it (INVALID_FILE_NAME). Hint: write the name the file has in the drive, e.g. %s.", labelExample("drive_file"))
	case fileNameSlash:
		return bad("The file name %q contains \"/\", which Misskey refuses in file names (INVALID_FILE_NAME) and mkctl uses to separate folders. Hint: to put the file in a folder, write the block inside drive_folder blocks: drive_folder %q { drive_file %q { ... } }.",
			name, name[:strings.LastIndexByte(name, '/')], name[strings.LastIndexByte(name, '/')+1:])
	case fileNameBackslash:
		return bad("The file name %q contains \"\\\", which Misskey refuses in file names (INVALID_FILE_NAME). Hint: remove it.", name)
	case fileNameDotDot:
		return bad("The file name %q contains \"..\", which Misskey refuses in file names (INVALID_FILE_NAME), even inside a name such as \"a..b.png\". Hint: use a single dot.", name)
	case fileNameSpace:
		return bad("The file name %q starts or ends with white space, which Misskey trims when it stores the file, so the name would never match. Hint: write %q.", name, jsTrim(name))
	case fileNameBlob:
		return bad("Misskey does not keep the file name \"blob\": it stores the file as \"untitled\" with an extension. Hint: choose another name, e.g. \"blob.png\".")
	case fileNameNUL:
		// PostgreSQL text cannot hold it: Misskey answers 500.
		return bad("The file name contains a NUL character (U+0000), which Misskey cannot store. Hint: remove it from the name.")
	case fileNameLong:
		n := fileNameLen(name)
		return bad("The file name is %d characters long, but Misskey accepts at most %d (INVALID_FILE_NAME). Characters are counted as JavaScript does, in UTF-16 code units (an emoji counts 2). Hint: shorten it by %d.", n, maxFileName, n-maxFileName)
	}
	return nil
}

// evaluate computes the file for one account instance: its comment and
// flag, and its source, read and checked against the name.
func (fb *driveFileBlock) evaluate(s *scope) (*DriveFile, hcl.Diagnostics) {
	e := &attrEval{s: s, attrs: fb.attrs}
	f := &DriveFile{Name: fb.name, Folder: fb.folder, DeclRange: fb.block.DefRange}

	raw, attr, ctx, st := e.str("source", `source = "images/logo.png"`)
	switch st {
	case attrNull:
		e.errorf(attr.Expr, ctx, "Null value not allowed", "source cannot be null: a drive_file uploads a file. Hint: write the file's path, e.g. source = \"images/%s\", or remove the block.", fb.name)
	case attrSet:
		src, ext, ok := s.fileSource(e, attr.Expr, ctx, raw, fb.name)
		if ok && !fb.badName {
			fb.checkType(e, attr.Expr, ctx, src, ext)
		}
		f.Source = src
	}

	if c, cattr, cctx, st := e.str("comment", `comment = "A short description"`); st == attrSet && c != "" {
		// "" is no comment, like null: Misskey shows none either way.
		if n := ajvLength(c); n > maxFileComment {
			e.errorf(cattr.Expr, cctx, "Value too long",
				"comment is %d characters long, but Misskey accepts at most %d. Characters are counted in Unicode code points (an emoji counts 1). Hint: shorten it by %d.", n, maxFileComment, n-maxFileComment)
		}
		f.Comment = &c
	}
	f.IsSensitive = e.boolean("is_sensitive", false)

	lc, d := fb.lifecycle.evaluate(s)
	f.Lifecycle = lc
	return f, append(e.diags, d...)
}

// fileSource reads the file an attribute names and reports why it cannot
// be uploaded on the attribute's expression.
func (s *scope) fileSource(e *attrEval, expr hcl.Expression, ctx *hcl.EvalContext, p, name string) (FileSource, string, bool) {
	src, ext, err := s.files.load(p, name)
	src.Range = expr.Range()
	if err != nil {
		e.errorf(expr, ctx, err.summary, "%s", err.detail)
		return src, ext, false
	}
	return src, ext, true
}

// defaultUploadable is the uploadableFileTypes of Misskey's default role
// policy.
func defaultUploadable(mime string) bool {
	for _, prefix := range []string{"text/", "image/", "video/", "audio/"} {
		if strings.HasPrefix(mime, prefix) {
			return true
		}
	}
	return mime == "application/json"
}

// extPattern is correctFilename's idea of a name's extension.
var extPattern = regexp.MustCompile(`\.[0-9a-zA-Z]+$`)

// checkType reports content Misskey would refuse, and a name Misskey would
// store with an extension appended (so that every plan would find the
// file missing and upload it again).
func (fb *driveFileBlock) checkType(e *attrEval, expr hcl.Expression, ctx *hcl.EvalContext, src FileSource, ext string) {
	t := fileType{mime: src.Type, ext: ext}
	if t.mime == octetStream {
		what := "will not recognise the content of %q"
		if src.Size == 0 {
			what = "cannot recognise the type of %q, which is empty"
		}
		e.errorf(expr, ctx, "Unsupported file type",
			"Misskey "+what+": it stores content it does not recognise as application/octet-stream, which its default role policy refuses (UNALLOWED_FILE_TYPE). It recognises images, audio and video by their bytes, not by the name. Hint: for a text file, name the block with the extension .txt, .csv or .json (Misskey then takes it as text/plain, text/csv or application/json); otherwise convert the file to a common format (PNG, JPEG, WebP, MP4, MP3...).", src.Path)
		return
	}
	if !defaultUploadable(t.mime) {
		e.diags = append(e.diags, &hcl.Diagnostic{
			Severity:    hcl.DiagWarning,
			Summary:     "File type outside Misskey's default policy",
			Detail:      fmt.Sprintf("%q is %s; Misskey's default role policy accepts only text, images, audio, video and JSON, so the upload will fail (UNALLOWED_FILE_TYPE) unless the server's administrator allows it (uploadableFileTypes) or the account is a moderator. Hint: check the server's policy, or convert the file.", src.Path, t.mime),
			Subject:     expr.Range().Ptr(),
			Expression:  expr,
			EvalContext: ctx,
		})
		return // mkctl does not tell every such format apart; the name is not checked
	}
	if stored := correctFilename(fb.name, t.ext); stored != fb.name {
		suggestion := fb.name + "." + t.ext
		if m := extPattern.FindString(fb.name); m != "" {
			suggestion = strings.TrimSuffix(fb.name, m) + "." + t.ext
		}
		e.diags = append(e.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "File name does not match its content",
			Detail: fmt.Sprintf("%q is %s by its content, so Misskey would store the file as %q, not %q, and every plan would upload it again. Hint: name the block drive_file %q (Misskey accepts a name ending .%s%s, in any case).",
				src.Path, t.mime, stored, fb.name, suggestion, t.ext, sameExts(t.ext)),
			Subject: fb.block.LabelRanges[0].Ptr(),
		})
	}
}

// sameExts lists the other extensions correctFilename accepts for ext.
func sameExts(ext string) string {
	switch ext {
	case "jpg":
		return " or .jpeg"
	case "tif":
		return " or .tiff"
	}
	return ""
}

// correctFilename is Misskey's misc/correct-filename.ts: the name a file
// uploaded as name is stored under, for a detected extension ext.
func correctFilename(name, ext string) string {
	dotExt := ".unknown"
	if ext != "" {
		dotExt = "." + ext
	}
	m := extPattern.FindString(name)
	if m == "" {
		return name + dotExt
	}
	have := strings.ToLower(m)
	switch {
	case ext == "", have == dotExt,
		dotExt == ".jpg" && have == ".jpeg",
		dotExt == ".tif" && have == ".tiff",
		dotExt == ".exe" && have == ".dll",
		slices.Contains([]string{".gz", ".tar", ".tgz", ".bz2", ".xz", ".zip", ".7z"}, dotExt):
		return name
	}
	return name + dotExt
}

// checkDriveFileRef checks a drive_file["PATH"] reference before
// evaluation, so that a wrong path gets the declared ones and a
// did-you-mean rather than hcl's bare "Invalid index". A bare drive_file
// (for keys(drive_file), or drive_file[each.key]) is the whole map.
func (s *scope) checkDriveFileRef(rng hcl.Range, name string, hasName bool) hcl.Diagnostics {
	if s.driveFiles == nil {
		return hcl.Diagnostics{errorf(rng, "Reference to \"drive_file\" outside an account block",
			"drive_file[\"PATH\"] refers to a drive_file block of an account, so it can be used only inside that account block. Hint: write the file's drive path as a string, or move the expression into the account block.")}
	}
	if !hasName {
		return nil
	}
	if slices.Contains(s.driveFileKeys, name) {
		return nil
	}
	keys := s.driveFileKeys
	why := "the account declares no drive_file blocks."
	if len(keys) > 0 {
		why = "the account has no drive_file block of that path." + didYouMean(name, keys)
		if sug := suggestDriveFile(name, keys); sug != "" && suggestName(name, keys) == "" {
			why += fmt.Sprintf(" Did you mean %q?", sug)
		}
		why += " The drive files of this account are " + quotedList(keys) + "."
	}
	return hcl.Diagnostics{errorf(rng, "Reference to undeclared drive_file",
		"There is no drive_file %q: %s Hint: a file is referred to by its drive path, folder names and file name joined with \"/\", as in drive_file[\"media/logo.png\"]; declare it in the same account block.",
		name, why)}
}

// suggestDriveFile finds a key whose file name, or file name without its
// extension, is what was written: drive_file.logo for "media/logo.png".
func suggestDriveFile(name string, keys []string) string {
	for _, k := range keys {
		base := k[strings.LastIndexByte(k, '/')+1:]
		stem := strings.TrimSuffix(base, extPattern.FindString(base))
		if strings.EqualFold(name, base) || strings.EqualFold(name, stem) {
			return k
		}
	}
	return ""
}

// driveFileMap is the drive_file value of an account: drive path → drive
// path.
func driveFileMap(keys []string) cty.Value {
	if len(keys) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	m := make(map[string]cty.Value, len(keys))
	for _, k := range keys {
		m[k] = cty.StringVal(k)
	}
	return cty.MapVal(m)
}
