package export

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/mkctl/mkctl/schema"
)

// File names Generate writes.
const (
	MainFile    = "account.mk.hcl"
	FollowsFile = "follows.mk.hcl"
)

// FollowsInline is the largest number of follows written as one block
// each; above it the plain ones (default settings) go into a list in
// FollowsFile and one for_each block follows them all, so that the main
// file stays readable and a diff of the list is one line per account.
const FollowsInline = 20

// followGroupLabel and followsLocal name the for_each block and the local
// holding its accounts.
const (
	followGroupLabel = "all"
	followsLocal     = "follows"
)

// Generate writes *.mk.hcl files that declare acc as it is: loading them
// with schema.Load and planning against acc.Live gives no changes (only
// adoptions). Objects the language cannot describe are left out, each
// with a comment where its block would be and an entry in Result.Notes.
//
// The rules, where the language leaves a choice:
//   - profile: the attributes whose value is not a new account's
//     (FreshProfile), and name and description whenever they are set;
//   - pinned notes: in their order on the profile, labelled by NoteLabel,
//     made unique with _2, _3, …;
//   - follows: a block each up to FollowsInline, else the ones with
//     default settings in FollowsFile behind one for_each block;
//   - drive folders, user lists, antennas: sorted by name; of several with
//     one name (one path) none, nor the folders in such folders nor an
//     antenna on such a list: mkctl could not tell them apart, and the
//     plan of a name declared once with copies it may not delete stops
//     (planner/dedupe.go);
//   - text: a heredoc for several lines when it reads back exactly (see
//     text), a quoted string otherwise;
//   - a value export cannot read becomes a variable without a default.
//
// The output is deterministic: the same account gives the same bytes.
func Generate(acc Account, opts Options) (*Result, error) {
	if acc.Live == nil {
		return nil, errors.New("export: no live account to export")
	}
	// Only the kinds set to true count; none at all means every kind.
	kinds := map[string]bool{}
	for k, on := range opts.Kinds {
		if !slices.Contains(Kinds, k) {
			return nil, fmt.Errorf("export: unknown kind %q (known: %s)", k, strings.Join(Kinds, ", "))
		}
		if on {
			kinds[k] = true
		}
	}
	opts.Kinds = kinds
	_, ownHost, prob := schema.NormaliseHost(acc.Host)
	if prob != "" {
		return nil, fmt.Errorf("export: host %q: %s", acc.Host, prob)
	}
	username, prob := schema.NormaliseUsername(acc.Username)
	if prob != "" {
		return nil, fmt.Errorf("export: %s", prob)
	}
	label := opts.Label
	if label == "" {
		label = LabelFromUsername(username)
	} else if !hclsyntax.ValidIdentifier(label) {
		return nil, fmt.Errorf("export: account label %q is not an identifier: use letters, digits, underscores and dashes, starting with a letter", label)
	}
	g := &gen{
		acc:      acc,
		opts:     opts,
		ownHost:  ownHost,
		username: username,
		label:    label,
		funcs:    map[string]bool{},
	}
	for _, name := range schema.FunctionNames() {
		g.funcs[name] = true
	}
	return g.generate()
}

