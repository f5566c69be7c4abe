//go:build unix

package settings

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes an exclusive lock on the file at path (made if need be)
// without waiting: held tells whether it got it (false: a running process
// holds it), and unlock lets it go. known is false where the file system
// takes no locks (then nothing can be told of its owner).
func tryLock(path string) (unlock func(), held, known bool) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return func() {}, false, false
	}
	switch err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); {
	case err == nil:
		return func() {
			_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			_ = f.Close()
		}, true, true
	case errors.Is(err, syscall.EWOULDBLOCK):
		_ = f.Close()
		return func() {}, false, true
	default:
		_ = f.Close()
		return func() {}, false, false
	}
}
