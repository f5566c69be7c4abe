//go:build unix

package filelock

import (
	"errors"
	"os"
	"syscall"
)

// TryLock takes the lock of the file at path (made if need be) without
// waiting, and returns its release. It fails with ErrHeld when the lock is
// taken, ErrUnsupported where the file system has no locks, or the error
// opening the file.
func TryLock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err == nil {
		return func() {
			_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			_ = f.Close()
		}, nil
	}
	_ = f.Close()
	if errors.Is(err, syscall.EWOULDBLOCK) || errors.Is(err, syscall.EINTR) {
		return nil, ErrHeld
	}
	return nil, ErrUnsupported
}
