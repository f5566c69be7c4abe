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

// Secondary text (dimLabel) can be read on the window in every theme,
// and still stands apart from the main text. (Fyne's low-importance grey,
// which it was drawn in, is 1.3:1 on the light window and 1.6:1 on the
// dark one.)
func TestSecondaryTextCanBeRead(t *testing.T) {
	for _, c := range []struct {
		name    string
		variant fyne.ThemeVariant
	}{{"light", theme.VariantLight}, {"dark", theme.VariantDark}, {"system", theme.VariantLight}, {"system", theme.VariantDark}} {
		th := themeFor(c.name)
		dim := th.Color(dimTextColor, c.variant)
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

// A dim label draws its text in that colour, with a label's fields, and
// follows SetText.
func TestADimLabelIsDrawnInTheDimColour(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(themeFor("light"))
	l := newDimLabel("1 of 22")
	l.TextStyle.Italic = true
	w := a.NewWindow("t")
	w.SetContent(l)
	l.SetText("2 of 22")
	var drawn *canvas.Text
	for _, o := range drawnObjects(l) {
		if txt, ok := o.(*canvas.Text); ok {
			drawn = txt
		}
	}
	if drawn == nil || drawn.Text != "2 of 22" || !drawn.TextStyle.Italic {
		t.Fatalf("the label draws %+v, want \"2 of 22\" in italic", drawn)
	}
	if want := themeFor("light").Color(dimTextColor, theme.VariantLight); drawn.Color != want {
		t.Fatalf("the label is drawn in %v, want %v", drawn.Color, want)
	}
	if plain := widget.NewLabelWithStyle("2 of 22", fyne.TextAlignLeading, fyne.TextStyle{Italic: true}); l.MinSize() != plain.MinSize() {
		t.Fatalf("a dim label is %v, a label with the same text %v", l.MinSize(), plain.MinSize())
	}
}

// TestViewMenuTicksTheThemeInUse: the theme in use is ticked in View, and
// the tick follows a choice.
func TestViewMenuTicksTheThemeInUse(t *testing.T) {
	h := newHarness(t, true)
	ticked := func() (names []string) {
		h.ui(func() {
			for _, m := range h.u.win.MainMenu().Items {
				if m.Label != "View" {
					continue
				}
				for _, i := range m.Items {
					if i.Checked {
						names = append(names, i.Label)
					}
				}
			}
		})
		return names
	}
	if got := ticked(); len(got) != 1 || got[0] != "System theme" {
		t.Fatalf("ticked at start: %v", got)
	}
	h.ui(func() {
		for _, m := range h.u.win.MainMenu().Items {
			for _, i := range m.Items {
				if i.Label == "Dark theme" {
					i.Action()
				}
			}
		}
	})
	if got := ticked(); len(got) != 1 || got[0] != "Dark theme" {
		t.Fatalf("ticked after Dark: %v", got)
	}
}
