// Command azchat is a desktop chat client for Azure OpenAI. Run without
// arguments it opens the window; `azchat ask|tokens|export|import|version` run headless.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/azchat/azchat/app"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/cli"
	"github.com/azchat/azchat/settings"
)

// appID must match FyneApp.toml: preferences and storage live under it.
const appID = "io.github.azchat"

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func main() {
	started := time.Now()
	a := fyneapp.NewWithID(appID)
	if md := a.Metadata(); md.ID != "" && md.Version != "" && version == "0.1.0-dev" {
		// Packaged builds carry FyneApp.toml's version and build number.
		version = fmt.Sprintf("%s (build %d)", md.Version, md.Build)
	}
	root := a.Storage().RootURI().Path()
	openHistory := func() (*history.Store, error) { return history.Open(filepath.Join(root, "history.db")) }
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		os.Exit(cli.Run(os.Args[1:], cli.Env{
			Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
			Prefs: a.Preferences(), Version: version, OpenHistory: openHistory,
		}))
	}
	crashLog(root)
	cfg := app.Config{App: a, Prefs: a.Preferences(), Secrets: settings.NewSecrets(), OpenHistory: openHistory, Started: started}
	if os.Getenv("AZCHAT_TRACE") != "" {
		// Start-up timings for make bench; they hold no content.
		cfg.Trace = func(event string, since time.Duration) {
			fmt.Fprintf(os.Stderr, "azchat-trace: %s after %.1f ms\n", event, float64(since.Microseconds())/1000)
		}
	}
	app.New(cfg).ShowAndRun()
}

// crashLog sends the runtime's fatal error output to a file in the app's
// storage folder, so a crash on a desktop without a terminal leaves a trace.
func crashLog(dir string) {
	if dir == "" || os.MkdirAll(dir, 0o700) != nil {
		return
	}
	f, err := os.OpenFile(filepath.Join(dir, "crash.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return
	}
	_ = debug.SetCrashOutput(f, debug.CrashOptions{})
}
