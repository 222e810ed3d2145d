package schema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// bodyDesc is an hcl.BodySchema plus what the diagnostics need to explain a
// mistake: what the block is called and a hint per argument.
//
// We check bodies ourselves instead of calling hcl.Body.Content because hcl's
// messages only sometimes carry a hint (a did-you-mean when one is close);
// ours always say what is valid instead.
type bodyDesc struct {
	What   string // "an account block", for "not expected in …"
	Schema *hcl.BodySchema
	// Hints complete "Missing required argument" messages: name → hint.
	Hints map[string]string
	// Aliases maps other spellings (lower-cased), e.g. Misskey's camelCase
	// API names, to the valid argument name, for did-you-mean.
	Aliases map[string]string
	// Refused are arguments that look plausible here but are not supported
	// (for_each outside follow blocks, Terraform's count): name → the
	// detail of the "Unsupported argument" error, ending with a hint.
	Refused map[string]string
	// Nested maps block types that belong in one of this body's blocks
	// to that block, as written (`account "NAME" { ... }`): a resource
	// block at the top level is told where it goes.
	Nested map[string]string
}

func (d bodyDesc) attrNames() []string {
	names := make([]string, len(d.Schema.Attributes))
	for i, a := range d.Schema.Attributes {
		names[i] = a.Name
	}
	return names
}

func (d bodyDesc) blockTypes() []string {
	types := make([]string, len(d.Schema.Blocks))
	for i, b := range d.Schema.Blocks {
		types[i] = b.Type
	}
	return types
}

func (d bodyDesc) suggestAttr(name string) string { return d.suggest(name, d.attrNames()) }

func (d bodyDesc) suggestBlock(name string) string { return d.suggest(name, d.blockTypes()) }

// suggest prefers a known alias (when it names one of the candidates) over
// an edit-distance guess.
func (d bodyDesc) suggest(name string, candidates []string) string {
	if a, ok := d.Aliases[strings.ToLower(name)]; ok {
		for _, c := range candidates {
			if c == a {
				return a
			}
		}
	}
	return suggestName(name, candidates)
}

// decodeBody returns the arguments and blocks of body that the schema
// allows, reporting everything else. header is the block header, where a
// missing required argument is reported.
func decodeBody(body hcl.Body, desc bodyDesc, header hcl.Range) (*hcl.BodyContent, hcl.Diagnostics) {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		// Only native-syntax files are loaded, so this is a programming
		// error; fall back to hcl's own checks rather than panic.
		return body.Content(desc.Schema)
	}
	var diags hcl.Diagnostics
	content := &hcl.BodyContent{Attributes: hcl.Attributes{}, MissingItemRange: sb.MissingItemRange()}

	wantAttr := map[string]bool{}
	for _, a := range desc.Schema.Attributes {
		wantAttr[a.Name] = true
	}
	wantBlock := map[string]hcl.BlockHeaderSchema{}
	for _, b := range desc.Schema.Blocks {
		wantBlock[b.Type] = b
	}

	for _, a := range sortedAttributes(sb) {
		if wantAttr[a.Name] {
			content.Attributes[a.Name] = a.AsHCLAttribute()
			continue
		}
		diags = append(diags, desc.unsupportedAttr(a, wantBlock))
	}

	for _, b := range sb.Blocks {
		spec, ok := wantBlock[b.Type]
		if !ok {
			diags = append(diags, desc.unsupportedBlock(b, wantAttr))
			continue
		}
		if d := checkLabels(b, spec); d != nil {
			diags = append(diags, d)
			continue
		}
		content.Blocks = append(content.Blocks, b.AsHCLBlock())
	}

	for _, a := range desc.Schema.Attributes {
		if a.Required && content.Attributes[a.Name] == nil {
			diags = append(diags, errorf(header, "Missing required argument",
				"The argument %q is required in %s, but it is not set. %s", a.Name, desc.What, desc.Hints[a.Name]))
		}
	}
	return content, diags
}

