package app

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// showZoomable puts img in the viewer w: fitted to the window (a photo
// larger than the window showed a corner of it at 100%, with scroll bars),
// and at its full size, scrolled, after a click, Space or Enter (again to
// fit). An image the window holds whole is shown at its size, centred,
// not enlarged. The title says which; scaled says how far the image was
// reduced to be shown at all (maxViewSide), or is empty.
func showZoomable(w fyne.Window, name, scaled string, img image.Image) {
	actual := canvas.NewImageFromImage(img)
	actual.FillMode = canvas.ImageFillOriginal
	actual.ScaleMode = canvas.ImageScaleFastest
	// Esc closes the viewer (Space and Enter switch the size, below).
	keys := map[fyne.KeyName]func(){fyne.KeyEscape: w.Close}
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if f := keys[k.Name]; f != nil {
			f()
		}
	})
	// The window's size is in units, the image's in pixels (two a unit
	// on a HiDPI screen at scale 2).
	b, win, scale := img.Bounds(), w.Canvas().Size(), max(w.Canvas().Scale(), 1)
	if float32(b.Dx())/scale <= win.Width && float32(b.Dy())/scale <= win.Height {
		w.SetTitle(name + scaled)
		w.SetContent(container.NewCenter(actual))
		return
	}
	fit := canvas.NewImageFromImage(img)
	fit.FillMode = canvas.ImageFillContain
	fit.ScaleMode = canvas.ImageScaleSmooth
	full := fyne.NewSize(float32(b.Dx())/scale, float32(b.Dy())/scale)
	// Known now, not once first drawn: the first full-size view is
	// scrolled before it is drawn.
	actual.SetMinSize(full)
	var toggle func(at fyne.Position)
	var fittedArea *tapArea
	fitted := true
	show := func(spot fyne.Position) {
		if fitted {
			w.SetTitle(name + " — fitted to the window; click for full size" + scaled)
			fittedArea = newTapArea(fit, name, nil)
			fittedArea.onTapAt = toggle
			w.SetContent(fittedArea)
			return
		}
		w.SetTitle(name + " — full size; click to fit the window" + scaled)
		area := newTapArea(actual, name, nil)
		area.onTapAt = toggle
		s := container.NewScroll(area)
		w.SetContent(s)
		// The spot clicked in the fitted image is in the middle of the
		// window (it opened at the top-left corner, wherever the click).
		// The image is sized first, as the scroll lays it out: an offset
		// is kept within the content's size.
		view := s.Size()
		if view.IsZero() { // not sized by SetContent: the window's
			view = w.Canvas().Size()
		}
		area.Resize(area.MinSize().Max(view))
		s.Offset = centredOn(spot, view, full)
		s.Refresh()
	}
	toggle = func(at fyne.Position) {
		spot := fyne.NewPos(0.5, 0.5)
		if fitted && at.X >= 0 {
			spot = fittedSpot(at, fittedArea.Size(), full)
		}
		fitted = !fitted
		show(spot)
	}
	// Space and Enter: the image's middle.
	middle := func() { toggle(fyne.NewPos(-1, -1)) }
	keys[fyne.KeySpace], keys[fyne.KeyReturn], keys[fyne.KeyEnter] = middle, middle, middle
	show(fyne.NewPos(0.5, 0.5))
}

// fittedSpot is the point of an image of size full (in units) that a tap
// at p hits where the image is fitted (ImageFillContain) into win, as a
// fraction of its width and height (a tap beside the image, its edge).
func fittedSpot(p fyne.Position, win, full fyne.Size) fyne.Position {
	if full.Width <= 0 || full.Height <= 0 || win.Width <= 0 || win.Height <= 0 {
		return fyne.NewPos(0.5, 0.5)
	}
	k := min(win.Width/full.Width, win.Height/full.Height)
	w, h := full.Width*k, full.Height*k
	x, y := (p.X-(win.Width-w)/2)/w, (p.Y-(win.Height-h)/2)/h
	return fyne.NewPos(max(0, min(1, x)), max(0, min(1, y)))
}

// centredOn is the scroll offset that puts the spot at (fractions of the
// image, fittedSpot) in the middle of a view of size view, kept within
// the image.
func centredOn(spot fyne.Position, view, full fyne.Size) fyne.Position {
	x := max(0, min(full.Width-view.Width, spot.X*full.Width-view.Width/2))
	y := max(0, min(full.Height-view.Height, spot.Y*full.Height-view.Height/2))
	return fyne.NewPos(x, y)
}
