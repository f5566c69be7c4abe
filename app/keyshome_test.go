package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestDialogsGiveTheKeysBack: Export and This chat's settings opened with
// the mouse (the menu leaves the keys nowhere) give them to the message
// box when they close, by Cancel, Esc or their action: what was typed
// next was lost. A dialog closed over another open one leaves them.
func TestDialogsGiveTheKeysBack(t *testing.T) {
	h := newHarness(t, true)
	h.send("a question")
	inputHasKeys := func() bool {
		var ok bool
		h.ui(func() { ok = h.u.win.Canvas().Focused() == fyne.Focusable(h.u.input) })
		return ok
	}
	for name, open := range map[string]func(){
		"Export, cancelled":           func() { h.u.showExport().d.Hide() },
		"Export, Esc":                 func() { h.u.showExport(); dismissTop(h.u.win) },
		"This chat's settings, apply": func() { cs := h.u.showChatSettings(); cs.apply(h.u); cs.d.Hide() },
		"This chat's settings, Esc":   func() { h.u.showChatSettings(); dismissTop(h.u.win) },
	} {
		h.ui(func() {
			h.u.win.Canvas().Unfocus() // as a click on the menu leaves them
			open()
		})
		h.settle()
		if !inputHasKeys() {
			t.Errorf("%s: the message box does not have the keys", name)
		}
	}
	// Settings with a question over it: the question closed, the keys
	// are not taken from under Settings.
	h.ui(h.u.showSettings)
	h.u.bridge.waitIdle()
	h.ui(func() {
		h.u.win.Canvas().Unfocus()
		h.u.inform("A notice", "over Settings")
		dismissTop(h.u.win)
	})
	h.settle()
	h.ui(func() {
		if h.u.win.Canvas().Overlays().Top() == nil {
			t.Fatal("Settings closed with the notice")
		}
	})
	if inputHasKeys() {
		t.Error("the message box has the keys under an open Settings")
	}
}

// TestKeysTypedNowhereGoToTheMessageBox: a letter typed while nothing has
// the keys (a theme picked or Copy last answer clicked in the menu, a
// menu closed with Esc) is typed into the message box, which keeps the
// keys: it was lost. Not under a dialog.
func TestKeysTypedNowhereGoToTheMessageBox(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		c := h.u.win.Canvas()
		h.u.input.SetText("draft ")
		h.u.input.CursorColumn = len("draft ")
		c.Unfocus()
		// (The window hands later keys to what has them: one is enough.)
		test.TypeOnCanvas(c, "o")
		if h.u.input.Text != "draft o" || c.Focused() != fyne.Focusable(h.u.input) {
			t.Fatalf("typed with nothing focused: box %q, focused %T", h.u.input.Text, c.Focused())
		}
	})
	// A space is not: it comes after Space pressed a button (which let
	// the keys go), a menu item or a dialog's button.
	h.ui(func() {
		c := h.u.win.Canvas()
		c.Unfocus()
		test.TypeOnCanvas(c, " ")
		if h.u.input.Text != "draft o" {
			t.Fatalf("the space of a button pressed was typed: %q", h.u.input.Text)
		}
	})
	// Under a dialog, nothing is typed behind it.
	h.ui(func() {
		h.u.inform("A notice", "in front")
		c := h.u.win.Canvas()
		c.Unfocus()
		test.TypeOnCanvas(c, "x")
		if h.u.input.Text != "draft o" {
			t.Fatalf("typed behind a dialog: %q", h.u.input.Text)
		}
		dismissTop(h.u.win)
	})
}

// TestThisChatsSettingsOpenInAField: This chat's settings open with the
// keys in the system message (opened from the menu with the mouse, they
// were nowhere, and Enter did nothing).
func TestThisChatsSettingsOpenInAField(t *testing.T) {
	h := newHarness(t, true)
	var cs *chatSettings
	h.ui(func() {
		h.u.win.Canvas().Unfocus()
		cs = h.u.showChatSettings()
	})
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() { ok = h.u.win.Canvas().Focused() == fyne.Focusable(cs.system) })
		return ok
	})
	h.ui(func() { dismissTop(h.u.win) })
}
