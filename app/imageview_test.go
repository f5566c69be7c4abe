package app

import (
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/attach"
)

// TestFullSizeOpensWhereClicked: a click on a spot of a fitted image
// shows the image at full size with that spot in the middle of the
// window (it opened at the top-left corner); Space, the image's middle.
func TestFullSizeOpensWhereClicked(t *testing.T) {
	h := newHarness(t, true)
	fitted := h.viewFitted(writePNG(t, t.TempDir(), "photo.png", 3000, 2000))
	near := func(got, want float32) bool { return math.Abs(float64(got-want)) < 2 }
	h.ui(func() {
		w := h.u.imageWindows[0]
		win := fitted.Size()
		// The fitted image fills the window's width or height; the
		// point three quarters across and down it.
		k := min(win.Width/3000, win.Height/2000)
		shownW, shownH := 3000*k, 2000*k
		at := fyne.NewPos((win.Width-shownW)/2+0.75*shownW, (win.Height-shownH)/2+0.75*shownH)
		test.TapAt(fitted, at)
		s, ok := w.Content().(*container.Scroll)
		if !ok {
			t.Fatalf("after a click: %T", w.Content())
		}
		view := s.Size()
		if want := fyne.NewPos(0.75*3000-view.Width/2, 0.75*2000-view.Height/2); !near(s.Offset.X, want.X) || !near(s.Offset.Y, want.Y) {
			t.Errorf("full size at offset %v, want %v (the spot clicked in the middle of %v)", s.Offset, want, view)
		}
		w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeySpace}) // fitted again
		w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeySpace}) // full, the middle
		s = w.Content().(*container.Scroll)
		if want := fyne.NewPos(1500-view.Width/2, 1000-view.Height/2); !near(s.Offset.X, want.X) || !near(s.Offset.Y, want.Y) {
			t.Errorf("full size by Space at offset %v, want %v", s.Offset, want)
		}
		w.Close()
	})
}

// TestCentredOnStaysInTheImage: a spot near an edge scrolls as far as the
// image goes, no further.
func TestCentredOnStaysInTheImage(t *testing.T) {
	view, full := fyne.NewSize(800, 600), fyne.NewSize(3000, 2000)
	for _, c := range []struct{ spot, want fyne.Position }{
		{fyne.NewPos(0, 0), fyne.NewPos(0, 0)},
		{fyne.NewPos(1, 1), fyne.NewPos(2200, 1400)},
		{fyne.NewPos(0.5, 0.5), fyne.NewPos(1100, 700)},
	} {
		if got := centredOn(c.spot, view, full); got != c.want {
			t.Errorf("spot %v: offset %v, want %v", c.spot, got, c.want)
		}
	}
	// A click beside the fitted image (in the bars above and below it:
	// 800×533 in 800×600) is its edge.
	if got := fittedSpot(fyne.NewPos(400, 10), fyne.NewSize(800, 600), full); got.Y != 0 || math.Abs(float64(got.X-0.5)) > 0.01 {
		t.Errorf("a click above the image: spot %v", got)
	}
}

// viewFitted opens the image at path in the viewer and returns it as
// shown first, fitted to the window.
func (h *harness) viewFitted(path string) *tapArea {
	h.t.Helper()
	a, err := attach.Read(path, chat.DetailAuto)
	if err != nil {
		h.t.Fatal(err)
	}
	h.ui(func() { h.u.viewImage(a) })
	var fitted *tapArea
	waitUntil(h.t, func() bool {
		h.ui(func() { fitted, _ = h.u.imageWindows[0].Content().(*tapArea) })
		return fitted != nil
	})
	return fitted
}
