package app

import (
	"fmt"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// The empty chat says what to do: a new user's first window was a blank
// transcript, "No profile" and "Not connected", with nothing pointing to
// Settings.
// (%s is the shortcuts' modifier.)
const (
	hintReady       = "Type a message below and press Enter to send it. %sK searches your earlier chats."
	hintUnconnected = "Not connected yet: open Settings (in the File menu, or %s,) and enter your Azure OpenAI endpoint, deployment and API key."
	hintKeyUnread   = "The API key could not be read from the system keychain: press Enter to try again, or open Settings (%s,)."
)

// newEmptyHint is the hint drawn in the middle of an empty transcript.
func newEmptyHint() (*dimLabel, fyne.CanvasObject) {
	l := newDimLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Alignment = fyne.TextAlignCenter
	return l, container.New(hintLayout{}, l)
}

// hintLayout centres the hint, at most 420 wide and narrower in a narrow
// window (a fixed 420 ran past the edge of a small one); it asks for no
// room of its own.
type hintLayout struct{}

func (hintLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.Size{} }

func (hintLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		w := min(420, size.Width-2*theme.Padding())
		o.Resize(fyne.NewSize(w, o.MinSize().Height))
		h := o.MinSize().Height // wrapped at that width
		o.Resize(fyne.NewSize(w, h))
		o.Move(fyne.NewPos((size.Width-w)/2, (size.Height-h)/2))
	}
}

// updateHint shows the hint while the chat on screen has no message, and
// what it says follows the connection. Not while a chat is being opened
// (hintHeld), nor before the history is there: over a chat about to
// appear it flashed "Type a message below".
func (u *UI) updateHint() {
	if u.hint == nil {
		return
	}
	select {
	case <-u.historyReady:
	default:
		u.hint.Hide() // the last chat may be about to open
		return
	}
	if len(u.msgs) > 0 || u.previewing() || u.busy || u.hintHeld.Load() > 0 {
		u.hint.Hide()
		return
	}
	text := hintReady
	switch {
	case u.keyUnread:
		text = hintKeyUnread
	case !u.connOK && u.connecting == 0:
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

// holdHint keeps the hint hidden while a chat is read (on: one more
// reader); callable from any goroutine.
func (u *UI) holdHint(on bool) {
	if on {
		u.hintHeld.Add(1)
	} else {
		u.hintHeld.Add(-1)
	}
	u.bridge.push(u.updateHint)
}
