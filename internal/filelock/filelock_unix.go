//go:build unix

package filelock

import (
	"errors"
	"os"
	"syscall"
)

// TryLock takes the lock of the file at path (made if need be) without
// waiting, and returns its release. It fails with ErrHeld when the lock is
// taken, or the file was removed (by whoever held it) as it was taken,
// ErrUnsupported where the file system has no locks, or the error opening
// the file.
func TryLock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) || errors.Is(err, syscall.EINTR) {
			return nil, ErrHeld
		}
		return nil, ErrUnsupported
	}
	// The holder before may have removed the file between our open and
	// our lock: the lock of a file no longer at path holds nothing.
	held, err1 := f.Stat()
	now, err2 := os.Stat(path)
	if err1 != nil || err2 != nil || !os.SameFile(held, now) {
		_ = f.Close()
		return nil, ErrHeld
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}

// RemoveAndUnlock removes the lock file at path and lets go of its lock
// (unlock, from TryLock). Removed while held: another process taking the
// lock meanwhile finds the file gone (TryLock says ErrHeld) rather than
// holding a lock on a removed file.
func RemoveAndUnlock(path string, unlock func()) {
	_ = os.Remove(path)
	unlock()
}
