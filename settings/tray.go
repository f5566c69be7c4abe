package settings

// keyKeepInTray is stored as "true" or absent, like the other view
// choices: a plain string, so a hand-edited value cannot break loading.
const keyKeepInTray = "tray.keep_running"

// KeepInTray reports whether closing the window should leave azchat
// running in the system tray instead of quitting (off unless chosen).
func (s *Store) KeepInTray() bool { return s.prefs.String(keyKeepInTray) == "true" }

// SetKeepInTray saves the choice made in the View menu.
func (s *Store) SetKeepInTray(on bool) {
	v := "false"
	if on {
		v = "true"
	}
	s.prefs.SetString(keyKeepInTray, v)
}
