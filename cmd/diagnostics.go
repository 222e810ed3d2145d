package cmd

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/mkctl/mkctl/cmd/view"
)

// writeDiagnostics prints HCL diagnostics as
//
//	Error: Unsupported argument
//
//	  on account.mk.hcl:5:5:
//	     5:     isbot = true
//	            ^^^^^
//
//	An argument named "isbot" is not expected here. Did you mean "is_bot"?
//
// file:line:column is the form editors and CI annotations understand.
func writeDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, c view.Colors) {
	for _, d := range diags {
		label := c.Red("Error:")
		if d.Severity == hcl.DiagWarning {
			label = c.Yellow("Warning:")
		}
		fmt.Fprintf(w, "%s %s\n\n", label, c.Bold(d.Summary))
		if d.Subject != nil {
			r := *d.Subject
			fmt.Fprintf(w, "  on %s:%d:%d:\n", r.Filename, r.Start.Line, r.Start.Column)
			writeSnippet(w, files[r.Filename], r)
			fmt.Fprintln(w)
		}
		if d.Detail != "" {
			fmt.Fprintf(w, "%s\n\n", d.Detail)
		}
	}
}

// writeSnippet shows the subject's first line and underlines the subject.
func writeSnippet(w io.Writer, f *hcl.File, r hcl.Range) {
	if f == nil {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(f.Bytes))
	for n := 1; sc.Scan(); n++ {
		if n != r.Start.Line {
			continue
		}
		line := sc.Text()
		fmt.Fprintf(w, "  %4d: %s\n", n, line)
		start := min(max(r.Start.Column-1, 0), len(line))
		end := len(line)
		if r.End.Line == r.Start.Line {
			end = min(max(r.End.Column-1, start+1), len(line)+1)
		}
		// Keep tabs so the carets line up under the text.
		pad := strings.Map(func(r rune) rune {
			if r == '\t' {
				return '\t'
			}
			return ' '
		}, line[:start])
		fmt.Fprintf(w, "        %s%s\n", pad, strings.Repeat("^", max(end-start, 1)))
		return
	}
}
