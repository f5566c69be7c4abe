package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
)

// sidebarWindow opens a window over a history holding "short" (3
// messages, its first question "a short question"), waits for the window
// to reopen it, and then writes "long" (100 messages) and "other" (3, its
// first question "another question").
// Opening a long chat stops once its preview is on screen, before the
// whole chat is read, until release is called; done reports whether every
// load has ended (Config.Loading).
func sidebarWindow(t *testing.T) (h *harness, release func(), done func() bool) {
	t.Helper()
	dbPath := t.TempDir() + "/history.db"
	s, err := history.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	short := longChat("short", 3)
	short.Messages[0].Content = "a short question"
	if err := s.ReplaceAll(short); err != nil {
		t.Fatal(err)
	}
	s.Close()
	h, release, done = gatedWindow(t, dbPath)
	waitUntil(t, func() bool {
		shown := false
		h.ui(func() { shown = h.u.conv.ID == "short" && len(h.u.msgs) == 3 })
		return shown && done()
	})
	other := longChat("other", 3)
	other.Messages[0].Content = "another question"
	for _, c := range []*chat.Conversation{longChat("long", 100), other} {
		if err := h.u.history.ReplaceAll(c); err != nil {
			t.Fatal(err)
		}
	}
	return h, release, done
}

// savedCounts checks, once the controller's writes are done, how many
// messages each chat holds in the history.
func savedCounts(t *testing.T, h *harness, want map[string]int) {
	t.Helper()
	h.u.ctl.Flush()
	for id, n := range want {
		if c, err := h.u.history.Load(id); err != nil || len(c.Messages) != n {
			t.Fatalf("%s in the history: %v", id, err)
		}
	}
}

// longShownWhole lets the opening of "long" go on and checks that it is
// shown whole once every load has ended.
func longShownWhole(t *testing.T, h *harness, release func(), done func() bool) {
	t.Helper()
	release()
	waitUntil(t, done)
	h.settle()
	h.ui(func() {
		if h.u.conv.ID != "long" || len(h.u.msgs) != 100 || h.u.msgs[0].Content != "question 0" || h.u.msgs[2].Content != "question 2" {
			t.Fatalf("chat %q, %d messages", h.u.conv.ID, len(h.u.msgs))
		}
	})
}

// previewOf waits until the window previews chat id.
func previewOf(t *testing.T, h *harness, id string) {
	t.Helper()
	waitUntil(t, func() bool {
		on := false
		h.ui(func() { on = h.u.previewing() && h.u.conv.ID == id })
		return on
	})
}

// A long chat opened from the sidebar is drawn from its newest 40
// messages, then whole. Until then the chat shown before stays the
// controller's, untouched (Regenerate does nothing to it), a message
// written waits and goes into the chat opened, and a title given to it
// meanwhile stays.
func TestOpeningALongChatFromTheSidebarDrawsItsNewestFirst(t *testing.T) {
	h, release, done := sidebarWindow(t)
	h.ui(func() { h.u.side.open(sideItem{id: "long"}) })
	previewOf(t, h, "long")
	h.ui(func() {
		if len(h.u.msgs) != previewMessages || h.u.msgs[0].Content != "question 60" || !lastShown(h) {
			t.Fatalf("preview: %d messages, the first %q, end on screen %v", len(h.u.msgs), h.u.msgs[0].Content, lastShown(h))
		}
		if got := h.u.win.Title(); got != "azchat — question 0" {
			t.Fatalf("title %q", got)
		}
		if id := h.u.ctl.ConversationID(); id != "short" {
			t.Fatalf("the controller holds %q", id)
		}
		h.u.regenerate()
		if h.u.ctl.Busy() {
			t.Fatal("Regenerate acted on the chat shown before")
		}
		test.Type(h.u.input, "and now?")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		h.u.side.renameTo("long", "Renamed")
	})
	release()
	waitUntil(t, func() bool {
		n := 0
		h.ui(func() { n = len(h.u.msgs) })
		return n == 102 && done()
	})
	h.settle()
	h.ui(func() {
		if h.u.previewing() || h.u.conv.ID != "long" || h.u.msgs[100].Content != "and now?" || h.u.input.Text != "" {
			t.Fatalf("previewing %v, chat %q, message %q, input %q", h.u.previewing(), h.u.conv.ID, h.u.msgs[100].Content, h.u.input.Text)
		}
		if got := h.u.win.Title(); got != "azchat — Renamed" {
			t.Fatalf("title %q", got)
		}
	})
	savedCounts(t, h, map[string]int{"short": 3, "long": 102})
}

