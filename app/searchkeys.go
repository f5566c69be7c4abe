package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// searchEntry is the sidebar's search box, usable without the mouse: Down
// or Enter gives the keys to the chats listed (the first highlighted, to
// open with Enter or Space), Esc clears the search, or when it is empty
// gives the keys back to the message box. Ctrl+K comes here (focusSearch).
type searchEntry struct {
	widget.Entry
	toList, onEsc func()
}

func newSearchEntry() *searchEntry {
	e := &searchEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey handles Down, Enter and Esc; other keys edit the text.
func (e *searchEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyDown, fyne.KeyReturn, fyne.KeyEnter:
		if e.toList != nil {
			e.toList()
		}
		return
	case fyne.KeyEscape:
		if e.onEsc != nil {
			e.onEsc()
		}
		return
	}
	e.Entry.TypedKey(k)
}

// toList gives the list the keys, its first row highlighted; nothing
// when it lists nothing. Before the results of the search typed are
// listed, once they are (the list still held the chats or an earlier
// search, and a quick Enter opened one of those).
func (s *sidebar) toList() {
	if s.listedQuery != s.search.Text {
		s.toListPending = true
		return
	}
	if len(s.items) == 0 {
		return
	}
	s.u.win.Canvas().Focus(s.list)
	s.list.Highlight(0)
}

// escSearch clears the search; an empty box gives the keys back to the
// message box.
func (s *sidebar) escSearch() {
	s.toListPending = false
	if s.search.Text != "" {
		s.search.SetText("") // lists the chats again (OnChanged)
		return
	}
	s.u.win.Canvas().Focus(s.u.input)
}

// focusSearch gives the search box the keys, its text selected so that
// typing replaces it (Ctrl+K).
func (s *sidebar) focusSearch() {
	s.u.win.Canvas().Focus(s.search)
	s.search.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// searchChanged runs the search typed; once the box is empty, the words
// of the search that opened the chat shown are no longer highlighted in
// it (they stayed through edits and other versions).
func (s *sidebar) searchChanged(q string) {
	s.toListPending = false // asked for an earlier search's results
	if q == "" {
		s.u.clearHit()
	}
	s.schedule(q)
}

// clearHit removes the marks of the search hit that opened the chat: the
// words highlighted in its message and the message's own background.
func (u *UI) clearHit() {
	u.find.clearSide()
	if id := u.highlight; id >= 0 {
		u.highlight = -1
		u.find.redraw(map[int]bool{id: true})
	}
}

// focusSoon gives o the keys once the event being handled is over: a
// button pressed with Space runs its action during the key, and the
// window then delivers the key's character to whatever has the keys (a
// space was typed into the message box, or into Settings' first field).
func (u *UI) focusSoon(o fyne.Focusable) {
	u.bridge.push(func() {
		if c := u.win.Canvas(); c != nil {
			c.Focus(o)
		}
	})
}
