package view

import (
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/mkctl/mkctl/planner"
	"github.com/mkctl/mkctl/schema"
)

// DefaultMarkdownMaxBytes bounds MarkdownPlan's output when
// MarkdownOptions.MaxBytes is 0: GitHub refuses a comment body of more than
// 65,535 characters, and a character is at least one byte, so 65,000 bytes
// always fit and leave room for a marker the workflow adds.
const DefaultMarkdownMaxBytes = 65000

// MarkdownOptions tunes MarkdownPlan.
type MarkdownOptions struct {
	// Version is mkctl's version, shown in the last line.
	Version string
	// PlanFileHash identifies the saved plan the Markdown was made from
	// (for example "sha256:3f2a…"); shown in the last line and in the
	// truncation notice, so a reviewer can match the comment with the
	// artifact that apply will use. Empty when there is no plan file.
	PlanFileHash string
	// MaxBytes bounds the output in bytes (0: DefaultMarkdownMaxBytes,
	// negative: no bound). The summary line, the truncation notice and the
	// last line are always written, so a bound smaller than they are is
	// exceeded by them alone.
	MaxBytes int
	// Diagnostics are warnings to show under the summary line (each one
	// line of plain text; escaped like notes).
	Diagnostics []string
}

// MarkdownPlan writes the plan as GitHub-flavoured Markdown for a pull
// request comment:
//
//   - the summary line first ("**Plan:** 1 to add, …" or "**No changes.** …"),
//     then, for a plan limited by --target or --exclude, that it is partial;
//   - one <details> block per account, in plan order, open when apply has
//     something to do for it (changes, adoptions, forgotten records), its
//     summary the account's address, user and counts;
//   - the changes in a fenced ```diff block, laid out like the human plan
//     but with each line's marker in the first column so GitHub colours it:
//     "+" green (created, added), "-" red (destroyed, removed), "!" for
//     "~" (updated in place: GitHub shows "!" lines in orange; a "~" would
//     not be coloured at all), "-/+" stays "-/+" (a replacement destroys
//     first, so the line is red);
//   - the notes (adoptions, forgotten records, unmanaged objects left alone,
//     pending requests, rate-limit waits) as a list after the diff, outside
//     the code block, so they read as text;
//   - a last line with mkctl's version and the plan file's hash.
//
// The output is deterministic (no time, no map order), so a comment
// updated with a new plan shows a real diff in its edit history.
//
// User text cannot break out: inside the fence the fence is longer than
// any run of backticks in the content and control characters (a lone CR
// would end a line) are written as escapes; outside it, text is
// backslash-escaped, HTML is escaped, and words with an "@" (Misskey
// handles) are code spans so that GitHub does not mention its own users.
//
// When the whole would exceed the bound, the output stops at a line
// boundary (never inside a rune), closes the open fence and <details>, and
// ends with a notice saying how many changes were left out and from which
// account on, with the plan file's hash.
func MarkdownPlan(w io.Writer, p *planner.Plan, opts MarkdownOptions) error {
	limit := opts.MaxBytes
	if limit == 0 {
		limit = DefaultMarkdownMaxBytes
	}
	var out strings.Builder
	out.WriteString(markdownSummary(p))
	if n := PartialNote(p); n != "" {
		// --target, --exclude: said at the top, where a reviewer looks
		// first, not after the changes as the terminal does.
		out.WriteString("\n> **Note:** " + mdText(n) + "\n")
	}
	for _, d := range opts.Diagnostics {
		out.WriteString("\n> **Warning:** " + mdText(d) + "\n")
	}
	trailer := markdownTrailer(opts)

	total := 0
	for _, a := range p.Accounts {
		total += len(a.Changes)
	}
	if limit < 0 {
		for _, a := range p.Accounts {
			sec := markdownAccount(a)
			for _, l := range sec.lines {
				out.WriteString(l.text)
			}
		}
		out.WriteString(trailer)
		_, err := io.WriteString(w, out.String())
		return err
	}

	// The notice's length with the largest numbers it can hold: what is
	// reserved for it whatever is cut.
	longest := ""
	for _, a := range p.Accounts {
		if len(a.Address) > len(longest) {
			longest = a.Address
		}
	}
	n := len(p.Accounts)
	reserve := len(truncationNotice(n, n, total, total, longest, limit, opts.PlanFileHash)) + len(trailer)

	shown := 0
	for i, a := range p.Accounts {
		sec := markdownAccount(a)
		if out.Len()+sec.size+len(trailer) <= limit && (i == len(p.Accounts)-1 || out.Len()+sec.size+reserve <= limit) {
			// The whole account fits (and, unless it is the last, leaves
			// room for the notice should a later one not fit).
			for _, l := range sec.lines {
				out.WriteString(l.text)
			}
			shown += len(a.Changes)
			continue
		}
		// Cut inside this account: its lines while they fit with the
		// closing lines and the notice. A change cut in the middle is left
		// out whole, unless none of the account's changes fits: then as
		// many of its lines as fit.
		var part strings.Builder
		doneChanges, good, goodClose := 0, -1, ""
		var closing string
		midChange, emitted := false, 0
		for _, l := range sec.lines {
			if out.Len()+part.Len()+len(l.text)+len(l.close)+reserve > limit {
				break
			}
			part.WriteString(l.text)
			emitted++
			closing = l.close
			midChange = l.inChange && !l.endsChange
			if l.endsChange {
				doneChanges++
				good, goodClose = part.Len(), l.close
			}
		}
		switch {
		case emitted <= 1:
			// Only the <summary>: the account is left out altogether.
		case midChange && good >= 0:
			out.WriteString(part.String()[:good])
			out.WriteString(goodClose)
		default:
			out.WriteString(part.String())
			out.WriteString(closing)
		}
		shown += doneChanges
		out.WriteString(truncationNotice(i, n, shown, total, a.Address, limit, opts.PlanFileHash))
		out.WriteString(trailer)
		_, err := io.WriteString(w, out.String())
		return err
	}
	out.WriteString(trailer)
	_, err := io.WriteString(w, out.String())
	return err
}

