package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// restyle builds the rows on screen again when the theme's colours have
// changed (View, the desktop's light or dark): Fyne 2.8's markdown tables
// draw their cells with the colours of the time they were made, and a
// theme change only refreshes what is on screen. Fyne reports other
// settings too (scale, at start the desktop's colour scheme read once):
// those leave the rows, and find's results, as they are.
func (t *transcript) restyle(s fyne.Settings) {
	key := styleKey(s)
	if key == t.style {
		return
	}
	t.style = key
	t.styles++
	t.generation++
	t.list.Refresh()
}

// restyleButtons redraws those of r's buttons shown that were not
// drawn since the theme changed. Fyne's button leaves a hidden button's
// icon as it was when refreshed (the theme change refreshes it too), and
// a button shown later kept its icon in the old colours (the light
// theme's "previous version" arrow was white on white).
func (t *transcript) restyleButtons(r *row) {
	for i, b := range []fyne.Widget{r.copyB, r.editB, r.regenB, r.forkB, r.deleteB, r.prevB, r.nextB, r.reasoning} {
		if r.drawnIn[i] != t.styles && b.Visible() {
			r.drawnIn[i] = t.styles
			b.Refresh()
		}
	}
}

func dimColor(a fyne.App) color.Color {
	bg := a.Settings().Theme().Color(theme.ColorNameBackground, a.Settings().ThemeVariant())
	r, g, b, _ := bg.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 140}
}

func highlightColor(a fyne.App) color.Color {
	c := a.Settings().Theme().Color(theme.ColorNamePrimary, a.Settings().ThemeVariant())
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 40}
}

// styleKey is the colours the rows keep from when they were built: a
// table's cells and grid lines (Fyne's), the tint of the message a search
// opened. (Text looks its colour up when drawn.)
func styleKey(s fyne.Settings) [4]color.NRGBA {
	th, v := s.Theme(), s.ThemeVariant()
	var key [4]color.NRGBA
	for i, n := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameHeaderBackground, theme.ColorNameInputBorder, theme.ColorNamePrimary} {
		key[i] = color.NRGBAModel.Convert(th.Color(n, v)).(color.NRGBA)
	}
	return key
}
