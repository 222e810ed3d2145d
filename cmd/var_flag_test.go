package cmd

import (
	"bytes"
	"strings"
	"testing"
)

// A malformed --var is refused without echoing it: without "=" (or with
// nothing before it) the text is likely the value, perhaps a secret.
func TestVarFlagMalformedNotEchoed(t *testing.T) {
	for _, arg := range []string{"s3cr3t-value", "=s3cr3t-value"} {
		var out, errOut bytes.Buffer
		io := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
		if code := Main(io, []string{"validate", "--chdir", t.TempDir(), "--var", arg}); code != ExitError {
			t.Fatalf("--var %s: exit %d, want %d", arg, code, ExitError)
		}
		all := out.String() + errOut.String()
		if strings.Contains(all, "s3cr3t") {
			t.Errorf("--var %s: the value is echoed:\n%s", arg, all)
		}
		if !strings.Contains(all, "--var expects NAME=VALUE") || !strings.Contains(all, "Hint:") {
			t.Errorf("--var %s: want the expected form and a hint:\n%s", arg, all)
		}
	}
}
