// Package smalldisk gives tests a real disk that fills up: a small tmpfs
// mounted on a folder, and a way to fill it.
package smalldisk

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// Mount mounts a tmpfs of size (such as "2m") on dir, unmounted when the
// test ends. Where mounting is not allowed (not root, no CAP_SYS_ADMIN) the
// test is skipped, unless AZCHAT_REQUIRE_TMPFS is set (make test sets it
// where the machine allows mounting).
func Mount(t testing.TB, dir, size string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		if os.Getenv("AZCHAT_REQUIRE_TMPFS") != "" {
			t.Fatalf("mount tmpfs: %v %s", err, out)
		}
		t.Skipf("cannot mount a tmpfs here (%v): run as root under make test", err)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
}

// Fill writes a file in dir until the disk is full and returns its path;
// removing it frees the space again.
func Fill(t testing.TB, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return path
			}
			t.Fatal(err)
		}
	}
}