// markdownSummary is the first line: the plan's summary line, or the
// no-changes sentence.
func markdownSummary(p *planner.Plan) string {
	if !p.HasChanges() {
		if len(p.Accounts) > 1 {
			return "**No changes.** The accounts match the configuration.\n"
		}
		return "**No changes.** The account matches the configuration.\n"
	}
	s := p.Summary()
	return fmt.Sprintf("**Plan:** %d to add, %d to change, %d to destroy.\n", s.Add, s.Change, s.Destroy)
}

func markdownTrailer(opts MarkdownOptions) string {
	var parts []string
	if opts.Version != "" {
		parts = append(parts, "mkctl "+html.EscapeString(opts.Version))
	}
	if opts.PlanFileHash != "" {
		parts = append(parts, "plan file <code>"+html.EscapeString(opts.PlanFileHash)+"</code>")
	}
	if len(parts) == 0 {
		return ""
	}
	return "\n<sub>" + strings.Join(parts, " · ") + "</sub>\n"
}

func truncationNotice(accounts, allAccounts, shown, total int, from string, limit int, hash string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n> [!WARNING]\n> **Truncated:** this comment shows %d of %d accounts in full and %d of %d resource changes; ", accounts, allAccounts, shown, total)
	fmt.Fprintf(&b, "the rest, from %s on, did not fit in %d bytes. ", mdCode(from), limit)
	if hash != "" {
		fmt.Fprintf(&b, "The full plan is the saved plan file %s (`mkctl show` renders it).\n", mdCode(hash))
	} else {
		b.WriteString("Run `mkctl plan` to see the full plan.\n")
	}
	return b.String()
}

// mdLine is one piece of an account's Markdown. close is what must follow
// it if the output stopped right after it (the fence, </details>), so a cut
// never leaves a block open.
type mdLine struct {
	text       string
	close      string
	inChange   bool // a line of a change's diff
	endsChange bool // the last line of a change
}

