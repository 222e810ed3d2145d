package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The sandbox state is read when a run starts and written whole when it
// ends, so two runs in one directory at once would each overwrite the other's
// changes. A run therefore holds .mkctl/sandbox.lock from before it reads
// the state until after it writes it. On unix the lock is flock(2) on that
// file: the kernel drops it when the process dies, so a killed run never
// leaves a stale lock. Elsewhere the file is created exclusively and a lock
// whose process is gone is taken over (sandbox_lock_other.go).

// sandboxLockWait bounds how long a run waits for another run's lock. A
// sandbox run takes a second or two, but an apply waiting at its
// confirmation prompt holds the lock for as long as the prompt stays open.
var sandboxLockWait = 30 * time.Second

// sandboxLockPoll is how often a waiting run tries the lock again.
const sandboxLockPoll = 50 * time.Millisecond

// errLockHeld is tryLockFile's answer when another run holds the lock.
var errLockHeld = errors.New("held by another run")

// lockHolder is what a run writes into the lock file once it holds it, so
// that a waiting run can say who it waits for.
type lockHolder struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Command string    `json:"command"`
	Since   time.Time `json:"since"`
}

func (h lockHolder) String() string {
	return fmt.Sprintf("%s (pid %d on %s, since %s)", h.Command, h.PID, h.Host, h.Since.Local().Format(time.DateTime))
}

func currentHolder() lockHolder {
	host, _ := os.Hostname()
	cmd := "mkctl"
	if len(os.Args) > 1 {
		cmd += " " + strings.Join(os.Args[1:min(len(os.Args), 3)], " ")
	}
	return lockHolder{PID: os.Getpid(), Host: host, Command: cmd, Since: time.Now()}
}

// readHolder describes the holder recorded in a lock file; a lock taken a
// moment ago may not have its description yet.
func readHolder(path string) (lockHolder, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return lockHolder{}, false
	}
	var h lockHolder
	if json.Unmarshal(data, &h) != nil || h.PID == 0 {
		return lockHolder{}, false
	}
	return h, true
}

func describeHolder(path string) string {
	if h, ok := readHolder(path); ok {
		return h.String()
	}
	return "another mkctl run"
}

// sandboxLock is a held lock on a directory's sandbox state.
type sandboxLock struct {
	f    *os.File
	path string
}

// lockSandbox takes the lock beside the state file at statePath, waiting up
// to sandboxLockWait for another run to finish (saying so once on wait).
func lockSandbox(ctx context.Context, statePath string, wait io.Writer) (*sandboxLock, error) {
	path := filepath.Join(filepath.Dir(statePath), "sandbox.lock")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("locking the sandbox state: %w", err)
	}
	deadline := time.Now().Add(sandboxLockWait)
	announced, polls := false, 0
	for {
		f, err := tryLockFile(path)
		if err == nil {
			l := &sandboxLock{f: f, path: path}
			l.record(currentHolder())
			return l, nil
		}
		if !errors.Is(err, errLockHeld) {
			return nil, fmt.Errorf("locking the sandbox state %s: %w", statePath, err)
		}
		if !time.Now().Before(deadline) {
			return nil, fmt.Errorf("the sandbox state %s is locked by %s; gave up after %s (wait for that run to finish, or end it: the lock is %s)",
				statePath, describeHolder(path), sandboxLockWait, path)
		}
		// The holder writes its description just after it takes the lock:
		// a run that finds the lock in between would say "another mkctl
		// run". Give the description a few polls to appear before saying
		// who is waited for.
		if !announced {
			if h, known := readHolder(path); known || polls >= 5 {
				who := "another mkctl run"
				if known {
					who = h.String()
				}
				fmt.Fprintf(wait, "Waiting up to %s for the sandbox state %s, locked by %s...\n", sandboxLockWait, statePath, who)
				announced = true
			}
			polls++
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for the sandbox lock: %w", ctx.Err())
		case <-time.After(sandboxLockPoll):
		}
	}
}

// record writes the holder into the lock file. It is only a description
// for waiting runs: failing to write it does not matter.
func (l *sandboxLock) record(h lockHolder) {
	data, err := json.Marshal(h)
	if err != nil {
		return
	}
	if l.f.Truncate(0) == nil {
		_, _ = l.f.WriteAt(append(data, '\n'), 0)
	}
}

// release gives the lock up; a nil lock releases nothing.
func (l *sandboxLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f, l.path)
	l.f = nil
	if err != nil {
		return fmt.Errorf("releasing the sandbox lock %s: %w", l.path, err)
	}
	return nil
}
