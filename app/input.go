package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// shiftEntry is an entry that knows whether Shift is held, so that its
// TypedKey can tell Enter from Shift+Enter (Fyne's key event does not say).
type shiftEntry struct {
	wrapEntry
	shift bool
}

// KeyDown tracks Shift.
func (e *shiftEntry) KeyDown(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = true
	}
	e.Entry.KeyDown(k)
}

// KeyUp tracks Shift.
func (e *shiftEntry) KeyUp(k *fyne.KeyEvent) {
	if k.Name == desktop.KeyShiftLeft || k.Name == desktop.KeyShiftRight {
		e.shift = false
	}
	e.Entry.KeyUp(k)
}

// inputEntry is the message box: Enter sends, Shift+Enter starts a new
// line, Esc stops a streaming answer. (Fyne's multi-line entry does the
// opposite by default: Enter inserts a newline, Shift+Enter submits.)
type inputEntry struct {
	shiftEntry
	onSend func()
	onStop func()
	// onPaste, if set, is given what is pasted first: it reports whether
	// it took it (a long text attached as a file, UI.pasteLong).
	onPaste func(text string) bool
}

// TypedShortcut hands a paste to onPaste first.
func (e *inputEntry) TypedShortcut(s fyne.Shortcut) {
	if p, ok := s.(*fyne.ShortcutPaste); ok && e.onPaste != nil && p.Clipboard != nil {
		if e.onPaste(p.Clipboard.Content()) {
			return
		}
	}
	e.Entry.TypedShortcut(s)
}

func newInputEntry() *inputEntry {
	e := &inputEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.SetPlaceHolder("Message — Enter to send, Shift+Enter for a new line")
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey sends on Enter and stops on Esc.
func (e *inputEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if !e.shift {
			if e.onSend != nil {
				e.onSend()
			}
			return
		}
		// Shift+Enter: insert the newline ourselves, as the base entry
		// would treat Shift+Enter as submit.
		e.wrapEntry.TypedRune('\n')
		return
	case fyne.KeyEscape:
		if e.onStop != nil {
			e.onStop()
		}
		return
	}
	e.Entry.TypedKey(k)
}

// MinSize keeps room for three lines of text.
func (e *inputEntry) MinSize() fyne.Size {
	s := e.Entry.MinSize()
	if min := 3 * fyne.MeasureText("M", 14, fyne.TextStyle{}).Height; s.Height < min+16 {
		s.Height = min + 16
	}
	return s
}

// AcceptsTab is false: Tab and Shift+Tab move the focus out of the message
// box (to the chat list, the buttons), as in other chat apps; Fyne's
// multi-line entry typed a tab, and a keyboard could not leave the box.
func (e *inputEntry) AcceptsTab() bool { return false }
