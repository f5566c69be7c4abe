package app

import (
	"errors"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/settings"
)

// confirmDelete asks, then deletes the profile shown and its key in the
// keychain (off the UI thread), and shows the profile current after it.
func (d *settingsDialog) confirmDelete() {
	if d.editing.ID == "" {
		return
	}
	p, hadKey := d.editing, d.keySet && !d.cfg.Secrets.IsSession(d.editing.ID)
	c := dialog.NewConfirm("Delete profile?", "Delete \""+p.Name+"\" and remove its key from the system keychain?", func(ok bool) {
		if !ok {
			return
		}
		_ = d.cfg.Store.Remove(p.ID, nil)
		d.background(func() func() {
			err := d.cfg.Secrets.Delete(p.ID)
			return func() {
				if cur, ok := d.cfg.Store.Current(); ok {
					d.load(cur)
				} else {
					d.load(newProfile("Default"))
				}
				// The window follows (another profile is current), but the
				// form holds what load showed, unchanged: not saved() with
				// the form of an earlier Save, which made Close ask to
				// discard changes nobody made.
				if d.cfg.OnSaved != nil {
					d.cfg.OnSaved()
				}
				// After load, which clears the status line. No profile uses
				// the key any more (a new one gets a new ID), but the user
				// should know it may still be stored.
				entry := "\"" + settings.KeyringService + "\" / \"" + settings.KeychainAccount(p.ID) + "\""
				switch {
				case err == nil && hadKey:
					d.Status.SetText("Deleted \"" + p.Name + "\" and removed its key from the system keychain.")
				case err == nil:
					d.Status.SetText("Deleted \"" + p.Name + "\".") // no key was kept for it
				}
				switch {
				case errors.Is(err, settings.ErrKeychainTimeout):
					showNotice(d.win, dialog.NewInformation("The key is not removed yet",
						"\""+p.Name+"\" was deleted. The system keychain has not answered yet (unlock it): its key is removed when it does, while azchat runs.\n\n"+
							"If azchat quits first, delete the entry "+entry+" with your keychain app.", d.win))
				case err != nil:
					showNotice(d.win, dialog.NewInformation("The key was not removed",
						"\""+p.Name+"\" was deleted, but its key could not be removed from the system keychain: "+err.Error()+
							"\n\nNothing uses it now. To remove it, delete the entry "+entry+" with your keychain app.", d.win))
				}
			}
		})
	}, d.win)
	c.SetConfirmImportance(widget.DangerImportance)
	c.SetConfirmText("Delete")
	showEscapable(d.win, c)
}
