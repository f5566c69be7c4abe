package settings

import (
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/internal/testwait"

	fyneapp "fyne.io/fyne/v2/app"
	"github.com/zalando/go-keyring"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
)

// requireKeychain skips when no Secret Service runs, except where the
// keychain is required (make test sets AZCHAT_REQUIRE_KEYCHAIN=1), so CI
// always exercises the real keychain.
func requireKeychain(t *testing.T) {
	t.Helper()
	err := keyring.Set(KeyringService, "probe", "x")
	if err == nil {
		_ = keyring.Delete(KeyringService, "probe")
		return
	}
	if os.Getenv("AZCHAT_REQUIRE_KEYCHAIN") != "" {
		t.Fatalf("the OS keychain is required but not available: %v", err)
	}
	t.Skipf("no OS keychain here (%v); run under make test", err)
}

func newProfile() Profile {
	return Profile{Name: "Work", Endpoint: "my-res", Deployment: "gpt-4o-prod"}
}

func TestStoreProfiles(t *testing.T) {
	prefs := &MemPrefs{}
	s := Load(prefs)
	if _, ok := s.Current(); ok {
		t.Fatal("fresh store has a current profile")
	}
	p, err := s.Put(newProfile())
	if err != nil {
		t.Fatal(err)
	}
	if p.Endpoint != "https://my-res.openai.azure.com/openai/v1/" || p.Auth != azure.AuthAPIKey || p.Gen.Strategy != chat.DropOldest {
		t.Fatalf("not normalised: %+v", p)
	}
	if cur, _ := s.Current(); cur.ID != p.ID {
		t.Fatal("first profile is not current")
	}
	d, err := s.Duplicate(p.ID)
	if err != nil || d.Name != "Work (copy)" || d.ID == p.ID {
		t.Fatalf("duplicate: %+v %v", d, err)
	}
	d.Name = "Home"
	if _, err := s.Put(d); err != nil {
		t.Fatal(err)
	}
	if err := s.SetCurrent(d.ID); err != nil {
		t.Fatal(err)
	}
	// Written through: a fresh Load sees everything.
	again := Load(prefs)
	if len(again.Profiles()) != 2 {
		t.Fatalf("profiles after reload: %d", len(again.Profiles()))
	}
	if cur, _ := again.Current(); cur.Name != "Home" {
		t.Fatalf("current after reload: %q", cur.Name)
	}
	if err := again.Remove(d.ID, nil); err != nil {
		t.Fatal(err)
	}
	if cur, _ := again.Current(); cur.ID != p.ID {
		t.Fatal("removing the current profile should fall back to another")
	}
	again.Learn(p.Endpoint, p.Deployment, "gpt-4o-2024-11-20")
	if Load(prefs).Learned(p.Endpoint, p.Deployment) != "gpt-4o-2024-11-20" {
		t.Fatal("learnt model not saved")
	}
}

func TestStoreSurvivesDamagedValues(t *testing.T) {
	prefs := &MemPrefs{}
	prefs.SetString(keyProfiles, "{not json")
	prefs.SetString(keyLearned, "[1,2]")
	s := Load(prefs)
	if len(s.Profiles()) != 0 {
		t.Fatal("damaged profiles should read as none")
	}
	if _, err := s.Put(newProfile()); err != nil {
		t.Fatal(err)
	}
}

func TestValidate(t *testing.T) {
	hot := 2.5
	cases := map[string]Profile{
		"name":        {Endpoint: "r", Deployment: "d"},
		"endpoint":    {Name: "n", Deployment: "d"},
		"deployment":  {Name: "n", Endpoint: "r"},
		"temperature": {Name: "n", Endpoint: "r", Deployment: "d", Gen: Generation{Temperature: &hot}},
		"reply limit": {Name: "n", Endpoint: "r", Deployment: "d", Gen: Generation{MaxTokens: 5000, ContextWindow: 4096}},
	}
	for want, p := range cases {
		if _, err := Validate(p); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v", want, err)
		}
	}
	// NaN is neither below 0 nor above 2, and JSON cannot carry it.
	nan := math.NaN()
	if _, err := Validate(Profile{Name: "n", Endpoint: "r", Deployment: "d", Gen: Generation{Temperature: &nan}}); err == nil || !strings.Contains(err.Error(), "temperature") {
		t.Errorf("NaN temperature: err %v", err)
	}
	p, err := Validate(Profile{Name: "n", Endpoint: "https://r.openai.azure.com/openai/deployments/dep1/chat/completions?api-version=x"})
	if err != nil || p.Deployment != "dep1" {
		t.Fatalf("deployment from target URI: %+v %v", p, err)
	}
}

