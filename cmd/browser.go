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

// canOpenBrowser tells whether a browser can be shown to the user: not in
// an SSH session without a display, not on a headless Linux box.
func canOpenBrowser(getenv func(string) string) bool {
	if getenv(browserEnvVar) != "" {
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
	var name string
	var args []string
	if custom := strings.Fields(getenv(browserEnvVar)); len(custom) > 0 {
		name, args = custom[0], custom[1:]
	} else {
		switch runtime.GOOS {
		case "windows":
			name, args = "rundll32", []string{"url.dll,FileProtocolHandler"}
		case "darwin":
			name = "open"
		default:
			name = "xdg-open"
		}
	}
	cmd := exec.Command(name, append(args, url)...)
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
