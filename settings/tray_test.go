package settings

import "testing"

// TestKeepInTray: off by default, saved in the preferences (a new Store
// on the same preferences reads it), and anything but "true" reads as off.
func TestKeepInTray(t *testing.T) {
	prefs := &MemPrefs{}
	if Load(prefs).KeepInTray() {
		t.Fatal("on by default")
	}
	Load(prefs).SetKeepInTray(true)
	if !Load(prefs).KeepInTray() {
		t.Fatal("not saved")
	}
	Load(prefs).SetKeepInTray(false)
	if Load(prefs).KeepInTray() {
		t.Fatal("could not be turned off")
	}
	prefs.SetString(keyKeepInTray, "yes please")
	if Load(prefs).KeepInTray() {
		t.Fatal("a damaged value turned it on")
	}
}
