package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is Fyne's default theme, pinned to light or dark for View →
// Theme (or following the desktop's when pinned is false), with one colour
// changed: "disabled". Fyne draws low-importance labels in it, and azchat's
// secondary text is such labels (an answer's usage and cost, "not sent —
// outside the context window", find's "1 of 22", the reasoning summary,
// notes in the settings). Fyne's own is all but invisible: #e3e3e3 on a
// white window, 1.3:1; #39393a on the dark one, 1.6:1. These greys are a
// desktop's usual dimmed text (GTK's), still well apart from the
// foreground, so a disabled control still looks disabled.
type appTheme struct {
	fyne.Theme
	pinned  bool
	variant fyne.ThemeVariant
}

// Dimmed text: 3.4:1 on the light window's white, 5.3:1 on the dark one.
var (
	dimLight = color.NRGBA{R: 0x8a, G: 0x8a, B: 0x8a, A: 0xff}
	dimDark  = color.NRGBA{R: 0x8c, G: 0x8c, B: 0x8c, A: 0xff}
)

// Color is the default theme's colour n in the pinned variant, if any.
func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.pinned {
		v = t.variant
	}
	if n == theme.ColorNameDisabled {
		if v == theme.VariantLight {
			return dimLight
		}
		return dimDark
	}
	return t.Theme.Color(n, v)
}

// themeFor returns the theme for "light", "dark" or "system".
func themeFor(name string) fyne.Theme {
	switch name {
	case "light":
		return appTheme{theme.DefaultTheme(), true, theme.VariantLight}
	case "dark":
		return appTheme{theme.DefaultTheme(), true, theme.VariantDark}
	}
	return appTheme{Theme: theme.DefaultTheme()}
}
