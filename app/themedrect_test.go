package app

import (
	"errors"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"github.com/azchat/azchat/internal/fakeazure"
)

// menuAction runs the action of the main menu item labelled label under
// menu, as a click on it does.
func menuAction(t *testing.T, w fyne.Window, menu, label string) {
	t.Helper()
	for _, m := range w.MainMenu().Items {
		if m.Label != menu {
			continue
		}
		for _, it := range m.Items {
			if it.Label == label {
				it.Action()
				return
			}
		}
	}
	t.Fatalf("no menu item %s → %s", menu, label)
}

// rectOf is the rectangle a themed rectangle draws.
func rectOf(r *themedRect) *canvas.Rectangle {
	return test.WidgetRenderer(r).Objects()[0].(*canvas.Rectangle)
}

// themedRects are the themed rectangles in o's tree.
func themedRects(o fyne.CanvasObject) []*themedRect {
	var out []*themedRect
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *themedRect:
			out = append(out, w)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// A code block, the storage banner and a tooltip are drawn in the colours
// of the theme chosen in View, also after it is switched while they are on
// screen (the banner and the tooltip kept the colours of the theme they
// were made in).
func TestBackgroundsFollowTheTheme(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: "Try this:\n\n```sh\necho hello\n```\n"})
	h.send("a command")
	h.ui(func() {
		h.u.banner.failed(errors.New("disk full"), "")
		h.u.tips.show("Send the message", h.u.sendB)
	})
	// The switches a user makes: from the default theme (the test's own
	// here) to light, to dark and back. (Fyne makes new list items on a
	// switch, so the rows are built again; the banner and the tooltip stay.)
	for _, name := range []string{"Light theme", "Dark theme", "Light theme", "Dark theme"} {
		var variant fyne.ThemeVariant = theme.VariantDark
		if name == "Light theme" {
			variant = theme.VariantLight
		}
		h.ui(func() { menuAction(t, h.u.win, "View", name) })
		r := h.row(1)
		h.ui(func() {
			bgs := themedRects(r.body)
			if len(bgs) != 1 {
				t.Fatalf("%d backgrounds in the answer, want its code block's", len(bgs))
			}
			def := theme.DefaultTheme()
			for _, c := range []struct {
				what         string
				r            *themedRect
				fill, stroke fyne.ThemeColorName
			}{
				{"code block", bgs[0], theme.ColorNameInputBackground, ""},
				{"storage banner", themedRects(h.u.banner.root)[0], theme.ColorNameHeaderBackground, theme.ColorNameWarning},
				{"tooltip", h.u.tips.bg, theme.ColorNameOverlayBackground, theme.ColorNameShadow},
			} {
				rect := rectOf(c.r)
				if want := def.Color(c.fill, variant); rect.FillColor != want {
					t.Fatalf("after %s the %s is filled with %v, want %v", name, c.what, rect.FillColor, want)
				}
				want := color.Color(color.Transparent)
				if c.stroke != "" {
					want = def.Color(c.stroke, variant)
				}
				if rect.StrokeColor != want {
					t.Fatalf("after %s the %s's border is %v, want %v", name, c.what, rect.StrokeColor, want)
				}
			}
		})
	}
	if light, dark := theme.DefaultTheme().Color(theme.ColorNameInputBackground, theme.VariantLight),
		theme.DefaultTheme().Color(theme.ColorNameInputBackground, theme.VariantDark); light == dark {
		t.Fatal("the light and dark code backgrounds are the same colour: the test shows nothing")
	}
}
