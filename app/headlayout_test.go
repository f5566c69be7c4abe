package app

import (
	"strings"

	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// TestTheHeaderGivesWayToTheButtons: in a narrow window a message's
// header (who, when, the model) drops the model, then the time, rather
// than run under the version switcher and the row's buttons, as it did
// below about 800 pixels; in a wide one it is whole.
func TestTheHeaderGivesWayToTheButtons(t *testing.T) {
	h := newHarness(t, true)
	h.send("a question")
	h.ui(h.u.regenerate) // two versions: the switcher ‹ 2/2 › is shown
	h.settle()
	check := func(width float32, wantModel, wantWho bool) {
		t.Helper()
		h.ui(func() { h.u.win.Resize(fyne.NewSize(width, 600)) })
		h.settle()
		h.ui(func() {
			r := shownRow(t, h, 1)
			title, switcher, actions := r.head.Objects[0], r.head.Objects[2], r.head.Objects[4]
			if !r.prevB.Visible() || switcher.Size().Width == 0 {
				t.Fatal("the version switcher is not shown")
			}
			if end := title.Position().X + title.Size().Width; end > switcher.Position().X || switcher.Position().X+switcher.Size().Width > actions.Position().X {
				t.Errorf("at %v: the title ends at %v, the switcher spans %v–%v, the buttons start at %v",
					width, end, switcher.Position().X, switcher.Position().X+switcher.Size().Width, actions.Position().X)
			}
			if r.header.Text != "Assistant · "+messageTime(h.u.msgs[1].Time, h.u.msgs[1].Time)+" · gpt-4o-2024-11-20" {
				t.Errorf("header text %q", r.header.Text)
			}
			shown := r.header.shown
			if has := strings.Contains(shown, "gpt-4o"); has != wantModel {
				t.Errorf("at %v the header shows %q (model shown: %v, want %v)", width, shown, has, wantModel)
			}
			if wantWho && !strings.HasPrefix(shown, "Assistant") {
				t.Errorf("at %v the header shows %q", width, shown)
			}
			// Drawn whole (Fyne cuts a text laid out at exactly its
			// width: "You · 14:…").
			var drawn strings.Builder
			for _, o := range drawnObjects(r.header) {
				if tx, ok := o.(*canvas.Text); ok {
					drawn.WriteString(tx.Text)
				}
			}
			if drawn.String() != shown {
				t.Errorf("at %v the header draws %q, not %q", width, drawn.String(), shown)
			}
		})
	}
	check(1400, true, true)
	check(720, false, true)
	check(560, false, true)
	check(1400, true, true)
}
