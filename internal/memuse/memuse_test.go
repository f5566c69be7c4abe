package memuse

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// rss is the process's resident memory in bytes, exact (Linux: statm's
// counters may be a few pages off on a machine with many cores).
func rss(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		t.Skip("no /proc/self/smaps_rollup:", err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "Rss:" {
			kb, err := strconv.ParseInt(f[1], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no Rss in smaps_rollup")
	return 0
}

// The Go heap's garbage is returned at once: 64 MB that was live and is
// no longer leaves the process's resident memory.
func TestReleaseReturnsTheGoHeapsGarbage(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	// Once before measuring: the first use of heap addresses maps memory
	// that stays (the race detector's shadow of them: half of what this
	// test freed stayed resident, on the first run in a process only).
	runtime.KeepAlive(fill64MB())
	Release()
	base := rss(t)
	keep := fill64MB()
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

// fill64MB allocates 64 MB in 64 KB blocks, each page written.
func fill64MB() [][]byte {
	keep := make([][]byte, 0, 1024)
	for range 1024 {
		b := make([]byte, 64<<10)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		keep = append(keep, b)
	}
	return keep
}

// The C heap's free pages are returned too: 36 MB of small blocks freed
// below one still in use (as Fyne's text textures are under Mesa's
// software driver) stay resident until the release.
func TestReleaseTrimsTheCHeap(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	if !trimCHeap() {
		t.Skip("the C library cannot be asked to trim (no cgo, or not glibc)")
	}
	Release() // the Go heap's garbage, so that only the C heap's counts below
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
