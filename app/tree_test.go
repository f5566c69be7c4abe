package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Readers of the widget tree the window draws, for tests.

// drawnObjects are o and the objects under it that are drawn, read from
// the renderers Fyne draws with. (test.LaidOutObjects makes new renderers:
// for the transcript's list, a new scroller and new rows, which the list
// then keeps using in place of the ones on screen.)
func drawnObjects(o fyne.CanvasObject) []fyne.CanvasObject {
	if !o.Visible() {
		return nil
	}
	out := []fyne.CanvasObject{o}
	for _, x := range childrenOf(o) {
		out = append(out, drawnObjects(x)...)
	}
	return out
}

// childrenOf are the objects a container holds or a widget's renderer
// draws (the renderer Fyne draws with).
func childrenOf(o fyne.CanvasObject) []fyne.CanvasObject {
	switch c := o.(type) {
	case *fyne.Container:
		return c.Objects
	case fyne.Widget:
		return test.WidgetRenderer(c).Objects()
	}
	return nil
}

// shownRows are the row widgets the list draws.
func shownRows(list fyne.CanvasObject) []*rowWidget {
	var out []*rowWidget
	for _, o := range drawnObjects(list) {
		if w, ok := o.(*rowWidget); ok {
			out = append(out, w)
		}
	}
	return out
}

// shownRow is the row the list draws for the first part of message id;
// call it inside harness.ui.
func shownRow(t *testing.T, h *harness, id int) *row {
	t.Helper()
	for _, w := range shownRows(h.u.transcript.list) {
		if w.r != nil && w.r.id == id && w.r.item == h.u.transcript.firstItem(id) {
			return w.r
		}
	}
	t.Fatalf("message %d is not on screen", id)
	return nil
}

// offsetIn is how far down from root's top o is drawn, found by walking
// the containers and widgets from root to o.
func offsetIn(root, o fyne.CanvasObject) (float32, bool) {
	if root == o {
		return 0, true
	}
	for _, child := range childrenOf(root) {
		if !child.Visible() {
			continue
		}
		if y, ok := offsetIn(child, o); ok {
			return child.Position().Y + y, true
		}
	}
	return 0, false
}
