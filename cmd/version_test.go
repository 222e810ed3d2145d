package cmd

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestVersionDetails(t *testing.T) {
	goPart := runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	for _, tc := range []struct {
		bi   buildInfo
		want string
	}{
		{buildInfo{Version: "1.2.3", Commit: "0123456789abcdef0123", Date: "2026-11-30T18:00:00Z"}, "commit 0123456789ab (2026-11-30T18:00:00Z), " + goPart},
		{buildInfo{Version: "dev", Commit: "0123456789abcdef0123", Date: "2026-11-30T18:00:00Z", Dirty: true}, "commit 0123456789ab-dirty (2026-11-30T18:00:00Z), " + goPart},
		{buildInfo{Version: "1.2.3", Date: "2026-11-30T18:00:00Z"}, "built 2026-11-30T18:00:00Z, " + goPart},
		{buildInfo{Version: "1.2.3"}, goPart}, // go install …@v1.2.3: no revision recorded
	} {
		if got := tc.bi.versionDetails(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.bi, got, tc.want)
		}
	}
}

// TestVersionFlag: the first line stays cobra's "mkctl version X" (scripts
// and the startup benchmark read it); the second names the Go version.
func TestVersionFlag(t *testing.T) {
	io, out, _ := testIO()
	if code := MainContext(t.Context(), io, []string{"--version"}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 2 || lines[0] != "mkctl version "+Version || !strings.HasSuffix(lines[1], runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH) {
		t.Fatalf("--version printed %q", out.String())
	}
}

// TestVersionStamped builds mkctl as the release does (.goreleaser.yaml's
// ldflags) and runs --version: the linker's -X must reach the variables
// (it silently does nothing to a variable whose initializer calls a
// function), and a leading v is dropped as for `go install …@v1.2.3`.
func TestVersionStamped(t *testing.T) {
	if testing.Short() {
		t.Skip("builds mkctl")
	}
	bin := filepath.Join(t.TempDir(), "mkctl")
	const pkg = "github.com/mkctl/mkctl/cmd."
	ldflags := "-X " + pkg + "buildVersion=v9.8.7 -X " + pkg + "buildCommit=0123456789abcdef0123456789abcdef01234567 -X " + pkg + "buildDate=2026-11-30T18:00:00Z"
	if out, err := exec.Command("go", "build", "-ldflags", ldflags, "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "mkctl version 9.8.7\ncommit 0123456789ab (2026-11-30T18:00:00Z), "
	if !strings.HasPrefix(string(out), want) {
		t.Fatalf("--version printed %q, want it to start with %q", out, want)
	}
}

// TestReadBuildInfoStamped: stamped values win; goreleaser's placeholders
// for a commit it could not read are dropped, not shown.
func TestReadBuildInfoStamped(t *testing.T) {
	defer func(v, c, d string) { buildVersion, buildCommit, buildDate = v, c, d }(buildVersion, buildCommit, buildDate)
	buildVersion, buildCommit, buildDate = "v1.2.3", "abc", "2026-11-30T18:00:00Z"
	if bi := readBuildInfo(); bi.Version != "1.2.3" || bi.Commit != "abc" || bi.Date != "2026-11-30T18:00:00Z" {
		t.Errorf("%+v", bi)
	}
	buildCommit, buildDate = "none", "0001-01-01T00:00:00Z"
	if bi := readBuildInfo(); bi.Commit == "none" || strings.HasPrefix(bi.Date, "0001") {
		t.Errorf("placeholders kept: %+v", bi)
	}
}