// LabelFromUsername is the account label export uses by default: the
// username in lower case, which is already an identifier unless it starts
// with a digit or an underscore (then "account_" goes in front).
func LabelFromUsername(username string) string {
	l := strings.ToLower(strings.TrimPrefix(username, "@"))
	var b strings.Builder
	for _, r := range l {
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	l = b.String()
	if l == "" || !(l[0] >= 'a' && l[0] <= 'z') {
		l = "account_" + l
	}
	return l
}

// gen is one Generate call.
type gen struct {
	acc      Account
	opts     Options
	ownHost  string
	username string
	label    string
	funcs    map[string]bool // functions the configuration may call

	notes []string
	// vars are variables without a default that the user must set: values
	// export cannot know (see unknownValue).
	vars []unknownVar
	// listNames maps the ids of the exported user lists to their names,
	// for antennas.
	listNames map[string]string
	// skippedLists maps ids of user lists left out to why an antenna
	// using one is left out too.
	skippedLists map[string]string
	// pinLabels maps the ids of the exported pinned notes to their
	// labels: a clip refers to them as pinned_note.LABEL.
	pinLabels map[string]string
	// counts are Result.Counts by kind, kept by the writers as they
	// declare or skip (see count).
	counts map[string]*KindCount

	// Drive files (planFiles): the entries of each folder by folder id
	// ("" the root), the drive path and local path of each declared file
	// by id, the folders that hold declared files (with their parents),
	// and the downloads.
	fileEntries map[string][]fileEntry
	fileKeys    map[string]string
	filePaths   map[string]string
	fileFolders map[string]bool
	downloads   []Download
	imagePaths  *pathAllocator
}

type unknownVar struct {
	name, typ, description string
	sensitive              bool // a secret: declared sensitive = true
}

func (g *gen) wants(kind string) bool {
	return len(g.opts.Kinds) == 0 || g.opts.Kinds[kind]
}

// count is the KindCount of kind, made on first use: a kind's writer
// adds to it where it declares or skips an object, so that Result.Counts
// says what the files hold.
func (g *gen) count(kind string) *KindCount {
	c, ok := g.counts[kind]
	if !ok {
		c = &KindCount{Kind: kind}
		g.counts[kind] = c
	}
	return c
}

// note records one sentence for Result.Notes.
func (g *gen) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	if !strings.HasSuffix(n, ".") {
		n += "."
	}
	g.notes = append(g.notes, n)
}

func (g *gen) generate() (*Result, error) {
	res := &Result{}
	g.counts = map[string]*KindCount{}
	for _, k := range Kinds {
		if g.wants(k) {
			g.count(k) // a kind asked for has its line, with nothing in it too
		}
	}
	main := hclwrite.NewEmptyFile()
	root := main.Body()

	ab := hclwrite.NewBlock("account", []string{g.label})
	body := ab.Body()
	body.SetAttributeTraversal("host", hcl.Traversal{hcl.TraverseRoot{Name: "var"}, hcl.TraverseAttr{Name: "host"}})
	body.SetAttributeValue("username", cty.StringVal(g.username))

	var followsFile []byte
	// Files first: the profile's images and the pinned notes refer to them.
	if g.wants("drive_files") {
		g.planFiles()
	}
	if g.wants("profile") {
		g.profile(body)
	}
	if g.wants("pinned_notes") {
		g.pinnedNotes(body)
	}
	if g.wants("follows") {
		followsFile = g.follows(body)
	}
	if g.wants("drive_folders") || g.wants("drive_files") {
		g.driveFolders(body)
	}
	// Lists before antennas: an antenna refers to its list.
	g.listNames = map[string]string{}
	g.skippedLists = map[string]string{}
	if g.wants("user_lists") {
		g.userLists(body, nil)
	} else if g.wants("antennas") {
		// An antenna can use only a list declared in the same account
		// block: export the lists the antennas use, and no others.
		used := map[string]bool{}
		for _, a := range g.acc.Live.Antennas {
			if id, _ := a.Fields["userListId"].(string); id != "" {
				used[id] = true
			}
		}
		if len(used) > 0 {
			g.userLists(body, used)
		}
	}
	if g.wants("antennas") {
		g.antennas(body)
	}
	if g.wants("webhooks") {
		g.webhooks(body)
	}
	if g.wants("clips") {
		g.clips(body)
	}
	if g.wants("scheduled_notes") {
		g.scheduledNotes(body)
	}
	relationFiles := g.relations(body)

	comment(root, g.header()...)
	root.AppendNewline()
	hostVar := root.AppendNewBlock("variable", []string{"host"}).Body()
	hostVar.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: "string"}})
	hostVar.SetAttributeValue("default", cty.StringVal(g.acc.Host))
	for _, v := range g.vars {
		root.AppendNewline()
		if v.sensitive {
			comment(root, "A secret export does not write: set it with MKCTL_VAR_"+v.name+" or a --var-file kept out of git.")
		} else {
			comment(root, "Export cannot read this value: set it with --var "+v.name+"=... or MKCTL_VAR_"+v.name+".")
		}
		vb := root.AppendNewBlock("variable", []string{v.name}).Body()
		if v.typ != "" {
			vb.SetAttributeTraversal("type", hcl.Traversal{hcl.TraverseRoot{Name: v.typ}})
		}
		vb.SetAttributeValue("description", cty.StringVal(v.description))
		if v.sensitive {
			vb.SetAttributeValue("sensitive", cty.True)
		}
	}
	root.AppendNewline()
	root.AppendBlock(ab)

	res.Files = append(res.Files, File{Name: MainFile, Content: hclwrite.Format(main.Bytes())})
	if followsFile != nil {
		res.Files = append(res.Files, File{Name: FollowsFile, Content: followsFile})
	}
	res.Files = append(res.Files, relationFiles...)
	res.Notes = g.notes
	sort.Slice(g.downloads, func(i, j int) bool { return g.downloads[i].Path < g.downloads[j].Path })
	res.Downloads = g.downloads
	for _, k := range Kinds {
		if c, ok := g.counts[k]; ok {
			res.Counts = append(res.Counts, *c)
		}
	}
	return res, nil
}

