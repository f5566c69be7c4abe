package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// rowLayout lays a row out: its parts (row.content) fill it, and the
// overlay that dims or highlights it covers them. When the body starts
// above the row (a part continuing a long paragraph, bodyLayout's lead)
// the overlay also covers the list's gap above the row, so that a dimmed
// or highlighted message has no undimmed strip between its parts.
type rowLayout struct{ r *row }

// MinSize is the parts' (the overlay asks for nothing).
func (l rowLayout) MinSize([]fyne.CanvasObject) fyne.Size { return l.r.content.MinSize() }

// Layout fills size with the parts and lays the overlay over them.
func (l rowLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	l.r.content.Move(fyne.Position{})
	l.r.content.Resize(size)
	var up float32
	if lead(l.r.body.Objects) < 0 {
		up = theme.Padding()
	}
	l.r.overlay.Move(fyne.NewPos(0, -up))
	l.r.overlay.Resize(fyne.NewSize(size.Width, size.Height+up))
}

// watch lists the objects whose visibility decides where the row's parts
// go: the parts, and the boxes in its header and status line.
func (r *row) watch() {
	r.watched = append(r.watched[:0], r.content.Objects...)
	var add func(c *fyne.Container)
	add = func(c *fyne.Container) {
		for _, o := range c.Objects {
			r.watched = append(r.watched, o)
			if cc, ok := o.(*fyne.Container); ok {
				add(cc)
			}
		}
	}
	add(r.head)
	add(r.status)
	r.shown = make([]bool, len(r.watched))
}

// layoutParts lays the row's parts out again when it was filled with
// another item (force) or something in it was shown or hidden. The list
// sizes a recycled row before it fills it (widget.List's updateList), and
// a container is laid out again only when its size changes: a row as tall
// as the one it showed before kept its body where the header of that item
// had pushed it (over the next item), and a box of buttons as wide as
// before kept the places of the buttons it showed then (a button never
// shown there had no size at all).
func (r *row) layoutParts(force bool) {
	changed := force
	for i, o := range r.watched {
		if v := o.Visible(); v != r.shown[i] {
			r.shown[i], changed = v, true
		}
	}
	size := r.root.Size()
	if !changed || size.IsZero() {
		return // unchanged, or never sized: the list's first Resize lays it out
	}
	r.root.Layout.Layout(r.root.Objects, size) // the overlay, for the body's lead
	r.content.Layout.Layout(r.content.Objects, r.content.Size())
	relayout(r.head)
	relayout(r.status)
}

// relayout lays c and the containers in it out again at their sizes.
func relayout(c *fyne.Container) {
	if c.Layout != nil {
		c.Layout.Layout(c.Objects, c.Size())
	}
	for _, o := range c.Objects {
		if cc, ok := o.(*fyne.Container); ok {
			relayout(cc)
		}
	}
}

// widthWatch lays the transcript's list out over its whole size and, when
// its width changes (the window or the chat list resized), measures the
// rows on screen again, keeping the end in view if it was. The list only resizes the rows it already shows:
// a long answer kept the height its text had at the old width, and drew
// over the rows below it. Rows off screen are measured when shown (their
// heights are kept with the width they were measured at).
type widthWatch struct {
	t    *transcript
	size fyne.Size
}

func (l *widthWatch) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

func (l *widthWatch) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if size == l.size {
		objs[0].Move(fyne.Position{})
		objs[0].Resize(size)
		return
	}
	// Asked before the resize: a taller list pulls its offset back, which
	// following() would take for the user scrolling up (maximizing the
	// window stopped following a streaming answer).
	follow := l.t.following()
	widthChanged := size.Width != l.size.Width
	l.size = size
	objs[0].Move(fyne.Position{})
	objs[0].Resize(size)
	if widthChanged {
		for i, r := range l.t.onScreen {
			if i < len(l.t.items) && r.item == i {
				l.t.checkHeight(i, r)
			}
		}
	}
	if follow {
		l.t.toEnd() // the end stays in view as the rows grow or shrink
	}
}

// headLayout lays out a message's header line, as objects title,
// spinner, version switcher, the note of a message outside the context
// window, and the row's buttons: the buttons at the right, the others
// from the left in that order, the note in what is left. In a narrow
// window the title takes the first of its forms that fits (without the
// model, then the name alone: dimLabel's shorter) beside the switcher and
// "not sent", then is cut with "…"; the note gives way after it ("not
// sent", then nothing: a label too narrow for "…" draws nothing). Both
// drew under the buttons (a row of icons as wide as a date and a model
// name at about 800 pixels).
type headLayout struct {
	title, note *dimLabel
}

// MinSize is the buttons' and the switcher's width beside the title cut
// to "…", as tall as the tallest part.
func (l *headLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	// The title and the note are cut to fit.
	return sideBySide(objs, func(i int) bool { return i == 0 || i == 3 })
}

func (l *headLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 5 {
		return
	}
	pad := theme.Padding()
	title, spinner, switcher, note, actions := objs[0], objs[1], objs[2], objs[3], objs[4]
	width := func(o fyne.CanvasObject) float32 {
		if !o.Visible() {
			return 0
		}
		return o.MinSize().Width
	}
	aw := width(actions)
	actions.Move(fyne.NewPos(size.Width-aw, 0))
	actions.Resize(fyne.NewSize(aw, size.Height))
	room := size.Width - aw
	if aw > 0 {
		room -= pad
	}
	fixed := float32(0)
	for _, o := range []fyne.CanvasObject{spinner, switcher} {
		if w := width(o); w > 0 {
			fixed += w + pad
		}
	}
	if l.note.Visible() {
		// Room for the note's short form after the title's.
		n := len(l.note.shorter)
		fixed += l.note.fullWidth(l.note.shorter[n-1]) + pad
	}
	avail := room - fixed
	tw := max(avail, 0)
	for _, form := range append([]string{l.title.Text}, l.title.shorter...) {
		if w := l.title.fullWidth(form); w <= avail {
			tw = w
			break
		}
	}
	row := &leftToRight{height: size.Height}
	row.place(title, tw)
	row.place(spinner, width(spinner))
	row.place(switcher, width(switcher))
	row.place(note, room-row.x)
}
