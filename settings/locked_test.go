package settings

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestALockedKeychainIsNotCalledMissing: the unlock prompt dismissed, the
// keychain is there but locked: reading and saving say so, and what to
// do, without D-Bus paths.
func TestALockedKeychainIsNotCalledMissing(t *testing.T) {
	t.Setenv("DISPLAY", ":0") // in a desktop session (see TestALockedKeychainOverSSH)
	// go-keyring's error when the unlock prompt was dismissed.
	dismissed := errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'")
	msg := readError{keychainCause(dismissed)}.Error()
	if !strings.Contains(msg, "locked") || strings.Contains(msg, "not available") || strings.Contains(msg, "/org/") {
		t.Fatalf("read: %q", msg)
	}
	if other := (readError{keychainCause(errors.New("The name org.freedesktop.secrets was not provided"))}).Error(); !strings.Contains(other, "not available") {
		t.Fatalf("no keychain: %q", other)
	}
}

// TestALockedKeychainOverSSH: outside a desktop session (no display, as
// over SSH with the user's bus) a locked keychain cannot show its prompt:
// that is not said as an unlock the user cancelled, nor offered again.
func TestALockedKeychainOverSSH(t *testing.T) {
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	err := readError{keychainCause(errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"))}
	if msg := err.Error(); strings.Contains(msg, "cancelled") || !strings.Contains(msg, "outside a desktop session") {
		t.Fatalf("read over SSH: %q", msg)
	}
	if KeyUnreadable(err) {
		t.Fatal("a keychain that cannot be unlocked here is offered to be read again")
	}
}

// TestKeyUnreadable: a timeout and a cancelled unlock may give the key
// when asked again; a keychain that is not there will not.
func TestKeyUnreadable(t *testing.T) {
	t.Setenv("DISPLAY", ":0")
	locked := readError{keychainCause(errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"))}
	missing := readError{keychainCause(errors.New("The name org.freedesktop.secrets was not provided"))}
	if !KeyUnreadable(ErrKeychainTimeout) || !KeyUnreadable(fmt.Errorf("reading: %w", locked)) || KeyUnreadable(missing) || KeyUnreadable(ErrNoKeychain) {
		t.Fatal("KeyUnreadable misjudges")
	}
}
