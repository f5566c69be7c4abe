package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// tipButton is an icon button that explains itself in a tooltip while the
// pointer rests on it, even when it is disabled (then the tip says why).
// Fyne 2.8 has no tooltips of its own.
type tipButton struct {
	widget.Button
	tip   string
	popup *widget.PopUp
}

func newTipButton(icon fyne.Resource, tip string, tapped func()) *tipButton {
	b := &tipButton{tip: tip}
	b.Icon = icon
	b.OnTapped = tapped
	b.Importance = widget.LowImportance
	b.ExtendBaseWidget(b)
	return b
}

// setTip changes the tooltip's text.
func (b *tipButton) setTip(tip string) {
	b.tip = tip
	if b.popup != nil {
		b.hideTip()
	}
}

// MouseIn shows the tooltip below the button.
func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	c := fyne.CurrentApp().Driver().CanvasForObject(b)
	if c == nil || b.tip == "" {
		return
	}
	label := widget.NewLabel(b.tip)
	b.popup = widget.NewPopUp(label, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
	size := b.popup.MinSize()
	// Above the button (it sits at the bottom of the window), kept on screen.
	x := min(pos.X, c.Size().Width-size.Width)
	y := pos.Y - size.Height
	if y < 0 {
		y = pos.Y + b.Size().Height
	}
	b.popup.ShowAtPosition(fyne.NewPos(max(0, x), y))
}

// MouseOut hides the tooltip.
func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.hideTip()
}

// Tapped hides the tooltip before acting.
func (b *tipButton) Tapped(e *fyne.PointEvent) {
	b.hideTip()
	b.Button.Tapped(e)
}

func (b *tipButton) hideTip() {
	if b.popup != nil {
		b.popup.Hide()
		b.popup = nil
	}
}

// Tip is the tooltip's text (tests read it).
func (b *tipButton) Tip() string { return b.tip }
