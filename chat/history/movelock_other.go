//go:build !unix

package history

// moveLock is a no-op where flock is not: there (Windows) a file another
// program has open cannot be renamed, and moveDatabase opens the old
// database without creating it and never renames over a history.
func moveLock(string) (unlock func()) { return func() {} }
