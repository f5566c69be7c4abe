//go:build !unix && !windows

package filelock

import "os"

// TryLock has no locks to take here.
func TryLock(string) (unlock func(), err error) { return nil, ErrUnsupported }

// RemoveAndUnlock lets go of the lock and removes the lock file.
func RemoveAndUnlock(path string, unlock func()) {
	unlock()
	_ = os.Remove(path)
}
