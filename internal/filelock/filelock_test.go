//go:build unix || windows

package filelock

import (
	"errors"
	"path/filepath"
	"testing"
)

// TestTryLockIsExclusiveUntilReleased: a second lock of the same file (a
// lock of its own, as another process's would be) is refused while the
// first is held, and taken once it is released.
func TestTryLockIsExclusiveUntilReleased(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	unlock, err := TryLock(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TryLock(path); !errors.Is(err, ErrHeld) {
		t.Fatalf("second lock while held: %v, want ErrHeld", err)
	}
	unlock()
	again, err := TryLock(path)
	if err != nil {
		t.Fatalf("lock after release: %v", err)
	}
	again()
}

// TestTryLockNamesAFolderThatIsNot: a lock file that cannot be made is the
// error making it, not ErrHeld.
func TestTryLockNamesAFolderThatIsNot(t *testing.T) {
	_, err := TryLock(filepath.Join(t.TempDir(), "missing", "x.lock"))
	if err == nil || errors.Is(err, ErrHeld) {
		t.Fatalf("got %v", err)
	}
}
