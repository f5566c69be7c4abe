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
// moving the history (errMoveBusy past that). Where the lock file cannot
// be made (a read-only folder), it goes on unlocked: no move can succeed
// there either.
func moveLock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return func() {}, nil
	}
	deadline := time.Now().Add(moveLockWait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() {
				_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
				_ = f.Close()
			}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			_ = f.Close()
			return func() {}, nil // no locks on this file system
		}
		if time.Now().After(deadline) {
			_ = f.Close()
			return nil, errMoveBusy
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// freeSpace is what the file system holding dir has free for this user.
func freeSpace(dir string) (int64, bool) {
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) != nil {
		return 0, false
	}
	return int64(st.Bavail) * int64(st.Bsize), true
}
