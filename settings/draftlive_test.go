package settings

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestAnotherWindowsLiveDraftIsLeftToIt: a draft another running azchat
// wrote as it typed is not taken (Elsewhere) nor removed by this one's
// empty box; once that process has ended, it is an ordinary draft.
func TestAnotherWindowsLiveDraftIsLeftToIt(t *testing.T) {
	f := NewDraftFile(filepath.Join(t.TempDir(), "draft.json"))
	live := Draft{Text: "typing in the other window", PID: os.Getppid()}
	if err := f.Save(live); err != nil {
		t.Fatal(err)
	}
	if d := f.Load(); !d.Elsewhere() {
		t.Fatalf("a running process's draft is taken: %+v", d)
	}
	if err := f.Save(Draft{}); err != nil || f.Load().Text != live.Text {
		t.Fatalf("removed by another window's empty box (%v)", err)
	}
	// A process that has ended.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	gone := Draft{Text: "left by a crash", PID: cmd.Process.Pid}
	if err := f.Save(gone); err != nil {
		t.Fatal(err)
	}
	if d := f.Load(); d.Elsewhere() || d.Text != gone.Text {
		t.Fatalf("a crashed window's draft is not taken: %+v", d)
	}
	if err := f.Save(Draft{}); err != nil || !f.Load().Empty() {
		t.Fatalf("not removed (%v)", err)
	}
	// This process's own is its own.
	if (Draft{Text: "x", PID: os.Getpid()}).Elsewhere() {
		t.Fatal("this process's draft is another's")
	}
}
