package app

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// showZoomable puts img in the viewer w: fitted to the window (a photo
// larger than the window showed a corner of it at 100%, with scroll bars),
// and at its own size, scrolled, after a click, Space or Enter (again to
// fit). The title says which; scaled says how much the image was scaled
// down to be shown at all (maxViewSide), or is empty.
func showZoomable(w fyne.Window, name, scaled string, img image.Image) {
	fit := canvas.NewImageFromImage(img)
	fit.FillMode = canvas.ImageFillContain
	fit.ScaleMode = canvas.ImageScaleSmooth
	actual := canvas.NewImageFromImage(img)
	actual.FillMode = canvas.ImageFillOriginal
	actual.ScaleMode = canvas.ImageScaleFastest
	var toggle func()
	fitted := true
	show := func() {
		if fitted {
			w.SetTitle(name + " — fitted to the window" + scaled + "; click for actual size")
			w.SetContent(newTapArea(fit, name, toggle))
		} else {
			w.SetTitle(name + " — actual size" + scaled + "; click to fit the window")
			w.SetContent(container.NewScroll(newTapArea(actual, name, toggle)))
		}
	}
	toggle = func() {
		fitted = !fitted
		show()
	}
	show()
	// Esc closes the viewer; Space and Enter switch the size.
	w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyEscape:
			w.Close()
		case fyne.KeySpace, fyne.KeyReturn, fyne.KeyEnter:
			toggle()
		}
	})
}
