package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

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

	// The crash, as it leaves the live folder: a draft whose lock is free
	// (the window's own file and lock go with its Close here; a copy takes
	// its place, with no lock at all).
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

// TestAQuitKeepsTheDraftAndRemovesTheLiveOne: at a quit (the loop's end)
// the text goes to the kept draft and the window's live file is removed:
// the next start has one copy, not two.
func TestAQuitKeepsTheDraftAndRemovesTheLiveOne(t *testing.T) {
	live := t.TempDir()
	kept := settings.NewDraftFile(filepath.Join(t.TempDir(), "draft.json"))
	h := newHarnessConfig(t, true, nil, func(c *Config, _ *fakeazure.Server) {
		c.Draft, c.Live = kept, settings.OpenLiveDraft(live)
	})
	h.ui(func() { test.Type(h.u.input, "left for later") })
	waitUntil(t, func() bool { return len(liveDrafts(t, live)) == 1 })
	h.u.keepDraftAfterLoop()
	if d := kept.Load(); d.Text != "left for later" {
		t.Fatalf("kept %q", d.Text)
	}
	if names, _ := filepath.Glob(filepath.Join(live, "*")); len(names) != 0 {
		t.Fatalf("left in the live folder: %v", names)
	}
}

// TestSentTextIsNotPutBackAfterACrash: the box emptied by a send is
// written at once, not a second later: a crash as the answer starts does
// not put the question back.
func TestSentTextIsNotPutBackAfterACrash(t *testing.T) {
	live := t.TempDir()
	h := newHarnessConfig(t, true, nil, func(c *Config, _ *fakeazure.Server) {
		c.Draft = settings.NewDraftFile(filepath.Join(t.TempDir(), "draft.json"))
		c.Live = settings.OpenLiveDraft(live)
	})
	h.ui(func() { test.Type(h.u.input, "a question") })
	waitUntil(t, func() bool { return len(liveDrafts(t, live)) == 1 })
	h.ui(func() {
		h.u.livePause = time.Hour
		test.Type(h.u.input, "!")
		h.u.send() // a timer is pending for the "!": the send does not wait for it
	})
	waitUntil(t, func() bool { return len(liveDrafts(t, live)) == 0 })
}
