package schema

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// sourceFiles turns parsed files into what diagnostics need of them once
// the configuration is decoded: the bytes (for snippets) and the headers
// of the top-level blocks (for "on main.mk.hcl line 3, in account "x""),
// not the syntax tree. The tree of a file with a list of 100,000 follows
// is tens of megabytes that a plan would otherwise keep alive while it
// reads the account (issue 9).
func sourceFiles(files map[string]*hcl.File) map[string]*hcl.File {
	out := make(map[string]*hcl.File, len(files))
	for name, f := range files {
		lf := &hcl.File{Bytes: f.Bytes}
		if body, ok := f.Body.(*hclsyntax.Body); ok {
			nav := make(blockHeaders, 0, len(body.Blocks))
			for _, b := range body.Blocks {
				nav = append(nav, blockHeader{rng: b.Range(), def: b.DefRange(), header: headerString(b)})
			}
			lf.Nav = nav
		} else {
			lf.Nav = f.Nav // a JSON file (var files): keep what hcl gave
		}
		out[name] = lf
	}
	return out
}

// blockHeaders answers hclsyntax's navigation questions from the
// top-level blocks alone, as hclsyntax itself does.
type blockHeaders []blockHeader

type blockHeader struct {
	rng, def hcl.Range
	header   string // account "weather"
}

func headerString(b *hclsyntax.Block) string {
	var sb strings.Builder
	sb.WriteString(b.Type)
	for _, l := range b.Labels {
		fmt.Fprintf(&sb, " %q", l)
	}
	return sb.String()
}

func (n blockHeaders) find(offset int) *blockHeader {
	for i := range n {
		if n[i].rng.ContainsOffset(offset) {
			return &n[i]
		}
	}
	return nil
}

// ContextString is the header of the top-level block around offset.
func (n blockHeaders) ContextString(offset int) string {
	if b := n.find(offset); b != nil {
		return b.header
	}
	return ""
}

// ContextDefRange is the definition range of that block.
func (n blockHeaders) ContextDefRange(offset int) hcl.Range {
	if b := n.find(offset); b != nil {
		return b.def
	}
	return hcl.Range{}
}
