package settings

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"
)

// KeyringService is the service name of azchat's keychain entries.
const KeyringService = "azchat"

// ErrNoKeychain says the OS keychain cannot be used (no Secret Service on
// Linux, or it refused). The UI offers "use for this session only".
var ErrNoKeychain = errors.New("the system keychain is not available, so the API key cannot be saved; you can use it for this session only (it is kept in memory and forgotten when azchat quits)")

// ErrKeychainTimeout says the keychain did not answer, typically because it
// waits for the user to unlock it.
var ErrKeychainTimeout = errors.New("the system keychain is not answering: unlock it (your login keyring) and try again")

// Secrets stores API keys in the OS keychain, one entry per profile, and
// never anywhere else. Keys given "for this session only" live in memory.
type Secrets struct {
	// Timeout bounds every keychain call; a locked keyring with a display
	// pops a prompt and go-keyring would otherwise wait forever.
	Timeout time.Duration

	mu      sync.Mutex
	session map[string]boundKey // For "" until bound (see GetFor)
	// last is closed when the keychain call made last has ended: each
	// call waits for the one before (see callUndo). Guarded by mu.
	last chan struct{}
	// cancelled is when an unlock prompt was last cancelled (guarded by
	// mu): a read queued behind it fails without a prompt of its own.
	cancelled time.Time
}

// unlockQuiet is how long after an unlock prompt is cancelled reads fail
// as it did, without a prompt of their own (the window read a profile's
// key at start from two places, and the user was asked twice in a row),
// unless the user asks again (AskAgain).
const unlockQuiet = 3 * time.Second

// AskAgain lets the next read ask to unlock the keychain even just after
// a prompt was cancelled: the user asked for it (Enter to retry).
func (s *Secrets) AskAgain() {
	s.mu.Lock()
	s.cancelled = time.Time{}
	s.mu.Unlock()
}

// errNoSessionBus is a keychain call not made: there is no session bus to
// reach the keychain on (sessionBus).
var errNoSessionBus = errors.New(noSessionBus)

// keychainReachable is nil, or errNoSessionBus when a keychain call would
// start a D-Bus daemon and a keyring daemon of its own (sessionBus).
func keychainReachable() error {
	if !sessionBus() {
		return errNoSessionBus
	}
	return nil
}

// errUnlockCancelled is a read skipped for a prompt just cancelled.
var errUnlockCancelled = errors.New("failed to unlock: the prompt was just cancelled")

// NewSecrets returns a store with a 10-second keychain timeout.
func NewSecrets() *Secrets {
	return &Secrets{Timeout: 10 * time.Second, session: map[string]boundKey{}}
}

func (s *Secrets) call(f func() error) error {
	return s.callUndo(f, nil)
}

// Stall makes the keychain calls made from now on wait until resume is
// called, as a locked keychain waiting for the user to unlock it does:
// tests use it to time calls out without depending on timing.
func (s *Secrets) Stall() (resume func()) {
	unlock, resumed := make(chan struct{}), make(chan struct{})
	s.mu.Lock()
	prev := s.last
	s.last = unlock
	s.mu.Unlock()
	go func() {
		if prev != nil {
			<-prev
		}
		<-resumed
		close(unlock)
	}()
	var once sync.Once
	return func() { once.Do(func() { close(resumed) }) }
}

// callUndo runs f, a keychain call, bounded by Timeout. Calls run one at a
// time, in order, each until the keychain answers, even after the caller
// stopped waiting: a late write must not land after a later one. When the
// caller was told ErrKeychainTimeout and f then succeeded, undo runs (a
// key the user was told was not saved must not stay stored: its profile
// may keep another address).
func (s *Secrets) callUndo(f, undo func() error) error {
	var (
		mu                  sync.Mutex
		finished, abandoned bool
	)
	done := make(chan error, 1)
	s.mu.Lock()
	prev, mine := s.last, make(chan struct{})
	s.last = mine
	s.mu.Unlock()
	go func() {
		defer close(mine)
		if prev != nil {
			<-prev
		}
		err := f()
		mu.Lock()
		finished = true
		late := abandoned
		mu.Unlock()
		if late && err == nil && undo != nil {
			_ = undo()
		}
		done <- err
	}()
	t := s.Timeout
	if t == 0 {
		t = 10 * time.Second
	}
	select {
	case err := <-done:
		return err
	case <-time.After(t):
		mu.Lock()
		defer mu.Unlock()
		if finished {
			return <-done // it answered as the time ran out
		}
		abandoned = true
		return ErrKeychainTimeout
	}
}

// KeychainAccount is the account name of a profile's key in the keychain
// (service KeyringService).
func KeychainAccount(profileID string) string { return "profile:" + profileID }

// Get returns the key of a profile: the session key if one was set, else the
// keychain's, whatever address it was given for (see GetFor). A profile
// with no key returns "", nil.
func (s *Secrets) Get(profileID string) (string, error) {
	if k, ok := s.SessionKey(profileID); ok {
		return k, nil
	}
	v, err := s.stored(profileID)
	key, _ := decodeKey(v)
	return key, err
}

// SessionKey returns a profile's session-only key, if it has one (the
// keychain is not read).
func (s *Secrets) SessionKey(profileID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.session[profileID]
	return k.Key, ok
}

