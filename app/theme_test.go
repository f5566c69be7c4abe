package app

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// contrast is WCAG's contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	lum := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		lin := func(v uint32) float64 {
			s := float64(v) / 0xffff
			if s <= 0.03928 {
				return s / 12.92
			}
			return math.Pow((s+0.055)/1.055, 2.4)
		}
		return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
	}
	la, lb := lum(a), lum(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// Secondary text (low-importance labels, drawn in the theme's "disabled"
// colour) can be read on the window in every theme, and still stands
// apart from the main text.
func TestSecondaryTextCanBeRead(t *testing.T) {
	for _, c := range []struct {
		name    string
		variant fyne.ThemeVariant
	}{{"light", theme.VariantLight}, {"dark", theme.VariantDark}, {"system", theme.VariantLight}, {"system", theme.VariantDark}} {
		th := themeFor(c.name)
		dim := th.Color(theme.ColorNameDisabled, c.variant)
		for _, bg := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameHeaderBackground, theme.ColorNameInputBackground} {
			if r := contrast(dim, th.Color(bg, c.variant)); r < 3 {
				t.Errorf("%s theme (%v): secondary text %v on %s is %.2f:1, want at least 3:1", c.name, c.variant, dim, bg, r)
			}
		}
		if r := contrast(dim, th.Color(theme.ColorNameForeground, c.variant)); r < 1.8 {
			t.Errorf("%s theme (%v): secondary text %.2f:1 from the main text, want it dimmer (at least 1.8:1)", c.name, c.variant, r)
		}
	}
}

// A low-importance label is drawn in that colour.
func TestALowImportanceLabelIsDrawnDimmed(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(themeFor("light"))
	l := widget.NewLabel("1 of 22")
	l.Importance = widget.LowImportance
	w := a.NewWindow("t")
	w.SetContent(l)
	var drawn color.Color
	for _, o := range drawnObjects(l) {
		if txt, ok := o.(*canvas.Text); ok && txt.Text == "1 of 22" {
			drawn = txt.Color
		}
	}
	if drawn != dimLight {
		t.Fatalf("the label is drawn in %v, want %v", drawn, dimLight)
	}
}
