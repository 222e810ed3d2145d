package export

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// driveFolders writes the drive as nested drive_folder blocks, walking the
// tree by parent id (Path is only what the reader derived from it). Names
// are sorted at each level. Misskey allows two folders of one name in one
// parent, a path mkctl cannot tell apart: none of them is exported, nor
// anything in them (one comment names them all), so they stay as they are.
// Declaring one would make planner/dedupe.go delete the others or stop the
// plan, when the export must plan to no changes.
func (g *gen) driveFolders(body *hclwrite.Body) {
	children := map[string][]planner.LiveFolder{}
	known := map[string]bool{}
	for _, f := range g.acc.Live.DriveFolders {
		known[f.ID] = true
	}
	var orphans []planner.LiveFolder
	for _, f := range g.acc.Live.DriveFolders {
		if f.ParentID != "" && !known[f.ParentID] {
			orphans = append(orphans, f)
			continue
		}
		children[f.ParentID] = append(children[f.ParentID], f)
	}
	var subtreeSize func(id string) int
	subtreeSize = func(id string) int {
		n := 0
		for _, c := range children[id] {
			n += 1 + subtreeSize(c.ID)
		}
		return n
	}
	// all: the drive folders are exported; otherwise only the folders that
	// hold exported drive files (and their parents) are written, counted
	// under drive_folders as they are written.
	all := g.wants("drive_folders")
	var cnt *KindCount
	if all {
		cnt = g.count("drive_folders")
	}
	declared := func() {
		if cnt == nil {
			cnt = g.count("drive_folders")
		}
		cnt.Declared++
	}
	if all {
		for _, f := range orphans {
			inside := ""
			if n := subtreeSize(f.ID); n > 0 {
				inside = fmt.Sprintf(" with the %d folder(s) in it", n)
			}
			g.note("drive folder %s (id %s) is not exported%s: its parent folder %s was not read.", quoteName(f.Path), f.ID, inside, f.ParentID)
			cnt.Skipped += 1 + subtreeSize(f.ID)
		}
	}
	skip := func(b *hclwrite.Body, f planner.LiveFolder, path, why string) {
		why = stays(why)
		inside := ""
		n := subtreeSize(f.ID)
		if n > 0 {
			inside = fmt.Sprintf(" with the %d folder(s) in it", n)
		}
		cnt.Skipped += 1 + n
		comment(b, fmt.Sprintf("Drive folder %s (id %s) is not exported%s: %s.", quoteName(path), f.ID, inside, why))
		g.note("drive folder %s (id %s) is not exported%s: %s.", quoteName(path), f.ID, inside, why)
	}
	// Blocks are separated by a blank line, except at the top of a nested
	// block and between leaves (`drive_folder "x" {}` lines read as a list).
	var walk func(b *hclwrite.Body, parentID, parentPath string, first bool)
	walk = func(b *hclwrite.Body, parentID, parentPath string, first bool) {
		prevLeaf := false
		byName := map[string][]planner.LiveFolder{}
		for _, c := range children[parentID] {
			byName[c.Name] = append(byName[c.Name], c)
		}
		for _, name := range sortedStrings(byName) {
			group := byName[name]
			if !all && (len(group) != 1 || !g.fileFolders[group[0].ID]) {
				continue
			}
			sort.Slice(group, func(i, j int) bool { return older(group[i].CreatedAt, group[i].ID, group[j].CreatedAt, group[j].ID) })
			path := name
			if parentPath != "" {
				path = parentPath + "/" + name
			}
			// A comment (a folder left out) stands apart, as a block does.
			leaf := len(group) == 1 && len(children[group[0].ID]) == 0 && len(g.fileEntries[group[0].ID]) == 0 && folderNameProblem(name) == ""
			if !first && !(leaf && prevLeaf) {
				b.AppendNewline()
			}
			first, prevLeaf = false, leaf
			if why := folderNameProblem(name); why != "" {
				for _, f := range group {
					skip(b, f, path, why)
				}
				continue
			}
			if len(group) > 1 {
				g.skipDuplicateFolders(b, group, path, subtreeSize)
				continue
			}
			if leaf {
				// A leaf as `drive_folder "x" {}` on one line, as a person
				// writes it; hclwrite's blocks always open a new line.
				toks := hclwrite.Tokens{{Type: hclsyntax.TokenIdent, Bytes: []byte("drive_folder")}}
				toks = append(toks, str(name)...)
				toks = append(toks,
					&hclwrite.Token{Type: hclsyntax.TokenOBrace, Bytes: []byte("{")},
					&hclwrite.Token{Type: hclsyntax.TokenCBrace, Bytes: []byte("}")},
					newline())
				b.AppendUnstructuredTokens(toks)
				declared()
				continue
			}
			fb := b.AppendNewBlock("drive_folder", []string{name}).Body()
			declared()
			walk(fb, group[0].ID, path, g.writeFiles(fb, group[0].ID, true))
		}
	}
	first := true
	if len(g.fileEntries[""]) > 0 {
		body.AppendNewline()
		first = g.writeFiles(body, "", true)
	}
	rootFolders := len(children[""]) > 0
	if !all {
		rootFolders = false
		for _, f := range children[""] {
			rootFolders = rootFolders || g.fileFolders[f.ID]
		}
	}
	if rootFolders && first {
		body.AppendNewline()
	}
	walk(body, "", "", first)
}

// folderNameProblem says why a drive_folder label cannot be name, as Load
// checks it.
func folderNameProblem(name string) string {
	switch {
	case name == "":
		return "its name is empty"
	case strings.Contains(name, "/"):
		return "its name contains \"/\", which mkctl uses to separate the folders of a path"
	case hasNUL(name):
		return "its name contains a NUL character"
	case schema.CharLen(name) > schema.MaxFolderName:
		return fmt.Sprintf("its name is longer than the %d characters Misskey's database holds", schema.MaxFolderName)
	}
	return ""
}

// skipDuplicateFolders leaves out the folders of group, which share path,
// and everything in them, with one comment and one note for them all.
func (g *gen) skipDuplicateFolders(b *hclwrite.Body, group []planner.LiveFolder, path string, subtreeSize func(string) int) {
	ids := make([]string, len(group))
	inside := 0
	for i, f := range group {
		ids[i] = f.ID
		inside += subtreeSize(f.ID)
	}
	g.count("drive_folders").Skipped += len(group) + inside
	nor := ""
	switch inside {
	case 0:
	case 1:
		nor = ", nor the folder in them"
	default:
		nor = fmt.Sprintf(", nor the %d folders in them", inside)
	}
	why := fmt.Sprintf("Misskey has %d folders of that name here and mkctl finds folders by path, so it could not tell them apart", len(group))
	comment(b, fmt.Sprintf("Drive folders %s (ids %s) are not exported%s: %s. They stay as they are, not managed by mkctl; rename one in Misskey and export again to manage them.",
		quoteName(path), strings.Join(ids, ", "), nor, why))
	g.note("drive folders %s (ids %s) are not exported%s: %s; they stay as they are, not managed by mkctl (rename one in Misskey and export again to manage them).",
		quoteName(path), strings.Join(ids, ", "), nor, why)
}