// Clicking through the sidebar shows the chat clicked last: a long chat
// read more slowly than the one clicked after it does not replace it.
func TestTheChatClickedLastIsTheOneShown(t *testing.T) {
	h, release, done := sidebarWindow(t)
	h.ui(func() { h.u.side.open(sideItem{id: "long"}) })
	previewOf(t, h, "long")
	h.ui(func() { h.u.side.open(sideItem{id: "other"}) })
	waitUntil(t, func() bool {
		id := ""
		h.ui(func() { id = h.u.conv.ID })
		return id == "other"
	})
	release()
	waitUntil(t, done)
	h.settle()
	h.ui(func() {
		if h.u.conv.ID != "other" || len(h.u.msgs) != 3 || h.u.previewing() || h.u.win.Title() != "azchat — another question" {
			t.Fatalf("chat %q, %d messages, previewing %v, title %q", h.u.conv.ID, len(h.u.msgs), h.u.previewing(), h.u.win.Title())
		}
	})
	if id := h.u.ctl.ConversationID(); id != "other" {
		t.Fatalf("the controller holds %q", id)
	}
}

// New chat while a chat opens from the sidebar stays.
func TestNewChatWhileAChatOpensStays(t *testing.T) {
	h, release, done := sidebarWindow(t)
	h.ui(func() { h.u.side.open(sideItem{id: "long"}) })
	previewOf(t, h, "long")
	h.ui(h.u.newChat)
	release()
	waitUntil(t, done)
	h.settle()
	h.ui(func() {
		if len(h.u.msgs) != 0 || h.u.previewing() || h.u.conv.ID == "long" || h.u.conv.ID == "short" {
			t.Fatalf("after New chat and the load: %d messages, previewing %v, chat %q", len(h.u.msgs), h.u.previewing(), h.u.conv.ID)
		}
	})
}

// When the whole chat cannot be read (deleted by another azchat between
// the preview and the read), the chat shown before comes back, with the
// reason; a message written meanwhile stays in the input, unsent.
func TestAChatThatCannotBeOpenedLeavesTheOneBefore(t *testing.T) {
	h, release, done := sidebarWindow(t)
	h.ui(func() { h.u.side.open(sideItem{id: "long"}) })
	previewOf(t, h, "long")
	helloThenLoseLong(t, h, release, done)
	h.ui(func() {
		if h.u.conv.ID != "short" || len(h.u.msgs) != 3 || h.u.msgs[2].Content != "question 2" || h.u.previewing() || h.u.input.Text != "hello" {
			t.Fatalf("chat %q, %d messages, previewing %v, input %q", h.u.conv.ID, len(h.u.msgs), h.u.previewing(), h.u.input.Text)
		}
		if got := h.u.win.Title(); got != "azchat — a short question" {
			t.Fatalf("title %q", got)
		}
		top := h.u.win.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("no error shown")
		}
		top.Hide()
	})
	if id := h.u.ctl.ConversationID(); id != "short" || h.u.ctl.Busy() {
		t.Fatalf("the controller holds %q, busy %v", id, h.u.ctl.Busy())
	}
}

// A chat that cannot be opened, clicked while another is previewed,
// leaves neither on screen: the chat shown before the preview comes back
// (the preview's own read, left for the click, would never end it).
func TestAMissingChatClickedOverAPreviewLeavesTheOneBefore(t *testing.T) {
	h, release, done := sidebarWindow(t)
	h.ui(func() { h.u.side.open(sideItem{id: "long"}) })
	previewOf(t, h, "long")
	h.ui(func() { h.u.side.open(sideItem{id: "no-such-chat"}) })
	release()
	waitUntil(t, done)
	h.settle()
	h.ui(func() {
		if h.u.conv.ID != "short" || len(h.u.msgs) != 3 || h.u.previewing() {
			t.Fatalf("chat %q, %d messages, previewing %v", h.u.conv.ID, len(h.u.msgs), h.u.previewing())
		}
		top := h.u.win.Canvas().Overlays().Top()
		if top == nil {
			t.Fatal("no error shown")
		}
		top.Hide()
	})
}

