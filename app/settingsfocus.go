package app

import (
	"strings"

	"fyne.io/fyne/v2"

	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/settings"
)

// focusSoon runs focusFirst once the event being handled is over (see
// UI.focusSoon).
func (d *settingsDialog) focusSoon() {
	if d.cfg.Later != nil {
		d.cfg.Later(d.focusFirst)
	} else {
		d.focusFirst()
	}
}

// settingsSize is the dialog's size in a window of size win: 680×640, and
// taller in a taller window, up to 900, so that less of the form is
// scrolled away (Prices were below the fold whatever the window's size).
func settingsSize(win fyne.Size) fyne.Size {
	return fyne.NewSize(680, max(640, min(win.Height-80, 900)))
}

// focusFirst gives the keys to the first field left to fill in (a new
// profile's endpoint, deployment, then its API key), or else to the name:
// nothing had them, and what a new user typed went nowhere. Not once the
// dialog is closed, nor when a field has them already.
func (d *settingsDialog) focusFirst() {
	c := d.win.Canvas()
	if c.Focused() != nil || d.closed {
		return
	}
	fields := []*escEntry{d.Endpoint, d.Deployment}
	// A saved profile's key is being read from the keychain: not taken
	// for missing (what was typed there would replace it).
	if d.editing.ID == "" && d.authMode() == azure.AuthAPIKey && !d.keySet && d.cfg.Getenv(settings.EnvAPIKey) == "" {
		fields = append(fields, d.Key)
	}
	for _, e := range fields {
		if strings.TrimSpace(e.Text) == "" {
			c.Focus(e)
			return
		}
	}
	c.Focus(d.Name)
}

// holdButton disables b while its work is out, and returns what enables
// it again, with the keys back on it when nothing has them: Fyne 2.8's
// button lets them go as it is pressed (by Space too), and the next Tab
// started over from the first field.
func (d *settingsDialog) holdButton(b *escButton) (enable func()) {
	b.Disable()
	return func() {
		b.Enable()
		if c := d.win.Canvas(); c.Focused() == nil && b.Visible() {
			c.Focus(b)
		}
	}
}
