package cmd

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const workflowFile = "../examples/github-actions/mkctl.yml"

// workflowStep is one step of the example workflow that runs a script.
type workflowStep struct {
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
	name := ""
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		trimmed := strings.TrimSpace(l)
		if n, ok := strings.CutPrefix(trimmed, "- name:"); ok {
			name = strings.TrimSpace(n)
			continue
		}
		body, ok := strings.CutPrefix(trimmed, "run:")
		if !ok {
			continue
		}
		body = strings.TrimSpace(body)
		step := workflowStep{name: name, line: i + 1}
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
	for _, want := range []string{"validate", "plan", "apply"} {
		if !seen[want] {
			t.Errorf("the workflow runs no `mkctl %s` that this test found", want)
		}
	}
}

// TestWorkflowPlanStepExitCodes runs the plan step's script the way GitHub
// Actions does (`bash -e`), with a stand-in mkctl exiting with each code:
// 0 (no changes) and 2 (changes) pass, every other code fails the step.
func TestWorkflowPlanStepExitCodes(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	var script string
	for _, s := range workflowSteps(t) {
		if s.name == "Plan" {
			script = s.run
		}
	}
	if !strings.Contains(script, "mkctl plan --detailed-exitcode") {
		t.Fatalf("no plan step found:\n%s", script)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	fake := "#!/bin/sh\necho \"Plan: 0 to add, 1 to change, 0 to destroy.\"\nexit \"$FAKE_MKCTL_EXIT\"\n"
	if err := os.WriteFile(filepath.Join(bin, "mkctl"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	scriptPath := filepath.Join(dir, "step.sh")
	if err := os.WriteFile(scriptPath, []byte(script+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for code, want := range map[int]int{0: 0, 2: 0, 1: 1, 3: 3, 127: 127} {
		summary := filepath.Join(dir, "summary-"+strconv.Itoa(code))
		c := exec.Command(bash, "-e", scriptPath)
		c.Dir = dir
		c.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
			"FAKE_MKCTL_EXIT="+strconv.Itoa(code), "MKCTL_DIR=accounts", "GITHUB_STEP_SUMMARY="+summary)
		out, err := c.CombinedOutput()
		got := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			got = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("mkctl exits %d: the step exits %d, want %d\n%s", code, got, want, out)
		}
		if data, _ := os.ReadFile(summary); !strings.Contains(string(data), "Plan: 0 to add") {
			t.Errorf("mkctl exits %d: summary %q", code, data)
		}
	}
}
