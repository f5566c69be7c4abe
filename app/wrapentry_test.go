package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestSpacesTypedAtTheWrapStay: text typed into the message box comes out
// as typed whatever the box's width, spaces typed where a line wraps
// included (Fyne put the next letter before such a space: "sent yet"
// became "sentyet "); double spaces and a line break too.
func TestSpacesTypedAtTheWrapStay(t *testing.T) {
	h := newHarness(t, true)
	texts := []string{
		strings.Repeat("words not sent yet, ", 12),
		strings.Repeat("a bb ccc dddd eeeee  ffffff ", 6) + "\nnext line " + strings.Repeat("x yy zzz ", 12),
		strings.Repeat("end.  Next words here,   three spaces ", 6),
	}
	for _, text := range texts {
		for w := float32(700); w < 1000; w += 9 {
			h.ui(func() {
				h.u.win.Resize(fyne.NewSize(w, 720))
				h.u.input.SetText("")
				for _, r := range text {
					if r == '\n' { // Shift+Enter
						h.u.input.shift = true
						h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
						h.u.input.shift = false
						continue
					}
					test.Type(h.u.input, string(r))
				}
				if got := h.u.input.Text; got != text {
					t.Fatalf("at %.0f px wide, typed %q\ngot %q", w, text, got)
				}
			})
		}
	}
	h.ui(func() { h.u.input.SetText("") })
}

// TestTheWrapRepairLeavesOtherEditsAlone: the repair is made only right
// after the space, with the text and caret as they were: a selection or
// a caret moved meanwhile is typed into as Fyne does.
func TestTheWrapRepairLeavesOtherEditsAlone(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		e := h.u.input
		e.SetText("hello")
		e.stuck, e.stuckText, e.stuckAt = []rune{' '}, "hello", 5 // as if stuck after "hello"
		e.TypedShortcut(&fyne.ShortcutSelectAll{})
		test.Type(e, "x")
		if e.Text != "x" {
			t.Fatalf("typed over a selection: %q", e.Text)
		}
		e.SetText("ab cd")
		e.stuck, e.stuckText, e.stuckAt = []rune{' '}, "ab cd", 2 // the text since changed below
		e.SetText("ab cd!")
		test.Type(e, "z")
		if strings.Count(e.Text, " ") != 1 || !strings.Contains(e.Text, "z") || len(e.Text) != len("ab cd!z") {
			t.Fatalf("a stale repair changed the text: %q", e.Text)
		}
		e.SetText("")
	})
}
