package app

import (
	"context"
	"os"
	"runtime"
	"time"

	"github.com/godbus/dbus/v5"
)

// statusNotifierWatcher is the D-Bus name of the service that shows tray
// icons on Linux desktops (the StatusNotifierItem protocol Fyne's tray
// speaks).
const statusNotifierWatcher = "org.kde.StatusNotifierWatcher"

// trayHostRunning reports whether the desktop can show a tray icon. On
// Linux and the BSDs it asks the session bus whether a StatusNotifier
// watcher runs: without one the icon would be invisible, a window hidden
// into it could not come back, and starting Fyne's tray costs about 9 MB
// of resident memory for nothing. Elsewhere there is always a tray. It
// never starts a bus (no session bus address, no tray) and gives up
// after a second. Call it off the UI thread.
func trayHostRunning() bool {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
	default:
		return true
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return false
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	var has bool
	err = conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, statusNotifierWatcher).Store(&has)
	return err == nil && has
}
