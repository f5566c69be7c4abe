//go:build unix

package app

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"fyne.io/fyne/v2/storage"
)

// TestFileDialogsListOnlyRegularFiles: a pipe chosen in an open dialog was
// opened by Fyne on the UI thread and froze the window; pipes, folders
// and dangling links are not listed as files, and the name filter still
// applies.
func TestFileDialogsListOnlyRegularFiles(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "chat.json")
	if err := os.WriteFile(regular, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(regular, link); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "gone.json")
	if err := os.Symlink(filepath.Join(dir, "nothing"), dangling); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(other, []byte("hi"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := regularFiles{names: storage.NewExtensionFileFilter([]string{".json"})}
	for path, want := range map[string]bool{regular: true, link: true, fifo: false, dangling: false, other: false, dir: false} {
		if got := f.Matches(storage.NewFileURI(path)); got != want {
			t.Errorf("%s listed %v, want %v", filepath.Base(path), got, want)
		}
	}
	if !(regularFiles{}).Matches(storage.NewFileURI(other)) || (regularFiles{}).Matches(storage.NewFileURI(fifo)) {
		t.Error("without a name filter: the text file hidden or the pipe listed")
	}
}
