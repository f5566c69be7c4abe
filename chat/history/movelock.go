package history

import (
	"errors"
	"time"

	"github.com/azchat/azchat/internal/filelock"
)

// moveLock takes an exclusive lock on the file at path (made if need be)
// and returns its release. It waits up to moveLockWait for another azchat
// moving the history (errMoveBusy past that). Where the lock cannot be
// taken at all (a read-only folder, a file system without locks), it goes
// on unlocked: no move can succeed in a read-only folder either.
func moveLock(path string) (unlock func(), err error) {
	deadline := time.Now().Add(moveLockWait)
	for {
		unlock, err := filelock.TryLock(path)
		switch {
		case err == nil:
			return unlock, nil
		case !errors.Is(err, filelock.ErrHeld):
			return func() {}, nil
		case time.Now().After(deadline):
			return nil, errMoveBusy
		}
		time.Sleep(20 * time.Millisecond)
	}
}
