package app

import (
	"os"
	"testing"

	"github.com/godbus/dbus/v5"
)

// trayHostRunning asks the real session bus: no StatusNotifier watcher,
// no tray; once a program owns the watcher's name, a tray.
func TestTrayHostOnTheSessionBus(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if os.Getenv("AZCHAT_REQUIRE_KEYCHAIN") != "" {
			t.Fatal("no session bus, but make test runs one")
		}
		t.Skip("no session bus")
	}
	if trayHostRunning() {
		t.Skip("this session already shows tray icons")
	}
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	reply, err := conn.RequestName(statusNotifierWatcher, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("could not stand in for a tray host: %v %v", reply, err)
	}
	if !trayHostRunning() {
		t.Fatal("a watcher on the bus, but no tray")
	}
}
