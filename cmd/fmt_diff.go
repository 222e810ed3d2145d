package cmd

import (
	"bytes"
	"fmt"
)

// diffContext is the number of unchanged lines shown around a change, as
// diff -u and git show.
const diffContext = 3

// maxDiffEdits bounds the work of the line diff: Myers' algorithm costs
// O((N+M)·D) time and keeps O(D²) memory for D edits. Formatting changes few
// lines, but a 4 MiB file reindented throughout would need gigabytes; past
// this many edits replaceAll gives a diff that is still correct, only
// perhaps longer than it could be.
const maxDiffEdits = 2000

type editKind byte

const (
	editEqual editKind = iota
	editDelete
	editInsert
)

// edit is one line of the edit script: a and b are the numbers (from 0) of
// the line in the old and new text that come at this point, whichever the
// kind (an insert's a is where it goes in the old text).
type edit struct {
	kind editKind
	a, b int
}

// unifiedDiff is the unified diff (diff -u) turning old into new, with the
// headers `--- oldName` and `+++ newName`, or nil when they are equal. A last
// line without a newline is marked `\ No newline at end of file`, as diff
// and git do, so that adding or removing the final newline shows.
func unifiedDiff(oldName, newName string, old, new []byte) []byte {
	if bytes.Equal(old, new) {
		return nil
	}
	a, b := splitLines(old), splitLines(new)
	script := lineEdits(a, b)
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	for start := 0; start < len(script); {
		if script[start].kind == editEqual {
			start++
			continue
		}
		// A hunk runs from the change's leading context to the trailing
		// context of its last change, taking in every change that follows
		// the one before it by at most 2×context unchanged lines: their
		// contexts would touch (diff -u merges them the same way).
		first := max(start-diffContext, 0)
		last := start
		for i := start; i < len(script) && i-last <= 2*diffContext+1; i++ {
			if script[i].kind != editEqual {
				last = i
			}
		}
		end := min(last+diffContext+1, len(script))
		writeHunk(&out, a, b, script[first:end])
		start = end
	}
	return out.Bytes()
}

func writeHunk(out *bytes.Buffer, a, b []string, hunk []edit) {
	var na, nb int
	for _, e := range hunk {
		if e.kind != editInsert {
			na++
		}
		if e.kind != editDelete {
			nb++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(hunk[0].a, na), hunkRange(hunk[0].b, nb))
	for _, e := range hunk {
		switch e.kind {
		case editEqual:
			writeDiffLine(out, ' ', a[e.a])
		case editDelete:
			writeDiffLine(out, '-', a[e.a])
		case editInsert:
			writeDiffLine(out, '+', b[e.b])
		}
	}
}

// hunkRange is diff's "line,count": the count is left out when it is 1, and
// an empty range names the line before it (0 at the start of the file).
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

func writeDiffLine(out *bytes.Buffer, prefix byte, line string) {
	out.WriteByte(prefix)
	out.WriteString(line)
	if len(line) == 0 || line[len(line)-1] != '\n' {
		out.WriteString("\n\\ No newline at end of file\n")
	}
}

// splitLines splits after each newline, keeping it: "a\nb" is "a\n", "b",
// so that a last line with and without its newline differ.
func splitLines(b []byte) []string {
	var lines []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			lines = append(lines, string(b))
			break
		}
		lines = append(lines, string(b[:i+1]))
		b = b[i+1:]
	}
	return lines
}

// lineEdits is a shortest edit script from a to b (within maxDiffEdits).
// The common head and tail are matched first: formatting changes a few
// lines in the middle of long files.
func lineEdits(a, b []string) []edit {
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	script := make([]edit, 0, len(a)+len(b))
	for i := 0; i < head; i++ {
		script = append(script, edit{editEqual, i, i})
	}
	script = append(script, myers(a[head:len(a)-tail], b[head:len(b)-tail], head, head)...)
	for i := tail; i > 0; i-- {
		script = append(script, edit{editEqual, len(a) - i, len(b) - i})
	}
	return script
}

// myers is Myers' O((N+M)·D) diff ("An O(ND) Difference Algorithm and Its
// Variations", 1986). offA and offB are added to the line numbers. Lines are
// compared as numbers: each distinct line gets one.
func myers(as, bs []string, offA, offB int) []edit {
	ids := map[string]int{}
	id := func(s string) int {
		v, ok := ids[s]
		if !ok {
			v = len(ids)
			ids[s] = v
		}
		return v
	}
	a, b := make([]int, len(as)), make([]int, len(bs))
	for i, s := range as {
		a[i] = id(s)
	}
	for i, s := range bs {
		b[i] = id(s)
	}
	n, m := len(a), len(b)
	if n+m == 0 {
		return nil
	}
	// v[k+off] is the furthest x reached on diagonal k = x-y; trace keeps v
	// as it was before each round d, to walk back from the end.
	off := n + m + 1
	v := make([]int, 2*off+1)
	var trace [][]int
	for d := 0; d <= n+m; d++ {
		if d > maxDiffEdits {
			return replaceAll(a, b, offA, offB)
		}
		trace = append(trace, append([]int(nil), v[off-d-1:off+d+2]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = v[off+k+1] // down: an insertion
			} else {
				x = v[off+k-1] + 1 // right: a deletion
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				return backtrack(trace, n, m, offA, offB)
			}
		}
	}
	panic("unreachable: the edit script is at most n+m long")
}

// backtrack walks the trace from (n, m) back to (0, 0), collecting the edits
// in reverse.
func backtrack(trace [][]int, n, m, offA, offB int) []edit {
	var rev []edit
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		v := trace[d]
		at := func(k int) int { return v[k+d+1] } // v holds diagonals -d-1 … d+1
		k := x - y
		var prevK int
		if k == -d || k != d && at(k-1) < at(k+1) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x--
			y--
			rev = append(rev, edit{editEqual, x + offA, y + offB})
		}
		if d > 0 {
			if x == prevX {
				rev = append(rev, edit{editInsert, x + offA, prevY + offB})
			} else {
				rev = append(rev, edit{editDelete, prevX + offA, y + offB})
			}
		}
		x, y = prevX, prevY
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// replaceAll is the edit script used past maxDiffEdits. Formatting changes
// only the spaces within lines, so old and new usually have as many lines:
// then line i is matched with line i (kept when equal, else replaced).
// Otherwise every old line is deleted, then every new one inserted.
func replaceAll(a, b []int, offA, offB int) []edit {
	n, m := len(a), len(b)
	script := make([]edit, 0, n+m)
	if n == m {
		for i := range a {
			if a[i] == b[i] {
				script = append(script, edit{editEqual, offA + i, offB + i})
			} else {
				script = append(script, edit{editDelete, offA + i, offB + i}, edit{editInsert, offA + i + 1, offB + i})
			}
		}
		return script
	}
	for i := 0; i < n; i++ {
		script = append(script, edit{editDelete, offA + i, offB})
	}
	for j := 0; j < m; j++ {
		script = append(script, edit{editInsert, offA + n, offB + j})
	}
	return script
}
