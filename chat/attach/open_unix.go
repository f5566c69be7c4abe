//go:build unix

package attach

import (
	"os"
	"syscall"
)

// openNoWait opens path for reading without waiting: opening a FIFO with
// no writer blocks until one comes, unless it is opened non-blocking
// (reads of a regular file are not affected by the flag); and a terminal
// opened here never becomes azchat's controlling one.
func openNoWait(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
}
