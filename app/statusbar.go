package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// statusLayout lays out the status bar: the profile picker, the
// connection's state, the token meter and the last answer's usage, in
// that order. The state takes the width its text needs when there is
// room; when not, the width of its first shorter form that fits (a note
// such as "Exported a.md", its whole text in a tooltip), or all the room,
// cut with "…" (not shorter than least: hidden then). It never widens the
// window (a long "Exported to …" path made the window wider at each export
// and squeezed the chat list, and the next start kept that width). The
// picker always shows in full, the meter whole or as the count alone
// (meterWidth); the usage takes what is left, in a shorter form if need
// be.
type statusLayout struct {
	state *dimLabel
	// usage is the last answer's usage, shown whole in one of its forms
	// or not at all.
	usage *dimLabel
	// meter is the token meter: whole where the state has room beside
	// it, else its shorter form (the count alone).
	meter *dimLabel
	// meterText is the meter's text whose whole and shorter widths are
	// meterWide and meterShort.
	meterText             string
	meterWide, meterShort float32
	// widths are the widths widthOf measured, by text.
	widths map[string]float32
	// measured is the text whose full width wide is (a label laid out
	// for it, uncut: what the label itself needs, paddings included).
	measured string
	wide     float32
	// least is the narrowest the state or the usage is cut to (usefulCut
	// and "…"): narrower, it is hidden unless its shortest form fits.
	least float32
}

func (l *statusLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	// The state and the usage are cut to fit.
	return sideBySide(objs, func(i int) bool { return i == 1 || i == 3 })
}

func (l *statusLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if len(objs) != 4 {
		return
	}
	pad := theme.Padding()
	sel, state, meter, usage := objs[0], objs[1], objs[2], objs[3]
	row := &leftToRight{height: size.Height}
	place := row.place
	place(sel, sel.MinSize().Width)
	if l.state.Text != l.measured || l.least == 0 {
		// With room for Fyne's "…" as well: its ellipsis cuts a text
		// laid out at exactly its own width.
		l.measured, l.wide = l.state.Text, l.widthOf(l.state.Text)
		l.least = l.widthOf(usefulCut)
	}
	meterW := l.meterWidth(size.Width - row.x - pad)
	room := size.Width - row.x - meterW - pad
	want := float32(0)
	if l.state.Text != "" {
		want = l.wide
	}
	w := min(want, room)
	if want > room {
		// A shorter form that fits takes only its width: the usage
		// after it keeps the rest (it was hidden while a long note
		// took the whole room).
		for _, t := range l.state.shorter {
			if tw := l.widthOf(t); tw <= room {
				w = tw
				break
			}
		}
	}
	// Too narrow to show the state whole or a useful part of it:
	// hidden, not "gp…" or "…" (a label laid out at no width still draws
	// its text, over the meter).
	if w <= 0 || w < min(l.least, l.shortest(l.state)) {
		w = 0
		state.Hide()
	} else {
		state.Show()
	}
	place(state, w)
	place(meter, meterW)
	// The usage likewise: a long meter (a large draft's count) left it no
	// room, and it was drawn over the meter.
	// Never cut: a figure cut ("cost 0.00…") reads as another one.
	if uw := size.Width - row.x; uw <= 0 || uw < l.shortest(l.usage) {
		usage.Hide()
	} else {
		usage.Show()
	}
	place(usage, size.Width-row.x)
}

// sideBySide is the minimum size of objs laid out in a row a padding
// apart, those cut to fit (cut(i)) taking no width, as tall as the
// tallest shown.
func sideBySide(objs []fyne.CanvasObject, cut func(i int) bool) fyne.Size {
	var w, h float32
	for i, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		if !cut(i) {
			w += m.Width + theme.Padding()
		}
		h = max(h, m.Height)
	}
	return fyne.NewSize(w, h)
}

// leftToRight places objects from the left, a padding apart, as tall as
// the row; one given no width takes no padding either.
type leftToRight struct{ x, height float32 }

