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

// TestKeyUnreadable: a timeout and a cancelled unlock may give the key
// when asked again; a keychain that is not there will not.
func TestKeyUnreadable(t *testing.T) {
	locked := readError{keychainCause(errors.New("failed to unlock correct collection '/org/freedesktop/secrets/aliases/default'"))}
	missing := readError{keychainCause(errors.New("The name org.freedesktop.secrets was not provided"))}
	if !KeyUnreadable(ErrKeychainTimeout) || !KeyUnreadable(fmt.Errorf("reading: %w", locked)) || KeyUnreadable(missing) || KeyUnreadable(ErrNoKeychain) {
		t.Fatal("KeyUnreadable misjudges")
	}
}
