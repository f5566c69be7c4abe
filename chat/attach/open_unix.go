//go:build unix

package attach

import (
	"os"
	"syscall"
)

// openNoWait opens path for reading without waiting: opening a FIFO with
// no writer blocks until one comes, unless it is opened non-blocking.
// (Reads of a regular file are not affected by the flag.)
func openNoWait(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
