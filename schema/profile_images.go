package schema

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// ProfileImages are the profile attributes whose value is a file: the
// keys of Profile.Images. They are not in ProfileFields, whose values are
// sent as they are; mkctl uploads the file and sends its id (avatarId,
// bannerId).
var ProfileImages = []string{"avatar", "banner"}

// profileImage evaluates avatar or banner: a path relative to the
// configuration directory, or null (or "") to clear the image. The file
// must be an image by its content, as i/update requires (type image/*:
// AVATAR_NOT_AN_IMAGE, BANNER_NOT_AN_IMAGE). ok is false after an error.
func (s *scope) profileImage(attr *hcl.Attribute) (ProfileImage, bool, hcl.Diagnostics) {
	e := &attrEval{s: s, attrs: hcl.Attributes{attr.Name: attr}}
	img := ProfileImage{Range: attr.Expr.Range()}
	raw, _, ctx, st := e.str(attr.Name, attr.Name+` = "images/`+attr.Name+`.png"`)
	switch {
	case st == attrNull || (st == attrSet && raw == ""):
		return img, true, e.diags
	case st != attrSet:
		return img, false, e.diags
	}
	src, _, ok := s.fileSource(e, attr.Expr, ctx, raw, "")
	if !ok {
		return img, false, e.diags
	}
	if !strings.HasPrefix(src.Type, "image/") {
		what := "content it does not recognise (application/octet-stream)"
		if src.Type != octetStream {
			what = src.Type
		}
		e.errorf(attr.Expr, ctx, "Not an image",
			"%s must be an image, but Misskey detects %q as %s: it decides by the bytes, not by the file name, and would refuse it (%s_NOT_AN_IMAGE). Hint: use a PNG, JPEG, GIF, WebP, AVIF or SVG image.",
			attr.Name, src.Path, what, strings.ToUpper(attr.Name))
		return img, false, e.diags
	}
	img.Source = &src
	return img, true, e.diags
}
