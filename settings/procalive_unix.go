//go:build unix

package settings

import (
	"errors"
	"syscall"
)

// ProcessAlive reports whether process pid is running (signal 0 checks
// without sending one; EPERM: it runs as another user).
func ProcessAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
