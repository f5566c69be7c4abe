package settings

import (
	"context"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/internal/fakeazure"
)

func stand(t *testing.T, key string) *fakeazure.Server {
	t.Helper()
	srv := &fakeazure.Server{APIKey: key}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// TestSavedKeyNeverGoesToTheEnvironmentsHost: with AZURE_OPENAI_ENDPOINT
// naming another host and no AZURE_OPENAI_API_KEY, the saved key is not
// sent there; azchat signs in with Entra ID instead, and when that fails
// the message says what to set. On the saved profile's own host the saved
// key is used.
func TestSavedKeyNeverGoesToTheEnvironmentsHost(t *testing.T) {
	const saved = "saved-key-0123456789abcdef"
	home := stand(t, saved)
	other := stand(t, "")
	// No az or azd here: the developer sign-in fails at once, offline.
	t.Setenv("PATH", t.TempDir())
	s := Load(&MemPrefs{})
	p, err := s.Put(Profile{Name: "Work", Endpoint: home.URL(), Deployment: "chat"})
	if err != nil {
		t.Fatal(err)
	}
	sec := NewSecrets()
	sec.SetSession(p.ID, saved)

	env := map[string]string{EnvEndpoint: other.URL()}
	c, err := s.Resolve(sec, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.APIKey != "" || c.Profile.Auth != azure.AuthEntra {
		t.Fatalf("the environment's endpoint got auth %q with a key: %v", c.Profile.Auth, c.APIKey != "")
	}
	client, err := c.Client()
	if err != nil {
		t.Fatal(err)
	}
	_, err = chat.TestConnection(context.Background(), client, "chat")
	e := chat.AsError(err)
	if e == nil || e.Kind != chat.KindAuth || !strings.Contains(e.Reason, EnvAPIKey) || !strings.Contains(e.Reason, "az login") {
		t.Fatalf("sign-in failure: %v", err)
	}
	for _, r := range other.Requests() {
		if r.APIKey {
			t.Fatal("the saved key reached the environment's host")
		}
	}

	// The environment naming the saved profile's own host keeps the key.
	env = map[string]string{EnvEndpoint: home.URL(), EnvDeployment: "chat"}
	c, err = s.Resolve(sec, func(k string) string { return env[k] })
	if err != nil || c.APIKey != saved || c.Profile.Auth != azure.AuthAPIKey {
		t.Fatalf("same host: auth %q, key set %v, %v", c.Profile.Auth, c.APIKey != "", err)
	}
	client, err = c.Client()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chat.TestConnection(context.Background(), client, "chat"); err != nil {
		t.Fatalf("same host: %v", err)
	}
}

// TestOnlyLocalhostAndLoopbackIPsAreLoopback: names under .localhost may be
// resolved by a proxy to anywhere, so they get no exception for http.
func TestOnlyLocalhostAndLoopbackIPsAreLoopback(t *testing.T) {
	for _, ok := range []string{"http://localhost:8080", "http://127.0.0.1:1/v1", "http://[::1]:9/v1"} {
		if _, err := NormalizeEndpoint(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://evil.localhost:8080", "http://localhost.example.invalid", "http://127.0.0.1.nip.io"} {
		if _, err := NormalizeEndpoint(bad); err == nil {
			t.Errorf("%s accepted over http", bad)
		}
	}
}

// TestInvalidSavedProfileIsNotUsed: a profile edited by hand into
// something invalid is kept for the user to fix, but never connected with.
func TestInvalidSavedProfileIsNotUsed(t *testing.T) {
	prefs := &MemPrefs{}
	prefs.SetString(keyProfiles, `[{"id":"a","name":"Hand-edited","endpoint":"http://evil.example.invalid","deployment":"d","auth":"api-key"}]`)
	prefs.SetString(keyCurrent, "a")
	s := Load(prefs)
	if len(s.Profiles()) != 1 {
		t.Fatal("the invalid profile was dropped")
	}
	_, err := s.Resolve(NewSecrets(), func(string) string { return "" })
	if e := chat.AsError(err); e == nil || e.Action != chat.ActionOpenSettings || !strings.Contains(e.Reason, "Hand-edited") {
		t.Fatalf("resolve: %v", err)
	}
	if _, err := (Connection{Profile: Profile{Endpoint: "http://evil.example.invalid", Auth: azure.AuthAPIKey}, APIKey: "k"}).Client(); err == nil {
		t.Fatal("a client was built for an http endpoint on another host")
	}
}

// TestNoSignInTokenForAnotherHost: AZURE_OPENAI_ENDPOINT naming a host
// that is neither Azure's nor this machine, with no AZURE_OPENAI_API_KEY,
// is refused with what to set, whatever the saved profile signs in with:
// an Entra ID token works on every resource the account may use, and goes
// to Azure only.
func TestNoSignInTokenForAnotherHost(t *testing.T) {
	for _, saved := range []azure.AuthMode{"", azure.AuthAPIKey, azure.AuthEntra} {
		s := Load(&MemPrefs{})
		if saved != "" {
			if _, err := s.Put(Profile{Name: "Work", Endpoint: "my-res", Deployment: "chat", Auth: saved}); err != nil {
				t.Fatal(err)
			}
		}
		env := map[string]string{EnvEndpoint: "https://llm.example.invalid/v1", EnvDeployment: "chat"}
		c, err := s.Resolve(NewSecrets(), func(k string) string { return env[k] })
		e := chat.AsError(err)
		if e == nil || e.Kind != chat.KindConfig || !strings.Contains(e.Reason, EnvAPIKey) {
			t.Fatalf("saved profile %q: auth %q, %v", saved, c.Profile.Auth, err)
		}
		env[EnvAPIKey] = "its-own-key"
		if c, err := s.Resolve(NewSecrets(), func(k string) string { return env[k] }); err != nil || c.APIKey != "its-own-key" {
			t.Fatalf("with its key: %v", err)
		}
		env = map[string]string{EnvEndpoint: "https://other-res.openai.azure.com/openai/v1/", EnvDeployment: "chat"}
		if c, err := s.Resolve(NewSecrets(), func(k string) string { return env[k] }); err != nil || c.Profile.Auth != azure.AuthEntra {
			t.Fatalf("an Azure address signs in: %q, %v", c.Profile.Auth, err)
		}
	}
}
