package app

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/azchat/azchat/internal/fakeazure"
)

// TestEscClosesTheDialogOnTop: Esc (no field focused) closes "Open link?",
// a notice and Settings, the one on top first, answering "no" (the link
// is not opened); with no dialog left it is the window's again.
func TestEscClosesTheDialogOnTop(t *testing.T) {
	h := newHarness(t, true)
	opened := 0
	esc := func() {
		h.u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	}
	overlays := func() (n int) {
		h.ui(func() { n = len(h.u.win.Canvas().Overlays().List()) })
		return n
	}
	h.ui(func() {
		h.u.openURL = func(*url.URL) error { opened++; return nil }
		h.u.showSettings()
		h.u.confirmOpen(&url.URL{Scheme: "https", Host: "example.com"})
		h.u.inform("A notice", "on top of the others")
	})
	if n := overlays(); n != 3 {
		t.Fatalf("%d dialogs open, want 3", n)
	}
	for want := 2; want >= 0; want-- {
		h.ui(esc)
		if n := overlays(); n != want {
			t.Fatalf("after Esc, %d dialogs open, want %d", n, want)
		}
	}
	if opened != 0 {
		t.Fatal("Esc opened the link")
	}
}

// TestEscClosesRenameFromItsField: the field has the keys; Esc still
// closes the dialog, renaming nothing.
func TestEscClosesRenameFromItsField(t *testing.T) {
	h := newHarness(t, true)
	h.send("a chat")
	items := h.waitSidebar(1)
	h.ui(func() { h.u.side.rename(items[0]) })
	h.ui(func() {
		f := h.u.win.Canvas().Focused()
		f.TypedRune('x')
		f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if n := len(h.u.win.Canvas().Overlays().List()); n != 0 {
			t.Fatalf("%d dialogs open after Esc", n)
		}
	})
	h.settle()
	if got := h.waitSidebar(1); got[0].title != "a chat" {
		t.Fatalf("renamed to %q", got[0].title)
	}
}

// TestEscLeavesSettingsWhileCloseIsDisabled: while a key is written (Close
// disabled), Esc does not close Settings.
func TestEscLeavesSettingsWhileCloseIsDisabled(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		h.u.showSettings()
		h.u.settingsDlg.CloseButton.Disable()
		h.u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if !settingsOnTop(h) {
			t.Fatal("Esc closed Settings while Close was disabled")
		}
		h.u.settingsDlg.CloseButton.Enable()
		h.u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if h.u.win.Canvas().Overlays().Top() != nil {
			t.Fatal("Esc did not close Settings")
		}
	})
}

// TestEnterClosesANotice: Enter (no field focused) is a notice's OK.
func TestEnterClosesANotice(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		h.u.inform("A notice", "read and close")
		h.u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if n := len(h.u.win.Canvas().Overlays().List()); n != 0 {
			t.Fatalf("%d dialogs open after Enter", n)
		}
	})
}

// TestEditOpensWithTheCursorAtTheEnd: what is typed goes after the text
// (it went before it: "XYZhi").
func TestEditOpensWithTheCursorAtTheEnd(t *testing.T) {
	h := newHarness(t, true)
	h.send("first line\nsecond")
	h.ui(func() { h.u.editMessage(0) })
	h.ui(func() {
		e, ok := h.u.win.Canvas().Focused().(*escEntry)
		if !ok {
			t.Fatalf("focused: %T", h.u.win.Canvas().Focused())
		}
		e.TypedRune('!')
		if e.Text != "first line\nsecond!" {
			t.Fatalf("typed into %q", e.Text)
		}
	})
}