type mdSection struct {
	lines []mdLine
	size  int
}

func markdownAccount(a *planner.AccountPlan) mdSection {
	var sec mdSection
	add := func(text, close string, ends bool) {
		sec.lines = append(sec.lines, mdLine{text: text, close: close, endsChange: ends})
		sec.size += len(text)
	}
	addChange := func(text, close string, ends bool) {
		sec.lines = append(sec.lines, mdLine{text: text, close: close, inChange: true, endsChange: ends})
		sec.size += len(text)
	}
	s := planner.New(a).Summary()
	open := ""
	if len(a.Changes) > 0 || len(a.Adopt) > 0 || len(a.Forget) > 0 {
		open = " open"
	}
	counts := "no changes"
	if len(a.Changes) > 0 {
		counts = fmt.Sprintf("%d to add, %d to change, %d to destroy", s.Add, s.Change, s.Destroy)
	}
	who := ""
	if a.Username != "" {
		host := strings.TrimPrefix(strings.TrimPrefix(a.Host, "https://"), "http://")
		acct := "@" + a.Username
		if host != "" {
			acct += "@" + host
		}
		who = " <code>" + html.EscapeString(acct) + "</code>"
	}
	const endDetails = "\n</details>\n"
	add(fmt.Sprintf("\n<details%s><summary><code>%s</code>%s: %s</summary>\n", open, html.EscapeString(a.Address), who, counts), endDetails, false)

	if len(a.Changes) > 0 {
		var diff [][]string
		for _, ch := range a.Changes {
			diff = append(diff, diffLines(ch))
		}
		fence := "```"
		for _, lines := range diff {
			for _, l := range lines {
				if n := longestRun(l, '`'); n >= len(fence) {
					fence = strings.Repeat("`", n+1)
				}
			}
		}
		closeFence := fence + "\n" + endDetails
		add("\n"+fence+"diff\n", closeFence, false)
		for i, lines := range diff {
			if i > 0 {
				add("\n", closeFence, false)
			}
			for j, l := range lines {
				addChange(l+"\n", closeFence, j == len(lines)-1)
			}
		}
		add(fence+"\n", endDetails, false)
	}
	for i, n := range accountNotes(a) {
		text := "- **Note:** " + mdText(n) + "\n"
		if i == 0 {
			text = "\n" + text
		}
		add(text, endDetails, false)
	}
	add(endDetails, "", false)
	return sec
}

// diffLines renders one change like writeChange, each line starting with
// its diff marker.
func diffLines(ch *planner.Change) []string {
	var out []string
	out = append(out, "  # "+clean(ch.Address)+" "+actionPhrase[ch.Action])
	if ch.Reason != "" {
		out = append(out, "  # ("+clean(ch.Reason)+")")
	}
	name := ch.Type
	if ch.Type == planner.TypeDriveFile && ch.Key != "" {
		name = ch.Key
	}
	out = append(out, diffMarker(ch.Action)+" "+clean(name)+" {")
	width := 0
	for _, a := range ch.Attrs {
		width = max(width, len(a.Name))
	}
	for _, a := range ch.Attrs {
		pad := clean(a.Name) + strings.Repeat(" ", width-len(a.Name))
		if ch.Action == planner.ActionDelete {
			if a.Sensitive {
				out = append(out, "-     "+pad+" = "+schema.SensitiveText)
				continue
			}
			if d, ok := fileValue(a.Before); ok {
				out = append(out, "-     "+pad+" = "+clean(d))
				continue
			}
			out = append(out, diffValue('-', pad, a.Before, "")...)
			continue
		}
		out = append(out, diffAttr(a, pad)...)
	}
	return append(out, "  }")
}

func diffMarker(a planner.Action) string {
	switch a {
	case planner.ActionCreate:
		return "+"
	case planner.ActionUpdate:
		return "!"
	case planner.ActionDelete:
		return "-"
	case planner.ActionReplace:
		return "-/+"
	}
	return " "
}

const diffNested = "         " // marker + 9 spaces: lines inside a heredoc or a list

