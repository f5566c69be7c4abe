package app

import (
	"strings"
	"testing"

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
