package cmd

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

const workflowFile = "../examples/github-actions/mkctl.yml"

// workflowStep is one step of the example workflow that runs a script.
type workflowStep struct {
	job  string
	name string
	run  string
	line int // where run: is, for messages
}

// workflowSteps reads the `run:` scripts of the workflow, with the name of
// their step. It knows the YAML the example uses (block and inline
// scalars), not YAML at large: mkctl has no YAML dependency.
func workflowSteps(t *testing.T) []workflowStep {
	t.Helper()
	data, err := os.ReadFile(workflowFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	indent := func(l string) int { return len(l) - len(strings.TrimLeft(l, " ")) }
	var steps []workflowStep
	name, job := "", ""
	inJobs := false
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		trimmed := strings.TrimSpace(l)
		switch {
		case l == "jobs:":
			inJobs = true
		case indent(l) == 0 && trimmed != "" && !strings.HasPrefix(trimmed, "#"):
			inJobs = false
		case inJobs && indent(l) == 2 && strings.HasSuffix(trimmed, ":") && !strings.HasPrefix(trimmed, "#"):
			job, name = strings.TrimSuffix(trimmed, ":"), ""
		}
		if n, ok := strings.CutPrefix(trimmed, "- name:"); ok {
			name = strings.TrimSpace(n)
			continue
		}
		body, ok := strings.CutPrefix(trimmed, "run:")
		if !ok {
			continue
		}
		body = strings.TrimSpace(body)
		step := workflowStep{job: job, name: name, line: i + 1}
		if body != "|" {
			step.run = body
			steps = append(steps, step)
			continue
		}
		// A block scalar: the lines indented deeper than the key.
		key := indent(l)
		var block []string
		for i+1 < len(lines) && (strings.TrimSpace(lines[i+1]) == "" || indent(lines[i+1]) > key) {
			i++
			block = append(block, lines[i])
		}
		step.run = strings.Join(block, "\n")
		steps = append(steps, step)
	}
	return steps
}

// shellWords splits one simple command the way sh would for the quoting
// the workflow uses ('…', "…", no escapes inside single quotes).
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

// mkctlInvocations finds the mkctl commands in a script: the argument
// lists of simple commands whose program is mkctl, without redirections.
func mkctlInvocations(script string) [][]string {
	var out [][]string
	for _, line := range strings.Split(script, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		for _, sep := range []string{"&&", "||", ";", "|"} {
			line = strings.ReplaceAll(line, sep, "\n")
		}
		for _, cmdline := range strings.Split(line, "\n") {
			words := shellWords(cmdline)
			for len(words) > 0 && strings.Contains(words[0], "=") && !strings.HasPrefix(words[0], "-") {
				words = words[1:] // VAR=value before the program
			}
			if len(words) == 0 || words[0] != "mkctl" {
				continue
			}
			var args []string
			for _, w := range words[1:] {
				if strings.HasPrefix(w, ">") || strings.HasPrefix(w, "<") || strings.HasPrefix(w, "2>") {
					break
				}
				args = append(args, w)
			}
			out = append(out, args)
		}
	}
	return out
}

// TestWorkflowUsesRealFlags looks every mkctl command of the example
// workflow up in mkctl's own command tree: the command, each flag, and
// the arguments must be ones mkctl accepts.
func TestWorkflowUsesRealFlags(t *testing.T) {
	io, _, _ := testIO()
	seen := map[string]bool{}
	for _, step := range workflowSteps(t) {
		for _, args := range mkctlInvocations(step.run) {
			root := NewRootCmd(io)
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == root {
				t.Errorf("%s:%d (%s): mkctl %s: no such command (%v)", workflowFile, step.line, step.name, strings.Join(args, " "), err)
				continue
			}
			seen[cmd.Name()] = true
			var positional []string
			for i := 0; i < len(rest); i++ {
				a := rest[i]
				if !strings.HasPrefix(a, "-") || a == "-" {
					positional = append(positional, a)
					continue
				}
				name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
				f := cmd.Flags().Lookup(name)
				if f == nil {
					f = cmd.InheritedFlags().Lookup(name)
				}
				if !strings.HasPrefix(a, "--") && len(name) == 1 {
					f = cmd.Flags().ShorthandLookup(name)
				}
				if f == nil {
					t.Errorf("%s:%d (%s): mkctl %s has no flag %s", workflowFile, step.line, step.name, cmd.Name(), a)
					continue
				}
				if f.Value.Type() != "bool" && !hasValue {
					i++ // the flag's value is the next word
				} else if hasValue && f.Value.Type() == "bool" {
					if _, err := strconv.ParseBool(value); err != nil {
						t.Errorf("%s:%d: %s", workflowFile, step.line, a)
					}
				}
			}
			if err := cmd.ValidateArgs(positional); err != nil {
				t.Errorf("%s:%d (%s): mkctl %s: %v", workflowFile, step.line, step.name, strings.Join(args, " "), err)
			}
		}
	}
	// The reader finds the commands at all: a workflow without them would
	// pass the checks above vacuously.
	for _, want := range []string{"validate", "plan", "show", "apply"} {
		if !seen[want] {
			t.Errorf("the workflow runs no `mkctl %s` that this test found", want)
		}
	}
}

