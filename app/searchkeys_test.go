package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestSearchAllChatsByKeyboard: Ctrl+K gives the search box the keys
// (Edit → Search all chats), Down takes them to the results, Enter opens
// the chat highlighted; Esc in the box clears the search, and again gives
// the keys to the message box. Tab goes New chat, search, chats.
func TestSearchAllChatsByKeyboard(t *testing.T) {
	h := newHarness(t, true)
	h.send("banana bread in the first chat")
	h.ui(func() { h.u.newChat() })
	h.settle()
	h.send("something else")
	h.waitSidebar(2)
	first := ""
	h.ui(func() {
		first = h.u.side.items[1].id
		if !pressShortcut(h.u.win, &desktop.CustomShortcut{KeyName: fyne.KeyK, Modifier: fyne.KeyModifierShortcutDefault}) {
			t.Fatal("no Ctrl+K in the menus")
		}
		if h.u.win.Canvas().Focused() != h.u.side.search {
			t.Fatalf("after Ctrl+K %T has the keys", h.u.win.Canvas().Focused())
		}
		test.Type(h.u.side.search, "banana")
		// At once, before the results are listed: the keys go to them
		// once they are (not to the chats listed before).
		h.u.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	})
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() {
			ok = len(h.u.side.items) == 1 && h.u.side.items[0].query == "banana" && h.u.win.Canvas().Focused() == h.u.side.list
		})
		return ok
	})
	h.ui(func() {
		c := h.u.win.Canvas()
		c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() { ok = h.u.conv.ID == first && h.u.highlight >= 0 && h.u.find.sideMsg >= 0 })
		return ok
	})
	h.settle()
	// Esc clears the search, and with it the hit's marks in the chat.
	h.ui(func() {
		c := h.u.win.Canvas()
		c.Focus(h.u.side.search)
		c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if h.u.side.search.Text != "" || c.Focused() != h.u.side.search {
			t.Fatalf("Esc left %q in the box, %T has the keys", h.u.side.search.Text, c.Focused())
		}
		if h.u.highlight >= 0 || h.u.find.sideMsg >= 0 {
			t.Fatalf("the hit is still marked: message %d, words in %d", h.u.highlight, h.u.find.sideMsg)
		}
		c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if c.Focused() != h.u.input {
			t.Fatalf("Esc in the empty box: %T has the keys", c.Focused())
		}
	})
	waitUntil(t, func() bool {
		var n int
		h.ui(func() { n = len(h.u.side.items) })
		return n == 2
	})
	// The order of Tab in the sidebar.
	h.ui(func() {
		c := h.u.win.Canvas()
		var order []fyne.Focusable
		c.Focus(nil)
		for range 3 {
			c.FocusNext()
			order = append(order, c.Focused())
		}
		if _, ok := order[0].(*widget.Button); !ok || order[1] != h.u.side.search || order[2] != h.u.side.list {
			t.Fatalf("Tab goes %T, %T, %T", order[0], order[1], order[2])
		}
	})
}
