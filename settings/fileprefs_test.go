package settings

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/internal/testwait"

	fyneapp "fyne.io/fyne/v2/app"
)

// TestFilePrefsSharesFynesFile writes settings through Fyne's preferences
// (the window) and reads them through FilePrefs (the headless commands),
// and the other way round: one file, one source of truth.
func TestFilePrefsSharesFynesFile(t *testing.T) {
	tmp, err := os.MkdirTemp("", "azchat-sharetest")
	if err != nil {
		t.Fatal(err)
	}
	// Fyne's settings watcher may still write in the folder at cleanup.
	t.Cleanup(func() { _ = os.RemoveAll(tmp) })
	t.Setenv("TMPDIR", tmp)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(tmp, "config"))
	a := fyneapp.NewWithID("io.github.azchat.sharetest")
	path := PrefsFile(a.Storage().RootURI().Path())

	// The window saves a profile; the CLI sees it.
	window := Load(a.Preferences())
	p, err := window.Put(newProfile())
	if err != nil {
		t.Fatal(err)
	}
	if err := window.SetCurrent(p.ID); err != nil {
		t.Fatal(err)
	}
	var cur Profile
	ok := testwait.Poll(10*time.Second, func() bool {
		var found bool
		cur, found = Load(NewFilePrefs(path)).Current()
		return found
	})
	if !ok || cur.ID != p.ID || cur.Endpoint != "https://my-res.openai.azure.com/openai/v1/" {
		t.Fatalf("the CLI reads %+v (%v) from %s", cur, ok, path)
	}

	// The CLI saves a second profile; a new start of the window sees both,
	// and keys of other types in Fyne's file are kept.
	a.Preferences().SetInt("window.width", 900)
	a.Preferences().SetBool("window.maximised", true)
	testwait.Until(t, 10*time.Second, "Fyne to write its preferences", func() bool {
		b, _ := os.ReadFile(path)
		return strings.Contains(string(b), "window.maximised")
	})
	cli := Load(NewFilePrefs(path))
	q := newProfile()
	q.Name = "Home"
	if _, err := cli.Put(q); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"window.width":900`) || !strings.Contains(string(b), `"window.maximised":true`) {
		t.Fatalf("FilePrefs dropped Fyne's other keys: %s", b)
	}
	if info, err := os.Stat(path); err != nil || info.Mode().Perm()&0o077 != 0 {
		t.Fatalf("preferences file mode %v (%v)", info.Mode(), err)
	}
	names := map[string]bool{}
	for _, pr := range Load(NewFilePrefs(path)).Profiles() {
		names[pr.Name] = true
	}
	if !names["Work"] || !names["Home"] {
		t.Fatalf("profiles after the CLI saved: %v", names)
	}
}

// TestFilePrefsKeepsAFileItCannotRead never overwrites a damaged settings
// file: it is the user's, and what it holds may still be recovered.
func TestFilePrefsKeepsAFileItCannotRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "preferences.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	p := NewFilePrefs(path)
	if p.String("x") != "" || p.Err() == nil {
		t.Fatalf("read a damaged file without an error: %v", p.Err())
	}
	p.SetString("x", "y")
	if p.Err() == nil {
		t.Fatal("no error for a write over a damaged file")
	}
	if b, _ := os.ReadFile(path); string(b) != "{not json" {
		t.Fatalf("the damaged file was replaced: %q", b)
	}
	fresh := NewFilePrefs(filepath.Join(t.TempDir(), "sub", "preferences.json"))
	fresh.SetString("k", "v")
	if fresh.Err() != nil || fresh.String("k") != "v" {
		t.Fatalf("new file: %q %v", fresh.String("k"), fresh.Err())
	}
}

// TestFilePrefsWaitsForAWriterAtWork: the window's Fyne rewrites the file
// in place, empty (or half written) for a moment; a command's write that
// reads it then keeps every key the window wrote once the file is whole
// (it wrote its own key alone, dropping the window's settings).
func TestFilePrefsWaitsForAWriterAtWork(t *testing.T) {
	path := filepath.Join(t.TempDir(), "preferences.json")
	whole := `{"window.width":900,"profiles.v1":"[]"}`
	if err := os.WriteFile(path, []byte(whole), 0o600); err != nil {
		t.Fatal(err)
	}
	reads := 0
	readPrefs = func(p string) ([]byte, error) {
		reads++
		switch reads {
		case 1:
			return nil, nil // truncated
		case 2:
			return []byte(`{"window.wid`), nil // half written
		}
		return os.ReadFile(p)
	}
	defer func() { readPrefs = os.ReadFile }()
	fp := NewFilePrefs(path)
	fp.SetString("profiles.current", "x")
	if err := fp.Err(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"window.width":900`) || !strings.Contains(string(b), `"profiles.current":"x"`) || reads < 3 {
		t.Fatalf("after %d reads the file holds %s", reads, b)
	}
}