// stored reads a profile's keychain entry as it is ("" when there is none).
func (s *Secrets) stored(profileID string) (string, error) {
	var v string
	err := s.call(func() error {
		s.mu.Lock()
		quiet := time.Since(s.cancelled) < unlockQuiet
		s.mu.Unlock()
		if quiet {
			return errUnlockCancelled
		}
		if err := keychainReachable(); err != nil {
			return err
		}
		var err error
		v, err = keyring.Get(KeyringService, KeychainAccount(profileID))
		if err != nil && keychainCause(err) == lockedCause {
			s.mu.Lock()
			s.cancelled = time.Now()
			s.mu.Unlock()
		}
		return err
	})
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return "", nil
	case errors.Is(err, ErrKeychainTimeout):
		return "", err
	case err != nil:
		return "", readError{keychainCause(err)}
	}
	return v, nil
}

// ErrKeychainLocked says a key was not saved because the keychain is
// locked and its unlock was cancelled: the keychain is there, and a Save
// asks again.
var ErrKeychainLocked = errors.New("the system keychain is locked (its unlock was cancelled), so the API key was not saved: Save again and unlock it with your login password when asked")

// KeyUnreadable reports whether err says a saved key is there but could
// not be read now: the keychain did not answer in time, or is locked and
// its unlock was cancelled. Asked again, it may give the key; a keychain
// that is not there at all will not.
func KeyUnreadable(err error) bool {
	var re readError
	return errors.Is(err, ErrKeychainTimeout) || errors.As(err, &re) && re.cause == lockedCause
}

// lockedCause is keychainCause for a keychain whose unlock was cancelled.
const lockedCause = "it is locked: its unlock was cancelled"

// lockedHeadless is keychainCause for a locked keychain outside a desktop
// session, where no unlock prompt can be shown.
const lockedHeadless = "it is locked, and its password cannot be asked for outside a desktop session"

// readError is ErrNoKeychain when reading a key: ErrNoKeychain's text is
// about saving one.
type readError struct{ cause string }

func (e readError) Error() string {
	if e.cause == lockedCause {
		return "the system keychain is locked (its unlock was cancelled), so the saved API key cannot be read: unlock it with your login password when asked, then try again"
	}
	return "the system keychain is not available, so the saved API key cannot be read (" + e.cause + ")"
}

func (e readError) Unwrap() error { return ErrNoKeychain }

// Set saves a key in the keychain. On ErrNoKeychain nothing is stored; the
// caller may then offer SetSession. On ErrKeychainTimeout nothing changes
// either: a write that completes later is undone (the key it replaced is
// put back).
//
// The key is saved without the address it is for, bound to the first
// profile address GetFor reads it for; SetFor saves it bound.
func (s *Secrets) Set(profileID, key string) error { return s.set(profileID, key) }

// set writes the keychain entry of a profile: a key as Set and SetFor save it.
func (s *Secrets) set(profileID, value string) error {
	account := KeychainAccount(profileID)
	var before string
	var had bool
	err := s.callUndo(func() error {
		if err := keychainReachable(); err != nil {
			return err
		}
		// What the write replaces, to put back if it lands too late.
		prev, err := keyring.Get(KeyringService, account)
		if err != nil && !errors.Is(err, keyring.ErrNotFound) {
			// Not knowing the key it would replace, a write could not
			// be undone: nothing is written.
			return err
		}
		before, had = prev, err == nil
		return keyring.Set(KeyringService, account, value)
	}, func() error {
		if had {
			return keyring.Set(KeyringService, account, before)
		}
		return keyring.Delete(KeyringService, account)
	})
	if errors.Is(err, ErrKeychainTimeout) {
		return err
	}
	if err != nil && keychainCause(err) == lockedCause {
		return ErrKeychainLocked
	}
	if err != nil {
		return fmt.Errorf("%w (%s)", ErrNoKeychain, keychainCause(err))
	}
	s.mu.Lock()
	delete(s.session, profileID)
	s.mu.Unlock()
	return nil
}

// SetSession keeps a key in memory for this run only.
func (s *Secrets) SetSession(profileID, key string) {
	s.mu.Lock()
	s.session[profileID] = boundKey{Key: key}
	s.mu.Unlock()
}

// DropSession forgets a profile's session-only key (the keychain's, if
// any, stays).
func (s *Secrets) DropSession(profileID string) {
	s.mu.Lock()
	delete(s.session, profileID)
	s.mu.Unlock()
}

// IsSession reports whether the profile's key is a session-only key.
func (s *Secrets) IsSession(profileID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.session[profileID]
	return ok
}

// Delete removes a profile's key from the keychain and from memory.
func (s *Secrets) Delete(profileID string) error {
	s.mu.Lock()
	delete(s.session, profileID)
	s.mu.Unlock()
	err := s.call(func() error {
		if err := keychainReachable(); err != nil {
			return err
		}
		return keyring.Delete(KeyringService, KeychainAccount(profileID))
	})
	if err == nil || errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	if errors.Is(err, ErrKeychainTimeout) {
		return err
	}
	return fmt.Errorf("%w (%s)", ErrNoKeychain, keychainCause(err))
}

// keychainCause describes a keychain failure without its full text, which
// on some platforms echoes the stored data.
func keychainCause(err error) string {
	switch {
	case strings.HasPrefix(err.Error(), "failed to unlock") && noDesktop():
		// Over SSH, with the user's bus (systemd) but no display: the
		// keyring cannot show its prompt, which counts as dismissed.
		return lockedHeadless
	case strings.HasPrefix(err.Error(), "failed to unlock"):
		// go-keyring's words when the unlock prompt was dismissed (the
		// keychain is there, locked), followed by a D-Bus path.
		return lockedCause
	case errors.Is(err, keyring.ErrUnsupportedPlatform):
		return "unsupported platform"
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return "key too long"
	}
	msg := err.Error()
	if len(msg) > 120 {
		msg = msg[:120]
	}
	return msg
}
