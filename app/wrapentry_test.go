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
