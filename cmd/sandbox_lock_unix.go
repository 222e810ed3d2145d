//go:build unix

package cmd

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// tryLockFile takes an exclusive flock on path without waiting. flock locks
// belong to the open file, so two runs in one process exclude each other
// too (fcntl locks would not), and the kernel releases the lock of a
// process that dies.
func tryLockFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if !errors.Is(err, unix.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, errLockHeld
		}
		return nil, err
	}
	return f, nil
}

// unlockFile empties the description and unlocks. The file stays: removing
// it would let a run that opened it a moment ago lock a file that no longer
// has the name the next run opens.
func unlockFile(f *os.File, _ string) error {
	_ = f.Truncate(0)
	err := unix.Flock(int(f.Fd()), unix.LOCK_UN)
	return errors.Join(err, f.Close())
}
