package export

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/mkctl/mkctl/planner"
)

// clips writes one clip block per clip, sorted by name. Its notes are the
// notes clips/notes lists, as pinned_note.LABEL when the note is a pinned
// note this export declares (pinLabels), else as the note's id. Notes the
// account cannot see are not listed by Misskey: the plan leaves them in
// the clip, and a comment says so. A clip validate would refuse, or one of
// several of a name, is left out.
func (g *gen) clips(body *hclwrite.Body) {
	names, byName := groupByName(g.acc.Live.Clips, func(c planner.LiveClip) string { return c.Name })
	for _, name := range names {
		group := byName[name]
		body.AppendNewline()
		if len(group) > 1 {
			ids := idsOf(group, func(c planner.LiveClip) string { return c.ID })
			slices.Sort(ids)
			g.skipDuplicates(body, "Clips", "clips", "clips", name, ids)
			g.count("clips").Skipped += len(group)
			continue
		}
		c := group[0]
		if why := nameProblem(c.Name); why != "" {
			why = stays(why)
			comment(body, fmt.Sprintf("Clip %s (id %s) is not exported: %s.", quoteName(c.Name), c.ID, why))
			g.note("clip %s (id %s) is not exported: %s.", quoteName(c.Name), c.ID, why)
			g.count("clips").Skipped++
			continue
		}
		if hidden := c.NotesCount - len(c.NoteIDs); hidden > 0 {
			comment(body, fmt.Sprintf("Clip %s also holds %d note(s) this account cannot see; Misskey does not list them, and mkctl leaves them in the clip.", quoteName(c.Name), hidden))
		}
		b := body.AppendNewBlock("clip", []string{name}).Body()
		g.count("clips").Declared++
		if c.Description != "" {
			b.SetAttributeRaw("description", g.text(c.Description))
		}
		if c.Public {
			b.SetAttributeValue("public", cty.True)
		}
		ids := slices.Clone(c.NoteIDs)
		slices.Sort(ids)
		var toks hclwrite.Tokens
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")})
		for i, id := range ids {
			if i > 0 {
				toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(", ")})
			}
			if label, ok := g.pinLabels[id]; ok {
				toks = append(toks, ref("pinned_note", label)...)
			} else {
				toks = append(toks, hclwrite.TokensForValue(cty.StringVal(id))...)
			}
		}
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")})
		b.SetAttributeRaw("notes", toks)
	}
}
