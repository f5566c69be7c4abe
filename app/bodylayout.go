package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// bodyLayout stacks a message's blocks as a VBox does, but a piece of a
// paragraph or code block cut into pieces (longtext.go) follows the piece
// before it as its next line would: without the gap between blocks and the
// paddings below and above their text, so a long paragraph reads as one,
// not as a paragraph every 2 KB, and a long code block is one box (a code
// piece's background starts where the text of the one before ends and
// covers the rest of it: the same colour, the rounded corners between them
// hidden).
type bodyLayout struct{}

// continues reports whether o continues the text of the object before it:
// a plain piece, or a code piece (its background and its text).
func continues(o fyne.CanvasObject) bool {
	if c, ok := o.(*fyne.Container); ok && len(c.Objects) == 2 {
		o = c.Objects[1]
	}
	t, ok := o.(*wrappedText)
	return ok && t.joined
}

// step is how far below the object before it o starts, beyond that
// object's height: the gap between blocks, or minus the two paddings a
// continued paragraph's lines do not have between them.
func step(o fyne.CanvasObject) float32 {
	if continues(o) {
		return -2 * theme.InnerPadding()
	}
	return theme.Padding()
}

// lead is where the first visible object starts. A part of a long message
// (a list item, transcript.go) that opens with a piece continuing the
// paragraph at the end of the part above starts it that far up: over the
// bottom padding of that part, the list's gap between items and its own
// top padding, so its first line sits where the next line of the part
// above would, as between pieces inside a part; the body is that much
// shorter. Such a part shows nothing above its body (no separator, header
// or files: row.fill hides them for every part but the first), so nothing
// of its own is covered. (A code piece heading a part has its own label and
// Copy: a box of its own, not joined.)
func lead(objs []fyne.CanvasObject) float32 {
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		if continues(o) {
			return -2*theme.InnerPadding() - theme.Padding()
		}
		return 0
	}
	return 0
}

func (bodyLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	size := fyne.Size{Height: lead(objs)}
	first := true
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		size.Width = max(size.Width, m.Width)
		if !first {
			size.Height += step(o)
		}
		size.Height += m.Height
		first = false
	}
	return size
}

func (bodyLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := lead(objs)
	first := true
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		if !first {
			y += step(o)
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h
		first = false
	}
}
