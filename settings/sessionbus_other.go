//go:build darwin || windows

package settings

// noSessionBus is unused here: macOS's Keychain and Windows' Credential
// Manager are reached without D-Bus.
const noSessionBus = ""

// sessionBus is always there: the keychain is not reached over D-Bus.
var sessionBus = func() bool { return true }

// noDesktop is false here: the system's keychain asks in its own way.
func noDesktop() bool { return false }
