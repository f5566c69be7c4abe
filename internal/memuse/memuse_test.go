package memuse

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// rss is the process's resident memory in bytes (Linux).
func rss(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		t.Skip("no /proc/self/statm:", err)
	}
	f := strings.Fields(string(b))
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return pages * int64(os.Getpagesize())
}

// The Go heap's garbage is returned at once: 64 MB that was live and is
// no longer leaves the process's resident memory.
func TestReleaseReturnsTheGoHeapsGarbage(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	Release()
	base := rss(t)
	keep := make([][]byte, 0, 1024)
	for range 1024 {
		b := make([]byte, 64<<10)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		keep = append(keep, b)
	}
	grown := rss(t)
	if grown-base < 48<<20 {
		t.Fatalf("64 MB allocated grew RSS by only %d MB", (grown-base)>>20)
	}
	runtime.KeepAlive(keep)
	keep = nil
	Release()
	if after := rss(t); grown-after < 48<<20 {
		t.Fatalf("RSS %d MB before the release, %d MB after: %d MB returned, want most of 64", grown>>20, after>>20, (grown-after)>>20)
	}
}

// The C heap's free pages are returned too: 36 MB of small blocks freed
// below one still in use (as Fyne's text textures are under Mesa's
// software driver) stay resident until the release.
func TestReleaseTrimsTheCHeap(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	base := rss(t)
	churnCHeap(500, 72<<10)
	freed := rss(t)
	if freed-base < 24<<20 {
		t.Skipf("the C library returned the freed blocks itself (RSS +%d MB): nothing to trim", (freed-base)>>20)
	}
	Release()
	if after := rss(t); freed-after < 24<<20 {
		t.Fatalf("RSS %d MB before the release, %d MB after: %d MB returned, want most of 36", freed>>20, after>>20, (freed-after)>>20)
	}
}
