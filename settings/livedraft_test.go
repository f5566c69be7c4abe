package settings

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func liveFiles(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func openLive(t *testing.T, dir string) *LiveDraft {
	t.Helper()
	l := OpenLiveDraft(dir)
	if l == nil {
		t.Fatal("no live draft")
	}
	return l
}

// TestLiveDraftComesBackAfterACrash: the text of a window that ended
// without quitting comes back at the next start, in one window only; a
// window still running keeps its own.
func TestLiveDraftComesBackAfterACrash(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "live")
	crashed := openLive(t, dir)
	typed := Draft{Text: "half a thought", Chat: "c1", Files: []string{"/tmp/a.txt"}}
	if err := crashed.Save(1, typed); err != nil {
		t.Fatal(err)
	}
	crashed.abandon()

	next := openLive(t, dir)
	r := next.Recover(nil)
	if !sameDraft(r.Draft, typed) || r.Kept {
		t.Fatalf("recovered %+v (kept %v), want %+v", r.Draft, r.Kept, typed)
	}
	// Held by the start that found it: a window starting at the same
	// moment does not put it back too.
	if again := openLive(t, dir).Recover(nil); !again.Draft.Empty() {
		t.Fatalf("two starts put it back: %+v", again.Draft)
	}
	if err := next.Save(1, r.Draft); err != nil {
		t.Fatal(err)
	}
	r.Taken()
	// The crashed window's file is gone; the text lives in next's, which
	// runs: another window starting now does not take it.
	if other := openLive(t, dir).Recover(nil); !other.Draft.Empty() {
		t.Fatalf("a running window's draft was taken: %+v", other.Draft)
	}
	next.abandon()
	if last := openLive(t, dir).Recover(nil); !sameDraft(last.Draft, typed) {
		t.Fatalf("after the second crash: %+v", last.Draft)
	}
}

// TestLiveDraftQuitLeavesNothing: Close (a quit, the draft kept in
// DraftFile) removes the file and the lock, and later saves do nothing.
func TestLiveDraftQuitLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	l := openLive(t, dir)
	if err := l.Save(1, Draft{Text: "x"}); err != nil {
		t.Fatal(err)
	}
	l.Close()
	if err := l.Save(2, Draft{Text: "late"}); err != nil {
		t.Fatal(err)
	}
	if names := liveFiles(t, dir); len(names) != 0 {
		t.Fatalf("left after quit: %v", names)
	}
}

// TestLiveDraftSavesInOrder: a draft taken earlier and written later does
// not replace a newer one; an empty draft removes the file.
func TestLiveDraftSavesInOrder(t *testing.T) {
	dir := t.TempDir()
	l := openLive(t, dir)
	_ = l.Save(2, Draft{Text: "newer"})
	_ = l.Save(1, Draft{Text: "older"})
	if d := (&DraftFile{path: l.path}).Load(); d.Text != "newer" {
		t.Fatalf("file holds %q", d.Text)
	}
	_ = l.Save(3, Draft{})
	if _, err := os.Stat(l.path); !os.IsNotExist(err) {
		t.Fatalf("an empty draft left the file: %v", err)
	}
	l.Close()
}

// TestLiveDraftNewestComesBack: between the draft kept at the last quit
// and a crashed window's, the newer comes back; one holding the same text
// goes with it (a window whose loop never ended after a signal has both),
// a different one stays for the next start; locks left by windows that
// never wrote a draft are cleared.
func TestLiveDraftNewestComesBack(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "live")
	kept := NewDraftFile(filepath.Join(root, "draft.json"))
	if err := kept.Save(Draft{Text: "kept at quit"}); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(kept.path, old, old); err != nil {
		t.Fatal(err)
	}
	crashed := openLive(t, dir)
	_ = crashed.Save(1, Draft{Text: "typed after"})
	crashed.abandon()
	empty := openLive(t, dir)
	empty.abandon() // a lock and no draft

	r := openLive(t, dir).Recover(kept)
	if r.Draft.Text != "typed after" || r.Kept {
		t.Fatalf("recovered %q (kept %v)", r.Draft.Text, r.Kept)
	}
	r.Taken()
	if _, err := os.Stat(crashed.path); !os.IsNotExist(err) {
		t.Fatalf("the crashed window's file is left: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.Base(empty.path[:len(empty.path)-len(".json")])+".lock")); !os.IsNotExist(err) {
		t.Fatalf("an empty window's lock is left: %v", err)
	}
	// The older kept draft waits in the live folder, out of the way of
	// this window's quit (which writes the kept draft): the next start
	// puts it back.
	if _, err := os.Stat(kept.path); !os.IsNotExist(err) {
		t.Fatalf("the older kept draft is still where a quit writes: %v", err)
	}
	if later := openLive(t, dir).Recover(kept); later.Draft.Text != "kept at quit" || later.Kept {
		t.Fatalf("the start after: %q (kept %v)", later.Draft.Text, later.Kept)
	} else {
		later.Taken()
	}

	// The same text in both: the newer comes back, and both are taken.
	if err := kept.Save(Draft{Text: "kept at quit"}); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(kept.path, old, old); err != nil {
		t.Fatal(err)
	}
	again := openLive(t, dir)
	_ = again.Save(1, Draft{Text: "kept at quit"})
	again.abandon()
	r = openLive(t, dir).Recover(kept)
	if r.Draft.Text != "kept at quit" || !r.Kept {
		t.Fatalf("recovered %q (kept %v)", r.Draft.Text, r.Kept)
	}
	// Another window starting meanwhile takes neither.
	if other := openLive(t, dir).Recover(kept); !other.Draft.Empty() {
		t.Fatalf("a second start put back %q", other.Draft.Text)
	}
	r.Taken()
	if _, err := os.Stat(again.path); !os.IsNotExist(err) {
		t.Fatalf("the copy of the kept draft is left: %v", err)
	}
}

// TestLiveDraftLeaveKeepsTheFiles: a draft that could not be saved in the
// new window's file stays where it was for the next start.
func TestLiveDraftLeaveKeepsTheFiles(t *testing.T) {
	dir := t.TempDir()
	crashed := openLive(t, dir)
	_ = crashed.Save(1, Draft{Text: "words"})
	crashed.abandon()
	r := openLive(t, dir).Recover(nil)
	r.Leave()
	if again := openLive(t, dir).Recover(nil); again.Draft.Text != "words" {
		t.Fatalf("after Leave: %q", again.Draft.Text)
	}
}
