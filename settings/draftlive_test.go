package settings

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestLiveDraftsAreEachWindowsOwn: a window's live draft is a file of its
// own, which the draft kept at the end never replaces; the next start
// takes one a crashed process left (not one of a process still running),
// and a quit removes the quitting window's own.
func TestLiveDraftsAreEachWindowsOwn(t *testing.T) {
	dir := t.TempDir()
	f := NewDraftFile(filepath.Join(dir, "draft.json"))
	if err := f.SaveLive(Draft{Text: "typed here", Chat: "c1", Files: []string{"/tmp/a.png"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.write(filepath.Join(dir, "draft.json"), Draft{Text: "kept by a window that quit"}); err != nil {
		t.Fatal(err)
	}
	if f.Load().Text != "kept by a window that quit" {
		t.Fatal("the live draft replaced the one kept at the end")
	}
	// Another process, still running: its live draft is not taken.
	running := liveFile(t, f, os.Getppid(), Draft{Text: "another window's words"})
	// A process that has ended: its live draft is taken, with its chat.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	crashed := liveFile(t, f, cmd.Process.Pid, Draft{Text: "left by a crash", Chat: "c9"})
	d, ok := f.TakeCrashed()
	if !ok || d.Text != "left by a crash" || d.Chat != "c9" {
		t.Fatalf("taken: %+v %v", d, ok)
	}
	if _, err := os.Stat(crashed); err == nil {
		t.Fatal("a crashed draft taken is still there")
	}
	if _, err := os.Stat(running); err != nil {
		t.Fatal("a running process's live draft was removed")
	}
	if _, ok := f.TakeCrashed(); ok {
		t.Fatal("taken twice, or a running process's taken")
	}
	// This process quits: its live draft goes, the one kept at the end is
	// what it kept.
	if err := f.Save(Draft{Text: "at quit"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(f.livePath(os.Getpid())); err == nil {
		t.Fatal("the quitting window's live draft is still there")
	}
	if f.Load().Text != "at quit" {
		t.Fatal(f.Load())
	}
}

func liveFile(t *testing.T, f *DraftFile, pid int, d Draft) string {
	t.Helper()
	b, _ := json.Marshal(d)
	p := f.livePath(pid)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
