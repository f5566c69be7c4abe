package settings

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDraftFileKeepsAndClears: a draft is written whole (0600, in a folder
// made for it), read back as it was, and an empty one removes the file.
func TestDraftFileKeepsAndClears(t *testing.T) {
	path := DraftPath(filepath.Join(t.TempDir(), "azchat"))
	f := NewDraftFile(path)
	if d := f.Load(); !d.Empty() {
		t.Fatalf("no file: %+v", d)
	}
	want := Draft{Text: "half a thought\nline two", Chat: "c1", Files: []string{"/tmp/a.txt"}}
	if err := f.Save(want); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode: %v", err)
	}
	if d := f.Load(); d.Text != want.Text || d.Chat != want.Chat || len(d.Files) != 1 || d.Files[0] != "/tmp/a.txt" {
		t.Fatalf("read back %+v", d)
	}
	if err := f.Save(Draft{Chat: "c1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("an empty draft left the file: %v", err)
	}
	if err := f.Save(Draft{}); err != nil {
		t.Fatalf("clearing twice: %v", err)
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if d := f.Load(); !d.Empty() {
		t.Fatalf("a damaged file read as %+v", d)
	}
}
