package cmd

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// Set by the release build (.goreleaser.yaml) with
//
//	-ldflags "-X github.com/mkctl/mkctl/cmd.buildVersion=1.2.3 -X …cmd.buildCommit=SHA -X …cmd.buildDate=RFC3339"
//
// They are separate from Version because the linker's -X only sets a
// variable whose initializer is a constant: `var Version = f()` would
// overwrite the stamped value when the package is initialised.
var (
	buildVersion string
	buildCommit  string
	buildDate    string
)

// buildInfo is what `mkctl --version` reports.
type buildInfo struct {
	Version string // without the leading v; "dev" when unknown
	Commit  string // the full revision, "" when unknown
	Date    string // the commit's (or the build's) time, RFC 3339, "" when unknown
	Dirty   bool   // built from a work tree with uncommitted changes
}

// readBuildInfo combines the stamped values with what the Go toolchain
// recorded: `go install github.com/mkctl/mkctl@v1.2.3` records the module
// version (and no revision), `go build` in a clone records the revision,
// its time and whether the tree was modified (and no version).
func readBuildInfo() buildInfo {
	bi := buildInfo{Version: strings.TrimPrefix(buildVersion, "v"), Commit: buildCommit, Date: buildDate}
	// goreleaser stamps these placeholders when it cannot read git (a
	// snapshot of a clone without a remote): they are no information.
	if bi.Commit == "none" {
		bi.Commit = ""
	}
	if strings.HasPrefix(bi.Date, "0001-01-01") {
		bi.Date = ""
	}
	info, ok := debug.ReadBuildInfo()
	if ok {
		if bi.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			bi.Version = strings.TrimPrefix(info.Main.Version, "v")
		}
		if bi.Commit == "" {
			for _, s := range info.Settings {
				switch s.Key {
				case "vcs.revision":
					bi.Commit = s.Value
				case "vcs.time":
					if bi.Date == "" {
						bi.Date = s.Value
					}
				case "vcs.modified":
					bi.Dirty = s.Value == "true"
				}
			}
		}
	}
	if bi.Version == "" {
		bi.Version = "dev"
	}
	return bi
}

// versionDetails is the second line of `mkctl --version`: the commit and
// its date when known, then the Go version and platform. The first line
// stays cobra's "mkctl version X" (scripts read it).
func (bi buildInfo) versionDetails() string {
	var parts []string
	if bi.Commit != "" {
		c := bi.Commit
		if len(c) > 12 {
			c = c[:12]
		}
		if bi.Dirty {
			c += "-dirty"
		}
		s := "commit " + c
		if bi.Date != "" {
			s += " (" + bi.Date + ")"
		}
		parts = append(parts, s)
	} else if bi.Date != "" {
		parts = append(parts, "built "+bi.Date)
	}
	parts = append(parts, fmt.Sprintf("%s %s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH))
	return strings.Join(parts, ", ")
}

// versionTemplate is cobra's version template: the first line as cobra
// prints it by default, the details after it.
func versionTemplate() string {
	return "{{with .Name}}{{printf \"%s \" .}}{{end}}{{printf \"version %s\" .Version}}\n" +
		strings.ReplaceAll(readBuildInfo().versionDetails(), "{", "{{`{`}}") + "\n"
}
