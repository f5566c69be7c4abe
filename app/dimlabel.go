package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// dimLabel is a label for secondary text (an answer's usage and cost, "not
// sent — outside the context window", find's "1 of 22", the reasoning
// summary, notes in the settings), drawn in the theme's placeholder grey.
// Fyne draws a low-importance label in its "disabled" colour, #e3e3e3 on
// the light window (1.3:1) and #39393a on the dark one (1.6:1): all but
// invisible. The placeholder grey reads (3.5:1 and 9:1) and stays apart
// from the main text; "disabled" itself is left alone, as disabled fields
// are drawn with it too. Its fields are Label's. newTextLabel makes one in
// the text's own colour (chat titles in the sidebar).
type dimLabel struct {
	widget.BaseWidget
	Text       string
	Alignment  fyne.TextAlign
	Wrapping   fyne.TextWrap
	Truncation fyne.TextTruncation
	TextStyle  fyne.TextStyle

	// color is the text's colour; empty for dimTextColor (newTextLabel
	// sets the foreground's).
	color fyne.ThemeColorName
	// width is the width the label was last laid out at, and cutEllipsis
	// whether its text is cut with "…" by azchat (see sync).
	width       float32
	cutEllipsis bool
	// laid says the label was laid out (at width, maybe none).
	laid bool
	// shorter are texts drawn in Text's place, in order, when Text does
	// not fit the width the label is laid out at: the first that fits
	// whole (the status bar's usage); the last is cut with "…" if even it
	// does not. shown is the text drawn.
	shorter []string
	shown   string

	provider *widget.RichText

	// onText, if set, is called when SetText changes the text: a label
	// cut to fit does not change its minimum size with its text, so its
	// container is not laid out again unless told (statusLayout).
	onText func()
}

// dimTextColor is the colour dimLabel draws in.
const dimTextColor = theme.ColorNamePlaceHolder

func newDimLabel(text string) *dimLabel {
	l := &dimLabel{Text: text}
	l.ExtendBaseWidget(l)
	return l
}

// newTextLabel is a label in the text's own colour that, unlike Fyne's,
// draws a space after an arrow as a space (see sync): for the user's and
// the model's words.
func newTextLabel(text string) *dimLabel {
	l := newDimLabel(text)
	l.color = theme.ColorNameForeground
	return l
}

// SetText shows s (without shorter texts: see setTexts).
func (l *dimLabel) SetText(s string) {
	l.shorter = nil
	l.setText(s)
}

func (l *dimLabel) setText(s string) {
	changed := s != l.Text
	l.Text = s
	l.Refresh()
	if changed && l.onText != nil {
		l.onText()
	}
}

// Refresh draws the label's fields again (nothing before it is first
// drawn, as a Label: its renderer would measure the text, loading a face).
func (l *dimLabel) Refresh() {
	if l.provider == nil {
		return
	}
	l.sync()
	l.BaseWidget.Refresh()
}

// AccessibilityLabel is the text, for screen readers (as a Label's).
func (l *dimLabel) AccessibilityLabel() string { return l.Text }

// AccessibilityRole is text.
func (l *dimLabel) AccessibilityRole() fyne.AccessibleRole { return fyne.AccessibleRoleText }

// setTexts shows text, or the first of shorter that fits when text does
// not (see shorter).
func (l *dimLabel) setTexts(text string, shorter ...string) {
	l.shorter = shorter
	l.setText(text)
}

// cut reports whether the text drawn is not the label's whole text: a
// shorter one, or one cut with "…".
func (l *dimLabel) cut() bool {
	if l.provider == nil {
		return false
	}
	if l.shown != l.Text {
		return true
	}
	return l.textWidth(l.Text) > l.width-2*l.Theme().Size(theme.SizeNameInnerPadding)
}

// textWidth is the width s is drawn at, measured piece by piece as
// splitFallbacks cuts it, without the label's paddings.
func (l *dimLabel) textWidth(s string) float32 {
	size := l.Theme().Size(theme.SizeNameText)
	w := float32(0)
	for _, p := range splitFallbacks(&widget.TextSegment{Text: s}) {
		w += fyne.MeasureText(p.Text, size, l.TextStyle).Width
	}
	return w
}

// fullWidth is the width the label needs to draw text whole: with its
// paddings, and room for Fyne's "…" as well (its ellipsis cuts a text
// laid out at exactly its own width).
func (l *dimLabel) fullWidth(text string) float32 {
	return l.textWidth(text+"…") + 2*l.Theme().Size(theme.SizeNameInnerPadding)
}

// tooNarrow reports whether a label that cuts its text was laid out too
// narrow to draw even "…": it then draws nothing (Fyne drew its whole
// text there, over what is beside it).
func (l *dimLabel) tooNarrow() bool {
	return l.laid && l.Truncation != fyne.TextTruncateOff && l.width < l.fullWidth("")
}

