package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRecoverPrefsPutsBackTheLastGoodCopy: Fyne rewrites its preferences
// in place, so a write cut short leaves the file empty or half written,
// and Fyne then starts with no profiles. The last good copy, kept at each
// start, is put back; a damaged file that holds anything is kept aside.
func TestRecoverPrefsPutsBackTheLastGoodCopy(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "preferences.json")
	if _, err := Load(NewFilePrefs(path)).Put(Profile{Name: "Work", Endpoint: "https://work.openai.azure.com", Deployment: "chat"}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	good := string(b)
	if r, aside, err := RecoverPrefs(path); r != PrefsFine || aside != "" || err != nil {
		t.Fatalf("a good file: %v %q %v", r, aside, err)
	}
	if b, err := os.ReadFile(path + ".bak"); string(b) != good {
		t.Fatalf("copy %q, %v", b, err)
	}
	if fi, err := os.Stat(path + ".bak"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("copy's mode: %v %v", fi.Mode(), err)
	}
	for _, cut := range []string{"", good[:25]} {
		if err := os.WriteFile(path, []byte(cut), 0o600); err != nil {
			t.Fatal(err)
		}
		r, aside, err := RecoverPrefs(path)
		if r != PrefsRestored || err != nil {
			t.Fatalf("cut to %d bytes: %v %v", len(cut), r, err)
		}
		if b, _ := os.ReadFile(path); string(b) != good {
			t.Fatalf("cut to %d bytes, then %q", len(cut), b)
		}
		if kept, _ := os.ReadFile(aside); (cut == "") != (aside == "") || string(kept) != cut {
			t.Fatalf("cut to %d bytes: kept as %q: %q", len(cut), aside, kept)
		}
	}
	if p := Load(NewFilePrefs(path)).Profiles(); len(p) != 1 || p[0].Name != "Work" {
		t.Fatalf("profiles after the recovery: %+v", p)
	}
}

// TestRecoverPrefsWithoutACopy: a damaged file with no good copy is set
// aside (Fyne would write over it), an absent one stays absent, and a
// good copy is never replaced by a damaged file.
func TestRecoverPrefsWithoutACopy(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "preferences.json")
	if r, _, err := RecoverPrefs(path); r != PrefsFine || err != nil {
		t.Fatalf("no file: %v %v", r, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("an absent file was made: %v", err)
	}
	if err := os.WriteFile(path, []byte(`{"profiles":"[{`), 0o600); err != nil {
		t.Fatal(err)
	}
	r, aside, err := RecoverPrefs(path)
	if r != PrefsDamaged || err != nil || !strings.Contains(aside, "preferences.json.damaged-") {
		t.Fatalf("damaged, no copy: %v %q %v", r, aside, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("the damaged file is still in place: %v", err)
	}
	if _, err := os.Stat(path + ".bak"); !os.IsNotExist(err) {
		t.Fatalf("a damaged file was kept as the good copy: %v", err)
	}
	if err := os.WriteFile(path, []byte("[1, 2]"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r, _, _ := RecoverPrefs(path); r != PrefsDamaged {
		t.Fatalf("JSON that is not an object: %v", r)
	}
}