// TestEnterAnswersTheQuestionsTheUserAsked: Enter (no field focused)
// exports from the Export dialog and stops the answer for what was asked;
// it does not delete a chat, which Enter pressed a moment late would do
// unasked.
func TestEnterAnswersTheQuestionsTheUserAsked(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: "the answer"})
	h.send("a question")
	items := h.waitSidebar(1)
	enter := func() { h.u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn}) }
	dir := t.TempDir()
	h.ui(func() {
		e := h.u.showExport()
		e.dir = dir
		e.name.SetText("by-enter.md")
		enter()
	})
	waitUntil(t, func() bool {
		b, _ := os.ReadFile(filepath.Join(dir, "by-enter.md"))
		return strings.Contains(string(b), "the answer")
	})

	ran := make(chan struct{})
	h.ui(func() {
		h.u.stopFirst("open the other chat", func() { close(ran) })
		enter()
	})
	select {
	case <-ran:
	case <-time.After(10 * time.Second):
		t.Fatal("Enter did not answer the stop question")
	}

	h.ui(func() {
		h.u.side.confirmDelete(items[0])
		enter()
		if h.u.win.Canvas().Overlays().Top() == nil {
			t.Fatal("Enter answered the delete question")
		}
	})
	h.settle()
	if got := h.waitSidebar(1); got[0].id != items[0].id {
		t.Fatalf("chats after Enter: %+v", got)
	}
}

// TestEscFromAChosenSelect: a Select keeps the focus after a choice and
// ignored Esc; it now reaches the window: Settings closes, and in the
// window an answer stops.
func TestEscFromAChosenSelect(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		h.u.showSettings()
		h.u.win.Canvas().Focus(h.u.settingsDlg.Strategy)
		h.u.settingsDlg.Strategy.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if settingsOnTop(h) {
			t.Fatal("Esc from a Select left Settings open")
		}
	})
	gate := make(chan struct{})
	defer close(gate)
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("words ", 200), Gate: gate, GateAfter: 5})
	h.ui(func() {
		test.Type(h.u.input, "stream please")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitUntil(t, func() bool { return h.u.ctl.Busy() })
	h.ui(func() {
		h.u.win.Canvas().Focus(h.u.profileSel)
		h.u.profileSel.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	})
	waitUntil(t, func() bool { return !h.u.ctl.Busy() })
}

// TestCtrlEnterResendsAnEdit: in Edit and resend, where Enter breaks the
// line, Ctrl+Enter resends (there was no key for it).
func TestCtrlEnterResendsAnEdit(t *testing.T) {
	h := newHarness(t, true)
	h.send("first version")
	h.ui(func() { h.u.editMessage(0) })
	h.ui(func() {
		e := h.u.win.Canvas().Focused().(*escEntry)
		e.SetText("second version")
		e.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault})
	})
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() { ok = len(h.u.msgs) == 2 && h.u.msgs[0].Content == "second version" && !h.u.busy })
		return ok
	})
}

// TestShortcutsWaitForTheDialog: a window shortcut pressed while a dialog
// is open (Settings here) does nothing behind it; closed, it works, and
// Quit is never held back.
func TestShortcutsWaitForTheDialog(t *testing.T) {
	h := newHarness(t, true)
	h.send("a question")
	chatID := func() (id string) {
		h.ui(func() { id = h.u.ctl.ConversationID() })
		return id
	}
	before := chatID()
	overlays := func() (n int) {
		h.ui(func() { n = len(h.u.win.Canvas().Overlays().List()) })
		return n
	}
	h.ui(h.u.showSettings)
	for _, key := range []fyne.KeyName{fyne.KeyN, fyne.KeyE, fyne.KeyO, fyne.KeyComma, fyne.KeyF} {
		h.ui(func() {
			if !pressShortcut(h.u.win, &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}) {
				t.Fatalf("no menu item has Ctrl+%s", key)
			}
		})
	}
	if id, n := chatID(), overlays(); id != before || n != 1 {
		t.Fatalf("shortcuts under Settings: chat %q (was %q), %d dialogs (want Settings alone)", id, before, n)
	}
	h.ui(func() {
		if h.u.find.bar.Visible() {
			t.Fatal("Ctrl+F under Settings opened the find bar behind it")
		}
	})
	h.ui(func() { dismissTop(h.u.win) })
	h.ui(func() {
		pressShortcut(h.u.win, &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault})
	})
	if id := chatID(); id == before {
		t.Fatal("Ctrl+N with no dialog open did not start a new chat")
	}
	// Quit goes through whatever is open.
	exited := make(chan struct{})
	h.u.cfg.Exit = func() { close(exited) }
	h.u.quitGrace = 50 * time.Millisecond
	h.ui(func() {
		h.u.showSettings()
		pressShortcut(h.u.win, &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault})
	})
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("Ctrl+Q under Settings did not quit")
	}
}
