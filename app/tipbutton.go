package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tipLayer shows tooltips over the window's content. It is a layer of the
// content itself, not an overlay: Fyne sends every pointer event to the
// top overlay while one is shown, so a tooltip in a pop-up would take the
// button's hover and clicks away from it. Nothing in the layer reacts to
// the pointer, so events pass through to what is under it.
type tipLayer struct {
	root  *fyne.Container
	bg    *themedRect
	label *widget.Label
}

func newTipLayer() *tipLayer {
	l := &tipLayer{bg: newThemedRect(theme.ColorNameOverlayBackground, theme.ColorNameShadow, theme.SizeNameInputRadius), label: widget.NewLabel("")}
	l.root = container.NewWithoutLayout(l.bg, l.label)
	l.bg.Hide()
	l.label.Hide()
	return l
}

// show puts tip next to anchor: above it, or below when there is no room,
// kept inside the window.
func (l *tipLayer) show(tip string, anchor fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	origin := d.AbsolutePositionForObject(l.root)
	pos := d.AbsolutePositionForObject(anchor).Subtract(origin)
	l.label.Wrapping = fyne.TextWrapOff
	l.label.SetText(tip)
	size := l.label.MinSize()
	area := l.root.Size()
	if room := area.Width - 2*theme.Padding(); size.Width > room && room > 0 {
		// Wider than the window (an export's folder): broken over lines
		// rather than cut at its edge.
		l.label.Wrapping = fyne.TextWrapBreak
		l.label.Resize(fyne.NewSize(room, size.Height))
		l.label.Refresh() // its lines at that width
		size = fyne.NewSize(room, l.label.MinSize().Height)
	}
	x := max(0, min(pos.X, area.Width-size.Width))
	y := pos.Y - size.Height
	if y < 0 {
		y = pos.Y + anchor.Size().Height
	}
	l.label.Move(fyne.NewPos(x, y))
	l.label.Resize(size)
	l.bg.Move(fyne.NewPos(x, y))
	l.bg.Resize(size)
	l.bg.Show()
	l.label.Show()
	l.root.Refresh()
}

func (l *tipLayer) hide() {
	l.bg.Hide()
	l.label.Hide()
	l.root.Refresh()
}

// shown is the tooltip on screen, "" for none (tests).
func (l *tipLayer) shown() string {
	if l.label.Hidden {
		return ""
	}
	return l.label.Text
}

// tipButton is an icon button that explains itself in a tooltip while the
// pointer rests on it, even when it is disabled (then the tip says why).
// Fyne 2.8 has no tooltips of its own.
type tipButton struct {
	widget.Button
	tip    string
	layer  *tipLayer
	hovers bool
}

func newTipButton(layer *tipLayer, icon fyne.Resource, tip string, tapped func()) *tipButton {
	b := &tipButton{tip: tip, layer: layer}
	b.Icon = icon
	b.OnTapped = tapped
	b.Importance = widget.LowImportance
	b.ExtendBaseWidget(b)
	return b
}

// setTip changes the tooltip's text, on screen too if it is shown.
func (b *tipButton) setTip(tip string) {
	if tip == b.tip {
		return
	}
	b.tip = tip
	if b.hovers {
		b.layer.show(tip, b)
	}
}

// MouseIn shows the tooltip.
func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.hovers = true
	if b.tip != "" {
		b.layer.show(b.tip, b)
	}
}

// MouseOut hides the tooltip.
func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.hovers = false
	b.layer.hide()
}

// Tapped hides the tooltip before acting.
func (b *tipButton) Tapped(e *fyne.PointEvent) {
	b.layer.hide()
	b.Button.Tapped(e)
}

// Tip is the tooltip's text (tests read it).
func (b *tipButton) Tip() string { return b.tip }

// tipLabel is a dim label that shows its whole text in a tooltip while
// the pointer rests on it, when what it draws is shorter (a shorter
// text, or one cut with "…"): the status bar's state (and notes) and the
// last answer's usage.
type tipLabel struct {
	dimLabel
	layer  *tipLayer
	hovers bool
}

func newTipLabel(layer *tipLayer) *tipLabel {
	l := &tipLabel{layer: layer}
	l.ExtendBaseWidget(l)
	return l
}

// SetText is dimLabel's, the tooltip following the text when shown (a
// note's tooltip stayed after the state came back).
func (l *tipLabel) SetText(s string) {
	l.dimLabel.SetText(s)
	if l.hovers {
		l.MouseIn(nil)
	}
}

// setTexts is dimLabel's, the tooltip following the text when shown.
func (l *tipLabel) setTexts(text string, shorter ...string) {
	l.dimLabel.setTexts(text, shorter...)
	if l.hovers {
		l.MouseIn(nil)
	}
}

// MouseIn shows the whole text, if it is cut.
func (l *tipLabel) MouseIn(*desktop.MouseEvent) {
	l.hovers = true
	if l.Text != "" && l.cut() {
		l.layer.show(l.Text, l)
	} else {
		l.layer.hide()
	}
}

// MouseMoved does nothing: the tooltip stays where it was put.
func (l *tipLabel) MouseMoved(*desktop.MouseEvent) {}

// MouseOut hides the tooltip.
func (l *tipLabel) MouseOut() {
	l.hovers = false
	l.layer.hide()
}
