package schema

import (
	"fmt"
	"slices"

	"github.com/hashicorp/hcl/v2"
)

// Limits of notes/create (API-NOTES §2).
const (
	maxNoteText  = 3000 // MAX_NOTE_TEXT_LENGTH
	maxNoteCW    = 100
	maxNoteFiles = 16 // fileIds maxItems
)

// NoteVisibilities are the visibilities a pinned note may have. Misskey's
// fourth, "specified" (a direct note), is refused: it needs recipients,
// which mkctl does not manage.
var NoteVisibilities = []string{"public", "home", "followers"}

// ReactionAcceptances are the values of reaction_acceptance besides null
// (any reaction).
var ReactionAcceptances = []string{"likeOnly", "likeOnlyForRemote", "nonSensitiveOnly", "nonSensitiveOnlyForLocalLikeOnlyForRemote"}

var pinnedNoteDesc = bodyDesc{
	What: "a pinned_note block",
	Schema: &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "text", Required: true},
			{Name: "cw"},
			{Name: "visibility"},
			{Name: "local_only"},
			{Name: "reaction_acceptance"},
			{Name: "files"},
		},
		Blocks: []hcl.BlockHeaderSchema{{Type: "lifecycle"}},
	},
	Hints: map[string]string{
		"text": `Hint: add text = "Hello!", the note's text (1 to 3000 characters).`,
	},
	Aliases: map[string]string{
		"content":            "text",
		"body":               "text",
		"content_warning":    "cw",
		"spoiler":            "cw",
		"spoiler_text":       "cw",
		"localonly":          "local_only",
		"reactionacceptance": "reaction_acceptance",
		"reactions":          "reaction_acceptance",
		"scope":              "visibility",
		"fileids":            "files",
		"file_ids":           "files",
		"mediaids":           "files",
		"media":              "files",
		"attachments":        "files",
		"images":             "files",
	},
	Refused: refusedResourceArgs("pinned_note"),
}

// pinnedNoteBlock is a checked pinned_note block.
type pinnedNoteBlock struct {
	*resource
	label string
}

func decodePinnedNote(block *hcl.Block) (*pinnedNoteBlock, hcl.Diagnostics) {
	diags := checkIdentLabel(block, "pinned_note", `pinned_note "welcome"`)
	r, _, d := decodeResource(block, pinnedNoteDesc)
	diags = append(diags, d...)
	return &pinnedNoteBlock{resource: r, label: block.Labels[0]}, diags
}

// evaluate computes the desired note. The text is stored trimmed (with
// JavaScript's trim), as Misskey's NoteCreateService stores it: comparing
// the untrimmed text with what the server returns would replace the note
// on every apply.
func (pb *pinnedNoteBlock) evaluate(s *scope) (*PinnedNote, hcl.Diagnostics) {
	e := &attrEval{s: s, attrs: pb.attrs}
	n := &PinnedNote{Label: pb.label, Visibility: "public", DeclRange: pb.block.DefRange}

	if raw, attr, ctx, st := e.str("text", `text = "Hello!"`); st == attrNull {
		e.errorf(attr.Expr, ctx, "Null value not allowed", "text cannot be null: a note needs text. Hint: write the note's text, e.g. text = \"Hello!\".")
	} else if st == attrSet {
		text := jsTrim(raw)
		switch l := ajvLength(text); {
		case text == "":
			e.errorf(attr.Expr, ctx, "Empty note text",
				"text is empty or only white space; Misskey refuses a note without visible text. Hint: write the note's text, e.g. text = \"Hello!\".")
		case l > maxNoteText:
			e.errorf(attr.Expr, ctx, "Value too long",
				"text is %d characters long (after trimming white space at both ends, as Misskey does), but Misskey accepts at most %d. Characters are counted in Unicode code points (an emoji counts 1). Hint: shorten it by %d.", l, maxNoteText, l-maxNoteText)
		}
		n.Text = text
	}

	if cw, attr, ctx, st := e.str("cw", `cw = "spoiler"`); st == attrSet && cw != "" {
		// "" means no content warning: notes/create refuses an empty cw
		// (minLength 1), and null is how a note says it has none.
		if l := ajvLength(cw); l > maxNoteCW {
			e.errorf(attr.Expr, ctx, "Value too long",
				"cw is %d characters long, but Misskey accepts at most %d. Characters are counted in Unicode code points (an emoji counts 1). Hint: shorten it by %d.", l, maxNoteCW, l-maxNoteCW)
		}
		n.CW = &cw
	}

	if v, _, _, st := e.enum("visibility", NoteVisibilities, map[string]string{
		"specified": `a direct note needs a list of recipients, which mkctl does not manage, and is visible to nobody else on the profile. Hint: use "followers" to show it to followers only.`,
	}, false); st == attrSet {
		n.Visibility = v
	}

	n.LocalOnly = e.boolean("local_only", false)

	if ra, _, _, st := e.enum("reaction_acceptance", ReactionAcceptances, nil, true); st == attrSet {
		n.ReactionAcceptance = &ra
	}

	n.Files = pb.files(e)

	lc, d := pb.lifecycle.evaluate(s)
	n.Lifecycle = lc
	return n, append(e.diags, d...)
}

// files reads the attached files: drive paths of drive_file blocks of the
// same account (drive_file["media/logo.png"], or the path as a string),
// unique, at most 16.
func (pb *pinnedNoteBlock) files(e *attrEval) []string {
	items, attr, ctx, st := e.strings("files", `files = [drive_file["media/logo.png"]]`)
	if st != attrSet {
		return nil
	}
	if len(items) > maxNoteFiles {
		e.errorf(attr.Expr, ctx, "Too many files",
			"files lists %d files, but Misskey attaches at most %d to a note. Hint: remove %d of them.", len(items), maxNoteFiles, len(items)-maxNoteFiles)
	}
	keys := e.s.driveFileKeys
	seen := make(map[string]int, len(items))
	var out []string
	for _, it := range items {
		if !slices.Contains(keys, it.value) {
			hint := "This account declares no drive_file blocks."
			if len(keys) > 0 {
				hint = didYouMean(it.value, keys)
				if sug := suggestDriveFile(it.value, keys); hint == "" && sug != "" {
					hint = fmt.Sprintf(" Did you mean %q?", sug)
				}
				hint += " The drive files of this account are " + quotedList(keys) + "."
			}
			e.errorf(it.expr, ctx, "Undeclared drive_file",
				"files[%d] is %q, which is not a drive_file of this account.%s Hint: a note can attach only files declared in the same account block, by their drive path (folder names and file name joined with \"/\"), e.g. drive_file[\"media/logo.png\"].", it.index, it.value, hint)
			continue
		}
		if first, dup := seen[it.value]; dup {
			e.errorf(it.expr, ctx, "Duplicate file",
				"files[%d] (%q) is already attached as files[%d]; Misskey refuses a file twice in one note. Hint: remove one of them.", it.index, it.value, first)
			continue
		}
		seen[it.value] = it.index
		out = append(out, it.value)
	}
	return out
}

// refusedResourceArgs are the arguments a resource block (other than
// follow) refuses with an explanation instead of a did-you-mean.
func refusedResourceArgs(blockType string) map[string]string {
	return map[string]string{
		"for_each": fmt.Sprintf("for_each is supported on follow blocks (and account blocks), not on %s blocks. Hint: write one %s block per object.", blockType, blockType),
		"count":    fmt.Sprintf("count is not supported in mkctl. Hint: write one %s block per object; follow blocks accept for_each.", blockType),
	}
}
