package settings

import (
	"os"
	"path/filepath"
	"runtime"
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

// TestRecoverPrefsWaitsForAWriterAtWork: a window rewriting the file in
// place while a command starts shows it empty for a moment; restoring the
// older copy then would replace the new file (the window reloads what
// changes under it). A file that comes good while watched is kept.
func TestRecoverPrefsWaitsForAWriterAtWork(t *testing.T) {
	path := filepath.Join(t.TempDir(), "preferences.json")
	old := `{"profiles.v1":"[{\"id\":\"a\"}]"}`
	fresh := `{"profiles.v1":"[{\"id\":\"a\"},{\"id\":\"b\"}]"}`
	if err := os.WriteFile(path+".bak", []byte(old), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(fresh), 0o600); err != nil {
		t.Fatal(err)
	}
	reads := 0
	readPrefs = func(p string) ([]byte, error) {
		reads++
		if reads < 3 {
			return nil, nil // the writer has truncated it
		}
		return os.ReadFile(p)
	}
	defer func() { readPrefs = os.ReadFile }()
	if r, aside, err := RecoverPrefs(path); r != PrefsFine || aside != "" || err != nil {
		t.Fatalf("a file being written: %v %q %v", r, aside, err)
	}
	if b, _ := os.ReadFile(path); string(b) != fresh {
		t.Fatalf("the new file was replaced: %s", b)
	}
	if b, _ := os.ReadFile(path + ".bak"); string(b) != fresh {
		t.Fatalf("the copy is not the new file: %s", b)
	}
}

// TestRecoverPrefsKeepsACopyWithProfiles: after a start without settings
// (a restore that failed, a file removed), a file with no profiles never
// replaces a copy that has some.
func TestRecoverPrefsKeepsACopyWithProfiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "preferences.json")
	withProfiles := `{"profiles.v1":"[{\"id\":\"a\"}]"}`
	if err := os.WriteFile(path+".bak", []byte(withProfiles), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`{"window.width":"800"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if r, _, err := RecoverPrefs(path); r != PrefsFine || err != nil {
		t.Fatalf("%v %v", r, err)
	}
	if b, _ := os.ReadFile(path + ".bak"); string(b) != withProfiles {
		t.Fatalf("the copy with profiles was replaced: %s", b)
	}
}

// TestRecoverPrefsFollowsALink: a preferences file that is a link (kept
// in a dotfiles folder) stays a link; its target is what is restored.
func TestRecoverPrefsFollowsALink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles-preferences.json")
	path := filepath.Join(dir, "preferences.json")
	good := `{"profiles.v1":"[{\"id\":\"a\"}]"}`
	if err := os.WriteFile(target, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
	if r, _, err := RecoverPrefs(path); r != PrefsFine || err != nil {
		t.Fatalf("%v %v", r, err)
	}
	if err := os.Truncate(target, 0); err != nil {
		t.Fatal(err)
	}
	if r, _, err := RecoverPrefs(path); r != PrefsRestored || err != nil {
		t.Fatalf("%v %v", r, err)
	}
	if fi, err := os.Lstat(path); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != good {
		t.Fatalf("the target holds %q", b)
	}
}

// TestPrefsAreKeptPrivate: the preferences file is the user's alone: an
// absent one is created so (Fyne keeps a file's mode as it rewrites it),
// one readable by others loses that, and neither loses what it holds.
func TestPrefsAreKeptPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits")
	}
	dir := filepath.Join(t.TempDir(), "fyne", "app")
	path := filepath.Join(dir, "preferences.json")
	if err := KeepPrefsPrivate(path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("created: %v %v", fi, err)
	}
	if b, _ := os.ReadFile(path); string(b) != "{}" {
		t.Fatalf("created holding %q", b)
	}
	// Rewritten in place, as Fyne's storage writer does: the mode stays.
	if err := os.WriteFile(path, []byte(`{"a":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("rewritten: %v", fi.Mode())
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := KeepPrefsPrivate(path); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("made private: %v", fi.Mode())
	}
	if b, _ := os.ReadFile(path); string(b) != `{"a":1}` {
		t.Fatalf("changed what it held: %q", b)
	}
	// A link to a file not there yet is left for Fyne to create through.
	link := filepath.Join(dir, "linked.json")
	if err := os.Symlink(filepath.Join(dir, "dotfiles", "prefs.json"), link); err != nil {
		t.Fatal(err)
	}
	if err := KeepPrefsPrivate(link); err != nil {
		t.Fatalf("a dangling link: %v", err)
	}
	if _, err := os.Lstat(link); err != nil {
		t.Fatalf("the link: %v", err)
	}
}
