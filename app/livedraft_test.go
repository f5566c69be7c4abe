package app

import (
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

// liveDrafts reads the live drafts in dir.
func liveDrafts(t *testing.T, dir string) map[string]settings.Draft {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]settings.Draft{}
	for _, p := range names {
		out[filepath.Base(p)] = settings.NewDraftFile(p).Load()
	}
	return out
}

// TestTypedTextSurvivesACrash: what is typed is written as typing pauses,
// with the chat it is written in (also when only the chat changes), so a
// window that ends without quitting (a crash, a kill) loses none of it: the
// next start puts it back, and the crashed window's file goes once it is
// in the new window's own.
func TestTypedTextSurvivesACrash(t *testing.T) {
	live := t.TempDir()
	kept := settings.NewDraftFile(filepath.Join(t.TempDir(), "draft.json"))
	h := newHarnessConfig(t, true, nil, func(c *Config, _ *fakeazure.Server) {
		c.Draft, c.Live = kept, settings.OpenLiveDraft(live)
	})
	h.send("a first chat")
	var chatID string
	h.ui(func() {
		chatID = h.u.conv.ID
		test.Type(h.u.input, "words not sent yet")
	})
	holds := func(text, chat string) func() bool {
		return func() bool {
			for _, d := range liveDrafts(t, live) {
				if d.Text == text && d.Chat == chat {
					return true
				}
			}
			return false
		}
	}
	waitUntil(t, holds("words not sent yet", chatID))
	var newID string
	h.ui(func() { h.u.newChat(); newID = h.u.conv.ID }) // the text stays in the box, for the new chat
	if newID == chatID {
		t.Fatal("New chat kept the chat")
	}
	waitUntil(t, holds("words not sent yet", newID))

	// The crash: the window's file stays, its lock is free.
	var crashed settings.Draft
	for _, d := range liveDrafts(t, live) {
		crashed = d
	}
	h.closeNow()
	h.u.cfg.Live.Close()
	if err := settings.NewDraftFile(filepath.Join(live, "crashed.json")).Save(crashed); err != nil {
		t.Fatal(err)
	}

	next := newHarnessConfig(t, true, nil, func(c *Config, _ *fakeazure.Server) {
		c.Draft, c.Live = kept, settings.OpenLiveDraft(live)
	})
	var text string
	next.ui(func() { text = next.u.input.Text })
	if text != "words not sent yet" {
		t.Fatalf("after the crash the box holds %q", text)
	}
	waitUntil(t, func() bool {
		ds := liveDrafts(t, live)
		_, old := ds["crashed.json"]
		return !old && len(ds) == 1 && holds("words not sent yet", newID)()
	})
	if _, err := os.Stat(filepath.Join(live, "crashed.lock")); !os.IsNotExist(err) {
		t.Fatalf("the crashed window's lock is left: %v", err)
	}
}