func (d bodyDesc) unsupportedAttr(a *hclsyntax.Attribute, blocks map[string]hcl.BlockHeaderSchema) *hcl.Diagnostic {
	if detail, ok := d.Refused[a.Name]; ok {
		return errorf(a.NameRange, "Unsupported argument", "%s", detail)
	}
	if _, isBlock := blocks[a.Name]; isBlock {
		return errorf(a.NameRange, "Unsupported argument",
			"%q is a block, not an argument: write it as %s { ... } without the equals sign.", a.Name, a.Name)
	}
	hint := ""
	if s := d.suggestAttr(a.Name); s != "" {
		hint = fmt.Sprintf(" Did you mean %q?", s)
	} else if names := d.attrNames(); len(names) > 0 {
		hint = " Valid arguments are: " + strings.Join(names, ", ") + "."
	} else {
		hint = " Only blocks (" + strings.Join(d.blockTypes(), ", ") + ") may appear here."
	}
	return errorf(a.NameRange, "Unsupported argument",
		"An argument named %q is not expected in %s.%s", a.Name, d.What, hint)
}

func (d bodyDesc) unsupportedBlock(b *hclsyntax.Block, attrs map[string]bool) *hcl.Diagnostic {
	if attrs[b.Type] {
		return errorf(b.TypeRange, "Unsupported block type",
			"%q is an argument, not a block: write it as %s = <value>.", b.Type, b.Type)
	}
	if parent, ok := d.Nested[b.Type]; ok {
		return errorf(b.TypeRange, "Unsupported block type",
			"A %s block belongs inside an account block, not in %s. Hint: move it into the account it is for: %s.", b.Type, d.What, parent)
	}
	hint := ""
	types := d.blockTypes()
	if s := d.suggestBlock(b.Type); s != "" {
		hint = fmt.Sprintf(" Did you mean %q?", s)
	} else if len(types) > 0 {
		hint = " Valid block types are: " + strings.Join(types, ", ") + "."
	} else {
		hint = " No blocks may appear here, only arguments written name = value."
	}
	return errorf(b.TypeRange, "Unsupported block type",
		"Blocks of type %q are not expected in %s.%s", b.Type, d.What, hint)
}

func checkLabels(b *hclsyntax.Block, spec hcl.BlockHeaderSchema) *hcl.Diagnostic {
	want := len(spec.LabelNames)
	got := len(b.Labels)
	switch {
	case got < want:
		return errorf(hcl.RangeBetween(b.TypeRange, b.OpenBraceRange), fmt.Sprintf("Missing %s for %s", spec.LabelNames[got], b.Type),
			"%s %s block needs %d label(s) (%s). Hint: write e.g. %s.", article(b.Type), b.Type, want, strings.Join(spec.LabelNames, ", "), labelExample(b.Type))
	case got > want:
		if want == 0 {
			return errorf(b.LabelRanges[0], fmt.Sprintf("Extraneous label for %s", b.Type),
				"%s %s block takes no label. Hint: write %s { ... }.", article(b.Type), b.Type, b.Type)
		}
		return errorf(b.LabelRanges[want], fmt.Sprintf("Extraneous label for %s", b.Type),
			"%s %s block takes exactly %d label(s) (%s). Hint: write e.g. %s.", article(b.Type), b.Type, want, strings.Join(spec.LabelNames, ", "), labelExample(b.Type))
	}
	return nil
}

// article is "A" or "An" before a block type, for messages that start
// with one.
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "An"
	}
	return "A"
}

func labelExample(blockType string) string {
	switch blockType {
	case "account":
		return `account "weather" { ... }`
	case "variable":
		return `variable "owner" { ... }`
	case "pinned_note":
		return `pinned_note "welcome" { ... }`
	case "follow":
		return `follow "@alice@misskey.example" { ... }`
	case "drive_folder":
		return `drive_folder "assets" { ... }`
	case "drive_file":
		return `drive_file "logo.png" { ... }`
	case "antenna":
		return `antenna "storms" { ... }`
	case "user_list":
		return `user_list "friends" { ... }`
	case "clip":
		return `clip "reading list" { ... }`
	}
	return blockType + ` "name" { ... }`
}

// sortedAttributes returns a body's attributes in source order so that
// diagnostics come out in a stable, readable order (the body keeps a map).
func sortedAttributes(b *hclsyntax.Body) []*hclsyntax.Attribute {
	attrs := make([]*hclsyntax.Attribute, 0, len(b.Attributes))
	for _, a := range b.Attributes {
		attrs = append(attrs, a)
	}
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].SrcRange.Start.Byte < attrs[j].SrcRange.Start.Byte })
	return attrs
}

// sortedHCLAttributes is sortedAttributes for decoded hcl.Attributes.
func sortedHCLAttributes(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := out[i].Range, out[j].Range
		if ri.Filename != rj.Filename {
			return ri.Filename < rj.Filename
		}
		return ri.Start.Byte < rj.Start.Byte
	})
	return out
}