// pick is the text to draw: Text, or the first of shorter that fits.
// Before the label is laid out, Text.
func (l *dimLabel) pick() string {
	if l.tooNarrow() {
		return ""
	}
	if len(l.shorter) == 0 || l.width <= 0 || l.Text == "" {
		return l.Text
	}
	// Room for Fyne's "…" as well (fullWidth): a text laid out at
	// exactly its width was cut ("Last answer: no usage report…").
	for _, s := range append([]string{l.Text}, l.shorter...) {
		if l.fullWidth(s) <= l.width {
			return s
		}
	}
	return l.shorter[len(l.shorter)-1]
}

func (l *dimLabel) sync() {
	l.provider.Wrapping = l.Wrapping
	l.provider.Truncation = l.Truncation
	color := l.color
	if color == "" {
		color = dimTextColor
	}
	style := widget.RichTextStyle{Alignment: l.Alignment, ColorName: color, Inline: true, TextStyle: l.TextStyle, SizeName: theme.SizeNameText}
	// In pieces where an arrow or another character from Fyne's symbol
	// font comes before a space (fallbackspace.go): titles and snippets
	// are the user's and the model's words.
	// (Not lines that Fyne truncates each: one segment, with the box, as
	// cutting them here would measure them as one line.)
	truncating := l.Truncation == fyne.TextTruncateEllipsis
	l.shown = l.pick()
	parts := []*widget.TextSegment{{Style: style, Text: l.shown}}
	if !truncating || !strings.ContainsRune(l.shown, '\n') {
		parts = splitFallbacks(parts[0])
	}
	l.cutEllipsis = truncating && len(parts) > 1
	if l.cutEllipsis {
		// Fyne's ellipsis does not work across segments (the later ones
		// run on past the edge): the text is cut here, at the width the
		// label was last laid out at.
		l.provider.Truncation = fyne.TextTruncateOff
		if cut := l.ellipsize(l.shown); cut != l.shown {
			parts = splitFallbacks(&widget.TextSegment{Style: style, Text: cut})
		}
	}
	segs := make([]widget.RichTextSegment, len(parts))
	for i, p := range parts {
		segs[i] = p
	}
	l.provider.Segments = segs
}

// ellipsize returns text, or its longest beginning that fits the width
// the label was laid out at with "…" after it, measured piece by piece as
// splitFallbacks cuts it for drawing (textWidth). Before the label is laid
// out, the text is returned whole.
func (l *dimLabel) ellipsize(text string) string {
	if l.width <= 0 {
		return text
	}
	avail := l.width - 2*l.Theme().Size(theme.SizeNameInnerPadding)
	if l.textWidth(text) <= avail {
		return text
	}
	// The longest beginning, in whole characters, that fits with "…".
	var ends []int
	for i := range text {
		ends = append(ends, i)
	}
	lo, hi := 0, len(ends)-1 // ends[lo] fits (the empty beginning does)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if l.textWidth(strings.TrimRight(text[:ends[mid]], " ")+"…") <= avail {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return strings.TrimRight(text[:ends[lo]], " ") + "…"
}

// CreateRenderer draws the text as a label does (a rich text).
func (l *dimLabel) CreateRenderer() fyne.WidgetRenderer {
	l.provider = widget.NewRichText(&widget.TextSegment{})
	l.sync()
	return &dimLabelRenderer{l: l}
}

type dimLabelRenderer struct{ l *dimLabel }

func (r *dimLabelRenderer) Layout(size fyne.Size) {
	l := r.l
	resized := size.Width != l.width || !l.laid
	narrow := l.tooNarrow()
	l.width, l.laid = size.Width, true
	if (l.cutEllipsis || len(l.shorter) > 0 || narrow != l.tooNarrow()) && resized {
		l.sync()
		l.provider.Resize(size)
		l.provider.Refresh()
		return
	}
	l.provider.Resize(size)
}

// MinSize is the rich text's; a text that azchat cuts with "…" may be as
// narrow as the ellipsis and the paddings (a truncating rich text's own
// minimum is about that: "M…", no paddings).
func (r *dimLabelRenderer) MinSize() fyne.Size {
	min := r.l.provider.MinSize()
	if r.l.cutEllipsis {
		th := r.l.Theme()
		min.Width = fyne.MeasureText("…", th.Size(theme.SizeNameText), r.l.TextStyle).Width + 2*th.Size(theme.SizeNameInnerPadding)
	}
	return min
}

func (r *dimLabelRenderer) Refresh() { r.l.provider.Refresh() }

func (r *dimLabelRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.l.provider}
}

func (r *dimLabelRenderer) Destroy() {}

// setDim changes a dim label's text only when it differs (see setText).
func setDim(l *dimLabel, s string) {
	if l.Text != s {
		l.SetText(s)
	}
}
