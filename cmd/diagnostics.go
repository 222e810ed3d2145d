package cmd

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/mkctl/mkctl/cmd/view"
)

// writeDiagnostics prints HCL diagnostics as
//
//	Error: Value too long
//
//	  on fleet.mk.hcl:7:12, in account "fleet":
//	     7:     name = each.value
//	                   ^^^^^^^^^^
//	    with each.key as "rain",
//	         each.value as "…".
//
//	name is 60 characters long, but Misskey accepts at most 50. …
//
// file:line:column is the form editors and CI annotations understand; the
// block and the values of the references (each.key above) say which
// for_each instance failed, as HCL's own writer does.
func writeDiagnostics(w io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, c view.Colors) {
	lines := newSourceLines(files)
	for _, d := range diags {
		label := c.Red("Error:")
		if d.Severity == hcl.DiagWarning {
			label = c.Yellow("Warning:")
		}
		fmt.Fprintf(w, "%s %s\n\n", label, c.Bold(d.Summary))
		if d.Subject != nil {
			r := *d.Subject
			in := ""
			if ctx := diagContext(files[r.Filename], r); ctx != "" {
				in = ", in " + ctx
			}
			fmt.Fprintf(w, "  on %s:%d:%d%s:\n", r.Filename, r.Start.Line, r.Start.Column, in)
			writeSnippet(w, lines, r)
			values := diagValues(d)
			for i, v := range values {
				lead, end := "         ", ","
				if i == 0 {
					lead = "    with "
				}
				if i == len(values)-1 {
					end = "."
				}
				fmt.Fprintf(w, "%s%s %s%s\n", lead, v.Traversal, v.Statement, end)
			}
			fmt.Fprintln(w)
		}
		if d.Detail != "" {
			fmt.Fprintf(w, "%s\n\n", d.Detail)
		}
	}
}

// diagContext is the header of the top-level block holding r, such as
// `account "fleet"`, or "".
func diagContext(f *hcl.File, r hcl.Range) string {
	if f == nil {
		return ""
	}
	type contextStringer interface{ ContextString(offset int) string }
	if cs, ok := f.Nav.(contextStringer); ok {
		return cs.ContextString(r.Start.Byte)
	}
	return ""
}

// diagValue is one "with each.key as "rain"" statement.
type diagValue struct {
	Traversal string `json:"traversal"`
	Statement string `json:"statement"`
}

// diagValues are the values of the references in the diagnostic's
// expression, sorted, as HCL's writer shows them: in a for_each block they
// are what differs from one instance to the next. Referring to each.value
// also shows each.key, which names the instance.
func diagValues(d *hcl.Diagnostic) []diagValue {
	if d.Expression == nil || d.EvalContext == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []diagValue
	add := func(tr hcl.Traversal) {
		val, diags := tr.TraverseAbs(d.EvalContext)
		if diags.HasErrors() || !val.IsKnown() || val.IsMarked() {
			return
		}
		name := traversalString(tr)
		if seen[name] {
			return
		}
		seen[name] = true
		stmt := "as " + valueString(val)
		if val.IsNull() {
			stmt = "set to null"
		}
		out = append(out, diagValue{Traversal: name, Statement: stmt})
	}
	for _, tr := range d.Expression.Variables() {
		add(tr)
		if tr.RootName() == "each" {
			add(hcl.Traversal{hcl.TraverseRoot{Name: "each"}, hcl.TraverseAttr{Name: "key"}})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Traversal < out[j].Traversal })
	return out
}

func traversalString(tr hcl.Traversal) string {
	var b strings.Builder
	for _, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hcl.TraverseIndex:
			if s.Key.Type().IsPrimitiveType() {
				b.WriteString("[" + valueString(s.Key) + "]")
			} else {
				b.WriteString("[...]")
			}
		}
	}
	return b.String()
}

// valueString is a short rendering of a value: strings quoted (and cut
// when long), collections by size.
func valueString(v cty.Value) string {
	ty := v.Type()
	switch {
	case v.IsNull():
		return "null"
	case !v.IsKnown():
		return "(not yet known)"
	case ty == cty.Bool:
		return fmt.Sprint(v.True())
	case ty == cty.Number:
		return v.AsBigFloat().Text('g', 10)
	case ty == cty.String:
		s := v.AsString()
		if r := []rune(s); len(r) > 60 {
			s = string(r[:60]) + "…"
		}
		return fmt.Sprintf("%q", s)
	case ty.IsCollectionType(), ty.IsTupleType():
		return fmt.Sprintf("%s with %d element(s)", ty.FriendlyName(), v.LengthInt())
	case ty.IsObjectType():
		return fmt.Sprintf("object with %d attribute(s)", len(ty.AttributeTypes()))
	}
	return ty.FriendlyName()
}

// writeSnippet shows the subject's first line and underlines the subject.
func writeSnippet(w io.Writer, lines *sourceLines, r hcl.Range) {
	line, ok := lines.line(r)
	if !ok {
		return
	}
	fmt.Fprintf(w, "  %4d: %s\n", r.Start.Line, line)
	start, end := highlight(line, r)
	// Keep tabs so the carets line up under the text.
	pad := strings.Map(func(r rune) rune {
		if r == '\t' {
			return '\t'
		}
		return ' '
	}, line[:start])
	fmt.Fprintf(w, "        %s%s\n", pad, strings.Repeat("^", max(end-start, 1)))
}

// sourceLines finds the subjects' lines for snippets. A file's line starts
// are found once, on first use: 20,000 invalid follows in one file are
// 20,000 diagnostics, and scanning the file from its start for each one
// took seconds.
type sourceLines struct {
	files  map[string]*hcl.File
	starts map[string][]int // byte offset of each line, by file name
}

func newSourceLines(files map[string]*hcl.File) *sourceLines {
	return &sourceLines{files: files, starts: map[string][]int{}}
}

// line is the text of the subject's first line, without its line ending.
func (s *sourceLines) line(r hcl.Range) (string, bool) {
	f := s.files[r.Filename]
	if f == nil {
		return "", false
	}
	starts, ok := s.starts[r.Filename]
	if !ok {
		starts = []int{0}
		for i, c := range f.Bytes {
			if c == '\n' {
				starts = append(starts, i+1)
			}
		}
		s.starts[r.Filename] = starts
	}
	n := r.Start.Line
	if n < 1 || n > len(starts) || starts[n-1] == len(f.Bytes) {
		return "", false // no such line (or only the empty end after the last newline)
	}
	end := len(f.Bytes)
	if n < len(starts) {
		end = starts[n] - 1
	}
	return strings.TrimSuffix(string(f.Bytes[starts[n-1]:end]), "\r"), true
}

// highlight is the byte span of the subject within its first line.
func highlight(line string, r hcl.Range) (int, int) {
	start := min(max(r.Start.Column-1, 0), len(line))
	end := len(line)
	if r.End.Line == r.Start.Line {
		end = min(max(r.End.Column-1, start+1), len(line)+1)
	}
	return start, max(end, start)
}
