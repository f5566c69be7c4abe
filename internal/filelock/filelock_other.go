//go:build !unix && !windows

package filelock

// TryLock has no locks to take here.
func TryLock(string) (unlock func(), err error) { return nil, ErrUnsupported }
