package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tableSegment is Fyne 2.8's markdown table with another way to scroll:
// Fyne draws a table in a horizontal scroll container, which takes every
// turn of the mouse wheel over it (it turns a vertical turn sideways when
// the table is wide, and does nothing with it when not), so the transcript
// stopped scrolling wherever a table was under the pointer. Its cells and
// grid are Fyne's; tableView scrolls them.
type tableSegment struct {
	*widget.TableSegment
	// scroll scrolls the transcript (linkActions.scroll); nil: nothing.
	scroll func(*fyne.ScrollEvent)
}

// Visual is Fyne's table in a tableView.
func (t *tableSegment) Visual() fyne.CanvasObject {
	v := t.TableSegment.Visual()
	if s, ok := v.(*container.Scroll); ok {
		return newTableView(s.Content, t.scroll)
	}
	return v // no columns: Fyne's empty text
}

// withTableViews gives each table in segs a tableView, in place: those of
// list items and paragraphs too (Fyne puts a table in a list item into
// the item's paragraph). It runs on a rich text's segments after find has
// marked its matches in them (renderMarked), so it meets marked cells.
func withTableViews(segs []widget.RichTextSegment, scroll func(*fyne.ScrollEvent)) []widget.RichTextSegment {
	for i, s := range segs {
		switch t := s.(type) {
		case *widget.TableSegment:
			segs[i] = &tableSegment{TableSegment: t, scroll: scroll}
		case *widget.ListSegment:
			withTableViews(t.Items, scroll)
		case *widget.ParagraphSegment:
			withTableViews(t.Texts, scroll)
		}
	}
	return segs
}

// tableView shows a table as wide as it needs, clipped to its width (Fyne
// clips what is Scrollable): a sideways scroll (a trackpad, a tilting
// wheel, Shift and the wheel) moves it, a vertical one scrolls the
// transcript. A bar along its bottom shows where it is when it is wider
// than the row.
type tableView struct {
	widget.BaseWidget
	content fyne.CanvasObject
	offset  float32
	scroll  func(*fyne.ScrollEvent)
	r       *tableViewRenderer // once drawn
}

func newTableView(content fyne.CanvasObject, scroll func(*fyne.ScrollEvent)) *tableView {
	v := &tableView{content: content, scroll: scroll}
	v.ExtendBaseWidget(v)
	return v
}

// Scrolled moves a table wider than the row by a sideways scroll, and
// hands any other to the transcript.
func (v *tableView) Scrolled(ev *fyne.ScrollEvent) {
	dx, dy := ev.Scrolled.DX, ev.Scrolled.DY
	if dx != 0 && abs32(dx) >= abs32(dy) {
		// The table measured once per event: Fyne's grid measures every
		// cell, and a trackpad sends scores of events a second.
		if full := v.content.MinSize().Width; full > v.Size().Width {
			v.moveTo(v.offset-dx, full)
			return
		}
	}
	if v.scroll != nil {
		v.scroll(ev)
	}
}

// overflow is how much wider than the view the table is.
func (v *tableView) overflow() float32 {
	return max(0, v.content.MinSize().Width-v.Size().Width)
}

// moveTo scrolls the table, full wide, to offset (kept within it).
func (v *tableView) moveTo(offset, full float32) {
	offset = min(max(offset, 0), max(0, full-v.Size().Width))
	if offset != v.offset {
		v.offset = offset
		// Moved and redrawn, not refreshed: a refresh lays out every
		// cell's text again, for each step of a trackpad's scroll.
		if v.r != nil {
			v.r.place(v.Size(), full)
		}
		canvas.Refresh(v)
	}
}

func abs32(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

// CreateRenderer draws the table and its position bar.
func (v *tableView) CreateRenderer() fyne.WidgetRenderer {
	bar := newThemedRect(theme.ColorNameScrollBar, "", "")
	v.r = &tableViewRenderer{v: v, bar: bar, objs: []fyne.CanvasObject{v.content, bar}}
	return v.r
}

type tableViewRenderer struct {
	v    *tableView
	bar  *themedRect
	objs []fyne.CanvasObject
}

func (r *tableViewRenderer) Layout(size fyne.Size) {
	r.place(size, r.v.content.MinSize().Width)
}

// place lays the table, full wide, and its bar out in size.
func (r *tableViewRenderer) place(size fyne.Size, full float32) {
	v := r.v
	v.offset = min(max(v.offset, 0), max(0, full-size.Width))
	v.content.Move(fyne.NewPos(-v.offset, 0))
	v.content.Resize(fyne.NewSize(max(full, size.Width), size.Height))
	if full <= size.Width {
		r.bar.Hide()
		return
	}
	thick := theme.ScrollBarSmallSize()
	r.bar.Move(fyne.NewPos(v.offset/full*size.Width, size.Height-thick))
	r.bar.Resize(fyne.NewSize(size.Width*size.Width/full, thick))
	r.bar.Show()
}

// MinSize is the table's height; any width will do (it scrolls).
func (r *tableViewRenderer) MinSize() fyne.Size {
	return fyne.NewSize(0, r.v.content.MinSize().Height)
}

func (r *tableViewRenderer) Refresh() {
	r.Layout(r.v.Size())
	r.bar.Refresh()
	r.v.content.Refresh()
}

func (r *tableViewRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *tableViewRenderer) Destroy() {}