func TestResolveEnvironmentOverrides(t *testing.T) {
	s := Load(&MemPrefs{})
	p, _ := s.Put(Profile{Name: "n", Endpoint: "r", Deployment: "d", Auth: azure.AuthEntra})
	env := map[string]string{EnvEndpoint: "https://other.openai.azure.com", EnvDeployment: "dep2", EnvAPIKey: "env-key"}
	c, err := s.Resolve(NewSecrets(), func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Profile.Endpoint != "https://other.openai.azure.com/openai/v1/" || c.Profile.Deployment != "dep2" || c.APIKey != "env-key" || c.Profile.Auth != azure.AuthAPIKey {
		t.Fatalf("%+v", c)
	}
	if len(c.FromEnv) != 3 {
		t.Fatalf("FromEnv = %v", c.FromEnv)
	}
	// Never written: the stored profile is unchanged.
	if stored, _ := s.Profile(p.ID); stored.Endpoint != "https://r.openai.azure.com/openai/v1/" || stored.Deployment != "d" {
		t.Fatalf("environment leaked into the saved profile: %+v", stored)
	}
	_, err = Load(&MemPrefs{}).Resolve(NewSecrets(), func(string) string { return "" })
	if e := chat.AsError(err); e.Action != chat.ActionOpenSettings {
		t.Fatalf("unconfigured: %v", err)
	}
}

func TestKeychainRoundTrip(t *testing.T) {
	requireKeychain(t)
	sec := NewSecrets()
	id := "test-" + NewID()
	t.Cleanup(func() { _ = sec.Delete(id) })
	if k, err := sec.Get(id); err != nil || k != "" {
		t.Fatalf("missing key: %q %v", k, err)
	}
	if err := sec.Set(id, "secret-key-1"); err != nil {
		t.Fatal(err)
	}
	// A fresh store reads it from the keychain, not from memory.
	if k, err := NewSecrets().Get(id); err != nil || k != "secret-key-1" {
		t.Fatalf("Get = %q %v", k, err)
	}
	if err := sec.Set(id, "secret-key-2"); err != nil {
		t.Fatal(err)
	}
	if k, _ := NewSecrets().Get(id); k != "secret-key-2" {
		t.Fatal("update not stored")
	}
	if err := sec.Delete(id); err != nil {
		t.Fatal(err)
	}
	if k, _ := NewSecrets().Get(id); k != "" {
		t.Fatal("key survived delete")
	}
}

func TestRemoveProfileDeletesItsKey(t *testing.T) {
	requireKeychain(t)
	s := Load(&MemPrefs{})
	p, _ := s.Put(newProfile())
	sec := NewSecrets()
	if err := sec.Set(p.ID, "to-be-removed"); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(p.ID, sec); err != nil {
		t.Fatal(err)
	}
	if k, _ := NewSecrets().Get(p.ID); k != "" {
		t.Fatal("keychain entry left behind")
	}
}

func TestSessionOnlyKeyWhenNoKeychain(t *testing.T) {
	if os.Getenv("AZCHAT_NO_KEYCHAIN_CHILD") == "" {
		// go-keyring keeps one D-Bus connection per process, so the case
		// "no Secret Service at all" runs in a child process whose session
		// bus points nowhere.
		cmd := exec.Command(os.Args[0], "-test.run=^TestSessionOnlyKeyWhenNoKeychain$", "-test.v")
		cmd.Env = append(os.Environ(), "AZCHAT_NO_KEYCHAIN_CHILD=1",
			"DBUS_SESSION_BUS_ADDRESS=unix:path="+filepath.Join(t.TempDir(), "no-bus"))
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS") {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return
	}
	sec := NewSecrets()
	start := time.Now()
	err := sec.Set("p1", "session-key")
	if !errors.Is(err, ErrNoKeychain) {
		t.Fatalf("err = %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("a missing keychain should fail fast")
	}
	if strings.Contains(err.Error(), "session-key") {
		t.Fatal("error message holds the key")
	}
	if _, err := sec.Get("p2"); !errors.Is(err, ErrNoKeychain) || !strings.Contains(err.Error(), "saved API key cannot be read") {
		t.Fatalf("reading without a keychain: %v", err)
	}
	sec.SetSession("p1", "session-key")
	if k, err := sec.Get("p1"); err != nil || k != "session-key" || !sec.IsSession("p1") {
		t.Fatalf("session key: %q %v", k, err)
	}
}

func TestSavedKeyNeverReachesAFile(t *testing.T) {
	requireKeychain(t)
	home, err := os.MkdirTemp("", "azchat-keytest")
	if err != nil {
		t.Fatal(err)
	}
	// Fyne's settings watcher may still touch the folder at cleanup.
	t.Cleanup(func() { _ = os.RemoveAll(home) })
	for k, v := range map[string]string{"XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data", "XDG_CACHE_HOME": "cache", "TMPDIR": "tmp"} {
		t.Setenv(k, filepath.Join(home, v))
		_ = os.MkdirAll(filepath.Join(home, v), 0o700)
	}
	// Both ways settings are written: the window's Fyne preferences and the
	// headless commands' direct use of the same file.
	a := fyneapp.NewWithID("io.github.azchat.keytest")
	dir, err := AppDir("io.github.azchat.keytest2")
	if err != nil {
		t.Fatal(err)
	}
	const secret = "kEy-6f1d2c3b4a5968776655443322110099"
	for _, prefs := range []Prefs{a.Preferences(), NewFilePrefs(PrefsFile(dir))} {
		s := Load(prefs)
		p, err := s.Put(newProfile())
		if err != nil {
			t.Fatal(err)
		}
		sec := NewSecrets()
		if err := sec.Set(p.ID, secret); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = sec.Delete(p.ID) })
	}
	// Fyne writes preferences on change; wait until both files show up.
	var files []string
	found := func() bool {
		files = files[:0]
		_ = filepath.Walk(home, func(path string, info os.FileInfo, err error) error {
			if err == nil && !info.IsDir() && strings.HasSuffix(path, "preferences.json") {
				files = append(files, path)
			}
			return nil
		})
		return len(files) >= 2
	}
	testwait.Poll(10*time.Second, found)
	if len(files) < 2 {
		t.Fatalf("preferences files written: %v", files)
	}
	_ = filepath.Walk(home, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(path)
		if strings.Contains(string(b), secret) {
			t.Errorf("%s contains the API key", path)
		}
		return nil
	})
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if !strings.Contains(string(b), "my-res.openai.azure.com") {
			t.Errorf("the profile was not written to %s", f)
		}
	}
}

