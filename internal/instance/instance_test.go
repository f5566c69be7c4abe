package instance

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// shortDir is a temporary folder with a path short enough for a socket.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/tmp", "inst")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// TestASecondStartRaisesTheFirstWindow: a second claim of the folder is
// refused while the first holds it, its request brings the first window
// up, and once the first is released the folder can be claimed again.
func TestASecondStartRaisesTheFirstWindow(t *testing.T) {
	dir := shortDir(t)
	first, err := Claim(dir)
	if err != nil {
		t.Fatal(err)
	}
	raised := make(chan struct{}, 1)
	first.OnRaise(func() Answer { raised <- struct{}{}; return Raised })
	if _, err := Claim(dir); !errors.Is(err, ErrRunning) {
		t.Fatalf("second claim: %v, want ErrRunning", err)
	}
	if err := Raise(dir, 5*time.Second); err != nil {
		t.Fatalf("raise: %v", err)
	}
	select {
	case <-raised:
	default:
		t.Fatal("the first window was not asked to come up")
	}
	first.Release()
	if err := Raise(dir, time.Second); err == nil {
		t.Fatal("a released window still answers")
	}
	again, err := Claim(dir)
	if err != nil {
		t.Fatalf("claim after release: %v", err)
	}
	again.Release()
}

// TestAStaleSocketIsReplaced: the socket file a crashed window left does
// not keep the next one from listening.
func TestAStaleSocketIsReplaced(t *testing.T) {
	dir := shortDir(t)
	if err := os.WriteFile(dir+"/w.sock", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := Claim(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Release()
	w.OnRaise(func() Answer { return Raised })
	if err := Raise(dir, 5*time.Second); err != nil {
		t.Fatalf("raise: %v", err)
	}
}

// TestALongFolderStillRaises: a folder whose socket path would be too
// long for a socket still gets one (in the temporary folder).
func TestALongFolderStillRaises(t *testing.T) {
	dir := filepath.Join(t.TempDir(), strings.Repeat("a-long-folder-name-", 8))
	w, err := Claim(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Release()
	w.OnRaise(func() Answer { return Raised })
	if err := Raise(dir, 5*time.Second); err != nil {
		t.Fatalf("raise: %v", err)
	}
}

// TestTheWindowsAnswerIsHeard: a window that is quitting, or whose UI
// does not get to the request, says so; a second start then waits for the
// folder (quitting) or gives up (busy), and does not end believing a
// window came up.
func TestTheWindowsAnswerIsHeard(t *testing.T) {
	dir := shortDir(t)
	w, err := Claim(dir)
	if err != nil {
		t.Fatal(err)
	}
	// Not up yet (no OnRaise): asked again until the timeout, then busy.
	if err := Raise(dir, 300*time.Millisecond); !errors.Is(err, ErrBusy) {
		t.Fatalf("starting window: %v", err)
	}
	var answer atomic.Value
	answer.Store(Busy)
	w.OnRaise(func() Answer { return answer.Load().(Answer) })
	if err := Raise(dir, 5*time.Second); !errors.Is(err, ErrBusy) {
		t.Fatalf("busy window: %v", err)
	}
	answer.Store(Quitting)
	if err := Raise(dir, 5*time.Second); !errors.Is(err, ErrQuitting) {
		t.Fatalf("quitting window: %v", err)
	}
	// Waited for while it is held, taken once it is free.
	if _, err := WaitFree(dir, 300*time.Millisecond); !errors.Is(err, ErrRunning) {
		t.Fatalf("while held: %v", err)
	}
	w.Release()
	next, err := WaitFree(dir, 10*time.Second)
	if err != nil {
		t.Fatalf("after the window ended: %v", err)
	}
	next.Release()
}

// TestASecondStartWaitsForAWindowStillStarting: a window that has taken
// the folder but is not up yet is asked again, and comes up (a double-click
// starts two: the second was told to close the first).
func TestASecondStartWaitsForAWindowStillStarting(t *testing.T) {
	dir := shortDir(t)
	w, err := Claim(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Release()
	raised := make(chan error, 1)
	go func() { raised <- Raise(dir, 10*time.Second) }()
	w.OnRaise(func() Answer { return Raised }) // the window up, while asked
	if err := <-raised; err != nil {
		t.Fatalf("raise: %v", err)
	}
}
