// Package view renders plans and apply progress for people (human.go) and
// for programs (json.go). Views only format: they never decide anything.
package view

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// Colors switches ANSI colour on or off; the caller decides (TTY, NO_COLOR).
type Colors struct{ Enabled bool }

func (c Colors) wrap(code, s string) string {
	if !c.Enabled || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// Bold, Green, Yellow and Red colour s when colours are enabled.
func (c Colors) Bold(s string) string   { return c.wrap("1", s) }
func (c Colors) Green(s string) string  { return c.wrap("32", s) }
func (c Colors) Yellow(s string) string { return c.wrap("33", s) }
func (c Colors) Red(s string) string    { return c.wrap("31", s) }

func (c Colors) symbol(kind byte) string {
	switch kind {
	case '+':
		return c.Green("+")
	case '-':
		return c.Red("-")
	case '~':
		return c.Yellow("~")
	}
	return " "
}

func (c Colors) action(a planner.Action) string {
	switch a {
	case planner.ActionCreate:
		return c.Green("+")
	case planner.ActionUpdate:
		return c.Yellow("~")
	case planner.ActionDelete:
		return c.Red("-")
	case planner.ActionReplace:
		return c.Red("-") + "/" + c.Green("+")
	}
	return " "
}

var actionPhrase = map[planner.Action]string{
	planner.ActionCreate:  "will be created",
	planner.ActionUpdate:  "will be updated in-place",
	planner.ActionDelete:  "will be destroyed",
	planner.ActionReplace: "must be replaced",
}

// HumanPlan writes the plan the way Terraform does: one block per change,
// then the "Plan:" summary line, or the no-changes sentence.
func HumanPlan(w io.Writer, p *planner.Plan, c Colors) {
	if !p.HasChanges() {
		if len(p.Accounts) > 1 {
			fmt.Fprintln(w, c.Green("No changes.")+" The accounts match the configuration.")
		} else {
			fmt.Fprintln(w, c.Green("No changes.")+" The account matches the configuration.")
		}
		writeNotes(w, p, c)
		return
	}
	fmt.Fprintln(w, "mkctl will perform the following actions:")
	for _, a := range p.Accounts {
		for _, ch := range a.Changes {
			fmt.Fprintln(w)
			writeChange(w, ch, c)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, SummaryLine(p.Summary(), c))
	writeNotes(w, p, c)
}

// writeNotes prints what the user should know besides the changes: objects
// left alone, pending requests, rate-limit waits, adoptions.
func writeNotes(w io.Writer, p *planner.Plan, c Colors) {
	defer writePartial(w, p, c) // --target, --exclude: target.go
	first := true
	for _, a := range p.Accounts {
		for _, n := range accountNotes(a) {
			if first {
				fmt.Fprintln(w)
				first = false
			}
			fmt.Fprintf(w, "%s %s: %s\n", c.Bold("Note:"), a.Address, n)
		}
	}
}

// accountNotes is an account's notes as every view shows them: adoptions
// and forgotten records first, then the planner's own notes.
func accountNotes(a *planner.AccountPlan) []string {
	var notes []string
	if n := len(a.Adopt); n > 0 {
		notes = append(notes, fmt.Sprintf("%d existing object(s) match the configuration and will be recorded as managed by mkctl.", n))
	}
	if n := len(a.Forget); n > 0 {
		notes = append(notes, fmt.Sprintf("%d object(s) mkctl recorded no longer exist; apply will drop them from its ownership record.", n))
	}
	return append(notes, a.Notes...)
}

// SummaryLine is "Plan: 1 to add, 2 to change, 0 to destroy."
func SummaryLine(s planner.Summary, c Colors) string {
	return fmt.Sprintf("%s %d to add, %d to change, %d to destroy.", c.Bold("Plan:"), s.Add, s.Change, s.Destroy)
}

// Printable is s with control characters escaped (\n, \x1b): an address
// holds a name Misskey took as written, perhaps made by hand with a line
// break or a terminal escape, which must not reach the terminal raw.
func Printable(s string) string { return clean(s) }

func writeChange(w io.Writer, ch *planner.Change, c Colors) {
	fmt.Fprintf(w, "  %s\n", c.Bold(fmt.Sprintf("# %s %s", clean(ch.Address), actionPhrase[ch.Action])))
	if ch.Reason != "" {
		fmt.Fprintf(w, "  # (%s)\n", ch.Reason)
	}
	name := ch.Type
	if ch.Type == planner.TypeDriveFile && ch.Key != "" {
		// drive_file["media/logo.png"]; an old file's retiring key is
		// drive_file["media/logo.png"]~ID, profile.avatar~ID for an image.
		name = ch.Key
	}
	fmt.Fprintf(w, "  %s %s {\n", c.action(ch.Action), name)
	width := 0
	for _, a := range ch.Attrs {
		width = max(width, len(a.Name))
	}
	for _, a := range ch.Attrs {
		if ch.Action == planner.ActionDelete {
			// The whole object goes: show what it was, Terraform-style.
			before := block(a.Before, attrIndent+"  ")
			if a.Sensitive {
				before = schema.SensitiveText
			}
			if d, ok := fileValue(a.Before); ok {
				before = d
			}
			fmt.Fprintf(w, "%s%s %s = %s\n", attrIndent, c.symbol('-'), a.Name+strings.Repeat(" ", width-len(a.Name)), before)
			continue
		}
		writeAttr(w, a, width, c)
	}
	fmt.Fprintln(w, "    }")
}

const attrIndent = "      "

func writeAttr(w io.Writer, a planner.AttrChange, width int, c Colors) {
	name := a.Name + strings.Repeat(" ", width-len(a.Name))
	bs, bMulti := a.Before.(string)
	as, aMulti := a.After.(string)
	bMulti = bMulti && strings.Contains(bs, "\n")
	aMulti = aMulti && strings.Contains(as, "\n")
	bf, bFile := fileValue(a.Before)
	af, aFile := fileValue(a.After)
	switch {
	case a.Sensitive:
		writeSensitiveAttr(w, a, name, c)
	case bFile || aFile:
		// A file's content: its md5 and size, and where the new one comes
		// from ("images/avatar.png"), never a URL.
		switch {
		case a.Before == nil:
			fmt.Fprintf(w, "%s%s %s = %s\n", attrIndent, c.symbol('+'), name, af)
		case a.After == nil:
			fmt.Fprintf(w, "%s%s %s = %s -> null\n", attrIndent, c.symbol('-'), name, bf)
		default:
			fmt.Fprintf(w, "%s%s %s = %s -> %s\n", attrIndent, c.symbol('~'), name, bf, af)
		}
	case a.Before == nil:
		fmt.Fprintf(w, "%s%s %s = %s\n", attrIndent, c.symbol('+'), name, block(a.After, attrIndent+"  "))
	case (bMulti || aMulti) && a.After != nil:
		// Long texts (a bio) are shown as a line diff, not as two walls of text.
		fmt.Fprintf(w, "%s%s %s = <<-EOT\n", attrIndent, c.symbol('~'), name)
		for _, op := range lineDiff(strings.Split(bs, "\n"), strings.Split(as, "\n")) {
			fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("%s    %s %s", attrIndent, c.symbol(op.Kind), op.Text), " "))
		}
		fmt.Fprintf(w, "%s    EOT\n", attrIndent)
	case isList(a.Before) || isList(a.After):
		fmt.Fprintf(w, "%s%s %s = [\n", attrIndent, c.symbol('~'), name)
		for _, op := range lineDiff(listItems(a.Before), listItems(a.After)) {
			fmt.Fprintf(w, "%s    %s %s,\n", attrIndent, c.symbol(op.Kind), op.Text)
		}
		fmt.Fprintf(w, "%s    ]\n", attrIndent)
	case a.After == nil:
		fmt.Fprintf(w, "%s%s %s = %s -> null\n", attrIndent, c.symbol('-'), name, block(a.Before, attrIndent+"  "))
	default:
		fmt.Fprintf(w, "%s%s %s = %s -> %s\n", attrIndent, c.symbol('~'), name, Value(a.Before), Value(a.After))
	}
}

