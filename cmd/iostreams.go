package cmd

import (
	"io"
	"os"

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
	// NoColor is set by NO_COLOR or --no-color.
	NoColor bool
}

// System returns the real streams. MKCTL_FORCE_TTY=1 makes mkctl behave as
// if both stdin and stdout were terminals: end-to-end tests use it to reach
// the confirmation prompt and colour output without a pseudo-terminal.
func System() *IOStreams {
	force := os.Getenv("MKCTL_FORCE_TTY") == "1"
	// no-color.org: NO_COLOR counts when it is set to a non-empty value.
	noColor := os.Getenv("NO_COLOR") != ""
	return &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		StdinTTY:  force || term.IsTerminal(int(os.Stdin.Fd())),
		StdoutTTY: force || term.IsTerminal(int(os.Stdout.Fd())),
		NoColor:   noColor,
	}
}

// Colors enables colour only on a terminal, and never with NO_COLOR.
func (s *IOStreams) Colors() view.Colors {
	return view.Colors{Enabled: s.StdoutTTY && !s.NoColor}
}

// ErrColors is Colors for the error stream (it follows stdout's terminal-ness:
// the two are almost always the same terminal).
func (s *IOStreams) ErrColors() view.Colors { return s.Colors() }
