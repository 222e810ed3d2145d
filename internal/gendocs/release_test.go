package main

import (
	"encoding/json"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The release configuration and the Dockerfile are checked here as far as
// a machine without a Docker engine can: .ci/run also runs `goreleaser
// check` and a snapshot build (which skips the image).

type goreleaserConfig struct {
	Version int `yaml:"version"`
	Before  struct {
		Hooks []string `yaml:"hooks"`
	} `yaml:"before"`
	Builds []struct {
		ID      string   `yaml:"id"`
		Env     []string `yaml:"env"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Ldflags []string `yaml:"ldflags"`
	} `yaml:"builds"`
	Archives []struct {
		Files []any `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"checksum"`
	DockersV2 []struct {
		IDs        []string `yaml:"ids"`
		Dockerfile string   `yaml:"dockerfile"`
		Platforms  []string `yaml:"platforms"`
	} `yaml:"dockers_v2"`
}

func readGoreleaser(t *testing.T) goreleaserConfig {
	t.Helper()
	data, err := os.ReadFile("../../.goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cfg goreleaserConfig
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestGoreleaserConfig: six static binaries, stamped with the variables
// cmd/version.go declares, archived with the man pages and completions
// this program writes, and a checksum file.
func TestGoreleaserConfig(t *testing.T) {
	cfg := readGoreleaser(t)
	if cfg.Version != 2 || len(cfg.Builds) != 1 {
		t.Fatalf("version %d, %d builds", cfg.Version, len(cfg.Builds))
	}
	b := cfg.Builds[0]
	slices.Sort(b.Goos)
	slices.Sort(b.Goarch)
	if !slices.Equal(b.Goos, []string{"darwin", "linux", "windows"}) || !slices.Equal(b.Goarch, []string{"amd64", "arm64"}) {
		t.Errorf("builds for %v × %v", b.Goos, b.Goarch)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("the build is not static (CGO_ENABLED=0): %v", b.Env)
	}
	src, err := os.ReadFile("../../cmd/version.go")
	if err != nil {
		t.Fatal(err)
	}
	stamped := map[string]bool{}
	for _, m := range regexp.MustCompile(`-X github\.com/mkctl/mkctl/cmd\.(\w+)=`).FindAllStringSubmatch(strings.Join(b.Ldflags, " "), -1) {
		stamped[m[1]] = true
		// -X needs a package-level string declared without a function
		// call as its initializer: in version.go, a bare `name string`.
		if !regexp.MustCompile(`(?m)^\s+` + m[1] + `\s+string$`).Match(src) {
			t.Errorf("ldflags set cmd.%s, which cmd/version.go does not declare as a plain string variable", m[1])
		}
	}
	for _, v := range []string{"buildVersion", "buildCommit", "buildDate"} {
		if !stamped[v] {
			t.Errorf("ldflags do not set cmd.%s: %v", v, b.Ldflags)
		}
	}
	hooks := strings.Join(cfg.Before.Hooks, "\n")
	if !strings.Contains(hooks, "go run ./internal/gendocs -out build") {
		t.Errorf("no before hook writes build/ with gendocs: %q", hooks)
	}
	files, _ := json.Marshal(cfg.Archives)
	for _, want := range []string{"build/man/*.1", "build/completions/*", "LICENSE", "README.md", "CHANGELOG.md"} {
		if !strings.Contains(string(files), `"`+want+`"`) {
			t.Errorf("the archives do not hold %s: %s", want, files)
		}
	}
	if cfg.Checksum.NameTemplate != "checksums.txt" {
		t.Errorf("checksum file %q: README and the GitHub Actions example download checksums.txt", cfg.Checksum.NameTemplate)
	}
	if len(cfg.DockersV2) != 1 || cfg.DockersV2[0].Dockerfile != "Dockerfile" {
		t.Fatalf("dockers_v2: %+v", cfg.DockersV2)
	}
	for _, p := range cfg.DockersV2[0].Platforms {
		os, arch, _ := strings.Cut(p, "/")
		if os != "linux" || !slices.Contains(b.Goarch, arch) {
			t.Errorf("image platform %s is not a linux binary the build makes", p)
		}
	}
}

// instruction is one Dockerfile instruction.
type instruction struct {
	cmd  string // upper case
	args string
}

// parseDockerfile splits a Dockerfile into its stages' instructions
// (comments dropped, continuation lines joined).
func parseDockerfile(text string) [][]instruction {
	var stages [][]instruction
	var cur string
	flush := func() {
		line := strings.TrimSpace(cur)
		cur = ""
		if line == "" {
			return
		}
		c, args, _ := strings.Cut(line, " ")
		in := instruction{strings.ToUpper(c), strings.TrimSpace(args)}
		if in.cmd == "FROM" || len(stages) == 0 {
			stages = append(stages, nil)
		}
		stages[len(stages)-1] = append(stages[len(stages)-1], in)
	}
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "#") {
			continue
		}
		if s, ok := strings.CutSuffix(t, `\`); ok {
			cur += strings.TrimSpace(s) + " "
			continue
		}
		cur += t
		flush()
	}
	flush()
	return stages
}

// TestDockerfile: the image that runs mkctl holds the static binary
// goreleaser built for its platform, CA certificates and a user; it runs
// as that user, needs no shell, starts mkctl and works in /work.
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	stages := parseDockerfile(string(data))
	if len(stages) == 0 {
		t.Fatal("no FROM")
	}
	final := stages[len(stages)-1]
	if final[0].cmd != "FROM" {
		t.Fatalf("the Dockerfile starts with %s", final[0].cmd)
	}
	base := strings.Fields(final[0].args)[0]
	switch {
	case strings.HasPrefix(base, "gcr.io/distroless/static"):
		// CA certificates, tzdata, /etc/passwd with nonroot (65532).
		if !strings.HasSuffix(base, ":nonroot") {
			t.Errorf("base %s: use the :nonroot variant, whose user has a home", base)
		}
	case base == "scratch":
		copied := ""
		for _, in := range final {
			if in.cmd == "COPY" {
				copied += in.args + "\n"
			}
		}
		if !strings.Contains(copied, "ca-certificates") || !strings.Contains(copied, "/etc/passwd") {
			t.Errorf("FROM scratch without CA certificates or /etc/passwd: mkctl talks HTTPS and needs a user")
		}
	default:
		t.Errorf("final stage FROM %s: want a distroless static image or scratch (no shell, no libc needed)", base)
	}
	var user, workdir string
	var entrypoint []string
	binary := false
	args := map[string]bool{}
	for _, in := range final[1:] {
		switch in.cmd {
		case "RUN":
			t.Errorf("RUN %s in the final stage: it has no shell (and needs none)", in.args)
		case "USER":
			user = in.args
		case "WORKDIR":
			workdir = in.args
		case "ARG":
			args[in.args] = true
		case "ENTRYPOINT":
			if err := json.Unmarshal([]byte(in.args), &entrypoint); err != nil {
				t.Errorf("ENTRYPOINT %s is not the exec (JSON) form: the shell form needs /bin/sh", in.args)
			}
		case "CMD":
			if !strings.HasPrefix(in.args, "[") {
				t.Errorf("CMD %s is not the exec form", in.args)
			}
		case "COPY":
			f := strings.Fields(in.args)
			// goreleaser's dockers_v2 context: <os>/<arch>/mkctl.
			if len(f) == 2 && f[0] == "$TARGETPLATFORM/mkctl" && len(entrypoint) == 0 {
				binary = true
				if !args["TARGETPLATFORM"] {
					t.Errorf("COPY $TARGETPLATFORM/… without ARG TARGETPLATFORM in the stage")
				}
				defer func(dst string) {
					if len(entrypoint) == 0 || entrypoint[0] != dst && path.Join(dst, "mkctl") != entrypoint[0] {
						t.Errorf("the binary is copied to %s, the entrypoint is %v", dst, entrypoint)
					}
				}(f[1])
			}
		}
	}
	if !binary {
		t.Errorf("the final stage does not COPY $TARGETPLATFORM/mkctl (goreleaser's dockers_v2 context)")
	}
	if name, _, _ := strings.Cut(user, ":"); user == "" || name == "root" || name == "0" {
		t.Errorf("USER %q: the image must not run as root", user)
	} else if _, err := json.Number(name).Int64(); err != nil {
		t.Errorf("USER %q: by number, so that runAsNonRoot can check it", user)
	}
	if workdir != "/work" {
		t.Errorf("WORKDIR %q, want /work (README: docker run -v \"$PWD:/work\")", workdir)
	}
	if len(entrypoint) != 1 || path.Base(entrypoint[0]) != "mkctl" {
		t.Errorf("ENTRYPOINT %v, want mkctl alone (arguments are mkctl's)", entrypoint)
	}
}

// TestParseDockerfile: the reader the test above relies on.
func TestParseDockerfile(t *testing.T) {
	stages := parseDockerfile("# c\nFROM golang AS build\nRUN a \\\n  b\n\nFROM scratch\nUSER 1:1\n")
	if len(stages) != 2 || len(stages[0]) != 2 || stages[0][1] != (instruction{"RUN", "a b"}) || stages[1][1] != (instruction{"USER", "1:1"}) {
		t.Fatalf("%+v", stages)
	}
}
