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
	var toggle func()
	fitted := true
	show := func() {
		if fitted {
			w.SetTitle(name + " — fitted to the window; click for full size" + scaled)
			w.SetContent(newTapArea(fit, name, toggle))
		} else {
			w.SetTitle(name + " — full size; click to fit the window" + scaled)
			w.SetContent(container.NewScroll(newTapArea(actual, name, toggle)))
		}
	}
	toggle = func() {
		fitted = !fitted
		show()
	}
	keys[fyne.KeySpace], keys[fyne.KeyReturn], keys[fyne.KeyEnter] = toggle, toggle, toggle
	show()
}
