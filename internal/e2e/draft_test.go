package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/azchat/azchat/settings"
)

// TestDraftKeptThroughSignals: text typed but not sent is kept for the
// next start when azchat is ended by SIGTERM (the session ending, a
// service manager) or SIGINT, as it is after Quit. It was kept in Fyne's
// preferences, whose write after the loop was put off past the process's
// end (and whose last save Fyne skips when its stop hook meets the loop
// draining); and the signal handler exited at once, which could cut
// Fyne's write of the preferences short.
func TestDraftKeptThroughSignals(t *testing.T) {
	need(t, "Xvfb", "xdotool", "xclip")
	bin := binary(t)
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			srv := standIn(t)
			display := startXvfb(t)
			home := t.TempDir()
			env := appEnv(display, home, srv.URL())
			app := launch(t, bin, display, env)
			draft := "half a thought, not sent yet"
			xdo(t, display, "type", "--delay", "15", draft)
			// The window has the text once it copies it back.
			waitFor(t, func() bool {
				xdo(t, display, "key", "--window", app.wid, "ctrl+a", "ctrl+c")
				return clipboard(display) == draft
			}, app.logs)
			if err := app.cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			select {
			case <-app.done:
			case <-time.After(15 * time.Second):
				t.Fatalf("azchat did not exit after %v\n%s", sig, app.logs.String())
			}
			t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			dir, err := settings.AppDir(appID)
			if err != nil {
				t.Fatal(err)
			}
			// Fyne's preferences, when it wrote them, are whole.
			if b, err := os.ReadFile(settings.PrefsFile(dir)); err == nil && !json.Valid(b) {
				t.Fatalf("the preferences after %v: %d bytes, not valid JSON", sig, len(b))
			}
			if text := settings.NewDraftFile(settings.DraftPath(dir)).Load().Text; text != draft {
				t.Fatalf("after %v the draft kept is %q, want %q\n%s", sig, text, draft, app.logs.String())
			}
		})
	}
}

// TestDraftSurvivesAKill: text typed and not sent is back in the message
// box after the window is killed outright (SIGKILL: no handler runs, as in
// a crash or a power cut), written as typing paused; it was lost, only a
// quit or a signal kept it.
func TestDraftSurvivesAKill(t *testing.T) {
	need(t, "Xvfb", "xdotool", "xclip")
	bin := binary(t)
	srv := standIn(t)
	display := startXvfb(t)
	home := t.TempDir()
	env := appEnv(display, home, srv.URL())
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	dir, err := settings.AppDir(appID)
	if err != nil {
		t.Fatal(err)
	}
	app := launch(t, bin, display, env)
	draft := "typed before the crash"
	xdo(t, display, "type", "--delay", "15", draft)
	waitFor(t, func() bool {
		names, _ := filepath.Glob(filepath.Join(settings.LiveDir(dir), "*.json"))
		for _, p := range names {
			if settings.NewDraftFile(p).Load().Text == draft {
				return true
			}
		}
		return false
	}, app.logs)
	if err := app.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-app.done
	again := launch(t, bin, display, env)
	waitFor(t, func() bool {
		xdo(t, display, "key", "--window", again.wid, "ctrl+a", "ctrl+c")
		return clipboard(display) == draft
	}, again.logs)
}

// TestACutSettingsFileIsPutBack: a settings file left empty by a write cut
// short (Fyne rewrites it in place) is replaced, before anything reads it,
// by the copy azchat kept at its last start: the profiles are still there.
func TestACutSettingsFileIsPutBack(t *testing.T) {
	bin := binary(t)
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "PATH=" + os.Getenv("PATH"), "LANG=C.UTF-8"}
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	dir, err := settings.AppDir(appID)
	if err != nil {
		t.Fatal(err)
	}
	path := settings.PrefsFile(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := settings.Load(settings.NewFilePrefs(path)).Put(settings.Profile{Name: "Work", Endpoint: "https://work.openai.azure.com", Deployment: "chat"}); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runBin(t, bin, env, "version"); code != 0 || errs != "" {
		t.Fatalf("version with good settings: %d %q", code, errs)
	}
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runBin(t, bin, env, "version")
	if code != 0 || !strings.Contains(errs, "last good copy of the settings file was put back") {
		t.Fatalf("version with a cut settings file: %d %q", code, errs)
	}
	if p := settings.Load(settings.NewFilePrefs(path)).Profiles(); len(p) != 1 || p[0].Name != "Work" {
		t.Fatalf("profiles after the start: %+v", p)
	}
}
