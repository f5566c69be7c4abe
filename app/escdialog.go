package app

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Fyne's dialogs take no keys: Esc did not close "Open link?", Settings
// or a notice. showEscapable shows a dialog that Esc closes (as its
// dismiss button does: Hide answers "no") while it is on top of its
// window and no field has the keys (a focused field keeps them, as Fyne
// hands them to it); dismissTop, called by the window's key handler, does
// the closing.

// escapable is a dialog shown by showEscapable and the overlay it is
// drawn in, which tells whether it is the one on top.
type escapable struct {
	d       dialog.Dialog
	overlay fyne.CanvasObject
	may     func() bool // nil, or whether Esc may close it now
	enter   func()      // nil, or what Enter does (a notice's OK)
}

var (
	escMu  sync.Mutex
	escFor = map[fyne.Window][]escapable{}
	// homeFor gives a window's keys back to where they belong (the
	// message box) once a dialog closed leaves them nowhere: one opened
	// with the mouse (a menu, a button) left them so, and what was typed
	// next was lost.
	homeFor = map[fyne.Window]func(){}
)

// setKeysHome makes home what gives win's keys back when a dialog
// showEscapable showed closes.
func setKeysHome(win fyne.Window, home func()) {
	escMu.Lock()
	defer escMu.Unlock()
	homeFor[win] = home
}

// showEscapable shows d over win, to be closed by Esc.
func showEscapable(win fyne.Window, d dialog.Dialog) { showEscapableWhen(win, d, nil) }

// showEscapableWhen is showEscapable, Esc closing d only while may says
// so (as its dismiss button, disabled meanwhile, would).
func showEscapableWhen(win fyne.Window, d dialog.Dialog, may func() bool) {
	d.Show()
	d.SetOnClosed(func() {
		escMu.Lock()
		home := homeFor[win]
		escMu.Unlock()
		if home != nil {
			home()
		}
	})
	top := win.Canvas().Overlays().Top()
	escMu.Lock()
	defer escMu.Unlock()
	escFor[win] = append(shownOnly(win, escFor[win]), escapable{d, top, may, nil})
}

// enterTop does what Enter does in the dialog on top of win, if it is a
// notice (its OK), and reports whether it did.
func enterTop(win fyne.Window) bool {
	top := win.Canvas().Overlays().Top()
	if top == nil {
		return false
	}
	escMu.Lock()
	var enter func()
	for _, e := range escFor[win] {
		if e.overlay == top {
			enter = e.enter
		}
	}
	escMu.Unlock()
	if enter == nil {
		return false
	}
	enter()
	return true
}

