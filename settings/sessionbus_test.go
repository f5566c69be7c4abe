//go:build !darwin && !windows

package settings

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// TestNoSessionBusNoKeychainCall: without a D-Bus session bus (an SSH
// shell) the keychain is not called, which would start a bus and a
// keyring daemon left running; reading, saving and deleting say there is
// no keychain here, not that an unlock was cancelled.
func TestNoSessionBusNoKeychainCall(t *testing.T) {
	saved := sessionBus
	sessionBus = func() bool { return false }
	t.Cleanup(func() { sessionBus = saved })
	s := NewSecrets()
	// A keychain reached would have answered "no such key" ("", nil).
	_, err := s.Get("no-bus-profile")
	if !errors.Is(err, ErrNoKeychain) || KeyUnreadable(err) || !strings.Contains(err.Error(), "no D-Bus session bus") || strings.Contains(err.Error(), "locked") {
		t.Fatalf("read without a bus: %v", err)
	}
	if err := s.Set("no-bus-profile", "k-123456789"); !errors.Is(err, ErrNoKeychain) || !strings.Contains(err.Error(), "no D-Bus session bus") {
		t.Fatalf("save without a bus: %v", err)
	}
	if err := s.Delete("no-bus-profile"); !errors.Is(err, ErrNoKeychain) {
		t.Fatalf("delete without a bus: %v", err)
	}
}

// TestSessionBusFound: the bus is found where the D-Bus library finds it:
// its address in the environment ("autolaunch:" is none).
func TestSessionBusFound(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
	if !sessionBus() {
		t.Fatal("an address in DBUS_SESSION_BUS_ADDRESS is not taken as a bus")
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "autolaunch:")
	_, statErr := os.Stat("/run/user")
	if sessionBus() && statErr != nil {
		t.Fatal("autolaunch: taken as a bus, with no /run/user")
	}
}
