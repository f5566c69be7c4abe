package settings

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/azchat/azchat/chat"
)

// restoredList writes prefs' profile list as another program would (a
// second window writing back what it read at its start, or the copy of
// an earlier preferences.json put back after a cut write): p's address is
// endpoint, whatever the keychain says.
func restoredList(t *testing.T, prefs *MemPrefs, p Profile, endpoint string) *Store {
	t.Helper()
	p.Endpoint = endpoint
	b, err := json.Marshal([]Profile{p})
	if err != nil {
		t.Fatal(err)
	}
	prefs.SetString(keyProfiles, string(b))
	prefs.SetString(keyCurrent, p.ID)
	return Load(prefs)
}

func noEnv(string) string { return "" }

// keychainProfile is a store with one profile whose keychain entry the
// test's end removes.
func keychainProfile(t *testing.T) (*MemPrefs, *Store, Profile, *Secrets) {
	t.Helper()
	requireKeychain(t)
	prefs := &MemPrefs{}
	s := Load(prefs)
	p, err := s.Put(newProfile())
	if err != nil {
		t.Fatal(err)
	}
	sec := NewSecrets()
	t.Cleanup(func() { _ = sec.Delete(p.ID) })
	return prefs, s, p, sec
}

// TestAKeyGoesOnlyToTheAddressItWasSavedFor: a key saved for one address
// is not given out for another the settings file names; for its own, it is.
func TestAKeyGoesOnlyToTheAddressItWasSavedFor(t *testing.T) {
	prefs, _, p, sec := keychainProfile(t)
	if err := sec.SetFor(p.ID, p.Endpoint, "key-for-my-res"); err != nil {
		t.Fatal(err)
	}
	c, err := restoredList(t, prefs, p, "https://elsewhere.example.invalid/openai/v1/").Resolve(NewSecrets(), noEnv)
	var he *KeyHostError
	if !errors.As(err, &he) || c.APIKey != "" {
		t.Fatalf("the key went to another address: %q, %v", c.APIKey, err)
	}
	var ce *chat.Error
	if !errors.As(err, &ce) || ce.Action != chat.ActionOpenSettings || !strings.Contains(err.Error(), "my-res.openai.azure.com") ||
		!strings.Contains(err.Error(), "elsewhere.example.invalid") || strings.Contains(err.Error(), "key-for-my-res") {
		t.Fatalf("the refusal does not say what to do: %v", err)
	}
	c, err = restoredList(t, prefs, p, p.Endpoint).Resolve(NewSecrets(), noEnv)
	if err != nil || c.APIKey != "key-for-my-res" {
		t.Fatalf("the key is not given for its own address: %q, %v", c.APIKey, err)
	}
}

// TestAKeySavedWithoutItsAddressIsBoundAtFirstUse: a key an earlier azchat
// saved (the key alone) is bound to the address it is first sent to, and
// from then on goes nowhere else; saved again for another address (as
// the dialog does when the user agrees), it goes there.
func TestAKeySavedWithoutItsAddressIsBoundAtFirstUse(t *testing.T) {
	prefs, s, p, _ := keychainProfile(t)
	if err := keyring.Set(KeyringService, KeychainAccount(p.ID), "old-style-key"); err != nil {
		t.Fatal(err)
	}
	if c, err := s.Resolve(NewSecrets(), noEnv); err != nil || c.APIKey != "old-style-key" {
		t.Fatalf("an old key is not used: %q, %v", c.APIKey, err)
	}
	raw, err := keyring.Get(KeyringService, KeychainAccount(p.ID))
	if err != nil || !strings.Contains(raw, "my-res.openai.azure.com") {
		t.Fatalf("not bound at its first use: %v", err)
	}
	if k, err := NewSecrets().Get(p.ID); err != nil || k != "old-style-key" {
		t.Fatalf("Get after binding: %q, %v", k, err)
	}
	moved := "https://other-res.openai.azure.com/openai/v1/"
	if c, err := restoredList(t, prefs, p, moved).Resolve(NewSecrets(), noEnv); err == nil || c.APIKey != "" {
		t.Fatalf("a bound key went to another address: %q", c.APIKey)
	}
	if err := NewSecrets().SetFor(p.ID, moved, "old-style-key"); err != nil {
		t.Fatal(err)
	}
	if c, err := restoredList(t, prefs, p, moved).Resolve(NewSecrets(), noEnv); err != nil || c.APIKey != "old-style-key" {
		t.Fatalf("not sent where it was rebound: %q, %v", c.APIKey, err)
	}
}

// TestKeyEntriesDecode: entries of either form read back as their key,
// and a key that merely looks like a bound entry stays a key.
func TestKeyEntriesDecode(t *testing.T) {
	for _, tc := range []struct{ v, key, origin string }{
		{"plain-key", "plain-key", ""},
		{encodeKey("https://a.openai.azure.com", "k1"), "k1", "https://a.openai.azure.com"},
		{encodeKey("", "k2"), "k2", ""},
		{`{"azchat_key_for": broken`, `{"azchat_key_for": broken`, ""},
	} {
		if k, o := decodeKey(tc.v); k != tc.key || o != tc.origin {
			t.Errorf("decodeKey(%q) = %q, %q", tc.v, k, o)
		}
	}
	if o := origin("HTTPS://My-Res.OpenAI.Azure.com:443/openai/v1/"); o != "https://my-res.openai.azure.com:443" {
		t.Errorf("origin = %q", o)
	}
}

