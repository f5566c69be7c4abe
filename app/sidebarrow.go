package app

import (
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// sideRow is a row of the sidebar's list: the mark of the chat shown
// behind the chat's title and date, a search hit's snippet under them,
// and the row's menu button.
type sideRow struct {
	shown   *themedRect
	title   *dimLabel
	date    *dimLabel
	snippet *tipLabel
	more    *widget.Button
}

// newRow is the list's template row (CreateItem).
func (s *sidebar) newRow() fyne.CanvasObject {
	title := newTextLabel("")
	title.Truncation = fyne.TextTruncateEllipsis
	date := newDimLabel("")
	// The whole snippet in a tooltip when it is cut: "(in FILE)", after
	// the words found, is cut first.
	snippet := newTipLabel(s.u.tips)
	snippet.Truncation = fyne.TextTruncateEllipsis
	more := widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), nil)
	more.Importance = widget.LowImportance
	shown := newThemedRect(theme.ColorNameSelection, "", theme.SizeNameSelectionRadius)
	shown.Hide()
	// One line: a chat's row is its title and date; a search hit's row is
	// made taller for its snippet (fitRows).
	snippet.Hide()
	line := container.New(&titleLine{title: title, date: date}, title, date)
	// A row shows another chat at the same width: placed again.
	title.onText = func() { line.Layout.Layout(line.Objects, line.Size()) }
	date.onText = title.onText
	return container.NewStack(shown, container.NewBorder(nil, nil, nil, more, container.NewVBox(line, snippet)))
}

// sideRowOf names the parts of a row newRow made.
func sideRowOf(o fyne.CanvasObject) sideRow {
	row := o.(*fyne.Container)
	c := row.Objects[1].(*fyne.Container)
	texts := c.Objects[0].(*fyne.Container)
	line := texts.Objects[0].(*fyne.Container)
	return sideRow{
		shown:   row.Objects[0].(*themedRect),
		title:   line.Objects[0].(*dimLabel),
		date:    line.Objects[1].(*dimLabel),
		snippet: texts.Objects[1].(*tipLabel),
		more:    c.Objects[1].(*widget.Button),
	}
}

// fillRow shows item id in row o (UpdateItem).
func (s *sidebar) fillRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(s.items) {
		return
	}
	it := s.items[id]
	r := sideRowOf(o)
	// The chat shown is marked by its ID, not by the list's selection,
	// which is a row number: rows move as chats are written, found or
	// imported, and a selected row's click opens nothing.
	r.shown.Hidden = !(it.id == s.u.conv.ID && s.u.conv.ID != "") // among search results too
	setDim(r.title, it.title)
	// Now, not when the list was read: the list is drawn again as days
	// pass (followDays).
	setDim(r.date, listTime(it.when, clockNow()))
	if it.snippet != "" {
		// Italic only here, not in the template the list measures
		// at start-up: each font style Fyne measures loads a font.
		r.snippet.TextStyle.Italic = true
		r.snippet.SetText(it.snippet)
		r.snippet.Show()
	} else {
		if r.snippet.hovers {
			r.snippet.MouseOut() // its tooltip goes with it
		}
		r.snippet.Hide()
	}
	more := r.more
	more.OnTapped = func() {
		menu := fyne.NewMenu("",
			fyne.NewMenuItem("Rename…", func() { s.rename(it) }),
			fyne.NewMenuItem("Delete…", func() { s.confirmDelete(it) }))
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(more)
		widget.ShowPopUpMenuAtPosition(menu, s.u.win.Canvas(), pos.AddXY(0, more.Size().Height))
	}
}

// listTime is a chat's date in the sidebar, short as the column is: the
// time alone today, then "Yesterday", the weekday in the week before,
// the day and month this year, the month and year before it. (A
// message's header gives the whole date.) Without a time, nothing.
func listTime(t, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	t, now = t.Local(), now.Local()
	switch days := daysBetween(t, now); {
	case days == 0:
		return t.Format("15:04")
	case days == 1:
		return "Yesterday"
	case days > 1 && days < 7:
		return t.Format("Mon")
	case t.Year() == now.Year():
		return t.Format("Jan 2")
	}
	return t.Format("Jan 2006")
}

// daysBetween is how many calendar days t is before now, in now's time
// zone (negative for a day after it).
func daysBetween(t, now time.Time) int {
	day := func(x time.Time) time.Time {
		return time.Date(x.Year(), x.Month(), x.Day(), 12, 0, 0, 0, now.Location())
	}
	// At noon: a day with a daylight saving change is still 24 hours
	// from the next one, rounded.
	return int(day(now).Sub(day(t.In(now.Location()))).Round(24*time.Hour) / (24 * time.Hour))
}

// followDays draws the dates again when the day changes: a chat of
// "14:02" becomes "Yesterday" at midnight, in the list and in the
// messages' headers, though the window was left open. The date is looked
// at every minute, not by a timer set for midnight: a timer's clock stops
// while the computer sleeps, and one closed at 18:00 and opened at 09:00
// would have said "14:02" until the afternoon. Started once, on the UI
// thread; it stops with the window (the bridge takes no more).
func (s *sidebar) followDays() {
	if s.followingDays {
		return
	}
	s.followingDays = true
	day := func() int { y, m, d := clockNow().Date(); return (y*100+int(m))*100 + d }
	shown := day() // then read and written in the bridge's batches only
	var next func()
	next = func() {
		time.AfterFunc(time.Duration(dayCheck.Load()), func() {
			s.u.bridge.push(func() {
				if today := day(); today != shown {
					shown = today
					s.list.Refresh()
					s.u.transcript.list.Refresh()
				}
				next()
			})
		})
	}
	next()
}

// titleLine lays out a row's title and date (objects title, date): the
// date at the right, the title in the rest, cut with "…". Where the
// longest date ("Yesterday") would leave a title less than titleRoom, no
// row shows its date: in a narrow sidebar the date took most of a title
// ("Tell me …"), and a date shown on some rows only (beside short titles)
// could not be told from no date at all.
type titleLine struct {
	title, date *dimLabel
}

// titleRoom is the width a title keeps beside the date: about 12
// characters.
const titleRoom = 100

// longestDate is the widest of listTime's forms in the theme's font.
const longestDate = "Yesterday"

func (l *titleLine) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(objs[0].MinSize().Width, max(objs[0].MinSize().Height, objs[1].MinSize().Height))
}

func (l *titleLine) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	title, date := objs[0], objs[1]
	if size.IsZero() {
		return
	}
	dw := float32(0)
	if l.date.Text != "" && size.Width-l.date.fullWidth(longestDate)-theme.Padding() >= titleRoom {
		dw = l.date.fullWidth(l.date.Text)
	}
	tw := size.Width
	if dw > 0 {
		tw -= dw + theme.Padding()
	}
	title.Move(fyne.NewPos(0, 0))
	title.Resize(fyne.NewSize(tw, size.Height))
	// Not drawn where there is no room (a text is drawn whole past a
	// size too small for it); the field, as Hide would refresh the row
	// being laid out.
	l.date.Hidden = dw == 0
	date.Move(fyne.NewPos(size.Width-dw, 0))
	date.Resize(fyne.NewSize(dw, size.Height))
}

// dayCheck is how often followDays looks at the date (tests shorten it).
var dayCheck atomic.Int64

func init() { dayCheck.Store(int64(time.Minute)) }

// clockSkew moves the clock the dates are told by (tests: tomorrow).
var clockSkew atomic.Int64

// clockNow is the time dates are told by: now.
func clockNow() time.Time { return time.Now().Add(time.Duration(clockSkew.Load())) }
