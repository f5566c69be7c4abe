package app

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat/history"
)

// storageBanner sits over the transcript while history cannot be written:
// the chat on screen is only in memory, and the user should know why, where
// to free space, and that Retry (or the next message, or quitting) saves it.
type storageBanner struct {
	root  *fyne.Container
	text  *widget.Label
	retry *widget.Button
}

func newStorageBanner(retry func()) *storageBanner {
	b := &storageBanner{text: widget.NewLabel("")}
	b.text.Wrapping = fyne.TextWrapWord
	b.text.Importance = widget.WarningImportance
	b.retry = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), retry)
	bg := newThemedRect(theme.ColorNameHeaderBackground, theme.ColorNameWarning, "")
	b.root = container.NewStack(bg, container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), b.retry, b.text))
	b.root.Hide()
	return b
}

// failed shows why history is not being saved and where.
func (b *storageBanner) failed(err error, dbPath string) {
	msg := "This chat is not saved: " + history.Describe(err) + "."
	if a := history.Advice(err, filepath.Dir(dbPath)); dbPath != "" && a != "" {
		msg += " " + a
	}
	msg += " azchat keeps it in memory and saves it on your next message, on Retry, and when you quit."
	b.text.SetText(msg)
	b.retry.Enable()
	b.root.Show()
}

// recovered hides the banner: everything on screen is on disk.
func (b *storageBanner) recovered() { b.root.Hide() }
