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

// A code block, a table, the storage banner and a tooltip are drawn in
// the colours of the theme chosen in View, also after it is switched while
// they are on screen (each kept the colours of the theme it was made in;
// Fyne 2.8's markdown tables still do, so the rows are built again).
func TestBackgroundsFollowTheTheme(t *testing.T) {
	def := theme.DefaultTheme()
	if def.Color(theme.ColorNameInputBackground, theme.VariantLight) == def.Color(theme.ColorNameInputBackground, theme.VariantDark) {
		t.Fatal("the light and dark code backgrounds are the same colour: the test would show nothing")
	}
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: "Try this:\n\n```sh\necho hello\n```\n\n| model | window |\n|---|---|\n| gpt-4o | 128,000 |\n"})
	h.send("a command")
	h.ui(func() {
		h.u.banner.failed(errors.New("disk full"), "")
		h.u.tips.show("Send the message", h.u.sendB)
	})
	one := func(what string, rs []*themedRect) *themedRect {
		t.Helper()
		if len(rs) != 1 {
			t.Fatalf("%d backgrounds in the %s, want one", len(rs), what)
		}
		return rs[0]
	}
	// The switches a user makes, from the default theme (the test's own
	// here): to light, to dark and back.
	for _, name := range []string{"Light theme", "Dark theme", "Light theme", "Dark theme"} {
		variant, other := theme.VariantDark, theme.VariantLight
		if name == "Light theme" {
			variant, other = theme.VariantLight, theme.VariantDark
		}
		h.ui(func() { menuAction(t, h.u.win, "View", name) })
		r := h.row(1)
		h.ui(func() {
			for _, c := range []struct {
				what         string
				r            *themedRect
				fill, stroke fyne.ThemeColorName
			}{
				{"code block", one("answer", themedRects(r.body)), theme.ColorNameInputBackground, ""},
				{"storage banner", one("banner", themedRects(h.u.banner.root)), theme.ColorNameHeaderBackground, theme.ColorNameWarning},
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
			// Nothing in the answer (the table's cells and grid lines
			// included) keeps a colour of the theme before.
			cells := 0
			for _, o := range drawnObjects(r.body) {
				rect, ok := o.(*canvas.Rectangle)
				if !ok {
					continue
				}
				for _, n := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameHeaderBackground, theme.ColorNameInputBackground, theme.ColorNameInputBorder} {
					if def.Color(n, other) != def.Color(n, variant) && (rect.FillColor == def.Color(n, other) || rect.StrokeColor == def.Color(n, other)) {
						t.Fatalf("after %s a rectangle in the answer keeps the %s theme's %s", name, map[bool]string{true: "light", false: "dark"}[other == theme.VariantLight], n)
					}
				}
				if rect.FillColor == def.Color(theme.ColorNameHeaderBackground, variant) {
					cells++
				}
			}
			if cells < 2 {
				t.Fatalf("after %s %d table header cells drawn in its colours, want the table's two", name, cells)
			}
		})
	}
	// A settings change that leaves the colours (the same theme chosen
	// again; Fyne also reports scale changes) rebuilds nothing.
	var before, after int
	h.ui(func() {
		before = h.u.transcript.generation
		menuAction(t, h.u.win, "View", "Dark theme")
		after = h.u.transcript.generation
	})
	if after != before {
		t.Fatalf("choosing the theme in force built the rows again (generation %d → %d)", before, after)
	}
}
