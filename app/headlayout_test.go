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
			if drawn := drawnText(r.header); drawn != shown {
				t.Errorf("at %v the header draws %q, not %q", width, drawn, shown)
			}
		})
	}
	check(1400, true, true)
	check(720, false, true)
	check(1400, true, true)
	// Narrower: the name alone, whole.
	h.ui(func() { h.u.win.Resize(fyne.NewSize(470, 600)) })
	h.settle()
	h.ui(func() {
		if r := shownRow(t, h, 1); r.header.shown != "Assistant" {
			t.Errorf("at 470 the header shows %q, want the name alone", r.header.shown)
		}
	})
}

// TestTheOutsideNoteStaysOffTheButtons: the note of a message left out of
// the context window is cut to fit beside the row's buttons ("not sent",
// then nothing), not drawn over them as it was at 800 pixels and below.
func TestTheOutsideNoteStaysOffTheButtons(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		cs := h.u.showChatSettings()
		cs.window.SetText("300")
		cs.maxTokens.SetText("60")
		cs.apply(h.u)
	})
	for _, q := range []string{"first question", "second question", "third question", "fourth question", "fifth question"} {
		h.send(q)
	}
	h.settle()
	// Written days ago: headers as long as they get ("Assistant · Friday
	// 14:02 · gpt-4o-2024-11-20"), which took the note's room.
	h.ui(func() {
		for i := range h.u.msgs {
			h.u.msgs[i].Time = h.u.msgs[i].Time.AddDate(0, 0, -3)
		}
		h.u.transcript.generation++
		h.u.transcript.list.Refresh()
	})
	for _, width := range []float32{1400, 900, 800, 700, 640, 600} {
		h.ui(func() { h.u.win.Resize(fyne.NewSize(width, 600)) })
		h.settle()
		h.ui(func() {
			h.u.transcript.list.ScrollToTop()
		})
		h.settle()
		h.ui(func() {
			var checked int
			for _, w := range shownRows(h.u.transcript.list) {
				r := w.r
				if r == nil || r.item < 0 || !r.outside.Visible() || r.head.Hidden {
					continue
				}
				checked++
				actions := r.head.Objects[4]
				var drawn strings.Builder
				end := float32(0)
				for _, o := range drawnObjects(r.outside) {
					if tx, ok := o.(*canvas.Text); ok && tx.Text != "" {
						drawn.WriteString(tx.Text)
						end = max(end, tx.Position().X+tx.MinSize().Width)
					}
				}
				if noteX := r.outside.Position().X; drawn.Len() > 0 && noteX+end > actions.Position().X {
					t.Errorf("at %v the note %q runs to %v, over the buttons at %v", width, drawn.String(), noteX+end, actions.Position().X)
				}
				if title := r.head.Objects[0]; title.Position().X+title.Size().Width > r.outside.Position().X {
					t.Errorf("at %v the title runs under the note", width)
				}
				if width >= 700 && drawn.Len() == 0 {
					t.Errorf("at %v the note is not drawn beside %q", width, r.header.shown)
				}
				if width == 1400 && drawn.String() != "not sent — outside the context window" {
					t.Errorf("at %v the note reads %q", width, drawn.String())
				}
			}
			if checked == 0 {
				t.Errorf("at %v no message outside the context window is on screen", width)
			}
		})
	}
}
