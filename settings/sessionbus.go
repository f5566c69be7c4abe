//go:build !darwin && !windows

package settings

import (
	"os"
	"os/user"
	"path/filepath"
)

// noSessionBus is keychainCause's words when there is no D-Bus session
// bus to reach the Secret Service on: outside a desktop session (an SSH
// shell, a service), go-keyring's D-Bus library would start a bus of its
// own (dbus-launch) and D-Bus would start a keyring daemon on it, both
// left running after azchat ends, for a keychain that cannot be unlocked
// there anyway (it said "its unlock was cancelled").
const noSessionBus = "no D-Bus session bus here, as outside a desktop session"

// sessionBus reports whether a session bus is there to be reached, where
// the D-Bus library looks for one before starting its own: the address in
// DBUS_SESSION_BUS_ADDRESS, or the user's bus under /run/user. A variable
// so tests can take the bus away.
var sessionBus = func() bool {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return true
	}
	u, err := user.Current()
	if err != nil {
		return false
	}
	dir := filepath.Join("/run/user", u.Uid)
	for _, name := range []string{"bus", "dbus-session"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return true
		}
	}
	return false
}
