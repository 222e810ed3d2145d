package cmd

import (
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/mkctl/mkctl/cmd/view"
)

// IOStreams are the process's standard streams, swappable in tests.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	StdinTTY  bool
	StdoutTTY bool
	// StderrTTY decides the error stream's colour on its own: with
	// `2>err.log` stdout may be a terminal while the log must stay free of
	// escape codes.
	StderrTTY bool
	// NoColor is set by NO_COLOR, TERM=dumb or --no-color.
	NoColor bool
}

// System returns the real streams. MKCTL_FORCE_TTY makes mkctl behave as if
// streams were terminals: end-to-end tests use it to reach the
// confirmation prompt and colour output without a pseudo-terminal. "1"
// means every stream; a comma-separated list such as "stdin,stdout" names
// them (to test `2>err.log` on a terminal).
func System() *IOStreams {
	return systemStreams(os.Getenv, func(f *os.File) bool { return term.IsTerminal(int(f.Fd())) })
}

func systemStreams(getenv func(string) string, isTerminal func(*os.File) bool) *IOStreams {
	force := map[string]bool{}
	switch v := getenv("MKCTL_FORCE_TTY"); v {
	case "":
	case "1":
		force = map[string]bool{"stdin": true, "stdout": true, "stderr": true}
	default:
		for _, name := range strings.Split(v, ",") {
			force[strings.TrimSpace(name)] = true
		}
	}
	// no-color.org: NO_COLOR counts when it is set to a non-empty value.
	// TERM=dumb is a terminal that understands no escape codes (Emacs'
	// shell, some CI logs).
	noColor := getenv("NO_COLOR") != "" || getenv("TERM") == "dumb"
	return &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		StdinTTY:  force["stdin"] || isTerminal(os.Stdin),
		StdoutTTY: force["stdout"] || isTerminal(os.Stdout),
		StderrTTY: force["stderr"] || isTerminal(os.Stderr),
		NoColor:   noColor,
	}
}

// Colors is for standard output: colour only on a terminal, and never with
// NO_COLOR, TERM=dumb or --no-color.
func (s *IOStreams) Colors() view.Colors {
	return view.Colors{Enabled: s.StdoutTTY && !s.NoColor}
}

// ErrColors is Colors for the error stream, decided by the error stream's
// own terminal state.
func (s *IOStreams) ErrColors() view.Colors {
	return view.Colors{Enabled: s.StderrTTY && !s.NoColor}
}
