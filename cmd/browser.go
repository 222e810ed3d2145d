package cmd

import (
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
)

// browserEnvVar names a command that opens a URL, used instead of the
// system's opener: its words, then the URL. It serves unusual desktops
// ("firefox --private-window") and the end-to-end tests, which put a
// simulated browser there so that no real one is ever started.
const browserEnvVar = "MKCTL_BROWSER"

// systemBrowserEnvVar is the conventional variable for the same thing,
// honoured after MKCTL_BROWSER so that a user's usual setting (a terminal
// browser over SSH, a specific profile) works without anything new.
const systemBrowserEnvVar = "BROWSER"

// browserCommand is the command line that opens a URL, from MKCTL_BROWSER
// or else BROWSER, without the URL; nil when neither is set. BROWSER may
// list several commands separated by ':' (the first is used) and may mark
// where the URL goes with %s.
func browserCommand(getenv func(string) string, url string) []string {
	if custom := strings.Fields(getenv(browserEnvVar)); len(custom) > 0 {
		return append(custom, url)
	}
	first, _, _ := strings.Cut(getenv(systemBrowserEnvVar), ":")
	words := strings.Fields(first)
	if len(words) == 0 {
		return nil
	}
	placed := false
	for i, w := range words {
		if strings.Contains(w, "%s") {
			words[i] = strings.ReplaceAll(w, "%s", url)
			placed = true
		}
	}
	if !placed {
		words = append(words, url)
	}
	return words
}

// canOpenBrowser tells whether a browser can be shown to the user: not in
// an SSH session without a display, not on a headless Linux box.
func canOpenBrowser(getenv func(string) string) bool {
	if browserCommand(getenv, "") != nil {
		return true
	}
	switch runtime.GOOS {
	case "windows":
		return true
	case "darwin":
		return getenv("SSH_CONNECTION") == "" && getenv("SSH_TTY") == ""
	default: // Linux and the BSDs: a browser needs a display
		return getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != ""
	}
}

// openBrowser starts the browser on url and does not wait for it: a
// browser started this way may run for hours. The caller treats a failure
// as a reason to ask the user to open the URL, never as fatal.
func openBrowser(getenv func(string) string, url string) error {
	argv := browserCommand(getenv, url)
	if argv == nil {
		switch runtime.GOOS {
		case "windows":
			argv = []string{"rundll32", "url.dll,FileProtocolHandler", url}
		case "darwin":
			argv = []string{"open", url}
		default:
			argv = []string{"xdg-open", url}
		}
	}
	name := argv[0]
	cmd := exec.Command(name, argv[1:]...)
	// Whatever the opener prints would mix with mkctl's own output.
	cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
	if err := cmd.Start(); err != nil {
		var ee *exec.Error
		if errors.As(err, &ee) {
			return fmt.Errorf("%s: %w", name, ee.Err) // exec.Error repeats the arguments: the URL
		}
		return fmt.Errorf("starting %s failed", name)
	}
	go cmd.Wait() // reap it whenever it ends
	return nil
}