// TestLearnTakesOnlyModelNames: a model name the server sent with an
// escape sequence (or one saved so before) is neither saved nor given out.
func TestLearnTakesOnlyModelNames(t *testing.T) {
	prefs := &MemPrefs{}
	s := Load(prefs)
	s.Learn("https://r.openai.azure.com/openai/v1/", "chat", "gpt-4o\x1b]52;c;eA==\x07")
	if m := s.Learned("https://r.openai.azure.com/openai/v1/", "chat"); m != "" || strings.Contains(prefs.String(keyLearned), "52;c") {
		t.Fatalf("learned %q; saved %q", m, prefs.String(keyLearned))
	}
	prefs.SetString(keyLearned, `{"https://r.openai.azure.com/openai/v1/|chat":"gpt-4o\u001b]0;x\u0007","https://r.openai.azure.com/openai/v1/|mini":"gpt-4o-mini"}`)
	s = Load(prefs)
	if m := s.Learned("https://r.openai.azure.com/openai/v1/", "chat"); m != "" {
		t.Fatalf("a name saved before is given out: %q", m)
	}
	if m := s.Learned("https://r.openai.azure.com/openai/v1/", "mini"); m != "gpt-4o-mini" {
		t.Fatalf("a good name was dropped: %q", m)
	}
}

// TestASecondWindowKeepsTheFirstsEdits: two windows share the settings;
// the second, switching profiles, no longer writes back the list it read
// at its start (which undid the first's edit, and named the old address).
func TestASecondWindowKeepsTheFirstsEdits(t *testing.T) {
	prefs := &MemPrefs{}
	first := Load(prefs)
	p, err := first.Put(Profile{Name: "Work", Endpoint: "res-a", Deployment: "chat"})
	if err != nil {
		t.Fatal(err)
	}
	q, err := first.Put(Profile{Name: "Home", Endpoint: "res-h", Deployment: "chat"})
	if err != nil {
		t.Fatal(err)
	}
	second := Load(prefs)
	p.Endpoint = "res-b"
	if _, err := first.Put(p); err != nil {
		t.Fatal(err)
	}
	if err := second.SetCurrent(q.ID); err != nil {
		t.Fatal(err)
	}
	if err := second.SetCurrent(p.ID); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*Store{"first": first, "second": second, "a new start": Load(prefs)} {
		if got, _ := s.Profile(p.ID); !strings.Contains(got.Endpoint, "res-b") {
			t.Errorf("%s window: the profile names %s again", name, got.Endpoint)
		}
	}
	if cur, _ := second.Current(); cur.ID != p.ID {
		t.Fatalf("the second window's choice is %q", cur.Name)
	}
}

// TestASessionKeyGoesOnlyToItsAddress: a key kept for this session only
// (no keychain) is bound like a saved one: to the address it was given
// for, or the first it is sent to.
func TestASessionKeyGoesOnlyToItsAddress(t *testing.T) {
	sec := NewSecrets()
	sec.SetSessionFor("p1", "https://a.openai.azure.com/openai/v1/", "k1")
	if k, err := sec.GetFor("Work", "p1", "https://b.openai.azure.com/openai/v1/"); err == nil || k != "" {
		t.Fatalf("a session key went to another address: %q", k)
	}
	if k, err := sec.GetFor("Work", "p1", "https://a.openai.azure.com/openai/v1/"); err != nil || k != "k1" {
		t.Fatalf("its own address: %q, %v", k, err)
	}
	sec.SetSession("p2", "k2") // unbound: bound at its first use
	if k, err := sec.GetFor("Home", "p2", "https://c.openai.azure.com/openai/v1/"); err != nil || k != "k2" {
		t.Fatalf("first use: %q, %v", k, err)
	}
	if k, err := sec.GetFor("Home", "p2", "https://d.openai.azure.com/openai/v1/"); err == nil || k != "" {
		t.Fatalf("after its first use, another address: %q", k)
	}
}

// TestAProfileDeletedElsewhereIsNotCurrent: the second window's current
// profile, deleted in the first, gives way to one that exists; a damaged
// list leaves what the window holds.
func TestAProfileDeletedElsewhereIsNotCurrent(t *testing.T) {
	prefs := &MemPrefs{}
	first := Load(prefs)
	p, _ := first.Put(Profile{Name: "Work", Endpoint: "res-a", Deployment: "chat"})
	q, _ := first.Put(Profile{Name: "Home", Endpoint: "res-h", Deployment: "chat"})
	second := Load(prefs)
	if err := second.SetCurrent(q.ID); err != nil {
		t.Fatal(err)
	}
	if err := first.Remove(q.ID, nil); err != nil {
		t.Fatal(err)
	}
	if cur, ok := second.Current(); !ok || cur.ID != p.ID {
		t.Fatalf("current after its deletion elsewhere: %q", cur.Name)
	}
	prefs.SetString(keyProfiles, "[{not json")
	if ps := second.Profiles(); len(ps) != 1 || ps[0].ID != p.ID {
		t.Fatalf("a damaged list replaced the window's: %+v", ps)
	}
}
