//go:build unix

package history

import (
	"errors"
	"os"
	"syscall"
	"time"
)

// moveLock takes an exclusive lock on the file at path (made if need be)
// and returns its release. It waits up to moveLockWait for another azchat
// moving the history; past that, or when the lock file cannot be made,
// it goes on unlocked (moveDatabase still never renames over a history).
func moveLock(path string) (unlock func()) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return func() {}
	}
	deadline := time.Now().Add(moveLockWait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				_ = f.Close()
			}
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) || time.Now().After(deadline) {
			_ = f.Close()
			return func() {}
		}
		time.Sleep(20 * time.Millisecond)
	}
}
