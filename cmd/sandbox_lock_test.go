package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const sandboxVarConfig = `
variable "user" { type = string }

account "a" {
  host     = "misskey.invalid"
  username = var.user
  profile {
    name = "name of ${var.user}"
  }
}
`

// runSandboxMkctl runs mkctl in-process and returns its exit code and output.
func runSandboxMkctl(ctx context.Context, args ...string) (int, string) {
	var out syncBuffer
	code := MainContext(ctx, &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &out}, args)
	return code, out.String()
}

// sandboxNames reads the profile name of every user in a sandbox state.
func sandboxNames(t *testing.T, dir string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ".mkctl", "sandbox.json"))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Users []struct {
			Username string  `json:"username"`
			Name     *string `json:"name"`
		} `json:"users"`
	}
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, u := range st.Users {
		if u.Name != nil {
			names[u.Username] = *u.Name
		}
	}
	return names
}

// Two sandbox applies of different changes in one directory at once both
// land. Each run reads the state at its start and writes it whole at its
// end; the hook holds every run that has read the state until the other
// has read it too (or a second has passed), which without a lock is
// exactly the interleaving where the later save drops the other's change.
func TestSandboxConcurrentAppliesBothLand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.mk.hcl"), []byte(sandboxVarConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	users := []string{"alice", "bob"}
	bufs := make([]*syncBuffer, len(users))
	for i := range bufs {
		bufs[i] = &syncBuffer{}
	}
	// The first run to read the state holds it until the other run has
	// either read it too (no lock: the lost-update interleaving, which
	// the assertions below catch) or said it is waiting for the lock.
	// Waiting for a visible event rather than for a fixed time keeps the
	// test independent of how fast each goroutine gets going under load.
	var n atomic.Int32
	afterSandboxRead = func(string) {
		if n.Add(1) != 1 {
			return // the other run, and the plans after the applies
		}
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) && n.Load() < 2 {
			if strings.Contains(bufs[0].String()+bufs[1].String(), "Waiting up to") {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	t.Cleanup(func() { afterSandboxRead = nil })

	outs := make([]string, len(users))
	codes := make([]int, len(users))
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = MainContext(context.Background(), &IOStreams{In: strings.NewReader(""), Out: bufs[i], ErrOut: bufs[i]},
				[]string{"--chdir", dir, "apply", "--sandbox", "--auto-approve", "--var", "user=" + u})
			outs[i] = bufs[i].String()
		}()
	}
	wg.Wait()
	for i := range users {
		if codes[i] != 0 {
			t.Fatalf("apply as %s: exit %d\n%s", users[i], codes[i], outs[i])
		}
	}
	names := sandboxNames(t, dir)
	for _, u := range users {
		if want := "name of " + u; names[u] != want {
			t.Errorf("after both applies, %s's name is %q, want %q (a lost update); state has %v", u, names[u], want, names)
		}
	}
	// The run that waited said so, naming the holder.
	if all := outs[0] + outs[1]; !strings.Contains(all, "Waiting up to") || !strings.Contains(all, "locked by mkctl") {
		t.Errorf("no run said it waited for the other:\n%s\n---\n%s", outs[0], outs[1])
	}
	// Both plans now converge.
	for _, u := range users {
		if code, out := runSandboxMkctl(context.Background(), "--chdir", dir, "plan", "--sandbox", "--detailed-exitcode", "--var", "user="+u); code != 0 {
			t.Errorf("plan as %s after both applies: exit %d\n%s", u, code, out)
		}
	}
}

// A run that cannot get the lock in time fails, naming the state, the
// holder and the lock file, and reads and writes nothing.
func TestSandboxLockTimeoutNamesHolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.mk.hcl"), []byte(sandboxVarConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	held, err := lockSandbox(context.Background(), filepath.Join(dir, ".mkctl", "sandbox.json"), os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	defer held.release()
	old := sandboxLockWait
	sandboxLockWait = 200 * time.Millisecond
	t.Cleanup(func() { sandboxLockWait = old })

	start := time.Now()
	code, out := runSandboxMkctl(context.Background(), "--chdir", dir, "apply", "--sandbox", "--auto-approve", "--var", "user=alice")
	if code == 0 {
		t.Fatalf("apply ran while the sandbox was locked:\n%s", out)
	}
	for _, want := range []string{"is locked by", "pid " + strconv.Itoa(os.Getpid()), "sandbox.lock", "gave up after 200ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
	if _, err := os.Stat(filepath.Join(dir, ".mkctl", "sandbox.json")); !os.IsNotExist(err) {
		t.Errorf("the state was written while locked: %v", err)
	}
	// Released, the next run goes ahead.
	if err := held.release(); err != nil {
		t.Fatal(err)
	}
	if code, out := runSandboxMkctl(context.Background(), "--chdir", dir, "apply", "--sandbox", "--auto-approve", "--var", "user=alice"); code != 0 {
		t.Fatalf("apply after release: exit %d\n%s", code, out)
	}
}
