package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkStartup runs the mkctl binary as a user does — `--version` and
// `validate` of examples/weather-bot — next to a trivial Go program, so the
// difference is what mkctl's start-up costs (issue 9: under 30 ms of wall
// time; the built-in emulator, which parses api.json, must not load unless
// a command uses it). Each op is one process run.
func BenchmarkStartup(b *testing.B) {
	dir := b.TempDir()
	mkctl := filepath.Join(dir, "mkctl")
	if out, err := exec.Command("go", "build", "-o", mkctl, "..").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	trivial := filepath.Join(dir, "trivial")
	src := filepath.Join(dir, "trivial.go")
	if err := os.WriteFile(src, []byte("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"trivial\") }\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command("go", "build", "-o", trivial, src).CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	example, err := filepath.Abs("../examples/weather-bot")
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		argv []string
	}{
		{"trivial", []string{trivial}},
		{"version", []string{mkctl, "--version"}},
		{"validate-weather-bot", []string{mkctl, "validate", "--chdir", example}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				cmd := exec.Command(tc.argv[0], tc.argv[1:]...)
				cmd.Env = append(os.Environ(), "NO_COLOR=1")
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%v: %v\n%s", tc.argv, err, out)
				}
			}
		})
	}
}
