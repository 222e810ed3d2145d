package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mkctl/mkctl/internal/credentials"
)

// mkctl runs mkctl in-process and returns its exit code and output.
func mkctl(args ...string) (code int, stdout, stderr string) {
	io, out, errOut := testIO()
	code = MainContext(context.Background(), io, args)
	return code, out.String(), errOut.String()
}

// A credential stored without its permissions (by hand, or by an older
// mkctl) is not "from the environment".
func TestWhoamiStoredWithoutPermissions(t *testing.T) {
	le := newLoginEnv(t)
	store := &credentials.Store{Path: le.credentialsPath()}
	if _, err := store.Put(credentials.Credential{Host: le.url, Username: "alice", Token: le.emu.IssueToken(le.aliceID, mkctlPermissions), CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	cfg := "account \"weather\" {\n  host     = \"" + le.url + "\"\n  username = \"alice\"\n}\n"
	if err := os.WriteFile(filepath.Join(le.work, "account.mk.hcl"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{le.dir, le.work} { // the stored tokens; the configuration's accounts
		code, out, errOut := mkctl("whoami", "--chdir", dir)
		if code != 0 || !strings.Contains(out, "  permissions: unknown (not recorded when this token was stored; apply tests the ones a plan needs before any change)") ||
			strings.Contains(out, "environment") {
			t.Errorf("whoami --chdir %s: exit %d\n%s%s", dir, code, out, errOut)
		}
	}
}

// A token variable wins over stored tokens: login and logout say so, and
// whoami without a configuration mentions it.
func TestTokenVariablesAreMentioned(t *testing.T) {
	le := newLoginEnv(t)
	t.Setenv("MKCTL_TOKEN", "not-a-real-token-but-set-in-env")
	t.Setenv("MKCTL_TOKEN_WEATHER", "another-one")
	const warning = "Warning: MKCTL_TOKEN, MKCTL_TOKEN_WEATHER are set, and a token variable wins over a stored token: "

	// Without a stored token, whoami cannot say whose the variables are.
	code, _, errOut := mkctl("whoami", "--chdir", le.dir)
	if code != ExitError || !strings.Contains(errOut, "MKCTL_TOKEN, MKCTL_TOKEN_WEATHER are set, but without a configuration whoami cannot tell which account a token belongs to") {
		t.Errorf("whoami with nothing stored: exit %d\n%s", code, errOut)
	}

	io, out, errOut2 := testIO()
	open, wait := browser()
	if err := runLogin(context.Background(), le.loginOpts(io, open)); err != nil {
		t.Fatalf("%v\n%s", err, errOut2)
	}
	wait()
	if !strings.Contains(errOut2.String(), warning+"plan and apply use them instead of the token this login stores (for the accounts a variable applies to; README: Getting a token).") {
		t.Errorf("login's stderr:\n%s", errOut2)
	}
	if strings.Contains(out.String()+errOut2.String(), "not-a-real-token") {
		t.Error("login shows a variable's value")
	}

	code, stdout, _ := mkctl("whoami", "--chdir", le.dir, "--offline")
	if code != 0 || !strings.Contains(stdout, "MKCTL_TOKEN, MKCTL_TOKEN_WEATHER are set in the environment, and a token variable wins over a stored token") {
		t.Errorf("whoami: exit %d\n%s", code, stdout)
	}

	code, _, errOut = mkctl("logout")
	if code != 0 || !strings.Contains(errOut, warning+"plan and apply keep using them; logout removes only the stored token") {
		t.Errorf("logout: exit %d\n%s", code, errOut)
	}
	if strings.Contains(errOut, "another-one") {
		t.Error("logout shows a variable's value")
	}
}
