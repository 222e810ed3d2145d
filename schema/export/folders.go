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
// parent, a path mkctl cannot tell apart: the oldest is exported (the one
// the planner keeps, see planner/dedupe.go) and the others are left out
// with everything in them.
func (g *gen) driveFolders(body *hclwrite.Body) {
	children := map[string][]planner.LiveFolder{}
	known := map[string]bool{}
	for _, f := range g.acc.Live.DriveFolders {
		known[f.ID] = true
	}
	for _, f := range g.acc.Live.DriveFolders {
		if f.ParentID != "" && !known[f.ParentID] {
			g.note("drive folder %s (id %s) is not exported: its parent folder %s was not read.", quoteName(f.Path), f.ID, f.ParentID)
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
	skip := func(b *hclwrite.Body, f planner.LiveFolder, path, why string) {
		why = stays(why)
		inside := ""
		if n := subtreeSize(f.ID); n > 0 {
			inside = fmt.Sprintf(" with the %d folder(s) in it", n)
		}
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
			sort.Slice(group, func(i, j int) bool { return older(group[i].CreatedAt, group[i].ID, group[j].CreatedAt, group[j].ID) })
			path := name
			if parentPath != "" {
				path = parentPath + "/" + name
			}
			leaf := len(group) == 1 && len(children[group[0].ID]) == 0
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
			for _, dup := range group[1:] {
				skip(b, dup, path, fmt.Sprintf("another folder of that name in the same place is older (id %s, exported); mkctl cannot tell them apart, and `mkctl plan` stops until you delete or rename this one in Misskey", group[0].ID))
			}
			if len(children[group[0].ID]) == 0 {
				// A leaf as `drive_folder "x" {}` on one line, as a person
				// writes it; hclwrite's blocks always open a new line.
				toks := hclwrite.Tokens{{Type: hclsyntax.TokenIdent, Bytes: []byte("drive_folder")}}
				toks = append(toks, str(name)...)
				toks = append(toks,
					&hclwrite.Token{Type: hclsyntax.TokenOBrace, Bytes: []byte("{")},
					&hclwrite.Token{Type: hclsyntax.TokenCBrace, Bytes: []byte("}")},
					newline())
				b.AppendUnstructuredTokens(toks)
				continue
			}
			fb := b.AppendNewBlock("drive_folder", []string{name}).Body()
			walk(fb, group[0].ID, path, true)
		}
	}
	if len(children[""]) > 0 {
		body.AppendNewline()
	}
	walk(body, "", "", true)
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
