package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/azchat/azchat/internal/fakeazure"
)

// TestNarrowerWindowMeasuresTheRowsOnScreenAgain: a long answer on screen
// is as tall as its text at the new width after the window narrows (it
// kept the height of the wider window, its text running over the rows
// below it), and the end of the chat stays in view.
func TestNarrowerWindowMeasuresTheRowsOnScreenAgain(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("A long answer in words that wrap. ", 40)})
	h.ui(func() { h.u.win.Resize(fyne.NewSize(1200, 800)) })
	h.send("a question")
	h.settle()
	h.ui(func() { h.u.win.Resize(fyne.NewSize(640, 800)) })
	h.settle()
	h.ui(func() {
		w := h.u.transcript.rowWidth()
		checked := 0
		for i, r := range h.u.transcript.onScreen {
			got := r.root.Size().Height
			if want := measureHeight(r.root, w); got < want-0.5 {
				t.Errorf("row %d is %.1f tall at width %.0f, its text %.1f", i, got, w, want)
			}
			checked++
		}
		if checked == 0 {
			t.Fatal("no row on screen")
		}
		if last := len(h.u.transcript.items) - 1; h.u.transcript.onScreen[last] == nil || !h.u.transcript.following() {
			t.Fatal("the end of the chat is no longer in view")
		}
	})
}

// TestMaximizingKeepsFollowingTheEnd: a window made wider and taller at
// once (maximized) still shows the end of the chat, and follows it (the
// taller list pulled its offset back, which was taken for the user
// scrolling up).
func TestMaximizingKeepsFollowingTheEnd(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("A long answer in words that wrap. ", 60)})
	h.ui(func() { h.u.win.Resize(fyne.NewSize(700, 500)) })
	h.send("a question")
	h.send("another question")
	h.settle()
	h.ui(func() { h.u.win.Resize(fyne.NewSize(1280, 1000)) })
	h.settle()
	h.ui(func() {
		if last := len(h.u.transcript.items) - 1; h.u.transcript.onScreen[last] == nil || !h.u.transcript.following() {
			t.Fatal("after maximizing, the end of the chat is not followed")
		}
	})
}