// TestKeyWriteThatTimedOutDoesNotStay: a locked keychain answers a write
// only once the user unlocks it, after azchat stopped waiting and said the
// key was not saved. That write must not stay (its profile may still hold
// the address the old key was for: the old key is put back), nor undo a
// write made after it.
func TestKeyWriteThatTimedOutDoesNotStay(t *testing.T) {
	requireKeychain(t)
	sec := NewSecrets()
	id := "test-" + NewID()
	t.Cleanup(func() { _ = NewSecrets().Delete(id) })
	if err := sec.Set(id, "old-key"); err != nil {
		t.Fatal(err)
	}
	resume := setWhileKeychainWaits(t, sec, id, "new-key")
	resume()
	// Calls run in the order made: this one reads after the late write
	// landed and was undone.
	if k, err := sec.Get(id); err != nil || k != "old-key" {
		t.Fatalf("after the late write: %q %v, want the old key back", k, err)
	}
	if k, err := NewSecrets().Get(id); err != nil || k != "old-key" {
		t.Fatalf("the keychain holds %q %v, want the old key", k, err)
	}
	// A profile that had no key has none after a late write.
	fresh := "test-" + NewID()
	t.Cleanup(func() { _ = NewSecrets().Delete(fresh) })
	setWhileKeychainWaits(t, sec, fresh, "new-key")()
	if k, err := sec.Get(fresh); err != nil || k != "" {
		t.Fatalf("a new profile after the late write: %q %v, want no key", k, err)
	}
	// A write made while a late one waits is kept: it comes after it.
	resume = setWhileKeychainWaits(t, sec, id, "late-key")
	retried := make(chan error, 1)
	go func() { retried <- sec.Set(id, "retried-key") }()
	resume()
	if err := <-retried; err != nil {
		t.Fatal(err)
	}
	if k, err := NewSecrets().Get(id); err != nil || k != "retried-key" {
		t.Fatalf("the keychain holds %q %v, want the retried key", k, err)
	}
}

// TestEnvironmentKeyStaysWithItsHost: AZURE_OPENAI_API_KEY set without
// AZURE_OPENAI_ENDPOINT replaced the key of whichever profile was current,
// so switching profiles in the window sent it to another host. It goes to
// the host of the profile in use when azchat started.
func TestEnvironmentKeyStaysWithItsHost(t *testing.T) {
	s := Load(&MemPrefs{})
	a, _ := s.Put(Profile{Name: "A", Endpoint: "https://a.openai.azure.com", Deployment: "d"})
	a2, _ := s.Put(Profile{Name: "A, another deployment", Endpoint: "https://a.openai.azure.com", Deployment: "d2"})
	b, _ := s.Put(Profile{Name: "B", Endpoint: "https://gateway.example.com/v1", Deployment: "d"})
	sec := NewSecrets()
	sec.SetSession(b.ID, "b-key")
	env := func(k string) string { return map[string]string{EnvAPIKey: "env-key"}[k] }
	for _, step := range []struct {
		id, key string
		fromEnv bool
	}{{a.ID, "env-key", true}, {b.ID, "b-key", false}, {a2.ID, "env-key", true}, {a.ID, "env-key", true}} {
		if err := s.SetCurrent(step.id); err != nil {
			t.Fatal(err)
		}
		c, err := s.Resolve(sec, env)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := s.Profile(step.id)
		if c.APIKey != step.key || slices.Contains(c.FromEnv, EnvAPIKey) != step.fromEnv {
			t.Fatalf("%s: key %q, from the environment %v", p.Name, c.APIKey, c.FromEnv)
		}
	}
}

// setWhileKeychainWaits calls Set as a locked keychain would answer it:
// not before resume is called (by then Set has timed out).
func setWhileKeychainWaits(t *testing.T, sec *Secrets, id, key string) (resume func()) {
	t.Helper()
	resume = sec.Stall()
	sec.Timeout = 50 * time.Millisecond
	defer func() { sec.Timeout = 10 * time.Second }()
	if err := sec.Set(id, key); !errors.Is(err, ErrKeychainTimeout) {
		t.Fatalf("Set while the keychain waits: %v", err)
	}
	return resume
}
