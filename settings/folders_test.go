package settings

import (
	"path/filepath"
	"testing"
)

// TestFoldersAreKeptApart: each kind of file dialog's folder is saved in
// the settings file (a new Store on it reads it), apart from the others.
func TestFoldersAreKeptApart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "preferences.json")
	s := Load(NewFilePrefs(path))
	if s.Folder(FolderExport) != "" {
		t.Fatal("a folder before any was saved")
	}
	s.SetFolder(FolderExport, "/home/ada/Documents")
	s.SetFolder(FolderImport, "/home/ada/Downloads")
	again := Load(NewFilePrefs(path))
	if got := again.Folder(FolderExport); got != "/home/ada/Documents" {
		t.Fatalf("export folder %q", got)
	}
	if got := again.Folder(FolderImport); got != "/home/ada/Downloads" {
		t.Fatalf("import folder %q", got)
	}
	if got := again.Folder(FolderAttach); got != "" {
		t.Fatalf("attach folder %q, none saved", got)
	}
}
