//go:build windows

package filelock

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// TryLock takes the lock of the file at path (made if need be) without
// waiting, and returns its release; as on Unix (filelock_unix.go), with
// LockFileEx.
func TryLock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	h := windows.Handle(f.Fd())
	ol := new(windows.Overlapped)
	err = windows.LockFileEx(h, windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol)
	if err == nil {
		return func() {
			_ = windows.UnlockFileEx(h, 0, 1, 0, ol)
			_ = f.Close()
		}, nil
	}
	_ = f.Close()
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return nil, ErrHeld
	}
	return nil, ErrUnsupported
}

// RemoveAndUnlock lets go of the lock (unlock, from TryLock) and removes
// the lock file at path. In that order here: Windows does not remove a
// file a process holds open. Another process that opened it meanwhile
// keeps it (the removal fails, harmlessly).
func RemoveAndUnlock(path string, unlock func()) {
	unlock()
	_ = os.Remove(path)
}
