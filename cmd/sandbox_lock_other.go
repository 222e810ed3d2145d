//go:build !unix

package cmd

import (
	"errors"
	"io/fs"
	"os"
)

// tryLockFile creates path exclusively: the file existing is the lock.
// Without flock a killed run leaves the file behind, so a lock whose
// process no longer runs on this host is stale and taken over.
func tryLockFile(path string) (*os.File, error) {
	for attempt := 0; ; attempt++ {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if attempt > 0 || !staleLock(path) {
			return nil, errLockHeld
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
}

// staleLock reports whether the holder recorded in path is a process of
// this host that has ended. A lock without a description yet is being
// taken right now, not stale.
func staleLock(path string) bool {
	h, ok := readHolder(path)
	if !ok {
		return false
	}
	if host, _ := os.Hostname(); host != h.Host {
		return false // another machine's process cannot be checked
	}
	p, err := os.FindProcess(h.PID) // fails on Windows when the process is gone
	if err != nil {
		return true
	}
	_ = p.Release()
	return false
}

func unlockFile(f *os.File, path string) error {
	return errors.Join(f.Close(), os.Remove(path))
}
