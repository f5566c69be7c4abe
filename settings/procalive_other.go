//go:build !unix

package settings

import "os"

// ProcessAlive reports whether process pid is running. Where that cannot
// be told apart (FindProcess opens a handle on Windows, and fails for a
// process that is gone), a process found is taken as running.
func ProcessAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	_ = p.Release()
	return true
}
