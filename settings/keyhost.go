package settings

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// A key in the keychain is saved with the address it was given for, so it
// goes nowhere else whatever the settings file says. The settings dialog
// asks before a profile's saved key is used for a new address, but the
// file can name another address without it: an older azchat's window
// writing back the profile list it read at its start (this one reads it
// again, syncLocked), an edit racing Fyne's reload of the file, or the
// copy of an earlier preferences.json put back after a cut write
// (prefsbackup.go). The keychain is the one place none of them reaches.

// boundKey is a keychain entry that names its address. An entry that is
// not one (saved by Set, or by an azchat before this) is the key alone.
type boundKey struct {
	For string `json:"azchat_key_for"`
	Key string `json:"key"`
}

func encodeKey(origin, key string) string {
	if origin == "" {
		return key
	}
	b, _ := json.Marshal(boundKey{For: origin, Key: key})
	return string(b)
}

// decodeKey returns the key of a keychain entry and the origin it is
// bound to ("" for a key alone).
func decodeKey(v string) (key, origin string) {
	if strings.HasPrefix(v, `{"azchat_key_for"`) {
		var b boundKey
		if json.Unmarshal([]byte(v), &b) == nil && b.For != "" {
			return b.Key, b.For
		}
	}
	return v, ""
}

// origin is an endpoint's scheme and host, the address a key is bound to
// (as SameHost compares them); "" for no address.
func origin(endpoint string) string {
	u, err := url.Parse(strings.TrimSpace(endpoint))
	if err != nil || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host)
}

// KeyHostError says a profile's saved key was given for another address
// than the one the profile now names: it is not sent there.
type KeyHostError struct {
	Profile  string // the profile's name
	SavedFor string // the origin the key was saved for
	Endpoint string // the profile's address now
}

func (e *KeyHostError) Error() string {
	return fmt.Sprintf("the API key saved for profile %q was given for %s, but the profile now sends to %s; the key is not sent there: "+
		"enter the key for %s in Settings (or set the address back)",
		e.Profile, strings.TrimPrefix(e.SavedFor, "https://"), shorten(e.Endpoint), shorten(origin(e.Endpoint)))
}

// SetSessionFor keeps a profile's key in memory for this run only, for
// endpoint's address only.
func (s *Secrets) SetSessionFor(profileID, endpoint, key string) {
	s.mu.Lock()
	s.session[profileID] = boundKey{For: origin(endpoint), Key: key}
	s.mu.Unlock()
}

// SetFor saves a profile's key in the keychain, for endpoint's address
// only; as Set otherwise.
func (s *Secrets) SetFor(profileID, endpoint, key string) error {
	return s.set(profileID, encodeKey(origin(endpoint), key))
}

// GetFor returns a profile's key for sending to endpoint: the session key
// if one was set, else the keychain's, if it was given for endpoint's
// address (a *KeyHostError if for another). A key saved without its
// address is bound to this one now, the first it is read for. No key is
// "", nil.
func (s *Secrets) GetFor(profileName, profileID, endpoint string) (string, error) {
	want := origin(endpoint)
	s.mu.Lock()
	if k, ok := s.session[profileID]; ok {
		defer s.mu.Unlock()
		switch {
		case want == "":
		case k.For == "":
			s.session[profileID] = boundKey{For: want, Key: k.Key}
		case k.For != want:
			return "", &KeyHostError{Profile: profileName, SavedFor: k.For, Endpoint: endpoint}
		}
		return k.Key, nil
	}
	s.mu.Unlock()
	v, err := s.stored(profileID)
	if err != nil || v == "" {
		return "", err
	}
	key, bound := decodeKey(v)
	switch {
	case want == "": // no address: nothing is sent
	case bound == "":
		// Not bound yet: bound to the address it is first read for.
		_ = s.set(profileID, encodeKey(want, key))
	case bound != want:
		return "", &KeyHostError{Profile: profileName, SavedFor: bound, Endpoint: endpoint}
	}
	return key, nil
}

// KeyOrigin is the address (scheme and host) a profile's key is kept for:
// the session key's if one was set, else the keychain's; "" for a key saved
// without one (bound at its first read, see GetFor). found is false when
// there is no key. It reads the keychain: not on the UI thread.
func (s *Secrets) KeyOrigin(profileID string) (origin string, found bool, err error) {
	s.mu.Lock()
	k, ok := s.session[profileID]
	s.mu.Unlock()
	if ok {
		return k.For, true, nil
	}
	v, err := s.stored(profileID)
	if err != nil || v == "" {
		return "", false, err
	}
	_, origin = decodeKey(v)
	return origin, true, nil
}

// OriginOf is an endpoint's scheme and host, as keys are bound to them;
// "" when it names no host.
func OriginOf(endpoint string) string { return origin(endpoint) }
