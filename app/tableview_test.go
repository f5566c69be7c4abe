package app

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/internal/fakeazure"
)

// tableAnswer is an answer longer than the window with a table in the
// middle, wide (many columns) when wide is set.
func tableAnswer(wide bool) string {
	var b strings.Builder
	for i := range 30 {
		fmt.Fprintf(&b, "Line %d of the text before the table.\n\n", i)
	}
	cols := 3
	if wide {
		cols = 40
	}
	for r := range 4 {
		b.WriteString("|")
		for c := range cols {
			if r == 1 {
				b.WriteString("---|")
			} else {
				fmt.Fprintf(&b, " cell %d-%d |", r, c)
			}
		}
		b.WriteString("\n")
	}
	for i := range 30 {
		fmt.Fprintf(&b, "\nLine %d of the text after the table.\n", i)
	}
	return b.String()
}

// shownTable finds the table on screen and where its middle is on the
// window's canvas: its view, or the sideways scroll Fyne draws a table in
// (tableView is nil then).
func shownTable(t *testing.T, h *harness) (*tableView, fyne.Position) {
	t.Helper()
	for _, o := range drawnObjects(h.u.win.Content()) {
		if isTable(o) {
			v, _ := o.(*tableView)
			y, ok := offsetIn(h.u.win.Content(), o)
			if !ok {
				continue
			}
			x := float32(0)
			for p := o; ; {
				x += p.Position().X
				parent := parentIn(h.u.win.Content(), p)
				if parent == nil {
					break
				}
				p = parent
			}
			return v, fyne.NewPos(x+o.Size().Width/2, y+o.Size().Height/2)
		}
	}
	t.Fatal("no table on screen")
	return nil, fyne.Position{}
}

// parentIn is o's container or widget under root, nil for root itself.
func parentIn(root, o fyne.CanvasObject) fyne.CanvasObject {
	for _, p := range drawnObjects(root) {
		for _, c := range childrenOf(p) {
			if c == o {
				return p
			}
		}
	}
	return nil
}

// The mouse wheel over a table scrolls the transcript, as anywhere else in
// it (Fyne's table took the wheel: the transcript stopped scrolling
// wherever a table was under the pointer).
func TestTheWheelOverATableScrollsTheTranscript(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: tableAnswer(false)})
	h.send("a table")
	h.ui(func() {
		h.u.transcript.list.ScrollToTop()
		h.u.transcript.scrollTo(1)
	})
	h.settle()
	var before, after float32
	h.ui(func() {
		// Bring the table into view: a short way down the answer.
		list := h.u.transcript.list
		for range 100 {
			if _, ok := findTable(h); ok {
				break
			}
			list.ScrollToOffset(list.GetScrollOffset() + 50)
		}
		_, pos := shownTable(t, h)
		before = list.GetScrollOffset()
		test.Scroll(h.u.win.Canvas(), pos, 0, -60) // a turn down, the pointer on the table
		after = list.GetScrollOffset()
	})
	if after != before+60 {
		t.Fatalf("a turn of the wheel over the table moved the transcript from %v to %v, want %v", before, after, before+60)
	}
}

// A table wider than the row moves sideways by a sideways scroll, within
// its width, and still hands vertical turns to the transcript.
func TestAWideTableScrollsSideways(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: tableAnswer(true)})
	h.send("a wide table")
	h.ui(func() {
		list := h.u.transcript.list
		list.ScrollToTop()
		for range 200 {
			if _, ok := findTable(h); ok {
				break
			}
			list.ScrollToOffset(list.GetScrollOffset() + 50)
		}
		v, pos := shownTable(t, h)
		if v == nil {
			t.Fatal("the table is drawn in Fyne's scroll, not a table view")
		}
		over := v.overflow()
		if over <= 0 {
			t.Fatalf("the 40-column table fits its %v-wide view", v.Size().Width)
		}
		test.Scroll(h.u.win.Canvas(), pos, -80, 0)
		if v.offset != 80 || v.content.Position().X != -80 {
			t.Fatalf("after a sideways scroll of 80: offset %v, table at %v", v.offset, v.content.Position().X)
		}
		test.Scroll(h.u.win.Canvas(), pos, -1e6, 0)
		if v.offset != over {
			t.Fatalf("scrolled past its end: offset %v, want %v", v.offset, over)
		}
		test.Scroll(h.u.win.Canvas(), pos, 1e6, 0)
		if v.offset != 0 {
			t.Fatalf("scrolled back past its start: offset %v, want 0", v.offset)
		}
		before := list.GetScrollOffset()
		test.Scroll(h.u.win.Canvas(), pos, 0, -60)
		if after := list.GetScrollOffset(); after != before+60 || v.offset != 0 {
			t.Fatalf("a vertical turn over the wide table: transcript %v → %v, table offset %v", before, after, v.offset)
		}
	})
}

// findTable reports whether a table is on screen.
func findTable(h *harness) (fyne.CanvasObject, bool) {
	for _, o := range drawnObjects(h.u.win.Content()) {
		if isTable(o) {
			return o, true
		}
	}
	return nil, false
}

// isTable reports whether o draws a table: a tableView, or Fyne's own
// sideways scroll.
func isTable(o fyne.CanvasObject) bool {
	if _, ok := o.(*tableView); ok {
		return true
	}
	s, ok := o.(*container.Scroll)
	return ok && s.Direction == container.ScrollHorizontalOnly
}
