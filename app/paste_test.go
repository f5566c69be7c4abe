package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/azchat/azchat/internal/fakeazure"
)

// TestALongPasteIsAttachedAsAFile: a paste too long for the message box
// (Fyne lays out an entry's whole text on the UI thread: 200 KB froze the
// window) becomes a text file attached to the message, kept in the paste
// folder; a short one goes into the box.
func TestALongPasteIsAttachedAsAFile(t *testing.T) {
	dir := t.TempDir()
	h := newHarnessConfig(t, true, nil, func(c *Config, _ *fakeazure.Server) { c.PasteDir = dir })
	long := strings.Repeat("a line of a long document\n", 2000) // 52 KB
	h.ui(func() {
		clip := h.u.fyneApp.Clipboard()
		clip.SetContent("short")
		h.u.input.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
		clip.SetContent(long)
		h.u.input.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
	})
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() {
			ok = h.u.draft.reading == 0 && len(h.u.draft.items) == 1 && h.u.draft.items[0].att.Text == long
		})
		return ok
	})
	h.ui(func() {
		if h.u.input.Text != "short" {
			t.Fatalf("the box holds %q", h.u.input.Text)
		}
		p := h.u.draft.items[0].path
		if filepath.Dir(p) != dir {
			t.Fatalf("kept at %s", p)
		}
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("the pasted file: %v %v", fi, err)
		}
	})
}

// TestPastedFilesNotInTheDraftGoAtStart: at start the pasted files of
// earlier runs go, but those attached to the draft put back.
func TestPastedFilesNotInTheDraftGoAtStart(t *testing.T) {
	dir := t.TempDir()
	old, kept := filepath.Join(dir, "pasted-1.txt"), filepath.Join(dir, "pasted-2.txt")
	for _, p := range []string{old, kept} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	clearPasted(dir, time.Now().Add(time.Second), []string{kept})
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Fatalf("an old paste is left: %v", err)
	}
	if _, err := os.Stat(kept); err != nil {
		t.Fatalf("the draft's paste went: %v", err)
	}
}
