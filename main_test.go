package main

import (
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestTheAppLinksNoOpenAIGoRoot: the window and the CLI do not import
// openai-go's root package, whose registrations cost the executable 21 MB
// (11 MB of it resident in the idle window; see chat/azure/completions.go).
func TestTheAppLinksNoOpenAIGoRoot(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	// On Linux only: the modules listed are then the ones this machine
	// built with, and a test never goes to the network (GOPROXY=off).
	if runtime.GOOS != "linux" {
		t.Skip("the dependency list is checked on Linux")
	}
	for _, tags := range []string{"", "migrated_fynedo"} {
		cmd := exec.Command("go", "list", "-deps", "-tags", tags, ".")
		// CGO_ENABLED=1: the files a release builds with cgo are listed.
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1", "GOPROXY=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go list (tags %q): %v\n%s", tags, err, out)
		}
		deps := strings.Split(strings.TrimSpace(string(out)), "\n")
		if !slices.Contains(deps, "github.com/azchat/azchat/app") || !slices.Contains(deps, "github.com/openai/openai-go/v3/responses") {
			t.Fatalf("go list (tags %q) did not list the app's packages: %s", tags, out)
		}
		if slices.Contains(deps, "github.com/openai/openai-go/v3") {
			t.Fatalf("azchat (tags %q) links github.com/openai/openai-go/v3", tags)
		}
	}
}

// gcPercent reads the collector's setting.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestGarbageIsCollectedForWhatTheWindowDoes: half the live heap at rest,
// a quarter while answering, three times while a conversation loads
// (whatever else goes on; loads may overlap), unless GOGC is set.
func TestGarbageIsCollectedForWhatTheWindowDoes(t *testing.T) {
	defer debug.SetGCPercent(gcPercent())
	t.Setenv("GOGC", "")
	answering, loading := lessGarbage()
	if answering == nil || loading == nil {
		t.Fatal("no hooks without GOGC")
	}
	steps := []struct {
		name string
		do   func()
		want int
	}{
		{"at rest", func() {}, 50},
		{"answering", func() { answering(true) }, 25},
		{"loading while answering", func() { loading(true) }, 200},
		{"a second load", func() { loading(true) }, 200},
		{"the answer done", func() { answering(false) }, 200},
		{"one load done", func() { loading(false) }, 200},
		{"both loads done", func() { loading(false) }, 50},
		{"an extra end", func() { loading(false) }, 50},
		{"answering again", func() { answering(true) }, 25},
	}
	for _, s := range steps {
		s.do()
		if got := gcPercent(); got != s.want {
			t.Fatalf("%s: GC percent %d, want %d", s.name, got, s.want)
		}
	}
	t.Setenv("GOGC", "80")
	if a, l := lessGarbage(); a != nil || l != nil {
		t.Fatal("hooks although GOGC is set")
	}
}

// scheduled is a release the collector scheduled (afterFunc in tests).
type scheduled struct {
	after   time.Duration
	run     func()
	stopped bool
}

// TestMemoryIsReturnedOnceAtRest: coming to rest (at start, after an
// answer, after the loads) schedules the releases of releaseAfter; an
// answer or a load starting before they run cancels them, and nothing is
// scheduled twice for one rest.
func TestMemoryIsReturnedOnceAtRest(t *testing.T) {
	defer debug.SetGCPercent(gcPercent())
	var got []*scheduled
	released := 0
	c := &collector{
		release: func() { released++ },
		after:   releaseAfter,
		afterFunc: func(d time.Duration, f func()) func() bool {
			s := &scheduled{after: d, run: f}
			got = append(got, s)
			return func() bool { s.stopped = true; return true }
		},
	}
	// pending lists the delays of the releases scheduled and not stopped.
	pending := func() []time.Duration {
		var out []time.Duration
		for _, s := range got {
			if !s.stopped {
				out = append(out, s.after)
			}
		}
		return out
	}
	c.set() // the window starts at rest
	if p := pending(); !slices.Equal(p, releaseAfter) {
		t.Fatalf("at start: %v scheduled, want %v", p, releaseAfter)
	}
	c.change(func() { c.answering = true })
	if p := pending(); len(p) != 0 {
		t.Fatalf("answering: %v still scheduled", p)
	}
	c.change(func() { c.answering = false })
	if p := pending(); !slices.Equal(p, releaseAfter) {
		t.Fatalf("the answer done: %v scheduled, want %v", p, releaseAfter)
	}
	c.change(func() { c.answering = true })
	c.change(func() { c.loading++ })
	c.change(func() { c.answering = false })
	if p := pending(); len(p) != 0 {
		t.Fatalf("loading: %v scheduled", p)
	}
	c.change(func() { c.loading-- })
	c.change(func() {}) // a change that leaves it at rest
	if p := pending(); !slices.Equal(p, releaseAfter) || len(got) != 3*len(releaseAfter) {
		t.Fatalf("at rest again: %v pending of %d scheduled, want %v once more", p, len(got), releaseAfter)
	}
	if released != 0 {
		t.Fatalf("released %d times before any delay passed", released)
	}
	for _, s := range got {
		if !s.stopped {
			s.run() // the delay passes
		}
	}
	if released != len(releaseAfter) {
		t.Fatalf("the delays passed: released %d times, want %d", released, len(releaseAfter))
	}
}
