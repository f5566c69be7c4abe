//go:build windows

package settings

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// tryLock is as on Unix (draftlock_unix.go), with LockFileEx.
func tryLock(path string) (unlock func(), held, known bool) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return func() {}, false, false
	}
	h := windows.Handle(f.Fd())
	ol := new(windows.Overlapped)
	switch err := windows.LockFileEx(h, windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, ol); {
	case err == nil:
		return func() {
			_ = windows.UnlockFileEx(h, 0, 1, 0, ol)
			_ = f.Close()
		}, true, true
	case errors.Is(err, windows.ERROR_LOCK_VIOLATION):
		_ = f.Close()
		return func() {}, false, true
	default:
		_ = f.Close()
		return func() {}, false, false
	}
}
