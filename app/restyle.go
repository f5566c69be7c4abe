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
	t.generation++
	t.list.Refresh()
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