// workflowJobs splits the workflow's jobs: section into the lines of each
// job, and returns the top-level lines before it.
func workflowJobs(t *testing.T) (top []string, jobs map[string][]string) {
	t.Helper()
	data, err := os.ReadFile(workflowFile)
	if err != nil {
		t.Fatal(err)
	}
	jobs = map[string][]string{}
	job, inJobs := "", false
	for _, l := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(l)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		ind := len(l) - len(strings.TrimLeft(l, " "))
		switch {
		case l == "jobs:":
			inJobs = true
			continue
		case ind == 0:
			inJobs = false
		case inJobs && ind == 2:
			job = strings.TrimSuffix(trimmed, ":")
			continue
		}
		if inJobs {
			jobs[job] = append(jobs[job], l)
		} else {
			top = append(top, l)
		}
	}
	return top, jobs
}

// permissionsOf reads the `permissions:` mapping among lines (a job's, or
// the top level's): scope → access. A missing block is nil.
func permissionsOf(lines []string) map[string]string {
	var perms map[string]string
	key := -1
	for _, l := range lines {
		ind := len(l) - len(strings.TrimLeft(l, " "))
		trimmed := strings.TrimSpace(l)
		if key >= 0 && ind > key {
			k, v, _ := strings.Cut(trimmed, ":")
			v, _, _ = strings.Cut(v, "#")
			perms[strings.TrimSpace(k)] = strings.TrimSpace(v)
			continue
		}
		key = -1
		if trimmed == "permissions:" {
			perms, key = map[string]string{}, ind
		}
	}
	return perms
}

// TestWorkflowPermissions: least privilege. The workflow reads by
// default; only the comment job may write, only to pull requests, and it
// holds no Misskey token; no job with a token may write to the repository.
// pull_request_target (a fork's code with the secrets) is never used.
func TestWorkflowPermissions(t *testing.T) {
	top, jobs := workflowJobs(t)
	if got := permissionsOf(top); len(got) != 1 || got["contents"] != "read" {
		t.Errorf("top-level permissions = %v, want contents: read alone", got)
	}
	for _, want := range []string{"plan", "comment", "apply", "drift"} {
		if jobs[want] == nil {
			t.Errorf("no job %s", want)
		}
	}
	if got := permissionsOf(jobs["comment"]); len(got) != 1 || got["pull-requests"] != "write" {
		t.Errorf("comment job permissions = %v, want pull-requests: write alone", got)
	}
	for name, lines := range jobs {
		body := strings.Join(lines, "\n")
		perms := permissionsOf(lines)
		for scope, access := range perms {
			if access == "write" && name != "comment" {
				t.Errorf("job %s may write %s", name, scope)
			}
		}
		if strings.Contains(body, "secrets.") && name == "comment" {
			t.Errorf("the comment job, which may write, is given a secret")
		}
	}
	data, _ := os.ReadFile(workflowFile)
	for _, l := range strings.Split(string(data), "\n") {
		if code, _, _ := strings.Cut(l, "#"); strings.Contains(code, "pull_request_target") {
			t.Errorf("the workflow uses pull_request_target: %s", l)
		}
	}
}

