package acctest

import (
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestAccHarness checks the harness itself on the real server: a fresh
// user, a MiAuth token that is that user's and holds only what was asked,
// a role policy that reaches the user's effective policies, and the kit's
// rate-limit reset.
func TestAccHarness(t *testing.T) {
	srv := Connect(t)
	u := srv.NewUser(t, "harness")
	tok := u.MiAuth(t, "read:account")
	var me struct {
		Username string         `json:"username"`
		Policies map[string]any `json:"policies"`
	}
	srv.Must(t, tok, "i", nil, &me)
	if me.Username != u.Username {
		t.Fatalf("the MiAuth token belongs to @%s, want @%s", me.Username, u.Username)
	}
	r, err := srv.Call(t.Context(), tok, "notes/create", map[string]any{"text": "x"})
	if err != nil || r.Status != 403 || !strings.Contains(string(r.Body), "PERMISSION_DENIED") {
		t.Fatalf("a read:account token may post a note: %v %d %s", err, r.Status, r.Body)
	}
	srv.SetPolicy(t, u, "pinLimit", 2)
	srv.Must(t, tok, "i", nil, &me)
	if me.Policies["pinLimit"] != float64(2) {
		t.Fatalf("pinLimit = %v after the role, want 2", me.Policies["pinLimit"])
	}
	srv.ResetRateLimits(t)
}

// TestAccFailsWithoutServer runs TestAccHarness in a child process with
// MKCTL_ACC=1 and no reachable server: it must fail, naming up.sh, never
// skip.
func TestAccFailsWithoutServer(t *testing.T) {
	if os.Getenv("MKCTL_ACC_CHILD") != "" {
		t.Skip("child")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there any more
	for _, env := range [][]string{
		{"MISSKEY_URL="},
		{"MISSKEY_URL=" + dead, "MISSKEY_TOKEN_ADMIN=x"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestAccHarness$", "-test.count=1")
		cmd.Env = append(os.Environ(), "MKCTL_ACC=1", "MKCTL_ACC_CHILD=1")
		cmd.Env = append(cmd.Env, env...)
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("with %v the acceptance test passed:\n%s", env, out)
		}
		if strings.Contains(string(out), "SKIP") || !strings.Contains(string(out), "up.sh") {
			t.Fatalf("with %v the failure does not name up.sh (or skipped):\n%s", env, out)
		}
	}
}
