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

// styleKey is what the rows' colours follow: the background and text
// colours of the theme in force.
func styleKey(s fyne.Settings) [2]color.Color {
	th, v := s.Theme(), s.ThemeVariant()
	return [2]color.Color{th.Color(theme.ColorNameBackground, v), th.Color(theme.ColorNameForeground, v)}
}