// diffValue is "M     name = value" with a multi-line text as a heredoc
// whose every line carries the marker M; suffix follows a one-line value.
func diffValue(m byte, name string, v any, suffix string) []string {
	s, ok := v.(string)
	if !ok || !strings.Contains(s, "\n") {
		return []string{string(m) + "     " + name + " = " + clean(Value(v)) + suffix}
	}
	out := []string{string(m) + "     " + name + " = <<-EOT"}
	for _, line := range strings.Split(s, "\n") {
		out = append(out, strings.TrimRight(string(m)+diffNested+clean(line), " "))
	}
	return append(out, string(m)+diffNested+"EOT"+suffix)
}

func diffAttr(a planner.AttrChange, name string) []string {
	bs, bMulti := a.Before.(string)
	as, aMulti := a.After.(string)
	bMulti = bMulti && strings.Contains(bs, "\n")
	aMulti = aMulti && strings.Contains(as, "\n")
	bf, bFile := fileValue(a.Before)
	af, aFile := fileValue(a.After)
	switch {
	case a.Sensitive:
		switch {
		case a.Before == nil:
			return []string{"+     " + name + " = " + schema.SensitiveText}
		case a.After == nil:
			return []string{"-     " + name + " = " + schema.SensitiveText + " -> null"}
		}
		return []string{"!     " + name + " = " + schema.SensitiveText + " -> " + schema.SensitiveText}
	case bFile || aFile:
		switch {
		case a.Before == nil:
			return []string{"+     " + name + " = " + clean(af)}
		case a.After == nil:
			return []string{"-     " + name + " = " + clean(bf) + " -> null"}
		}
		return []string{"!     " + name + " = " + clean(bf) + " -> " + clean(af)}
	case a.Before == nil:
		return diffValue('+', name, a.After, "")
	case (bMulti || aMulti) && a.After != nil:
		out := []string{"!     " + name + " = <<-EOT"}
		for _, op := range lineDiff(strings.Split(bs, "\n"), strings.Split(as, "\n")) {
			out = append(out, strings.TrimRight(string(op.Kind)+diffNested+clean(op.Text), " "))
		}
		return append(out, " "+diffNested+"EOT")
	case isList(a.Before) || isList(a.After):
		out := []string{"!     " + name + " = ["}
		for _, op := range lineDiff(listItems(a.Before), listItems(a.After)) {
			out = append(out, string(op.Kind)+diffNested+clean(op.Text)+",")
		}
		return append(out, " "+diffNested+"]")
	case a.After == nil:
		return diffValue('-', name, a.Before, " -> null")
	}
	return []string{"!     " + name + " = " + clean(Value(a.Before)) + " -> " + clean(Value(a.After))}
}

// clean makes raw text safe on one line of a code block: invalid UTF-8
// becomes U+FFFD and control characters (CR would end the line for
// Markdown) are written as Go escapes; tabs stay.
func clean(s string) string {
	if !strings.ContainsFunc(s, needsEscape) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if needsEscape(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func needsEscape(r rune) bool {
	return (r < 0x20 && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0)
}

// mdText escapes plain text for Markdown outside code: every character
// Markdown or HTML could read as syntax is backslash-escaped, and a word
// holding "@" becomes a code span, so neither a handle nor an e-mail
// address mentions a GitHub user.
func mdText(s string) string {
	s = clean(s)
	var b strings.Builder
	for i, word := range strings.Split(s, " ") {
		if i > 0 {
			b.WriteByte(' ')
		}
		if strings.Contains(word, "@") {
			b.WriteString(mdCode(word))
			continue
		}
		for _, r := range word {
			if r < 0x80 && strings.ContainsRune("\\`*_[]()<>&!|~$#", r) {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCode is s as an inline code span, delimited by more backticks than s
// holds in a row.
func mdCode(s string) string {
	s = clean(s)
	if s == "" {
		return ""
	}
	ticks := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return ticks + " " + s + " " + ticks
	}
	return ticks + s + ticks
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}
