//go:build !unix && !windows

package history

// moveLock is a no-op where neither flock nor LockFileEx is.
func moveLock(string) (unlock func(), err error) { return func() {}, nil }

// freeSpace is not known here: the copy is tried, and removed if it fails.
func freeSpace(string) (int64, bool) { return 0, false }
