package e2e

import (
	"os"
	"os/exec"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/azchat/azchat/settings"
)

const appID = "io.github.azchat"

func keyringAvailable() error {
	if err := keyring.Set(settings.KeyringService, "e2e-probe", "x"); err != nil {
		return err
	}
	return keyring.Delete(settings.KeyringService, "e2e-probe")
}

// TestSaveProfileHelper runs in a child process (it needs the app's own
// preference folders in its environment) and saves a profile and its key.
func TestSaveProfileHelper(t *testing.T) {
	if os.Getenv("AZCHAT_HELPER_SAVE") == "" {
		t.Skip("helper for TestScriptedSessionLeavesNoSecret")
	}
	store := settings.Load(helperPrefs(t))
	p, err := store.Put(settings.Profile{Name: "Scripted", Endpoint: os.Getenv("AZCHAT_HELPER_ENDPOINT"), Deployment: "chat"})
	if err != nil {
		t.Fatal(err)
	}
	if err := settings.NewSecrets().Set(p.ID, os.Getenv("AZCHAT_HELPER_KEY")); err != nil {
		t.Fatal(err)
	}
}

// helperPrefs opens the preferences file the binary reads, as the
// headless commands do.
func helperPrefs(t *testing.T) *settings.FilePrefs {
	dir, err := settings.AppDir(appID)
	if err != nil {
		t.Fatal(err)
	}
	return settings.NewFilePrefs(settings.PrefsFile(dir))
}

// TestDeleteProfileKeysHelper removes the keys of every saved profile.
func TestDeleteProfileKeysHelper(t *testing.T) {
	if os.Getenv("AZCHAT_HELPER_DELETE") == "" {
		t.Skip("helper for TestScriptedSessionLeavesNoSecret")
	}
	for _, p := range settings.Load(helperPrefs(t)).Profiles() {
		_ = settings.NewSecrets().Delete(p.ID)
	}
}

func deleteHelperKey(t *testing.T, env []string) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestDeleteProfileKeysHelper$")
	cmd.Env = append(os.Environ(), append(env, "AZCHAT_HELPER_DELETE=1")...)
	_ = cmd.Run()
}
