//go:build windows

package history

import (
	"errors"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

// moveLock takes an exclusive lock on the file at path (made if need be)
// and returns its release; as on Unix (movelock_unix.go), with LockFileEx.
func moveLock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return func() {}, nil
	}
	h := windows.Handle(f.Fd())
	deadline := time.Now().Add(moveLockWait)
	for {
		ol := new(windows.Overlapped)
		err := windows.LockFileEx(h, windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
		if err == nil {
			return func() {
				_ = windows.UnlockFileEx(h, 0, 1, 0, ol)
				_ = f.Close()
			}, nil
		}
		if !errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
			_ = f.Close()
			return func() {}, nil
		}
		if time.Now().After(deadline) {
			_ = f.Close()
			return nil, errMoveBusy
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// freeSpace is not known here: the copy is tried, and removed if it fails.
func freeSpace(string) (int64, bool) { return 0, false }
