// Package filelock takes advisory, exclusive locks on files, held by a
// process until it lets go or ends (flock on Unix, LockFileEx on
// Windows): the lock of a process that crashed is free again (at once on
// Unix; on Windows once the system has cleaned up after it).
package filelock

import "errors"

// ErrHeld is TryLock finding the lock taken (by another process, or by
// another TryLock of this one).
var ErrHeld = errors.New("the lock is held")

// ErrUnsupported is TryLock on a file system (or platform) without locks.
var ErrUnsupported = errors.New("no file locks here")
