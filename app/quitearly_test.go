package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

// earlyQuitWindow is a connected window whose history opens only once
// gate is closed (a large file being checked, or another program holding
// it): the user chats and quits before it is open.
func earlyQuitWindow(t *testing.T, gate chan struct{}) (*harness, string) {
	t.Helper()
	a := test.NewTempApp(t)
	srv := startStandIn(t, nil)
	vars := map[string]string{settings.EnvEndpoint: srv.URL(), settings.EnvDeployment: "gpt-4o", settings.EnvAPIKey: key}
	db := filepath.Join(t.TempDir(), "history.db")
	u := New(Config{App: a, Prefs: &settings.MemPrefs{}, Secrets: settings.NewSecrets(),
		Getenv:      func(k string) string { return vars[k] },
		OpenHistory: func() (*history.Store, error) { <-gate; return history.Open(db) }})
	u.Show()
	select {
	case <-u.connected:
	case <-time.After(10 * time.Second):
		t.Fatal("never connected")
	}
	return &harness{t: t, u: u, srv: srv}, db
}

// savedChats lists the history at db.
func savedChats(t *testing.T, db string) []history.Summary {
	t.Helper()
	h, err := history.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	list, err := h.List(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestChatBeforeTheHistoryOpensIsSavedOnClose: SIGTERM (Fyne's loop ends,
// then Close) a moment after start, before the history was open, lost the
// chat: nothing had saved it, and the history, opening as the window
// closed, was closed unused.
func TestChatBeforeTheHistoryOpensIsSavedOnClose(t *testing.T) {
	gate := make(chan struct{})
	h, db := earlyQuitWindow(t, gate)
	h.send("hello before the history")
	closed := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		closed <- h.u.Close(ctx)
	}()
	close(gate)
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	if list := savedChats(t, db); len(list) != 1 || list[0].Title != "hello before the history" {
		t.Fatalf("the history holds %+v", list)
	}
}

// TestQuitWaitsForTheHistoryToOpen: Quit (Ctrl+Q, the close button)
// before the history was open closed the controller with nothing to save
// into, and the chat was lost.
func TestQuitWaitsForTheHistoryToOpen(t *testing.T) {
	gate := make(chan struct{})
	h, db := earlyQuitWindow(t, gate)
	exited := make(chan struct{})
	h.u.cfg.Exit = func() { close(exited) }
	h.u.quitGrace = 50 * time.Millisecond
	h.send("hello before the history")
	before := len(h.srv.Requests())
	h.ui(func() {
		h.u.quit()
		// "Saving…": Enter sends nothing (it would start an answer the
		// quit then waits for); the text stays in the box.
		test.Type(h.u.input, "one more")
		h.u.send()
		if h.u.input.Text != "one more" {
			t.Errorf("the box holds %q while quitting", h.u.input.Text)
		}
	})
	if n := len(h.srv.Requests()); n != before {
		t.Errorf("%d requests sent while quitting", n-before)
	}
	close(gate)
	select {
	case <-exited: // the test driver's Quit ends no loop: the watchdog exits
	case <-time.After(20 * time.Second):
		t.Fatal("the quit did not end")
	}
	if list := savedChats(t, db); len(list) != 1 || list[0].Title != "hello before the history" {
		t.Fatalf("the history holds %+v", list)
	}
}

// TestTextInTheBoxIsThereAfterQuitting: quitting dropped what was being
// written, and a message waiting for the connection ("Connecting…"). It
// is back at the next start, in the chat it was written in (reopened
// rather than the latest).
func TestTextInTheBoxIsThereAfterQuitting(t *testing.T) {
	// Long enough to wrap in the box, with a line of its own.
	words := strings.Repeat("words not sent yet, ", 12) + "\nand the last line"
	prefs := &settings.MemPrefs{}
	db := filepath.Join(t.TempDir(), "history.db")
	kept := settings.NewDraftFile(filepath.Join(t.TempDir(), "draft.json"))
	shared := func(c *Config, _ *fakeazure.Server) {
		c.Prefs = prefs
		c.Draft = kept
		c.OpenHistory = func() (*history.Store, error) { return history.Open(db) }
	}
	h := newHarnessConfig(t, true, nil, shared)
	h.send("chat one")
	var one string
	h.ui(func() { one = h.u.conv.ID; h.u.newChat() })
	h.settle()
	h.send("chat two, the latest")
	items := h.waitSidebar(2)
	for _, it := range items {
		if it.id == one {
			h.ui(func() { h.u.side.open(it) })
		}
	}
	waitUntil(t, func() bool { id := ""; h.ui(func() { id = h.u.conv.ID }); return id == one })
	h.settle()
	// Two files attached to the words: kept with them (one is gone by the
	// next start, and said so).
	dir := t.TempDir()
	notes, gone := filepath.Join(dir, "notes.txt"), filepath.Join(dir, "gone.txt")
	for _, p := range []string{notes, gone} {
		// Each its own (the same content twice is attached once).
		if err := os.WriteFile(p, []byte("read "+filepath.Base(p)+" too\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	h.drop(notes, gone)
	h.ui(func() {
		test.Type(h.u.input, words)
		h.u.quit()
	})
	var d settings.Draft
	waitUntil(t, func() bool { d = kept.Load(); return !d.Empty() }) // written off the UI thread
	if d.Text != words || d.Chat != one || strings.Join(d.Files, ",") != notes+","+gone {
		t.Fatalf("kept %+v, want the words in chat %q with both files", d, one)
	}
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	// The first window closes before the second opens (two windows
	// measuring text at once share Fyne's shaper).
	h.closeNow()
	again := newHarnessConfig(t, true, nil, shared)
	waitUntil(t, func() bool {
		ok := false
		again.ui(func() { ok = again.u.conv.ID == one && len(again.u.msgs) == 2 })
		return ok
	})
	again.ui(func() {
		if again.u.input.Text != words {
			t.Fatalf("the box holds %q at the next start", again.u.input.Text)
		}
	})
	// Typed on where it ended, the draft wrapped over lines on screen.
	again.u.bridge.waitIdle()
	again.ui(func() {
		test.Type(again.u.input, "!")
		if got := again.u.input.Text; got != words+"!" {
			t.Fatalf("typed into the draft put back: %q", got)
		}
		again.u.input.SetText(words)
	})
	waitUntil(t, func() bool {
		done := false
		again.ui(func() { done = again.u.draft.reading == 0 && len(again.u.draft.items) == 1 })
		return done
	})
	again.ui(func() {
		if it := again.u.draft.items[0]; it.att.Name != "notes.txt" || it.att.Text != "read notes.txt too\n" || it.path != notes {
			t.Fatalf("attached again: %+v", it.att)
		}
		told := ""
		if top := again.u.win.Canvas().Overlays().Top(); top != nil {
			for _, o := range test.LaidOutObjects(top) {
				if l, ok := o.(*widget.Label); ok {
					told += l.Text
				}
			}
		}
		if !strings.Contains(told, "gone.txt") {
			t.Fatalf("the file gone since is not named: %q", told)
		}
	})
	// Cleared once put back (off the UI thread).
	waitUntil(t, func() bool { return kept.Load().Empty() })
	// A window quitting with an empty box leaves alone a draft it did not
	// write (another azchat's, kept meanwhile).
	again.closeNow()
	other := settings.Draft{Text: "another window's words"}
	if err := kept.Save(other); err != nil {
		t.Fatal(err)
	}
	third := newHarnessConfig(t, true, nil, func(c *Config, s *fakeazure.Server) {
		shared(c, s)
		c.Draft = settings.NewDraftFile(filepath.Join(t.TempDir(), "unused.json"))
	})
	third.u.cfg.Draft = kept
	third.ui(func() { third.u.quit() })
	// quit keeps the draft first, then closes the controller.
	waitUntil(t, func() bool { return third.u.ctl.Closed() })
	if d := kept.Load(); d.Text != other.Text {
		t.Fatalf("an empty box at quit removed another window's draft: %+v", d)
	}
}

// TestTheDraftIsKeptWhenTheWindowIsStuck: a signal whose loop never ends
// (its UI thread stuck) exits without the loop's end, where the draft is
// kept; the signal handler keeps the draft as it was when the box last
// changed, read without the UI thread. A later draft is not replaced.
func TestTheDraftIsKeptWhenTheWindowIsStuck(t *testing.T) {
	kept := settings.NewDraftFile(filepath.Join(t.TempDir(), "draft.json"))
	h := newHarnessConfig(t, true, nil, func(c *Config, _ *fakeazure.Server) { c.Draft = kept })
	h.ui(func() { test.Type(h.u.input, "typed before the hang") })
	h.u.KeepDraftSnapshot() // from the signal's goroutine
	if d := kept.Load(); d.Text != "typed before the hang" {
		t.Fatalf("kept %+v", d)
	}
	var seq uint64
	var later settings.Draft
	h.ui(func() { seq, later = h.u.currentDraft() })
	later.Text = "written by the loop's end"
	h.u.keepDraft(seq, later)
	h.u.KeepDraftSnapshot()
	if d := kept.Load(); d.Text != later.Text {
		t.Fatalf("an older snapshot replaced a later draft: %+v", d)
	}
}
