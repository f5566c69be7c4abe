package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// themedRect is a rectangle drawn in colours of the current theme. A
// canvas.Rectangle keeps the colour it was made with, so a code block's
// background stayed light after View → Dark theme; Fyne refreshes every
// widget on screen when the theme changes (and drops the list's pooled
// rows), and this one then reads its colours again.
type themedRect struct {
	widget.BaseWidget
	fill, stroke fyne.ThemeColorName // stroke "" draws no border
	radius       fyne.ThemeSizeName  // "" draws square corners
}

func newThemedRect(fill, stroke fyne.ThemeColorName, radius fyne.ThemeSizeName) *themedRect {
	r := &themedRect{fill: fill, stroke: stroke, radius: radius}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer draws the rectangle.
func (r *themedRect) CreateRenderer() fyne.WidgetRenderer {
	rr := &themedRectRenderer{r: r, rect: canvas.NewRectangle(color.Transparent)}
	rr.paint()
	return rr
}

type themedRectRenderer struct {
	r    *themedRect
	rect *canvas.Rectangle
}

// paint sets the rectangle's colours and corners from the theme, and
// reports whether any changed.
func (rr *themedRectRenderer) paint() bool {
	fill := theme.ColorForWidget(rr.r.fill, rr.r)
	stroke, width := color.Color(color.Transparent), float32(0)
	if rr.r.stroke != "" {
		stroke, width = theme.ColorForWidget(rr.r.stroke, rr.r), 1
	}
	var radius float32
	if rr.r.radius != "" {
		radius = theme.SizeForWidget(rr.r.radius, rr.r)
	}
	rect := rr.rect
	if rect.FillColor == fill && rect.StrokeColor == stroke && rect.StrokeWidth == width && rect.CornerRadius == radius {
		return false
	}
	rect.FillColor, rect.StrokeColor, rect.StrokeWidth, rect.CornerRadius = fill, stroke, width, radius
	return true
}

func (rr *themedRectRenderer) Layout(size fyne.Size) { rr.rect.Resize(size) }

func (rr *themedRectRenderer) MinSize() fyne.Size { return fyne.Size{} }

func (rr *themedRectRenderer) Refresh() {
	if rr.paint() {
		rr.rect.Refresh()
	}
}

func (rr *themedRectRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{rr.rect} }

func (rr *themedRectRenderer) Destroy() {}
