package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azchat/azchat/internal/fakeazure"
)

func runBin(t *testing.T, bin string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String(), errb.String()
}

// TestHeadlessCommands runs the real binary where there is no display, as
// over SSH or in a container: commands work and print nothing of the
// toolkit under any locale, a mistyped command is named, and the window
// says in one line why it cannot open.
func TestHeadlessCommands(t *testing.T) {
	bin := binary(t)
	home := t.TempDir()
	base := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "PATH=" + os.Getenv("PATH")}
	msgs := filepath.Join(home, "m.json")
	if err := os.WriteFile(msgs, []byte(`[{"role":"user","content":"How many tokens?"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := &fakeazure.Server{APIKey: key}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, lang := range []string{"C", "C.UTF-8", "POSIX", "en_US.UTF-8"} {
		env := append(base, "LANG="+lang, "LC_ALL="+lang)
		azure := append(env, "AZURE_OPENAI_ENDPOINT="+srv.URL(), "AZURE_OPENAI_DEPLOYMENT=chat", "AZURE_OPENAI_API_KEY="+key)
		code, out, errs := runBin(t, bin, azure, "ask", "Who founded Microsoft?")
		if code != 0 || !strings.Contains(out, "Who founded Microsoft?") || errs != "" {
			t.Fatalf("LANG=%s ask: %d %q %q", lang, code, out, errs)
		}
		imp := exec.Command(bin, "import", "-")
		imp.Env = env
		imp.Stdin = strings.NewReader(`[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]`)
		var impErr bytes.Buffer
		imp.Stderr = &impErr
		if out, err := imp.Output(); err != nil || !strings.Contains(string(out), "imported 2 messages") || impErr.Len() != 0 {
			t.Fatalf("LANG=%s import: %v %q %q", lang, err, out, impErr.String())
		}
		code, out, errs = runBin(t, bin, env, "version")
		if code != 0 || !strings.HasPrefix(out, "azchat ") || errs != "" {
			t.Fatalf("LANG=%s version: %d %q %q", lang, code, out, errs)
		}
		code, out, errs = runBin(t, bin, env, "tokens", "--model", "gpt-4o", msgs)
		if code != 0 || out == "" || errs != "" {
			t.Fatalf("LANG=%s tokens: %d %q %q", lang, code, out, errs)
		}
		code, out, errs = runBin(t, bin, env, "export", "--last")
		if code != 0 || !strings.Contains(out, "hello") || errs != "" {
			t.Fatalf("LANG=%s export: %d %q", lang, code, errs)
		}
	}
	code, _, errs := runBin(t, bin, base, "frobnicate")
	if code != 2 || !strings.Contains(errs, "unknown command frobnicate") || !strings.Contains(errs, "Usage:") {
		t.Fatalf("unknown command: %d %q", code, errs)
	}
	code, out, errs := runBin(t, bin, base)
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if code != 1 || out != "" || len(lines) != 1 || !strings.Contains(errs, "DISPLAY") || !strings.Contains(errs, "azchat ask") {
		t.Fatalf("no display: %d %q %q", code, out, errs)
	}
}
