package cmd

import (
	"bufio"
	"fmt"
	"math/rand"
	"strconv"
	"strings"
	"testing"
)

func TestFmtUnifiedDiff(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     string
	}{
		{name: "equal", old: "a\nb\n", new: "a\nb\n", want: ""},
		{name: "one line changed", old: "a\nb\nc\n", new: "a\nB\nc\n", want: `--- a/f
+++ b/f
@@ -1,3 +1,3 @@
 a
-b
+B
 c
`},
		{name: "trailing newline added", old: "a\nb", new: "a\nb\n", want: `--- a/f
+++ b/f
@@ -1,2 +1,2 @@
 a
-b
\ No newline at end of file
+b
`},
		{name: "trailing newline removed", old: "a\n", new: "a", want: `--- a/f
+++ b/f
@@ -1 +1 @@
-a
+a
\ No newline at end of file
`},
		{name: "from empty", old: "", new: "x\ny\n", want: `--- a/f
+++ b/f
@@ -0,0 +1,2 @@
+x
+y
`},
		{name: "to empty", old: "x\n", new: "", want: `--- a/f
+++ b/f
@@ -1 +0,0 @@
-x
`},
		{name: "insert at start", old: "b\nc\n", new: "a\nb\nc\n", want: `--- a/f
+++ b/f
@@ -1,2 +1,3 @@
+a
 b
 c
`},
		{name: "context is three lines", old: "1\n2\n3\n4\n5\n6\n7\n8\n9\n", new: "1\n2\n3\n4\nV\n6\n7\n8\n9\n", want: `--- a/f
+++ b/f
@@ -2,7 +2,7 @@
 2
 3
 4
-5
+V
 6
 7
 8
`},
		// Six unchanged lines between two changes: the contexts touch,
		// one hunk (as diff -u).
		{name: "touching contexts merge", old: "a\n1\n2\n3\n4\n5\n6\nb\n", new: "A\n1\n2\n3\n4\n5\n6\nB\n", want: `--- a/f
+++ b/f
@@ -1,8 +1,8 @@
-a
+A
 1
 2
 3
 4
 5
 6
-b
+B
`},
		// Seven: two hunks.
		{name: "distant changes split", old: "a\n1\n2\n3\n4\n5\n6\n7\nb\n", new: "A\n1\n2\n3\n4\n5\n6\n7\nB\n", want: `--- a/f
+++ b/f
@@ -1,4 +1,4 @@
-a
+A
 1
 2
 3
@@ -6,4 +6,4 @@
 5
 6
 7
-b
+B
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(unifiedDiff("a/f", "b/f", []byte(tt.old), []byte(tt.new)))
			if got != tt.want {
				t.Errorf("diff:\n%s\nwant:\n%s", got, tt.want)
			}
			if tt.want != "" {
				if back := applyUnified(t, tt.old, got); back != tt.new {
					t.Errorf("applying the diff gives %q, want %q", back, tt.new)
				}
			}
		})
	}
}

// TestFmtUnifiedDiffRandom checks on random texts that the diff, applied
// to the old text, gives the new one, and that it is minimal (its changed
// lines are as few as the longest common subsequence allows).
func TestFmtUnifiedDiffRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	text := func() string {
		var b strings.Builder
		n := rng.Intn(30)
		for i := 0; i < n; i++ {
			b.WriteString(strconv.Itoa(rng.Intn(5)))
			if i < n-1 || rng.Intn(2) == 0 {
				b.WriteByte('\n')
			}
		}
		return b.String()
	}
	for i := 0; i < 2000; i++ {
		old, new := text(), text()
		d := string(unifiedDiff("a/f", "b/f", []byte(old), []byte(new)))
		if (d == "") != (old == new) {
			t.Fatalf("diff of %q and %q: %q", old, new, d)
		}
		if d == "" {
			continue
		}
		if back := applyUnified(t, old, d); back != new {
			t.Fatalf("diff of %q and %q:\n%s\napplied gives %q", old, new, d, back)
		}
		a, b := splitLines([]byte(old)), splitLines([]byte(new))
		changed := 0
		for _, line := range strings.Split(d, "\n") {
			if strings.HasPrefix(line, "-") && !strings.HasPrefix(line, "---") || strings.HasPrefix(line, "+") && !strings.HasPrefix(line, "+++") {
				changed++
			}
		}
		if want := len(a) + len(b) - 2*lcsLen(a, b); changed != want {
			t.Fatalf("diff of %q and %q changes %d lines, the fewest is %d:\n%s", old, new, changed, want, d)
		}
	}
}

// TestFmtUnifiedDiffLarge checks that a diff past maxDiffEdits still comes
// out, correct if not minimal: line by line when the line counts are equal
// (formatting), else all removed, then all added.
func TestFmtUnifiedDiffLarge(t *testing.T) {
	var old, new strings.Builder
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&old, "line %d\n", i)
		if i%5 == 0 {
			fmt.Fprintf(&new, "  line %d\n", i)
		} else {
			fmt.Fprintf(&new, "line %d\n", i)
		}
	}
	d := string(unifiedDiff("a/f", "b/f", []byte(old.String()), []byte(new.String())))
	if back := applyUnified(t, old.String(), d); back != new.String() {
		t.Fatal("applying the large diff does not give the new text")
	}
	if n := strings.Count(d, "\n-line"); n != 4000 {
		t.Errorf("the diff removes %d lines, want the 4000 changed ones", n)
	}
	if !strings.Contains(d, "@@ -1,19999 +1,19999 @@\n-line 0\n+  line 0\n line 1\n") {
		t.Errorf("the diff does not start line by line:\n%.300s", d)
	}

	new.WriteString("one more\n")
	d = string(unifiedDiff("a/f", "b/f", []byte(old.String()), []byte(new.String())))
	if back := applyUnified(t, old.String(), d); back != new.String() {
		t.Fatal("applying the large diff with an added line does not give the new text")
	}
}

func lcsLen(a, b []string) int {
	prev := make([]int, len(b)+1)
	for i := range a {
		cur := make([]int, len(b)+1)
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev = cur
	}
	return prev[len(b)]
}

// applyUnified applies a unified diff to old, checking its hunk headers
// and context lines as patch(1) would.
func applyUnified(t *testing.T, old, diff string) string {
	t.Helper()
	a := splitLines([]byte(old))
	var out []string
	next := 0 // next line of a to copy
	sc := bufio.NewScanner(strings.NewReader(diff))
	sc.Buffer(nil, 1<<20)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) < 2 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		t.Fatalf("no headers: %q", diff)
	}
	// A line's text has its newline unless the no-newline marker follows.
	for i := 2; i < len(lines); {
		var as, al, bs, bl int
		h := lines[i]
		if _, err := fmt.Sscanf(hunkNormal(h), "@@ -%d,%d +%d,%d @@", &as, &al, &bs, &bl); err != nil {
			t.Fatalf("bad hunk header %q: %v", h, err)
		}
		start := as - 1
		if al == 0 {
			start = as
		}
		if start < next {
			t.Fatalf("hunk %q overlaps the one before", h)
		}
		out = append(out, a[next:start]...)
		next = start
		i++
		gotA, gotB := 0, 0
		for i < len(lines) && !strings.HasPrefix(lines[i], "@@") {
			l := lines[i]
			text := l[1:] + "\n"
			if i+1 < len(lines) && lines[i+1] == `\ No newline at end of file` {
				text = l[1:]
				i++
			}
			switch l[0] {
			case ' ':
				if next >= len(a) || a[next] != text {
					t.Fatalf("context %q does not match line %d of the old text", text, next+1)
				}
				out = append(out, text)
				next++
				gotA++
				gotB++
			case '-':
				if next >= len(a) || a[next] != text {
					t.Fatalf("removed %q does not match line %d of the old text", text, next+1)
				}
				next++
				gotA++
			case '+':
				out = append(out, text)
				gotB++
			default:
				t.Fatalf("bad line %q", l)
			}
			i++
		}
		if gotA != al || gotB != bl {
			t.Fatalf("hunk %q has %d old and %d new lines", h, gotA, gotB)
		}
	}
	out = append(out, a[next:]...)
	return strings.Join(out, "")
}

// hunkNormal writes the counts diff leaves out (",1").
func hunkNormal(h string) string {
	f := strings.Fields(h)
	if len(f) != 4 {
		return h
	}
	for i := 1; i <= 2; i++ {
		if !strings.Contains(f[i], ",") {
			f[i] += ",1"
		}
	}
	return strings.Join(f, " ")
}
