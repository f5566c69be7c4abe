package app

import (
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
// are drawn with it too. Its fields are Label's.
type dimLabel struct {
	widget.BaseWidget
	Text       string
	Alignment  fyne.TextAlign
	Wrapping   fyne.TextWrap
	Truncation fyne.TextTruncation
	TextStyle  fyne.TextStyle

	provider *widget.RichText
}

// dimTextColor is the colour dimLabel draws in.
const dimTextColor = theme.ColorNamePlaceHolder

func newDimLabel(text string) *dimLabel {
	l := &dimLabel{Text: text}
	l.ExtendBaseWidget(l)
	return l
}

// SetText shows s.
func (l *dimLabel) SetText(s string) {
	l.Text = s
	l.Refresh()
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

func (l *dimLabel) sync() {
	l.provider.Wrapping = l.Wrapping
	l.provider.Truncation = l.Truncation
	seg := l.provider.Segments[0].(*widget.TextSegment)
	seg.Text = l.Text
	seg.Style = widget.RichTextStyle{Alignment: l.Alignment, ColorName: dimTextColor, Inline: true, TextStyle: l.TextStyle, SizeName: theme.SizeNameText}
}

// CreateRenderer draws the text as a label does (a rich text).
func (l *dimLabel) CreateRenderer() fyne.WidgetRenderer {
	l.provider = widget.NewRichText(&widget.TextSegment{})
	l.sync()
	return &dimLabelRenderer{l: l}
}

type dimLabelRenderer struct{ l *dimLabel }

func (r *dimLabelRenderer) Layout(size fyne.Size) { r.l.provider.Resize(size) }

func (r *dimLabelRenderer) MinSize() fyne.Size { return r.l.provider.MinSize() }

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