func (r *leftToRight) place(o fyne.CanvasObject, w float32) {
	w = max(0, w)
	o.Move(fyne.NewPos(r.x, 0))
	o.Resize(fyne.NewSize(w, r.height))
	if w > 0 {
		r.x += w + theme.Padding()
	}
}

// meterWidth is the width the meter is laid out at in room (what the
// picker leaves): whole when the state (whole in its shortest form, or
// cut no shorter than least) and the usage (whole in its shortest form)
// are shown beside it; else its shorter form, the count alone.
func (l *statusLayout) meterWidth(room float32) float32 {
	if l.meter.Text != l.meterText {
		l.meterText = l.meter.Text
		l.meterWide = l.widthOf(l.meter.Text)
		l.meterShort = l.meterWide
		if n := len(l.meter.shorter); n > 0 {
			l.meterShort = l.widthOf(l.meter.shorter[n-1])
		}
	}
	need := float32(0)
	if l.state.Text != "" {
		need += min(l.least, l.shortest(l.state)) + theme.Padding()
	}
	if l.usage.Text != "" {
		need += l.shortest(l.usage) + theme.Padding()
	}
	if room-l.meterWide-theme.Padding() >= need {
		return l.meterWide
	}
	return l.meterShort
}

// usefulCut is as much of a text as is worth showing cut with "…".
const usefulCut = "Mmmmmmmm"

// shortest is the width l's shortest form needs whole.
func (l *statusLayout) shortest(d *dimLabel) float32 {
	if n := len(d.shorter); n > 0 {
		return l.widthOf(d.shorter[n-1])
	}
	return l.widthOf(d.Text)
}

// widthOf is the width the state needs to show text uncut, as wide is
// for its whole text. Kept by text (a few dozen at most): a layout asks
// for several, and each is measured by a label made for it.
func (l *statusLayout) widthOf(text string) float32 {
	if w, ok := l.widths[text]; ok {
		return w
	}
	uncut := newDimLabel(text)
	uncut.TextStyle = l.state.TextStyle
	w := uncut.MinSize().Width + fyne.MeasureText("…", theme.TextSize(), l.state.TextStyle).Width + theme.Padding()
	if l.widths == nil || len(l.widths) > 64 {
		l.widths = map[string]float32{}
	}
	l.widths[text] = w
	return w
}

// statusNoteFor is how long a note in the state's place (such as
// "Exported to …") stays before the connection's state comes back.
var statusNoteFor = 10 * time.Second

// dropNote puts the state back in place of the note shown, if it is one
// about the chat on screen (noteChat), which another chat makes untrue.
func (u *UI) dropNote() {
	if !u.noteOfChat {
		return
	}
	if u.lastNote != "" && u.connLabel.Text == u.lastNote {
		u.connLabel.SetText(u.noteUnder)
	}
	u.lastNote, u.noteOfChat = "", false
	u.noteSeq++ // its timer has nothing left to do
}

// noteChat is note for a note about the chat on screen ("Exported …",
// "Imported …"): it goes when another chat is opened (dropNote).
func (u *UI) noteChat(text string, shorter ...string) {
	u.note(text, shorter...)
	u.noteOfChat = true
}

// note shows text where the connection's state is, for statusNoteFor;
// then the state under it comes back, unless it changed meanwhile. Notes
// in a row replace each other, the state under them kept (noteUnder).
// Where text does not fit, the first of shorter that does is drawn, the
// whole text in a tooltip ("Exported a.md to /tm…" hid the folder).
func (u *UI) note(text string, shorter ...string) {
	if u.connLabel.Text != u.lastNote {
		u.noteUnder = u.connLabel.Text // the state, not an earlier note
	}
	u.lastNote, u.noteOfChat = text, false
	u.noteSeq++
	seq := u.noteSeq
	u.connLabel.setTexts(text, shorter...)
	time.AfterFunc(statusNoteFor, func() {
		u.bridge.push(func() {
			if seq == u.noteSeq && u.connLabel.Text == text {
				u.connLabel.SetText(u.noteUnder)
			}
		})
	})
}
