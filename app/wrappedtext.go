package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// wrappedText is a word-wrapped RichText that wraps its text again only
// when its width changes. Fyne's RichText wraps on every resize, and a
// list sets a row's height several times per redraw while an answer
// grows: wrapping is most of what a redraw costs (the same lines at the
// same width break in the same places, whatever the height).
//
// A plain piece (newPlainText) is broken into lines by azchat instead
// (breakPlain, the same breaks, a fraction of the shaping) and drawn with
// Fyne's wrapping off.
type wrappedText struct {
	widget.RichText
	// plain: the one segment shows text broken into lines.
	plain bool
	text  string
	// joined: the text continues the paragraph or code block of the
	// widget before it (bodyLayout).
	joined bool
}

func newWrappedText(segs ...widget.RichTextSegment) *wrappedText {
	t := &wrappedText{}
	t.Segments = segs
	t.Wrapping = fyne.TextWrapWord
	t.Scroll = fyne.ScrollNone // as widget.NewRichText sets it
	t.ExtendBaseWidget(t)
	return t
}

// newPlainText shows text as it is (no markdown), in the style of
// blockSegments' plain segment, broken into lines by azchat.
func newPlainText(text string) *wrappedText {
	t := newWrappedText(&widget.TextSegment{Style: widget.RichTextStyleInline})
	t.Wrapping = fyne.TextWrapOff
	t.plain, t.text = true, text
	t.breakAt(0)
	return t
}

// setPlain shows s in a plain text, broken at the width it has.
func (t *wrappedText) setPlain(s string) {
	t.text = s
	t.breakAt(t.Size().Width)
	t.Refresh()
}

// breakAt breaks a plain text's lines for width w, as Fyne's word wrap
// would: the text runs between the inner paddings at the theme's text
// size (see RichText.updateRowBounds).
// Without room (no width yet), the lines are not broken, as Fyne shows
// them.
func (t *wrappedText) breakAt(w float32) {
	seg := t.Segments[0].(*widget.TextSegment)
	th := t.Theme()
	avail := w - 2*th.Size(theme.SizeNameInnerPadding)
	if avail <= 0 {
		// Fyne does not wrap without room either (lineBounds). A copy:
		// the text may be part of a streaming answer's buffer.
		seg.Text = strings.Clone(drawableTabs(t.text))
		return
	}
	seg.Text = breakPlain(drawableTabs(t.text), avail, th.Size(theme.SizeNameText))
}

// wrapAt wraps a new widget's text at width w, the width it will be
// shown at. Otherwise Fyne lays it out first at width zero (unwrapped)
// when its size is first asked, then wraps it when it is laid out.
func (t *wrappedText) wrapAt(w float32) {
	if t.Size().Width == 0 {
		if t.plain {
			t.breakAt(w)
		}
		t.BaseWidget.Resize(fyne.NewSize(w, 0))
	}
}

// MinSize is the RichText's, but for a plain text as wide as Fyne's
// wrapping text asks (its paddings: its lines follow the width it gets),
// not as wide as its widest line.
func (t *wrappedText) MinSize() fyne.Size {
	m := t.RichText.MinSize()
	if t.plain {
		m.Width = 2 * t.Theme().Size(theme.SizeNameInnerPadding)
	}
	return m
}

// Resize lays the lines out again without wrapping them when only the
// height changed.
func (t *wrappedText) Resize(size fyne.Size) {
	if size.Width == t.Size().Width {
		t.BaseWidget.Resize(size)
		return
	}
	if t.plain {
		t.breakAt(size.Width)
		t.BaseWidget.Resize(size)
		t.RichText.Refresh() // the lines changed
		return
	}
	t.RichText.Resize(size)
}
