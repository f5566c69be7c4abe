package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

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
	// Pasted again: said so, and no second file is written.
	h.ui(func() {
		clip := h.u.fyneApp.Clipboard()
		h.u.input.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
		if len(h.u.draft.items) != 1 || h.u.draft.reading != 0 || !strings.HasPrefix(h.u.connLabel.Text, "That text is attached already, as pasted-") {
			t.Fatalf("pasted again: %d files, status %q", len(h.u.draft.items), h.u.connLabel.Text)
		}
	})
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Fatalf("%d files in the paste folder after pasting the same text twice", len(files))
	}
}

// TestPastedFilesNotInTheDraftGoAtStart: at start the pasted files of
// earlier runs go a day after they were pasted, but those attached to the
// draft put back.
func TestPastedFilesNotInTheDraftGoAtStart(t *testing.T) {
	dir := t.TempDir()
	old, kept := filepath.Join(dir, "pasted-1.txt"), filepath.Join(dir, "pasted-2.txt")
	recent := filepath.Join(dir, "pasted-3.txt")
	for _, p := range []string{old, kept, recent} {
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	longAgo := time.Now().Add(-48 * time.Hour)
	for _, p := range []string{old, kept} {
		if err := os.Chtimes(p, longAgo, longAgo); err != nil {
			t.Fatal(err)
		}
	}
	clearPasted(dir, time.Now().Add(time.Second), []string{kept})
	// A day's grace: a draft a crash left for a later start may hold it.
	if _, err := os.Stat(recent); err != nil {
		t.Fatalf("a paste of today went: %v", err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Fatalf("an old paste is left: %v", err)
	}
	if _, err := os.Stat(kept); err != nil {
		t.Fatalf("the draft's paste went: %v", err)
	}
}

// TestEnterRightAfterALongPasteWaitsForIt: Enter pressed while the pasted
// text is still being written to its file sends the message with it (it
// went without it).
func TestEnterRightAfterALongPasteWaitsForIt(t *testing.T) {
	dir := t.TempDir()
	h := newHarnessConfig(t, true, nil, func(c *Config, _ *fakeazure.Server) { c.PasteDir = dir })
	// Attached from 100 bytes here: a text that fits the window the
	// stand-in's deployment is given before it answers (4,096 tokens).
	long := strings.Repeat("a line of a long document\n", 20)
	h.ui(func() {
		h.u.pasteBytes = 100
		clip := h.u.fyneApp.Clipboard()
		clip.SetContent(long)
		test.Type(h.u.input, "summarize this")
		h.u.input.TypedShortcut(&fyne.ShortcutPaste{Clipboard: clip})
		h.u.send()
	})
	waitUntil(t, func() bool { return len(h.srv.Requests()) == 1 })
	body := fmt.Sprint(h.srv.Requests()[0].Body["messages"])
	if !strings.Contains(body, "summarize this") || !strings.Contains(body, "a line of a long document") {
		t.Fatalf("sent without the paste: %.300s", body)
	}
}
