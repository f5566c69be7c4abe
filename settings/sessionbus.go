//go:build !darwin && !windows

package settings

import (
	"os"
	"os/user"
	"path/filepath"
	"strings"
)

// noSessionBus is keychainCause's words when there is no D-Bus session
// bus to reach the Secret Service on: outside a desktop session (an SSH
// shell, a service), go-keyring's D-Bus library would start a bus of its
// own (dbus-launch) and D-Bus would start a keyring daemon on it, both
// left running after azchat ends, for a keychain that cannot be unlocked
// there anyway (it said "its unlock was cancelled").
const noSessionBus = "no D-Bus session bus here, as outside a desktop session"

// sessionBus reports whether a session bus is there to be reached, where
// godbus (v5) looks for one before starting its own, as it looks: the
// address in DBUS_SESSION_BUS_ADDRESS; /run/user/UID/bus unless it is
// known not to exist; or /run/user/UID/dbus-session, when it exists and
// reads as DBUS_SESSION_BUS_ADDRESS=…. A variable so tests can take the
// bus away.
var sessionBus = func() bool {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return true
	}
	u, err := user.Current()
	if err != nil {
		return false
	}
	dir := filepath.Join("/run/user", u.Uid)
	if _, err := os.Stat(filepath.Join(dir, "bus")); !os.IsNotExist(err) {
		return true
	}
	session := filepath.Join(dir, "dbus-session")
	if _, err := os.Stat(session); os.IsNotExist(err) {
		return false
	}
	b, err := os.ReadFile(session)
	return err == nil && strings.HasPrefix(string(b), "DBUS_SESSION_BUS_ADDRESS=")
}

// noDesktop reports whether azchat runs outside a desktop session (no
// display to show the keychain's unlock prompt on, as over SSH): a locked
// keychain then cannot be unlocked from azchat, however often it asks.
func noDesktop() bool {
	return os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == ""
}
