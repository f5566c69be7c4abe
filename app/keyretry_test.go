package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

// TestAWrongKeyFromTheEnvironmentIsNamed: the key azchat sends came from
// AZURE_OPENAI_API_KEY, which overrides the one in Settings: the refusal
// says so (it said "check the key in settings", where saving a new key
// changed nothing).
func TestAWrongKeyFromTheEnvironmentIsNamed(t *testing.T) {
	h := newHarnessWith(t, true, func(s *fakeazure.Server) { s.APIKey = "another-key" })
	h.send("hello")
	h.ui(func() {
		if len(h.u.msgs) != 2 || h.u.msgs[1].ErrorKind != chat.KindAuth || !strings.Contains(h.u.msgs[1].Error, "API key in AZURE_OPENAI_API_KEY") ||
			!strings.Contains(h.u.msgs[1].Error, "unset it") {
			t.Fatalf("%+v", h.u.msgs)
		}
	})
}

// TestEnterReadsAKeyTheKeychainDidNotGive: the key could not be read at
// start (the keychain did not answer: locked, its prompt left open or
// cancelled). Once it answers, Enter reads it again and sends; it opened
// Settings, which could only ask the same.
func TestEnterReadsAKeyTheKeychainDidNotGive(t *testing.T) {
	requireKeychain(t)
	secrets := settings.NewSecrets()
	secrets.Timeout = 200 * time.Millisecond
	resume := secrets.Stall()
	defer resume()
	h := newHarnessConfig(t, false, nil, func(c *Config, srv *fakeazure.Server) {
		store := settings.Load(c.Prefs)
		saved, err := store.Put(settings.Profile{Name: "Work", Endpoint: srv.URL(), Deployment: "gpt-4o"})
		if err != nil {
			t.Fatal(err)
		}
		if err := settings.NewSecrets().SetFor(saved.ID, srv.URL(), key); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = settings.NewSecrets().Delete(saved.ID) })
		if err := store.SetCurrent(saved.ID); err != nil {
			t.Fatal(err)
		}
		c.Secrets = secrets
	})
	waitUntil(t, func() bool {
		var failed bool
		h.ui(func() { failed = h.u.connLabel.Text == "Not connected" && h.u.keyUnread })
		return failed
	})
	resume()
	h.ui(func() {
		test.Type(h.u.input, "hello again")
		h.u.send()
	})
	waitUntil(t, func() bool {
		var sent bool
		h.ui(func() { sent = len(h.u.msgs) == 2 && h.u.msgs[1].Status == chat.Complete })
		return sent
	})
	if settingsOnTop(h) {
		t.Fatal("Enter opened Settings")
	}
}
