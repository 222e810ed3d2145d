package schema

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// profileBlock is a profile block whose structure has been checked but
// whose expressions are evaluated per account instance (they may use each).
type profileBlock struct {
	attrs     []*hcl.Attribute // the written attributes, in source order
	declRange hcl.Range
}

// profileDesc is built from ProfileFields so that the table stays the one
// place that lists profile attributes.
var profileDesc = func() bodyDesc {
	d := bodyDesc{What: "a profile block", Schema: &hcl.BodySchema{}, Aliases: map[string]string{
		"bio":          "description",
		"display_name": "name",
		"displayname":  "name",
		"language":     "lang",
		"locked":       "is_locked",
		"bot":          "is_bot",
		"cat":          "is_cat",
		"aliases":      "also_known_as",
		"no_crawl":     "no_crawle",
	}}
	for _, f := range ProfileFields {
		d.Schema.Attributes = append(d.Schema.Attributes, hcl.AttributeSchema{Name: f.Name})
		// Misskey's own camelCase names (isBot) are a likely slip.
		d.Aliases[strings.ToLower(f.API)] = f.Name
	}
	for _, name := range ProfileImages {
		d.Schema.Attributes = append(d.Schema.Attributes, hcl.AttributeSchema{Name: name})
		d.Aliases[name+"id"] = name
		d.Aliases[name+"_id"] = name
		d.Aliases[name+"_url"] = name
		d.Aliases[name+"url"] = name
	}
	d.Aliases["icon"] = "avatar"
	d.Aliases["header"] = "banner"
	return d
}()

// decodeProfileBlock checks a profile block's structure. Attributes are
// read through a body schema, not gohcl into struct fields, so that
// `name = null` (clear it) stays distinct from no name at all (leave it).
func decodeProfileBlock(block *hcl.Block) (*profileBlock, hcl.Diagnostics) {
	content, diags := decodeBody(block.Body, profileDesc, block.DefRange)
	return &profileBlock{attrs: sortedHCLAttributes(content.Attributes), declRange: block.DefRange}, diags
}

// evaluate computes the desired profile for one account instance. Only
// attributes that are written and valid end up in Attrs.
// ownUser is the account's own user name ("" when it is invalid), which
// also_known_as must not name.
func (pb *profileBlock) evaluate(s *scope, ownHost, ownUser string) (*Profile, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	p := &Profile{Attrs: map[string]ProfileValue{}, Images: map[string]ProfileImage{}, DeclRange: pb.declRange}
	for _, attr := range pb.attrs {
		if slices.Contains(ProfileImages, attr.Name) {
			img, ok, d := s.profileImage(attr)
			diags = append(diags, d...)
			if ok {
				p.Images[attr.Name] = img
			}
			continue
		}
		f, ok := ProfileFieldByName(attr.Name)
		if !ok {
			continue // reported by decodeBody
		}
		val, ctx, evalDiags := s.eval(attr.Expr)
		diags = append(diags, evalDiags...)
		if evalDiags.HasErrors() || !val.IsWhollyKnown() {
			continue
		}
		c := &valueCheck{f: f, expr: attr.Expr, ctx: ctx, ownHost: ownHost, ownUser: ownUser}
		v := c.normalise(val)
		diags = append(diags, c.diags...)
		if !c.diags.HasErrors() {
			p.Attrs[attr.Name] = ProfileValue{Value: v, Range: attr.Expr.Range()}
		}
	}
	return p, diags
}
