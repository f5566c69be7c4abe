package app

import "testing"

// TestButtonsShownAfterAThemeChangeAreRedrawn: a version switcher hidden
// when the theme changed (the chat shown had one version) is drawn in the
// new theme once a chat with versions is opened: its arrow kept the old
// colours, white on white in the light theme.
func TestButtonsShownAfterAThemeChangeAreRedrawn(t *testing.T) {
	h := newHarness(t, true)
	h.send("Who founded Microsoft?")
	h.ui(h.u.regenerate)
	h.settle()
	items := h.waitSidebar(1)
	h.ui(func() { h.u.newChat() })
	h.settle()
	h.send("a chat with one version")
	h.waitSidebar(2)
	h.ui(func() { h.u.fyneApp.Settings().SetTheme(themeFor("light")) })
	h.settle()
	h.ui(func() { h.u.side.open(items[0]) })
	h.settle()
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() { ok = len(h.u.msgs) == 2 && h.u.msgs[0].Content == "Who founded Microsoft?" })
		return ok
	})
	h.settle()
	h.ui(func() {
		tr := h.u.transcript
		if tr.styles == 0 {
			t.Fatal("the theme change was not seen")
		}
		r := shownRow(t, h, 1)
		// (The icons' colours are the painter's: what is checked is that
		// each button shown was redrawn after the change.)
		for name, i := range map[string]int{"copy": 0, "previous version": 5, "next version": 6} {
			b := []*tipButton{r.copyB, r.editB, r.regenB, r.forkB, r.deleteB, r.prevB, r.nextB}[i]
			if !b.Visible() {
				t.Errorf("%s is not shown", name)
			} else if r.drawnIn[i] != tr.styles {
				t.Errorf("%s is shown as drawn before the theme changed", name)
			}
		}
	})
}