// Edit & resend confirmed once another chat is shown (one clicked just
// before it was opened) changes nothing in either chat: the message's
// index belonged to the chat it was opened on. The edited text is kept in
// the input, after what was written there.
func TestAnEditConfirmedAfterTheChatChangedDoesNothing(t *testing.T) {
	h, release, done := sidebarWindow(t)
	h.ui(func() {
		h.u.editMessage(0)
		h.u.side.open(sideItem{id: "long"})
		h.u.input.SetText("draft")
	})
	previewOf(t, h, "long")
	h.ui(func() {
		for _, o := range test.LaidOutObjects(h.u.win.Canvas().Overlays().Top()) {
			if ee, ok := o.(*escEntry); ok && ee.MultiLine {
				e := &ee.Entry
				e.SetText("edited")
			}
		}
		tapButton(t, h.u.win, "Resend")
		if h.u.ctl.Busy() || h.u.input.Text != "draft\n\nedited" {
			t.Fatalf("resent into the chat before (busy %v), input %q", h.u.ctl.Busy(), h.u.input.Text)
		}
	})
	longShownWhole(t, h, release, done)
	h.u.ctl.Flush()
	if c, err := h.u.history.Load("short"); err != nil || len(c.Messages) != 3 || c.Messages[0].Content != "a short question" {
		t.Fatalf("short changed: %v", err)
	}
}

// Delete confirmed once another chat is shown deletes nothing.
func TestADeleteConfirmedAfterTheChatChangedDoesNothing(t *testing.T) {
	h, release, done := sidebarWindow(t)
	h.ui(func() {
		h.u.deleteMessage(2)
		h.u.side.open(sideItem{id: "long"})
	})
	previewOf(t, h, "long")
	h.ui(func() { tapButton(t, h.u.win, "Delete") })
	longShownWhole(t, h, release, done)
	savedCounts(t, h, map[string]int{"short": 3, "long": 100})
}

// A preview's rows are not the messages the controller's budget counts
// (those of the chat shown before): none is marked outside the window.
func TestAPreviewIsNotMarkedByThePreviousChatsBudget(t *testing.T) {
	h, release, done := sidebarWindow(t)
	h.ui(func() { h.u.side.open(sideItem{id: "long"}) })
	previewOf(t, h, "long")
	h.ui(func() {
		h.u.onBudget(chat.Budget{Window: 100, Omitted: []int{0, 1}})
		if len(h.u.outside) != 0 {
			t.Fatalf("rows marked outside the window: %v", h.u.outside)
		}
	})
	release()
	waitUntil(t, done)
	h.settle()
}

// TestAChatOpensAtItsEndAfterAHit: a search hit scrolls to its message
// (not following the end); the next chat opened shows its end again.
func TestAChatOpensAtItsEndAfterAHit(t *testing.T) {
	h := newHarness(t, true)
	h.send("cherries are red")
	h.ui(func() { h.u.newChat() })
	h.settle()
	h.send("another chat")
	items := h.waitSidebar(2)
	h.ui(func() { h.u.transcript.follow = false }) // as a hit, or the user scrolling up, leaves it
	h.ui(func() { h.u.side.open(items[1]) })
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() { ok = len(h.u.msgs) == 2 && h.u.msgs[0].Content == "cherries are red" })
		return ok
	})
	h.ui(func() {
		if !h.u.transcript.follow {
			t.Fatal("the chat opened does not follow its end")
		}
	})
}

// TestOpeningAChatByKeyTypesNothing: Space on a highlighted chat in the
// list opens it and gives the message box the keys, without the space
// (the window delivers the key's character after the key: it was typed
// into the box); Enter opens it too.
func TestOpeningAChatByKeyTypesNothing(t *testing.T) {
	h := newHarness(t, true)
	h.send("the first chat")
	h.ui(h.u.newChat)
	h.send("the second chat")
	h.waitSidebar(2)
	for _, key := range []fyne.KeyName{fyne.KeySpace, fyne.KeyReturn} {
		var want string
		h.ui(func() {
			c := h.u.win.Canvas()
			c.Focus(h.u.side.list)
			i := 0
			if h.u.side.items[0].id == h.u.conv.ID {
				i = 1
			}
			want = h.u.side.items[i].id
			h.u.side.list.Highlight(i)
			// As the window does: the key, then its character, to what
			// has the keys at each moment.
			c.Focused().TypedKey(&fyne.KeyEvent{Name: key})
			if key == fyne.KeySpace {
				c.Focused().TypedRune(' ')
			}
		})
		waitUntil(t, func() bool {
			var ok bool
			h.ui(func() { ok = h.u.conv.ID == want })
			return ok
		})
		h.settle()
		h.ui(func() {
			if h.u.conv.ID != want || h.u.win.Canvas().Focused() != h.u.input {
				t.Fatalf("%s: chat %q shown (want %q), %T has the keys", key, h.u.conv.ID, want, h.u.win.Canvas().Focused())
			}
			if h.u.input.Text != "" {
				t.Fatalf("%s typed %q into the message box", key, h.u.input.Text)
			}
		})
	}
}
