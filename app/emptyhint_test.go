package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestTheEmptyChatSaysWhatToDo: an empty chat says how to send and search;
// without a connection it points to Settings; the hint goes with the first
// message and comes back in a new chat.
func TestTheEmptyChatSaysWhatToDo(t *testing.T) {
	h := newHarness(t, true)
	hint := func() string {
		var s string
		h.ui(func() {
			if h.u.hint.Visible() {
				s = h.u.hint.Text
			}
		})
		return s
	}
	// Once the history has said there is no chat to reopen.
	waitUntil(t, func() bool { return hint() != "" })
	if got := hint(); !strings.HasPrefix(got, "Type a message below and press Enter") {
		t.Fatalf("a new chat says %q", got)
	}
	h.send("hello")
	if got := hint(); got != "" {
		t.Fatalf("a chat with messages says %q", got)
	}
	h.ui(h.u.newChat)
	h.settle()
	if got := hint(); !strings.HasPrefix(got, "Type a message below") {
		t.Fatalf("after New chat: %q", got)
	}

	none := newHarness(t, false) // no profile, no variables
	waitUntil(t, func() bool {
		var v bool
		none.ui(func() { v = none.u.hint.Visible() })
		return v
	})
	none.ui(func() {
		if !none.u.hint.Visible() || !strings.Contains(none.u.hint.Text, "open Settings") {
			t.Fatalf("without a connection: %q (shown %v)", none.u.hint.Text, none.u.hint.Visible())
		}
	})
}

// TestEnterWithoutAConnectionSaysWhy: Enter with no connection opens
// Settings saying why, and the message stays in the box (Settings opened
// without a word).
func TestEnterWithoutAConnectionSaysWhy(t *testing.T) {
	h := newHarness(t, false)
	h.ui(func() {
		if top := h.u.win.Canvas().Overlays().Top(); top != nil {
			h.u.win.Canvas().Overlays().Remove(top) // the first start's Settings
		}
		test.Type(h.u.input, "hello there")
		h.u.send()
	})
	h.settle()
	h.ui(func() {
		if h.u.settingsDlg == nil || h.u.win.Canvas().Overlays().Top() == nil {
			t.Fatal("Settings did not open")
		}
		if s := h.u.settingsDlg.Status.Text; !strings.Contains(s, "no connection yet") {
			t.Fatalf("Settings say %q", s)
		}
		if h.u.input.Text != "hello there" {
			t.Fatalf("the box holds %q", h.u.input.Text)
		}
	})
}

// TestTheHintWaitsForAChatBeingOpened: while a chat is being read (at
// start, the last one; or one clicked), the empty chat's hint is not
// shown over it; a key the keychain would not give is said as such, not
// as settings to enter.
func TestTheHintWaitsForAChatBeingOpened(t *testing.T) {
	h := newHarness(t, true)
	shown := func() bool {
		var v bool
		h.ui(func() { v = h.u.hint.Visible() })
		return v
	}
	waitUntil(t, shown)
	h.u.holdHint(true) // as a load starts, on its goroutine
	waitUntil(t, func() bool { return !shown() })
	h.u.holdHint(false)
	waitUntil(t, shown)
	h.ui(func() {
		h.u.connOK, h.u.keyUnread = false, true
		h.u.updateHint()
		if !strings.Contains(h.u.hint.Text, "could not be read from the system keychain") {
			t.Fatalf("with the key unread: %q", h.u.hint.Text)
		}
		h.u.connOK, h.u.keyUnread = true, false
		h.u.updateHint()
	})
}

// TestTheHintFitsANarrowWindow: in a small window the hint is narrower,
// inside the transcript (it ran past the window's edge at 400×300).
func TestTheHintFitsANarrowWindow(t *testing.T) {
	h := newHarness(t, true)
	waitUntil(t, func() bool {
		var v bool
		h.ui(func() { v = h.u.hint.Visible() })
		return v
	})
	h.ui(func() {
		h.u.win.Resize(fyne.NewSize(400, 300))
	})
	h.ui(func() {
		d := fyne.CurrentApp().Driver()
		hintX := d.AbsolutePositionForObject(h.u.hint).X
		list := h.u.transcript.list
		listX := d.AbsolutePositionForObject(list).X
		if hintX < listX || hintX+h.u.hint.Size().Width > listX+list.Size().Width {
			t.Fatalf("the hint spans %.0f–%.0f, the transcript %.0f–%.0f", hintX, hintX+h.u.hint.Size().Width, listX, listX+list.Size().Width)
		}
	})
}
