package app

import (
	"fmt"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// The empty chat says what to do: a new user's first window was a blank
// transcript, "No profile" and "Not connected", with nothing pointing to
// Settings.
// (%s is the shortcuts' modifier.)
const (
	hintReady       = "Type a message below and press Enter to send it. %sK searches your earlier chats."
	hintUnconnected = "Not connected yet: open Settings (in the File menu, or %s,) and enter your Azure OpenAI endpoint, deployment and API key."
)

// newEmptyHint is the hint drawn in the middle of an empty transcript.
func newEmptyHint() (*dimLabel, fyne.CanvasObject) {
	l := newDimLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Alignment = fyne.TextAlignCenter
	return l, container.NewCenter(container.NewGridWrap(fyne.NewSize(420, 90), l))
}

// updateHint shows the hint while the chat on screen has no message, and
// what it says follows the connection.
func (u *UI) updateHint() {
	if u.hint == nil {
		return
	}
	if len(u.msgs) > 0 || u.previewing() || u.busy {
		u.hint.Hide()
		return
	}
	text := hintReady
	if !u.connOK && u.connecting == 0 {
		text = hintUnconnected
	}
	setDim(u.hint, fmt.Sprintf(text, shortcutMod()))
	u.hint.Show()
}

// shortcutMod is how the shortcuts' modifier is written here: Cmd+ on
// macOS, Ctrl+ elsewhere.
func shortcutMod() string {
	if runtime.GOOS == "darwin" {
		return "Cmd+"
	}
	return "Ctrl+"
}
