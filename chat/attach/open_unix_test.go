//go:build unix

package attach

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadRefusesAPipeWithoutWaiting: Read looks at the file it opened, not
// at the path before opening it (a path swapped for a pipe in between made
// the open wait for a writer for ever); a pipe with no writer is opened
// without waiting and refused.
func TestReadRefusesAPipeWithoutWaiting(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "photo.png")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := Read(fifo, "")
		done <- err
	}()
	select {
	case err := <-done:
		asError(t, err, ReasonUnsupported)
	case <-time.After(10 * time.Second):
		t.Fatal("Read is still waiting on a pipe with no writer")
	}
}
