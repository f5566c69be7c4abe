package app

import (
	"fmt"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/azchat/azchat/chat/history"
)

// reportHistory tells the user when history could not be opened, a
// damaged database was set aside, or chats an older azchat saved at the
// history's old place were added to it.
func (u *UI) reportHistory() {
	h := u.history
	switch {
	case u.historyErr != nil:
		u.inform("History is not available", "azchat could not open its history database, so this session's chats will not be saved:\n\n"+u.historyErr.Error())
	case h != nil && h.Recovered != "":
		msg := widget.NewLabel("The history database could not be read (" + h.RecoveredErr.Error() + ").\n\nIt was kept, unchanged, as\n" + h.Recovered + "\nand a new, empty history was started.")
		msg.Wrapping = fyne.TextWrapWord
		open := widget.NewButton("Open folder", func() { u.openFolder(filepath.Dir(h.Recovered)) })
		d := dialog.NewCustom("History was damaged", "OK", container.NewVBox(msg, open), u.win)
		d.Resize(fyne.NewSize(520, 260))
		d.Show()
	}
	if h != nil {
		u.reportGathered(h.Gathered)
	}
}

// reportGathered tells the user what was added to the history from one an
// older azchat kept at the old place, and what of it was found damaged.
func (u *UI) reportGathered(g history.Gathered) {
	var text string
	if g.Chats > 0 {
		what, added := "a chat", "It has"
		if g.Chats > 1 {
			what, added = fmt.Sprintf("%d chats", g.Chats), "They have"
		}
		text = fmt.Sprintf("An older version of azchat saved %s in\n%s\nafter your history moved to a folder of its own. %s been added to your history.", what, g.From, added)
	}
	if len(g.SetAside) > 0 {
		if text != "" {
			text += "\n\n"
		}
		text += "A history an older version of azchat saved could not be read; it was kept, unchanged, as\n" + strings.Join(g.SetAside, "\n")
	}
	if text == "" {
		return
	}
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	content := fyne.CanvasObject(msg)
	if len(g.SetAside) > 0 {
		content = container.NewVBox(msg, widget.NewButton("Open folder", func() { u.openFolder(filepath.Dir(g.SetAside[0])) }))
	}
	d := dialog.NewCustom("Chats from an older azchat", "OK", content, u.win)
	d.Resize(fyne.NewSize(520, 240))
	d.Show()
}