// dismissTop closes the dialog on top of win if showEscapable showed it,
// and reports whether it did.
func dismissTop(win fyne.Window) bool {
	top := win.Canvas().Overlays().Top()
	if top == nil {
		return false
	}
	// may is asked without the lock: it may show a dialog of its own
	// (Settings asks before dropping changes).
	escMu.Lock()
	var may func() bool
	for _, e := range escFor[win] {
		if e.overlay == top {
			may = e.may
		}
	}
	escMu.Unlock()
	if may != nil && !may() {
		return true // on top, but not to be closed now
	}
	escMu.Lock()
	list := shownOnly(win, escFor[win])
	var found dialog.Dialog
	for i := len(list) - 1; i >= 0; i-- {
		if list[i].overlay == top {
			found = list[i].d
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(escFor, win)
	} else {
		escFor[win] = list
	}
	escMu.Unlock()
	if found == nil {
		return false
	}
	found.Hide()
	return true
}

// shownOnly is list without the dialogs no longer over win.
func shownOnly(win fyne.Window, list []escapable) []escapable {
	on := map[fyne.CanvasObject]bool{}
	for _, o := range win.Canvas().Overlays().List() {
		on[o] = true
	}
	out := list[:0:0]
	for _, e := range list {
		if on[e.overlay] {
			out = append(out, e)
		}
	}
	return out
}

// inform shows a notice over the window, closed by OK, Enter or Esc.
func (u *UI) inform(title, msg string) { u.notice(dialog.NewInformation(title, msg, u.win)) }

// showError shows an error over the window, closed by OK, Enter or Esc.
func (u *UI) showError(err error) { u.notice(dialog.NewError(err, u.win)) }

// notice shows d, a dialog with one button, which Enter and Esc press.
func (u *UI) notice(d dialog.Dialog) { showNotice(u.win, d) }

// showNotice shows d, a dialog with one button, over win: Enter and Esc
// press it.
func showNotice(win fyne.Window, d dialog.Dialog) { showEnterable(win, d, d.Hide) }

// showEnterable is showEscapable, Enter doing enter while d is on top and
// no field has the keys. For a question the user's own action asked (stop
// the answer to open another chat, export): Enter answers yes, as the
// default button of a desktop dialog does. Not for deleting, replacing a
// file or opening a link, which Enter pressed a moment late would do
// unasked.
func showEnterable(win fyne.Window, d dialog.Dialog, enter func()) {
	showEscapable(win, d)
	escMu.Lock()
	if list := escFor[win]; len(list) > 0 && list[len(list)-1].d == d {
		list[len(list)-1].enter = enter
	}
	escMu.Unlock()
}

// escEntry is an entry in a dialog that Esc closes even while the entry
// has the keys (Fyne hands them to the focused field, which ignores Esc).
// In a multi-line one, where Enter breaks the line, onCtrlEnter (if set)
// is what Ctrl+Enter does (Edit and resend: resend).
type escEntry struct {
	wrapEntry
	win         fyne.Window
	onCtrlEnter func()
}

func newEscEntry(win fyne.Window, multiLine bool) *escEntry {
	e := &escEntry{win: win}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// submitWith makes Enter in each single-line entry, and Ctrl+Enter in each
// multi-line one (where Enter breaks the line), do what the dialog's main
// button does, as in the dialogs of other desktop apps.
func submitWith(do func(), entries ...*escEntry) {
	for _, e := range entries {
		if e.MultiLine {
			e.onCtrlEnter = do
		} else {
			e.OnSubmitted = func(string) { do() }
		}
	}
}

// TypedKey closes the dialog on Esc; other keys edit.
func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && dismissTop(e.win) {
		return
	}
	e.Entry.TypedKey(k)
}

// escSelect is a Select that hands Esc on to the window, as the window
// gets it when nothing has the focus: the dialog on top closes, or the
// answer stops. A Select keeps the focus once its list has closed, and
// ignores Esc: after a choice in Settings, Esc no longer closed it, and
// after picking a profile Esc no longer stopped an answer.
type escSelect struct {
	widget.Select
	win fyne.Window
	// empty, if set, is what a tap (or Space, Up, Down) does while there
	// are no options: Fyne showed an empty pop-up, invisible, which took
	// the next click (the status bar's picker opens Settings instead).
	empty func()
}

func newEscSelect(win fyne.Window, options []string, changed func(string)) *escSelect {
	s := &escSelect{win: win}
	s.Options, s.OnChanged, s.PlaceHolder = options, changed, "(Select one)"
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey passes Esc to the window; other keys work the list.
func (s *escSelect) TypedKey(k *fyne.KeyEvent) {
	if escToWindow(s.win, k) {
		return
	}
	if len(s.Options) == 0 {
		if s.empty != nil && (k.Name == fyne.KeySpace || k.Name == fyne.KeyUp || k.Name == fyne.KeyDown) {
			s.empty()
		}
		return
	}
	s.Select.TypedKey(k)
}

// Tapped opens the list, or does empty when there is none.
func (s *escSelect) Tapped(e *fyne.PointEvent) {
	if len(s.Options) == 0 && !s.Disabled() {
		if s.empty != nil {
			s.empty()
		}
		return
	}
	s.Select.Tapped(e)
}

// escToWindow hands Esc on to win's own key handler (which closes the
// dialog on top), and reports whether it did: a widget that keeps the
// keys (a select after a choice, a check box, a button) ignored Esc.
func escToWindow(win fyne.Window, k *fyne.KeyEvent) bool {
	if h := win.Canvas().OnTypedKey(); k.Name == fyne.KeyEscape && h != nil {
		h(k)
		return true
	}
	return false
}

// escButton is a button that hands Esc on to the window, as escSelect
// does: Settings' buttons, which have the keys when Tab reaches them (and
// Test connection and Find deployments get them back once their work
// ends: holdButton), where Esc closed nothing.
type escButton struct {
	widget.Button
	win fyne.Window
}

func newEscButton(win fyne.Window, label string, tapped func()) *escButton {
	b := &escButton{win: win}
	b.Text, b.OnTapped = label, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey passes Esc to the window; other keys press the button.
func (b *escButton) TypedKey(k *fyne.KeyEvent) {
	if escToWindow(b.win, k) {
		return
	}
	b.Button.TypedKey(k)
}

// escCheck is a Check that hands Esc on to the window, as escSelect does:
// a check box keeps the focus once clicked, and ignores every key but
// Space.
type escCheck struct {
	widget.Check
	win fyne.Window
}

func newEscCheck(win fyne.Window, label string, changed func(bool)) *escCheck {
	c := &escCheck{win: win}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey passes Esc to the window.
func (c *escCheck) TypedKey(k *fyne.KeyEvent) {
	if escToWindow(c.win, k) {
		return
	}
	c.Check.TypedKey(k)
}

// TypedShortcut runs onCtrlEnter on Ctrl+Enter (Cmd+Enter on macOS);
// other shortcuts edit.
func (e *escEntry) TypedShortcut(sc fyne.Shortcut) {
	if cs, ok := sc.(*desktop.CustomShortcut); ok && e.onCtrlEnter != nil &&
		(cs.KeyName == fyne.KeyReturn || cs.KeyName == fyne.KeyEnter) && cs.Modifier == fyne.KeyModifierShortcutDefault {
		e.onCtrlEnter()
		return
	}
	e.Entry.TypedShortcut(sc)
}