// header is the comment at the top of the main file. Ownership is said
// the way the README says it: adopted objects are mkctl's from the first
// apply on, so a block removed later deletes its object.
func (g *gen) header() []string {
	h := []string{
		fmt.Sprintf("Generated by `mkctl export` from @%s on %s.", g.username, g.acc.Host),
	}
	if len(g.opts.Kinds) > 0 {
		var kinds []string
		for _, k := range Kinds {
			if g.opts.Kinds[k] {
				kinds = append(kinds, k)
			}
		}
		h = append(h, "Exported: "+strings.Join(kinds, ", ")+"; the rest of the account is not managed here.")
	}
	h = append(h,
		"",
		"This configuration declares the account as it is, so `mkctl plan` shows no changes.",
		"The first `mkctl apply` changes none of these objects: it records each of them as",
		"managed by mkctl (adopted) in the account's ownership record.",
		"From then on, removing a block deletes that object from the account (an adopted",
		"pinned note is only unpinned, and a drive folder that holds files stays); objects",
		"not declared here are left alone unless their collection is listed in purge.",
	)
	if len(g.downloads) > 0 {
		h = append(h, "The files that source, avatar and banner name are copies of the drive's files,",
			"downloaded by export: keep them with this configuration.")
	}
	if len(g.notes) > 0 {
		h = append(h, "What could not be declared is left out, with a comment where it would be that says", "why and what `mkctl plan` makes of it.")
	}
	return h
}

// comment appends # lines to body; an empty string is a bare #.
func comment(body *hclwrite.Body, lines ...string) {
	toks := make(hclwrite.Tokens, 0, len(lines))
	for _, l := range lines {
		l = strings.TrimRight("# "+sanitizeComment(l), " ")
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte(l + "\n")})
	}
	body.AppendUnstructuredTokens(toks)
}

// sanitizeComment keeps a comment on one line whatever names it quotes.
func sanitizeComment(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 || r == 0x85 {
			return ' '
		}
		return r
	}, s)
}

// quoteName quotes a user-chosen name for a comment or a note.
func quoteName(s string) string { return strconv.Quote(s) }

// sortedStrings returns the keys of m, sorted.
func sortedStrings[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// stays completes why an object is left out with what becomes of it.
func stays(why string) string {
	return why + "; it stays as it is, not managed by mkctl"
}

// groupByName groups the objects of a kind mkctl finds by name (antennas,
// lists, webhooks, clips): several of one name cannot be told apart and
// are left out together. The names come back sorted, for a stable export.
func groupByName[T any](items []T, name func(T) string) ([]string, map[string][]T) {
	groups := map[string][]T{}
	for _, it := range items {
		groups[name(it)] = append(groups[name(it)], it)
	}
	return sortedStrings(groups), groups
}

// idsOf lists the ids of a group, in its order, for skipDuplicates.
func idsOf[T any](group []T, id func(T) string) []string {
	ids := make([]string, len(group))
	for i, it := range group {
		ids[i] = id(it)
	}
	return ids
}