// TestWorkflowAppliesTheReviewedPlan: the pull request saves the plan and
// renders the comment from the saved file; main applies that file and
// never plans again; the daily job checks for drift.
func TestWorkflowAppliesTheReviewedPlan(t *testing.T) {
	calls := map[string][][]string{} // job → mkctl argument lists
	for _, s := range workflowSteps(t) {
		calls[s.job] = append(calls[s.job], mkctlInvocations(s.run)...)
	}
	flag := func(args []string, name string) (string, bool) {
		for i, a := range args {
			if a == "-"+name || a == "--"+name {
				if i+1 < len(args) {
					return args[i+1], true
				}
				return "", true
			}
		}
		return "", false
	}
	var saved string
	for _, args := range calls["plan"] {
		if args[0] == "plan" {
			saved, _ = flag(args, "out")
			if _, ok := flag(args, "detailed-exitcode"); !ok {
				t.Errorf("the pull request's plan lacks --detailed-exitcode: %v", args)
			}
		}
	}
	if saved == "" {
		t.Fatalf("the plan job saves no plan (-out): %v", calls["plan"])
	}
	showed := false
	for _, args := range calls["plan"] {
		if args[0] == "show" && args[len(args)-1] == saved {
			_, showed = flag(args, "markdown")
		}
	}
	if !showed {
		t.Errorf("the plan job renders no Markdown from %s: %v", saved, calls["plan"])
	}
	applies := 0
	for _, args := range calls["apply"] {
		switch args[0] {
		case "plan":
			t.Errorf("the apply job plans again: %v", args)
		case "apply":
			applies++
			if filepath.Base(args[len(args)-1]) != filepath.Base(saved) {
				t.Errorf("the apply job applies %v, not the saved plan %s", args, saved)
			}
			if _, ok := flag(args, "auto-approve"); ok {
				t.Errorf("apply FILE with --auto-approve: the saved plan is the approval, the flag would suggest otherwise: %v", args)
			}
		}
	}
	if applies != 1 {
		t.Errorf("the apply job runs %d applies, want 1", applies)
	}
	drift := false
	for _, args := range calls["drift"] {
		if args[0] == "plan" {
			_, drift = flag(args, "detailed-exitcode")
		}
	}
	if !drift {
		t.Errorf("the drift job runs no plan --detailed-exitcode: %v", calls["drift"])
	}
}

// fakeMkctl stands in for mkctl in the steps' scripts: it logs its
// arguments, creates the -out file, prints a plan (Markdown with
// --markdown); show exits 0, plan and apply print FAKE_MKCTL_STDERR on
// stderr and exit with FAKE_MKCTL_EXIT.
const fakeMkctl = `#!/bin/sh
echo "mkctl $*" >> "$FAKE_LOG"
prev=
md=
for a in "$@"; do
  [ "$prev" = -out ] && echo saved > "$a"
  [ "$a" = --markdown ] && md=1
  prev=$a
done
if [ -n "$md" ]; then
  echo "**Plan:** 0 to add, 1 to change, 0 to destroy."
  echo "<sub>plan file <code>sha256:feed</code></sub>"
else
  echo "Plan: 0 to add, 1 to change, 0 to destroy."
fi
[ "$1" = show ] && exit 0
[ -n "$FAKE_MKCTL_STDERR" ] && echo "$FAKE_MKCTL_STDERR" >&2
exit "${FAKE_MKCTL_EXIT:-0}"
`

// fakeGh stands in for the GitHub CLI: it logs its arguments and answers
// the calls the workflow makes from FAKE_GH_* variables.
const fakeGh = `#!/bin/sh
echo "gh $*" >> "$FAKE_LOG"
case "$*" in
  *"--method PATCH"*|*"--method POST"*)
    for a in "$@"; do case "$a" in body=@*) cp "${a#body=@}" "$FAKE_BODY";; esac; done ;;
  "api --paginate repos/"*/issues/*/comments*) echo "$FAKE_GH_COMMENT_ID" ;;
  "api repos/"*/commits/*/pulls*) echo "$FAKE_GH_PR_HEAD" ;;
  "run list"*) echo "$FAKE_GH_RUN" ;;
  "run download"*) mkdir -p reviewed && echo saved > reviewed/plan.mkplan ;;
  "release view"*) echo "$FAKE_GH_TAG" ;;
esac
exit 0
`

type stepRun struct {
	code          int
	out, log, dir string
	summary, body string
}

