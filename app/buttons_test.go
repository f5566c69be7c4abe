package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// tapButton taps the button labelled label on the dialog on top of w.
func tapButton(t *testing.T, w fyne.Window, label string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog to press %q in", label)
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := asButton(o); ok && b.Text == label && b.Visible() {
			test.Tap(o.(fyne.Tappable))
			return
		}
	}
	t.Fatalf("no %q button on the dialog", label)
}

// asButton is o's button: a Fyne button, or one of azchat's that passes
// Esc on (escButton).
func asButton(o fyne.CanvasObject) (*widget.Button, bool) {
	switch b := o.(type) {
	case *widget.Button:
		return b, true
	case *escButton:
		return &b.Button, true
	}
	return nil, false
}
