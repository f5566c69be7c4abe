//go:build unix

package attach

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadRefusesAPipeWithoutWaiting: a pipe is refused, and Read never
// waits on one. (Read also opens without waiting and checks what it
// opened, for a path swapped for a pipe between its check and its open;
// that moment cannot be made to happen here, so this test covers the
// refusal and openNoWait's own test the open.)
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

// TestOpenNoWaitDoesNotWaitForAWriter: a pipe with no writer opens at
// once (a plain open waits for a writer for ever).
func TestOpenNoWaitDoesNotWaitForAWriter(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		f, err := openNoWait(fifo)
		if err == nil {
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("openNoWait is still waiting for a writer")
	}
}
