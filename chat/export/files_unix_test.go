//go:build unix

package export

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWriteFileKeepsLinksAndRefusesOtherFiles: the atomic rename replaced
// whatever was at the path: a symbolic link became a file (its target
// unchanged), and as root `-o /dev/full` replaced the device.
func TestWriteFileKeepsLinksAndRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	real, link := filepath.Join(dir, "real.md"), filepath.Join(dir, "link.md")
	if err := os.WriteFile(real, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.md", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(real); string(b) != "new" {
		t.Fatalf("the link's target holds %q", b)
	}
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, dir} {
		if err := WriteFile(p, []byte("x")); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("%s: %v", p, err)
		}
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatal("the pipe was replaced")
	}
	dangling := filepath.Join(dir, "dangling.md")
	if err := os.Symlink("nowhere.md", dangling); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dangling, []byte("x")); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("a dangling link: %v", err)
	}
}

// TestExportThroughALink: the images of an export written through a link
// go beside the file written, under the name its links use (the link's);
// they were refused when the target had another name. Another user's link
// (in a shared folder such as /tmp) is not followed: it could point at one
// of your files.
func TestExportThroughALink(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "notes"), 0o700); err != nil {
		t.Fatal(err)
	}
	real, link := filepath.Join(dir, "notes", "2024.md"), filepath.Join(dir, "chat.md")
	if err := os.WriteFile(real, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	files := FilesDir(link)
	if err := WriteExport(link, []byte("![x]("+files+"/x.png)"), map[string][]byte{files + "/x.png": []byte("png")}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "notes", files, "x.png")); err != nil || string(b) != "png" {
		t.Fatalf("the image beside the target: %q %v", b, err)
	}
	if b, _ := os.ReadFile(real); !strings.Contains(string(b), files+"/x.png") {
		t.Fatalf("the target holds %q", b)
	}
	if os.Getuid() != 0 {
		t.Skip("giving a link to another user needs root")
	}
	theirs := filepath.Join(dir, "theirs.md")
	if err := os.Symlink(real, theirs); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(theirs, 4321, 4321); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(theirs, []byte("x")); err == nil || !strings.Contains(err.Error(), "belongs to another user") {
		t.Fatalf("another user's link: %v", err)
	}
	// Yours, leading to theirs: refused as well.
	mine := filepath.Join(dir, "mine.md")
	if err := os.Symlink("theirs.md", mine); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(mine, []byte("x")); err == nil || !strings.Contains(err.Error(), "belongs to another user") {
		t.Fatalf("a link of yours to another user's: %v", err)
	}
	if b, _ := os.ReadFile(real); string(b) == "x" {
		t.Fatal("written through another user's link")
	}
}