func isList(v any) bool { _, ok := v.([]any); return ok }

func listItems(v any) []string {
	items, _ := v.([]any)
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = Value(it)
	}
	return out
}

// block renders a value that may span lines (a heredoc for multi-line text).
func block(v any, indent string) string {
	s, ok := v.(string)
	if !ok || !strings.Contains(s, "\n") {
		return Value(v)
	}
	var b strings.Builder
	b.WriteString("<<-EOT\n")
	for _, line := range strings.Split(s, "\n") {
		b.WriteString(strings.TrimRight(indent+"    "+line, " ") + "\n")
	}
	b.WriteString(indent + "  EOT")
	return b.String()
}

// Value renders a JSON value in HCL syntax on one line.
func Value(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []any:
		parts := make([]string, len(x))
		for i, it := range x {
			parts[i] = Value(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + " = " + Value(x[k])
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	return fmt.Sprint(v)
}

// fileValue renders a file's content as the planner describes it
// ({md5, size, path?}, or {id} for a file it could not read):
// "(md5 3f2a…, 18 KB) images/avatar.png".
func fileValue(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	md5, ok := m["md5"].(string)
	if !ok {
		if id, ok := m["id"].(string); ok && len(m) == 1 {
			return "(file " + id + ")", true
		}
		return "", false
	}
	short := md5
	if len(short) > 4 {
		short = short[:4] + "…"
	}
	out := "(md5 " + short
	switch n := m["size"].(type) {
	case int64:
		out += ", " + humanSize(float64(n))
	case int:
		out += ", " + humanSize(float64(n))
	case float64:
		out += ", " + humanSize(n)
	}
	out += ")"
	if p, ok := m["path"].(string); ok && p != "" {
		out += " " + p
	}
	return out, true
}

// humanSize is a size in bytes as "812 B", "18 KB", "2.4 MB" (1 KB = 1024 B).
func humanSize(n float64) string {
	switch {
	case n < 1024:
		return strconv.FormatFloat(n, 'f', 0, 64) + " B"
	case n < 1024*1024:
		return strconv.FormatFloat(n/1024, 'f', 0, 64) + " KB"
	}
	return strconv.FormatFloat(n/(1024*1024), 'f', 1, 64) + " MB"
}

// writeSensitiveAttr shows a sensitive attribute: that it is set, changed
// or removed, never its value.
func writeSensitiveAttr(w io.Writer, a planner.AttrChange, name string, c Colors) {
	switch {
	case a.Before == nil:
		fmt.Fprintf(w, "%s%s %s = %s\n", attrIndent, c.symbol('+'), name, schema.SensitiveText)
	case a.After == nil:
		fmt.Fprintf(w, "%s%s %s = %s -> null\n", attrIndent, c.symbol('-'), name, schema.SensitiveText)
	default:
		fmt.Fprintf(w, "%s%s %s = %s -> %s\n", attrIndent, c.symbol('~'), name, schema.SensitiveText, schema.SensitiveText)
	}
}
