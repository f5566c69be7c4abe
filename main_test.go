package main

import (
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
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
