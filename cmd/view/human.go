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
	first := true
	for _, a := range p.Accounts {
		var notes []string
		if n := len(a.Adopt); n > 0 {
			notes = append(notes, fmt.Sprintf("%d existing object(s) match the configuration and will be recorded as managed by mkctl.", n))
		}
		if n := len(a.Forget); n > 0 {
			notes = append(notes, fmt.Sprintf("%d object(s) mkctl recorded no longer exist; apply will drop them from its ownership record.", n))
		}
		notes = append(notes, a.Notes...)
		for _, n := range notes {
			if first {
				fmt.Fprintln(w)
				first = false
			}
			fmt.Fprintf(w, "%s %s: %s\n", c.Bold("Note:"), a.Address, n)
		}
	}
}

// SummaryLine is "Plan: 1 to add, 2 to change, 0 to destroy."
func SummaryLine(s planner.Summary, c Colors) string {
	return fmt.Sprintf("%s %d to add, %d to change, %d to destroy.", c.Bold("Plan:"), s.Add, s.Change, s.Destroy)
}

func writeChange(w io.Writer, ch *planner.Change, c Colors) {
	fmt.Fprintf(w, "  %s\n", c.Bold(fmt.Sprintf("# %s %s", ch.Address, actionPhrase[ch.Action])))
	if ch.Reason != "" {
		fmt.Fprintf(w, "  # (%s)\n", ch.Reason)
	}
	fmt.Fprintf(w, "  %s %s {\n", c.action(ch.Action), ch.Type)
	width := 0
	for _, a := range ch.Attrs {
		width = max(width, len(a.Name))
	}
	for _, a := range ch.Attrs {
		if ch.Action == planner.ActionDelete {
			// The whole object goes: show what it was, Terraform-style.
			fmt.Fprintf(w, "%s%s %s = %s\n", attrIndent, c.symbol('-'), a.Name+strings.Repeat(" ", width-len(a.Name)), block(a.Before, attrIndent+"  "))
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
	switch {
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
