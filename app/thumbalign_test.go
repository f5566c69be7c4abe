package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// TestThumbnailsLineUpWithTheText: a message's thumbnails start where its
// text does, a label's inner padding in from the row's edge (they started
// at the edge, 8 px to the left of the text above them).
func TestThumbnailsLineUpWithTheText(t *testing.T) {
	h := newHarness(t, true)
	h.drop(writePNG(t, t.TempDir(), "photo.png", 64, 48))
	h.send("what is in this photo?")
	r := h.row(0)
	h.ui(func() {
		var tile *tapArea
		var walk func(o fyne.CanvasObject)
		walk = func(o fyne.CanvasObject) {
			if a, ok := o.(*tapArea); ok && tile == nil {
				tile = a
			}
			if c, ok := o.(*fyne.Container); ok {
				for _, x := range c.Objects {
					walk(x)
				}
			}
		}
		walk(r.files)
		if tile == nil {
			t.Fatal("no thumbnail")
		}
		d := fyne.CurrentApp().Driver()
		tileX := d.AbsolutePositionForObject(tile).X
		textX := d.AbsolutePositionForObject(r.header).X + theme.InnerPadding()
		if tileX != textX {
			t.Fatalf("the thumbnail starts at %.0f, the text at %.0f", tileX, textX)
		}
	})
}
