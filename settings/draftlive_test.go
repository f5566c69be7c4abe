package settings

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestHoldLiveDraftHelper is a window still running: it writes a live
// draft in AZCHAT_DRAFT_DIR and holds it until its stdin closes.
func TestHoldLiveDraftHelper(t *testing.T) {
	dir := os.Getenv("AZCHAT_DRAFT_DIR")
	if dir == "" {
		t.Skip("run by TestLiveDraftsAreEachWindowsOwn")
	}
	f := NewDraftFile(filepath.Join(dir, "draft.json"))
	if err := f.SaveLive(Draft{Text: "another window's words"}); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("holding\n")
	buf := make([]byte, 1)
	_, _ = os.Stdin.Read(buf)
}

// TestLiveDraftsAreEachWindowsOwn: a window's live draft is a file of its
// own, which the draft kept at the end never replaces; the next start
// takes the newest one a crashed window left (never one of a window still
// running, whatever its process number), moving it; a quit removes the
// quitting window's own.
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
	// Another window, still running (another process holding its lock).
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldLiveDraftHelper$")
	cmd.Env = append(os.Environ(), "AZCHAT_DRAFT_DIR="+dir)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { stdin.Close(); _ = cmd.Wait() }()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "holding\n" {
		t.Fatalf("the other window: %q %v", line, err)
	}
	// Two crashed windows' drafts (no process holds their locks); the
	// newer one is taken, the older one is left for a later start.
	older := crashedDraft(t, f, "0123456789abcdef", Draft{Text: "an older crash"})
	newer := crashedDraft(t, f, "fedcba9876543210", Draft{Text: "left by a crash", Chat: "c9"})
	_ = os.Chtimes(older, timeAgo(2), timeAgo(2))
	next := NewDraftFile(filepath.Join(dir, "draft.json"))
	d, ok := next.TakeCrashed()
	if !ok || d.Text != "left by a crash" || d.Chat != "c9" {
		t.Fatalf("taken: %+v %v", d, ok)
	}
	if _, err := os.Stat(newer); err == nil {
		t.Fatal("a crashed draft taken is still there, to be taken again")
	}
	if b, err := os.ReadFile(next.livePath(next.id)); err != nil || !json.Valid(b) {
		t.Fatal("the draft taken is not the taker's live draft now")
	}
	d, ok = NewDraftFile(filepath.Join(dir, "draft.json")).TakeCrashed()
	if !ok || d.Text != "an older crash" {
		t.Fatalf("the older crash, at the start after: %+v %v (a running window's taken?)", d, ok)
	}
	// This window quits: its live draft goes; the one kept at the end is
	// what it kept.
	if err := f.Save(Draft{Text: "at quit"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(f.livePath(f.id)); err == nil {
		t.Fatal("the quitting window's live draft is still there")
	}
	if f.Load().Text != "at quit" {
		t.Fatal(f.Load())
	}
	// Nothing but live drafts and their locks is taken for one.
	if _, err := os.Stat(filepath.Join(dir, "draft-draft.lock")); err == nil {
		t.Fatal("draft.json was taken for a live draft")
	}
}

func crashedDraft(t *testing.T, f *DraftFile, id string, d Draft) string {
	t.Helper()
	b, _ := json.Marshal(d)
	p := f.livePath(id)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func timeAgo(hours int) time.Time { return time.Now().Add(-time.Duration(hours) * time.Hour) }
