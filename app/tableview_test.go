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
	o, ok := findTable(h)
	if !ok {
		t.Fatal("no table on screen")
	}
	v, _ := o.(*tableView)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	return v, pos.Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2))
}

// scrollToTable scrolls the transcript down until a table's middle is in
// the list's view.
func scrollToTable(t *testing.T, h *harness) {
	t.Helper()
	list := h.u.transcript.list
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(list).Y
	list.ScrollToTop()
	for range 400 {
		if o, ok := findTable(h); ok {
			mid := d.AbsolutePositionForObject(o).Y + o.Size().Height/2
			if mid > top && mid < top+list.Size().Height {
				return
			}
		}
		list.ScrollToOffset(list.GetScrollOffset() + 25)
	}
	t.Fatal("no table came into view")
}

// The mouse wheel over a table scrolls the transcript, as anywhere else in
// it (Fyne's table took the wheel: the transcript stopped scrolling
// wherever a table was under the pointer).
func TestTheWheelOverATableScrollsTheTranscript(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: tableAnswer(false)})
	h.send("a table")
	var before, after float32
	h.ui(func() {
		list := h.u.transcript.list
		scrollToTable(t, h)
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
		scrollToTable(t, h)
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

// A table in a list item (Fyne puts it in the item's paragraph) gets a
// table view too.
func TestATableInAListItemHandsOnTheWheel(t *testing.T) {
	test.NewTempApp(t)
	objs := renderBlocks(parseBlocks("- the models:\n\n  | model | window |\n  |---|---|\n  | gpt-4o | 128,000 |\n"), noLinks())
	found := 0
	for _, o := range objs {
		for _, d := range drawnObjects(o) {
			if !isTable(d) {
				continue
			}
			if _, ok := d.(*tableView); !ok {
				t.Fatal("a table in a list item is drawn in Fyne's sideways scroll, which takes the wheel")
			}
			found++
		}
	}
	if found != 1 {
		t.Fatalf("%d tables drawn, want the list item's one", found)
	}
}
