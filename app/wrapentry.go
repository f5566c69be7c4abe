package app

import (
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// wrapEntry is an entry whose typed spaces stay where they were typed
// when the text wraps. In Fyne 2.8.1's word-wrapped entry, a space typed
// where the line wraps is kept in the text but the caret stays before it
// (the wrapped rows leave that space out, so the place after it has no
// row and column), and the next letter went in before the space: "sent
// yet" typed became "sentyet " (at about one width in six for a long
// message; fyne-io/fyne#2698). Once that happens, the next character
// takes the space out and puts it back with the character after it, as a
// paste would: the place after that character has a row and column.
type wrapEntry struct {
	widget.Entry
	// stuck are the spaces typed last that the caret did not pass (in
	// the text's order), with the text and the caret's offset (in runes)
	// as they were then: anything else done since (a click, a key, a
	// paste, the box re-wrapped) changes one of them, and no repair is
	// made.
	stuck     []rune
	stuckText string
	stuckAt   int
}

// TypedRune types r, after the spaces the caret did not pass.
func (e *wrapEntry) TypedRune(r rune) {
	pending := ""
	if len(e.stuck) > 0 && e.Text == e.stuckText && e.CursorTextOffset() == e.stuckAt && e.SelectedText() == "" && e.spacesAfterCaret() {
		pending = string(e.stuck)
	}
	e.stuck = nil
	if pending == "" {
		before := e.CursorTextOffset()
		e.Entry.TypedRune(r)
		e.noteStuck(before, string(r))
		return
	}
	for range []rune(pending) { // the spaces after the caret
		e.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	}
	before := e.CursorTextOffset()
	e.Entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: typedText(pending + string(r))})
	e.noteStuck(before, pending+string(r))
}

// noteStuck notes, once typed was put in at offset before, the spaces at
// its end that the caret did not pass (it passes every other character).
func (e *wrapEntry) noteStuck(before int, typed string) {
	rs := []rune(typed)
	passed := e.CursorTextOffset() - before
	if passed < 0 || passed >= len(rs) || e.SelectedText() != "" {
		return
	}
	for _, c := range rs[passed:] {
		if c == '\n' || !unicode.IsSpace(c) {
			return
		}
	}
	e.stuck = rs[passed:]
	e.stuckText, e.stuckAt = e.Text, e.CursorTextOffset()
}

// spacesAfterCaret reports whether the text after the caret starts with
// the stuck spaces.
func (e *wrapEntry) spacesAfterCaret() bool {
	rs := []rune(e.Text)
	at := e.stuckAt
	if at < 0 || at+len(e.stuck) > len(rs) {
		return false
	}
	return string(rs[at:at+len(e.stuck)]) == string(e.stuck)
}

// typedText hands the repair its characters as a paste's clipboard (the
// system clipboard is not touched).
type typedText string

func (t typedText) Content() string   { return string(t) }
func (t typedText) SetContent(string) {}
