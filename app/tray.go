package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/azchat/azchat/assets"
)

// Labels of the tray menu (tests find the items by them).
const (
	trayNewChat = "New chat"
	trayShow    = "Show azchat"
	trayQuit    = "Quit"
	// keepInTrayLabel is the View menu's check item for the setting.
	keepInTrayLabel = "Keep running in the tray when closed"
)

// tray is azchat's icon in the system tray and what it does to the window.
// It exists only where the app has a tray (desktop.App); elsewhere the
// close button quits, as window.go sets it up.
type tray struct {
	u    *UI
	menu *fyne.Menu
	// hidden is set while the close button has put the window away; only
	// the tray's own items show it again (no SetSystemTrayWindow, whose
	// left click would show it behind our back).
	hidden bool
}

// startTray puts azchat in the system tray where the app has one (Fyne's
// desktop drivers; neither its test app nor the ci build's software app)
// and the desktop shows tray icons (Config.TrayHost, asked off the UI
// thread). Until then, and without a tray, the close button quits.
func (u *UI) startTray() {
	d, ok := u.fyneApp.(desktop.App)
	if !ok {
		return
	}
	host := u.cfg.TrayHost
	if host == nil {
		host = trayHostRunning
	}
	go func() {
		if !host() {
			return
		}
		u.bridge.push(func() {
			if u.quitting || u.tray != nil {
				return
			}
			u.tray = u.setTray(d)
			// The View menu now offers to keep running in the tray.
			u.win.SetMainMenu(u.withFind(u.menu()))
		})
	}()
}

// setTray builds the tray menu, hands it and the icon to d, and lets the
// close button hide the window into the tray when the user chose so.
func (u *UI) setTray(d desktop.App) *tray {
	t := &tray{u: u}
	quit := fyne.NewMenuItem(trayQuit, u.quit)
	// Fyne's desktop driver appends its own Quit, wired straight to the
	// driver past our shutdown, unless the menu's last item is marked
	// IsQuit; and it gives an IsQuit item the driver's Quit only when the
	// item has no action. Marked and with ours, it is the only Quit and it
	// stops and saves the answer like every other way out.
	quit.IsQuit = true
	t.menu = fyne.NewMenu("azchat",
		fyne.NewMenuItem(trayNewChat, t.newChat),
		fyne.NewMenuItem(trayShow, t.show),
		fyne.NewMenuItemSeparator(),
		quit)
	d.SetSystemTrayMenu(t.menu)
	// After the menu: Fyne starts the tray with the menu and only then
	// accepts an icon.
	d.SetSystemTrayIcon(assets.TrayIcon)
	u.win.SetCloseIntercept(t.closeWindow)
	return t
}

// closeWindow is the close button with a tray: it hides the window when
// the user keeps azchat running in the tray (an answer being written goes
// on, and is saved as usual), and quits otherwise.
func (t *tray) closeWindow() {
	if !t.u.store.KeepInTray() || t.u.quitting {
		t.u.quit()
		return
	}
	if t.u.banner.root.Visible() || t.u.ctl.Unsaved() {
		// Hidden, the window would no longer say that a chat is only in
		// memory (quitting asks; a logout would not).
		t.u.inform("A chat is not saved",
			"The window stays open while a chat is only in memory: free some space and press Retry on the banner, then close it again.")
		return
	}
	t.hidden = true
	t.u.win.Hide()
}

// show brings the window back, in front and ready to type.
func (t *tray) show() {
	t.hidden = false
	t.u.win.Show()
	t.u.win.RequestFocus()
	t.u.win.Canvas().Focus(t.u.input)
}

// newChat shows the window on a new chat, as File → New chat would.
func (t *tray) newChat() {
	t.show()
	if t.u.quitting {
		return // the controller is being closed: nothing new may start
	}
	t.u.newChat()
}

// keepInTrayItem is the View menu's check item for keeping azchat running
// in the tray; nil until the tray is up (never where there is none), since
// a window hidden there could not be brought back.
func (u *UI) keepInTrayItem() *fyne.MenuItem {
	if u.tray == nil {
		return nil
	}
	item := fyne.NewMenuItem(keepInTrayLabel, nil)
	item.Checked = u.store.KeepInTray()
	item.Action = func() {
		on := !u.store.KeepInTray()
		u.store.SetKeepInTray(on)
		item.Checked = on
		// Menus draw their check marks when they are set; this is what
		// fyne.MainMenu.Refresh does, without reaching for CurrentApp.
		if m := u.win.MainMenu(); m != nil {
			u.win.SetMainMenu(m)
		}
	}
	return item
}

// Raise brings the window to the front, out of the tray if it is there,
// from any goroutine: for a second start of azchat, which ends instead of
// opening a second window on the same history (internal/instance). It
// waits up to wait for the UI thread, and reports whether the window came
// up, or is quitting (then the second start waits for it to end).
func (u *UI) Raise(wait time.Duration) (raised, quitting bool) {
	done := make(chan bool, 1)
	if !u.bridge.push(func() {
		if u.quitting {
			done <- false
			return
		}
		if u.cfg.Trace != nil {
			u.cfg.Trace("window raised", time.Since(u.cfg.Started))
		}
		if u.tray != nil {
			u.tray.show()
		} else {
			u.win.Show()
			u.win.RequestFocus()
		}
		done <- true
	}) {
		return false, true // the loop has ended
	}
	select {
	case ok := <-done:
		return ok, !ok
	case <-time.After(wait):
		return false, false
	}
}