// runWorkflowStep runs the script of step name of job as GitHub Actions
// does (bash -e), with mkctl and gh replaced by the fakes above, in a
// fresh directory holding the given files.
func runWorkflowStep(t *testing.T, job, name string, env []string, files map[string]string) stepRun {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	var script string
	for _, s := range workflowSteps(t) {
		if s.job == job && s.name == name {
			script = s.run
		}
	}
	if script == "" {
		t.Fatalf("no step %q in job %s", name, job)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	work := filepath.Join(dir, "work")
	for _, d := range []string{bin, work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for file, content := range map[string]string{"mkctl": fakeMkctl, "gh": fakeGh, "curl": fakeCurl} {
		if err := os.WriteFile(filepath.Join(bin, file), []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for file, content := range files {
		if err := os.WriteFile(filepath.Join(work, file), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	scriptPath := filepath.Join(dir, "step.sh")
	if err := os.WriteFile(scriptPath, []byte(script+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := exec.Command(bash, "-e", scriptPath)
	c.Dir = work
	c.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"MKCTL_DIR=accounts", "GITHUB_STEP_SUMMARY="+filepath.Join(dir, "summary"),
		"FAKE_LOG="+filepath.Join(dir, "log"), "FAKE_BODY="+filepath.Join(dir, "body"),
		"GITHUB_REPOSITORY=owner/repo", "GITHUB_SHA=abc123", "GITHUB_WORKFLOW=mkctl")
	c.Env = append(c.Env, env...)
	out, err := c.CombinedOutput()
	r := stepRun{out: string(out), dir: work}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	read := func(name string) string { b, _ := os.ReadFile(filepath.Join(dir, name)); return string(b) }
	r.log, r.summary, r.body = read("log"), read("summary"), read("body")
	return r
}

// The plan step: exit codes 0 (no changes) and 2 (changes) pass and
// render the saved plan as Markdown into the comment and the summary;
// every other code fails the step before anything is rendered.
func TestWorkflowPlanStep(t *testing.T) {
	for code, want := range map[int]int{0: 0, 2: 0, 1: 1, 3: 3, 127: 127} {
		r := runWorkflowStep(t, "plan", "Plan", []string{"FAKE_MKCTL_EXIT=" + strconv.Itoa(code), "FAKE_MKCTL_STDERR=stderr of mkctl"}, nil)
		if r.code != want {
			t.Errorf("mkctl exits %d: the step exits %d, want %d\n%s", code, r.code, want, r.out)
		}
		if want != 0 {
			if strings.Contains(r.log, "mkctl show") {
				t.Errorf("mkctl exits %d: the step still renders the plan:\n%s", code, r.log)
			}
			continue
		}
		if !strings.Contains(r.out, "stderr of mkctl") {
			t.Errorf("mkctl exits %d: its errors are not in the log:\n%s", code, r.out)
		}
		if _, err := os.Stat(filepath.Join(r.dir, "plan.mkplan")); err != nil {
			t.Errorf("mkctl exits %d: no saved plan: %v", code, err)
		}
		md, _ := os.ReadFile(filepath.Join(r.dir, "comment.md"))
		if !strings.HasPrefix(string(md), "**Plan:**") || !strings.Contains(r.summary, "**Plan:**") {
			t.Errorf("mkctl exits %d: comment %q, summary %q", code, md, r.summary)
		}
	}
	// The deletion guard is lifted by the pull request's label only.
	for allow, want := range map[string]bool{"true": true, "false": false, "": false} {
		r := runWorkflowStep(t, "plan", "Plan", []string{"ALLOW_MASS_DELETE=" + allow}, nil)
		if got := strings.Contains(r.log, "--allow-mass-delete"); r.code != 0 || got != want {
			t.Errorf("ALLOW_MASS_DELETE=%q: exit %d, --allow-mass-delete given %v, want %v\n%s", allow, r.code, got, want, r.log)
		}
	}
}

// The comment step updates the comment that carries the marker, or posts
// one; when the plan failed, the comment says so instead of keeping an
// older plan.
func TestWorkflowCommentStep(t *testing.T) {
	md := "**Plan:** 0 to add, 1 to change, 0 to destroy.\n"
	env := []string{"GH_TOKEN=t", "PR=7", "HEAD_SHA=beef", "RUN_URL=https://run"}
	r := runWorkflowStep(t, "comment", "Post or update the plan comment", append(env, "PLAN_RESULT=success", "FAKE_GH_COMMENT_ID="), map[string]string{"comment.md": md})
	if r.code != 0 || !strings.Contains(r.log, "gh api --method POST repos/owner/repo/issues/7/comments") {
		t.Fatalf("no comment yet: exit %d, calls:\n%s\n%s", r.code, r.log, r.out)
	}
	marker, _, _ := strings.Cut(r.body, "\n")
	if !strings.HasPrefix(marker, "<!--") || !strings.Contains(r.body, md) || !strings.Contains(r.body, "beef") {
		t.Errorf("body:\n%s", r.body)
	}
	if !strings.Contains(r.log, marker) {
		t.Errorf("the comment is not looked up by its marker %q:\n%s", marker, r.log)
	}
	r = runWorkflowStep(t, "comment", "Post or update the plan comment", append(env, "PLAN_RESULT=success", "FAKE_GH_COMMENT_ID=42"), map[string]string{"comment.md": md})
	if r.code != 0 || !strings.Contains(r.log, "gh api --method PATCH repos/owner/repo/issues/comments/42") || strings.Contains(r.log, "POST") {
		t.Fatalf("an existing comment: exit %d, calls:\n%s", r.code, r.log)
	}
	r = runWorkflowStep(t, "comment", "Post or update the plan comment", append(env, "PLAN_RESULT=failure", "FAKE_GH_COMMENT_ID=42"), nil)
	if r.code != 0 || !strings.Contains(r.body, "did not complete") || strings.Contains(r.body, "**Plan:**") || strings.Contains(r.body, "<pre>") {
		t.Fatalf("a failed plan: exit %d, body:\n%s\n%s", r.code, r.body, r.out)
	}
	// mkctl's errors are shown, escaped: a bio quoted in an error cannot
	// end the <pre> block or add markup.
	planErr := "Error: Too many deletions\n  bio = \"</pre><img src=x onerror=alert(1)> & ``` @alice\"\n"
	r = runWorkflowStep(t, "comment", "Post or update the plan comment", append(env, "PLAN_RESULT=failure", "FAKE_GH_COMMENT_ID=42"), map[string]string{"plan.err": planErr})
	if r.code != 0 || !strings.Contains(r.body, "<pre>\nError: Too many deletions\n") ||
		!strings.Contains(r.body, "&lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt; &amp; ```") || strings.Count(r.body, "</pre>") != 1 {
		t.Fatalf("a failed plan with errors: exit %d, body:\n%s\n%s", r.code, r.body, r.out)
	}
	// Long errors are bounded, and never cut inside a character.
	planErr = "Error: " + strings.Repeat("天気予報ボット🌦️", 3000) + "\n"
	r = runWorkflowStep(t, "comment", "Post or update the plan comment", append(env, "PLAN_RESULT=failure", "FAKE_GH_COMMENT_ID=42"), map[string]string{"plan.err": planErr})
	if r.code != 0 || len(r.body) > 21000 || !utf8.ValidString(r.body) || !strings.HasSuffix(r.body, "</pre>\n") {
		t.Fatalf("a failed plan with long errors: exit %d, %d bytes, valid UTF-8 %v, ends %q\n%s", r.code, len(r.body), utf8.ValidString(r.body), r.body[max(0, len(r.body)-40):], r.out)
	}
}

// The download step finds the pull request of the pushed commit and the
// last successful plan run of its last commit; without either there is no
// reviewed plan and the job fails before mkctl runs.
func TestWorkflowDownloadStep(t *testing.T) {
	r := runWorkflowStep(t, "apply", "Download the reviewed plan", []string{"FAKE_GH_PR_HEAD=beef", "FAKE_GH_RUN=99"}, nil)
	if r.code != 0 || !strings.Contains(r.log, "--commit beef") || !strings.Contains(r.log, "gh run download 99") {
		t.Fatalf("exit %d, calls:\n%s\n%s", r.code, r.log, r.out)
	}
	if _, err := os.Stat(filepath.Join(r.dir, "reviewed", "plan.mkplan")); err != nil {
		t.Fatal(err)
	}
	for _, env := range [][]string{{"FAKE_GH_PR_HEAD=", "FAKE_GH_RUN=99"}, {"FAKE_GH_PR_HEAD=beef", "FAKE_GH_RUN="}} {
		r := runWorkflowStep(t, "apply", "Download the reviewed plan", env, nil)
		if r.code == 0 || !strings.Contains(r.out, "::error title=No reviewed plan::") || strings.Contains(r.log, "run download") {
			t.Errorf("%v: exit %d, calls:\n%s\n%s", env, r.code, r.log, r.out)
		}
	}
}

// The apply step fails when mkctl refuses; a stale plan (the refusal of
// apply FILE, whose message this checks) says that a new review is needed.
func TestWorkflowApplyStep(t *testing.T) {
	stale := (&stalePlanError{path: "reviewed/plan.mkplan", what: "the configuration changed", items: []string{"accounts/a.mk.hcl"}}).Error()
	for _, tc := range []struct {
		exit   int
		stderr string
		review bool
	}{
		{0, "", false},
		{1, "Error: " + stale, true},
		{1, "Error: cannot reach misskey.example", false},
	} {
		r := runWorkflowStep(t, "apply", "Apply the reviewed plan", []string{"FAKE_MKCTL_EXIT=" + strconv.Itoa(tc.exit), "FAKE_MKCTL_STDERR=" + tc.stderr}, nil)
		if r.code != tc.exit {
			t.Errorf("mkctl exits %d: the step exits %d", tc.exit, r.code)
		}
		if got := strings.Contains(r.out, "::error title=A new review is needed::"); got != tc.review {
			t.Errorf("%q: new review asked %v, want %v\n%s", tc.stderr, got, tc.review, r.out)
		}
		if tc.stderr != "" && !strings.Contains(r.out, tc.stderr) {
			t.Errorf("mkctl's error is not in the log:\n%s", r.out)
		}
	}
}

// The drift step: no changes pass, changes fail with the plan in the
// summary, errors fail.
func TestWorkflowDriftStep(t *testing.T) {
	for code, want := range map[int]int{0: 0, 2: 2, 1: 1} {
		r := runWorkflowStep(t, "drift", "Check for drift", []string{"FAKE_MKCTL_EXIT=" + strconv.Itoa(code)}, nil)
		if r.code != want {
			t.Errorf("mkctl exits %d: the step exits %d, want %d\n%s", code, r.code, want, r.out)
		}
		if drifted := strings.Contains(r.summary, "**Plan:**"); drifted != (code == 2) {
			t.Errorf("mkctl exits %d: summary %q", code, r.summary)
		}
		if code == 2 && !strings.Contains(r.out, "::error title=Drift::") {
			t.Errorf("drift is not reported:\n%s", r.out)
		}
	}
}

// fakeCurl stands in for curl in the install step: `curl … -o FILE URL`
// copies $FAKE_RELEASES/<tag>/<asset> for a release URL, or fails as curl
// -f does on a 404.
const fakeCurl = `#!/bin/sh
echo "curl $*" >> "$FAKE_LOG"
prev=
for a in "$@"; do
  [ "$prev" = -o ] && out=$a
  prev=$a
  url=$a
done
asset=${url##*/}
tag=${url%/*}
tag=${tag##*/}
if [ ! -f "$FAKE_RELEASES/$tag/$asset" ]; then
  echo "curl: (22) The requested URL returned error: 404" >&2
  exit 22
fi
cp "$FAKE_RELEASES/$tag/$asset" "$out"
`

// fakeRelease writes a release as goreleaser makes it into
// dir/v<version>: a linux archive per architecture holding an mkctl that
// prints its version, and checksums.txt. tamper changes an archive after
// its checksum was taken; unlisted leaves one out of checksums.txt.
func fakeRelease(t *testing.T, dir, version string, tamper, unlisted string) {
	t.Helper()
	rel := filepath.Join(dir, "v"+version)
	if err := os.MkdirAll(rel, 0o755); err != nil {
		t.Fatal(err)
	}
	var sums strings.Builder
	for _, arch := range []string{"amd64", "arm64"} {
		name := "mkctl_" + version + "_linux_" + arch + ".tar.gz"
		var buf bytes.Buffer
		gz := gzip.NewWriter(&buf)
		tw := tar.NewWriter(gz)
		for file, body := range map[string]string{
			"mkctl":     "#!/bin/sh\necho \"mkctl version " + version + " " + arch + "\"\n",
			"README.md": "# mkctl\n",
		} {
			if err := tw.WriteHeader(&tar.Header{Name: file, Mode: 0o755, Size: int64(len(body))}); err != nil {
				t.Fatal(err)
			}
			if _, err := tw.Write([]byte(body)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := gz.Close(); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(buf.Bytes())
		if name != unlisted {
			fmt.Fprintf(&sums, "%x  %s\n", sum, name)
		}
		data := buf.Bytes()
		if name == tamper {
			data = append(data, 0)
		}
		if err := os.WriteFile(filepath.Join(rel, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(rel, "checksums.txt"), []byte(sums.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The install step of each job downloads the release archive of
// MKCTL_VERSION for the runner's architecture, checks it against the
// release's checksums.txt and puts mkctl on the PATH of the next steps;
// an archive whose checksum differs, or that checksums.txt does not list,
// is never unpacked.
func TestWorkflowInstallStep(t *testing.T) {
	var jobs []string
	for _, s := range workflowSteps(t) {
		if s.name == "Install mkctl" {
			jobs = append(jobs, s.job)
			for _, l := range strings.Split(s.run, "\n") {
				if l = strings.TrimSpace(l); strings.HasPrefix(l, "go ") {
					t.Errorf("job %s compiles mkctl: %s", s.job, l)
				}
			}
		}
	}
	if strings.Join(jobs, ",") != "plan,apply,drift" {
		t.Fatalf("install steps in jobs %v, want plan, apply and drift", jobs)
	}
	data, _ := os.ReadFile(workflowFile)
	if strings.Contains(string(data), "uses: actions/setup-go") {
		t.Errorf("the workflow still sets up Go")
	}
	for _, tc := range []struct {
		name                  string
		version, arch, tag    string
		tamper, unlisted      string
		ok                    bool
		wantOut, wantDownload string
	}{
		{name: "pinned", version: "v1.2.3", arch: "X64", ok: true, wantOut: "mkctl version 1.2.3 amd64", wantDownload: "/v1.2.3/mkctl_1.2.3_linux_amd64.tar.gz"},
		{name: "latest on arm", version: "latest", tag: "v1.2.3", arch: "ARM64", ok: true, wantOut: "mkctl version 1.2.3 arm64", wantDownload: "/v1.2.3/mkctl_1.2.3_linux_arm64.tar.gz"},
		{name: "tampered", version: "v1.2.3", arch: "X64", tamper: "mkctl_1.2.3_linux_amd64.tar.gz", wantOut: "FAILED"},
		{name: "unlisted", version: "v1.2.3", arch: "X64", unlisted: "mkctl_1.2.3_linux_amd64.tar.gz", wantOut: "::error title=No checksum::"},
		{name: "no such release", version: "v9.9.9", arch: "X64", wantOut: "404"},
		{name: "no such architecture", version: "v1.2.3", arch: "X86", wantOut: "::error title=No mkctl release::"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			releases, runnerTemp := t.TempDir(), t.TempDir()
			fakeRelease(t, releases, "1.2.3", tc.tamper, tc.unlisted)
			ghPath := filepath.Join(t.TempDir(), "github_path")
			for _, job := range jobs {
				r := runWorkflowStep(t, job, "Install mkctl", []string{
					"MKCTL_VERSION=" + tc.version, "RUNNER_ARCH=" + tc.arch, "RUNNER_TEMP=" + runnerTemp,
					"GITHUB_PATH=" + ghPath, "FAKE_RELEASES=" + releases, "FAKE_GH_TAG=" + tc.tag,
				}, nil)
				path, _ := os.ReadFile(ghPath)
				_, statErr := os.Stat(filepath.Join(runnerTemp, "mkctl", "mkctl"))
				if (r.code == 0) != tc.ok || !strings.Contains(r.out, tc.wantOut) {
					t.Fatalf("%s: exit %d, want ok %v and %q in the output:\n%s\n%s", job, r.code, tc.ok, tc.wantOut, r.out, r.log)
				}
				if !tc.ok {
					if len(path) > 0 || statErr == nil {
						t.Fatalf("%s: a failed install unpacked mkctl (%v) or changed the PATH: %q", job, statErr, path)
					}
					continue
				}
				if strings.TrimSpace(string(path)) != filepath.Join(runnerTemp, "mkctl") || statErr != nil {
					t.Errorf("%s: GITHUB_PATH %q, mkctl: %v", job, path, statErr)
				}
				if !strings.Contains(r.log, tc.wantDownload) || !strings.Contains(r.log, "/v1.2.3/checksums.txt") {
					t.Errorf("%s: downloads:\n%s", job, r.log)
				}
				if got := strings.Contains(r.log, "gh release view"); got != (tc.version == "latest") {
					t.Errorf("%s: latest looked up %v:\n%s", job, got, r.log)
				}
				os.Remove(ghPath)
			}
		})
	}
}
