//go:build unix

package cmd

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with that id runs on this
// machine. EPERM means it runs under another user: alive.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
