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
	// stuck: the last rune typed was a space the caret did not pass,
	// with the text and caret as they were then (anything else done
	// since changes one of them, and the repair is not made).
	stuck              bool
	stuckText          string
	stuckRow, stuckCol int
}

// TypedRune types r, after a space the caret did not pass.
func (e *wrapEntry) TypedRune(r rune) {
	if e.stuck && e.Text == e.stuckText && e.CursorRow == e.stuckRow && e.CursorColumn == e.stuckCol {
		e.stuck = false
		e.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete}) // the space after the caret
		row, col := e.CursorRow, e.CursorColumn
		e.Entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: typedText(" " + string(r))})
		e.noteStuck(r, row, col) // a second space, at the wrap again
		return
	}
	e.stuck = false
	row, col := e.CursorRow, e.CursorColumn
	e.Entry.TypedRune(r)
	e.noteStuck(r, row, col)
}

// noteStuck records that the caret, at row, col before r was typed, did
// not pass r, a space.
func (e *wrapEntry) noteStuck(r rune, row, col int) {
	if r != '\n' && unicode.IsSpace(r) && e.CursorRow == row && e.CursorColumn == col {
		e.stuck, e.stuckText, e.stuckRow, e.stuckCol = true, e.Text, row, col
	}
}

// typedText hands the repair its characters as a paste's clipboard (the
// system clipboard is not touched).
type typedText string

func (t typedText) Content() string   { return string(t) }
func (t typedText) SetContent(string) {}
