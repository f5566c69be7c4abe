// Command azchat is a desktop chat client for Azure OpenAI. Run without
// arguments it opens the window; `azchat ask|tokens|export|import|version` run headless.
package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/azchat/azchat/app"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/cli"
	"github.com/azchat/azchat/internal/instance"
	"github.com/azchat/azchat/internal/memuse"
	"github.com/azchat/azchat/settings"
)

// appID must match FyneApp.toml: preferences and storage live under it.
const appID = "io.github.azchat"

// signalGrace is how long azchat waits, after SIGINT or SIGTERM, for its
// event loop to end and Fyne to write the preferences before it exits
// regardless.
const signalGrace = 5 * time.Second

// version may be set at build time with -ldflags "-X main.version=…";
// otherwise it is FyneApp.toml's version and build number.
var version = ""

//go:embed FyneApp.toml
var fyneAppToml string

func main() {
	started := time.Now()
	dir, err := settings.AppDir(appID)
	if err != nil {
		fmt.Fprintln(os.Stderr, "azchat: no folder for settings and history:", err)
		os.Exit(1)
	}
	openHistory := func() (*history.Store, error) {
		return history.OpenMoving(settings.FormerHistoryPath(dir), settings.HistoryPath(dir))
	}
	// Made before Fyne watches dir (see settings.DraftPath).
	_ = os.MkdirAll(settings.StateDir(dir), 0o700)
	_ = os.MkdirAll(filepath.Dir(settings.HistoryPath(dir)), 0o700)
	if args := commandArgs(os.Args[1:]); len(args) > 0 {
		recoverPrefs(settings.PrefsFile(dir))
		// Headless commands never start Fyne: no driver, no window, and none
		// of its log lines (such as the locale warning under LANG=C).
		os.Exit(cli.Run(args, cli.Env{
			Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
			Prefs: settings.NewFilePrefs(settings.PrefsFile(dir)), Secrets: settings.NewSecrets(),
			Version: appVersion(), OpenHistory: openHistory, Raise: cli.RaiseSignal,
		}))
	}
	if msg := noDisplay(os.Getenv); msg != "" {
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
	window := claimWindow(settings.StateDir(dir))
	defer window.Release()
	// After the claim: the settings file is the open window's otherwise
	// (a copy put back over it in the middle of its write).
	recoverPrefs(settings.PrefsFile(dir))
	// Fyne would create it readable by everyone (the commands write it
	// private themselves).
	if err := settings.KeepPrefsPrivate(settings.PrefsFile(dir)); err != nil {
		fmt.Fprintln(os.Stderr, "azchat: the settings file could not be made private to you:", err)
	}
	ensureCacheDir()
	preferX11WithoutWayland()
	answering, loading := lessGarbage()
	a := fyneapp.NewWithID(appID)
	crashLog(dir)
	cfg := app.Config{App: a, Prefs: a.Preferences(), Draft: settings.NewDraftFile(settings.DraftPath(dir)), Live: settings.OpenLiveDraft(settings.LiveDir(dir)),
		PasteDir: filepath.Join(settings.StateDir(dir), "pasted"),
		Secrets:  settings.NewSecrets(), OpenHistory: openHistory, Started: started, Answering: answering, Loading: loading}
	if os.Getenv("AZCHAT_TRACE") != "" {
		// Start-up timings for make bench; they hold no content.
		cfg.Trace = func(event string, since time.Duration) {
			fmt.Fprintf(os.Stderr, "azchat-trace: %s after %.1f ms\n", event, float64(since.Microseconds())/1000)
		}
	}
	stopCPU := cpuProfile(os.Getenv("AZCHAT_CPUPROFILE"))
	// Once: on SIGTERM both the handler below and ShowAndRun's return
	// (Fyne quits on the signal too) get here, and two writers corrupt
	// the file.
	stopProfile := sync.OnceFunc(func() {
		stopCPU()
		heapProfile(os.Getenv("AZCHAT_MEMPROFILE"))
	})
	cfg.Exit = func() {
		// Quit saved and closed everything, but Fyne's loop did not end
		// (see app.quitGraceDefault): end the process, or it lingers.
		fmt.Fprintln(os.Stderr, "azchat: the window's event loop did not end after Quit; exiting")
		stopProfile()
		os.Exit(0)
	}
	u := app.New(cfg)
	window.OnRaise(func() instance.Answer {
		switch raised, quitting := u.Raise(2 * time.Second); {
		case raised:
			return instance.Raised
		case quitting:
			return instance.Quitting
		}
		return instance.Busy
	})
	// Fyne's own signal handler quits through its UI thread, which a busy
	// window may not reach for a while: stop and save from here as well.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sig
		go func() {
			// A second Ctrl+C or SIGTERM: the user will not wait.
			<-sig
			stopProfile()
			os.Exit(1)
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = u.Close(ctx)
		cancel()
		// Fyne's handler ends the loop as well; main then keeps the draft
		// and returns. Exiting here at once cut Fyne's last write of the
		// preferences short (the file is rewritten in place: an empty one
		// lost every profile) and kept no draft. Only a loop that does not
		// end (its thread stuck) is cut short, keeping the draft as it was
		// when the box last changed.
		time.Sleep(signalGrace)
		u.KeepDraftSnapshot()
		stopProfile()
		os.Exit(0)
	}()
	u.ShowAndRun()
	stopProfile()
}

// recoverPrefs puts back the last good copy of a preferences file that a
// cut write left empty or damaged, before anything reads it, and keeps a
// copy of a good one (settings.RecoverPrefs). It only says what it did:
// azchat starts either way.
func recoverPrefs(path string) {
	r, aside, err := settings.RecoverPrefs(path)
	if aside != "" {
		fmt.Fprintf(os.Stderr, "azchat: the settings file %s could not be read; it was kept as %s\n", path, aside)
	}
	switch r {
	case settings.PrefsRestored:
		fmt.Fprintf(os.Stderr, "azchat: the last good copy of the settings file was put back (%s)\n", path)
	case settings.PrefsDamaged:
		fmt.Fprintln(os.Stderr, "azchat: there is no good copy of the settings file: azchat starts without settings")
	case settings.PrefsNotRestored:
		fmt.Fprintf(os.Stderr, "azchat: the last good copy of the settings file (%s.bak) could not be put back: %v\n", path, err)
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "azchat: the settings file or its copy could not be read or written:", err)
	}
}

// heapProfile writes the live heap to path (AZCHAT_MEMPROFILE) as the
// window closes; an empty path writes nothing.
func heapProfile(path string) {
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "azchat: no heap profile:", err)
		return
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.WriteHeapProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, "azchat: no heap profile:", err)
	}
}

// lessGarbage sets how hard Go collects garbage in the window, unless GOGC
// says otherwise, and returns what the window calls when it starts and
// ends a turn and a conversation's load (nil when GOGC is set). The
// window's live heap is small (about 35 MB while an answer streams), so
// the collector's goal, not what is live, sets its peak RSS. At rest the
// heap may grow by half its live size before a collection (Go's default
// is all of it). While an answer streams, which makes garbage fast (about
// 150 MB/s flat out: JSON per event, Fyne's wrapping per redraw), by a
// quarter. Measured with make bench's 2 MB answer, peak RSS above idle:
// 49–63 MB this way (10 runs), 64–71 MB with half throughout, 86–92 MB
// with Go's default (4 runs each). A quarter throughout would save a
// little more (48–55 MB) but slowed the first paint of a 10,000-message
// chat (medians of one set of 5 runs each: 156 ms against 120). So while
// a conversation loads (from the database read to its rows laid out) the
// heap may grow to three times its live size: the load makes garbage and
// keeps most of what it makes, and collecting it meanwhile was a sixth of
// make bench's first paint (medians of 11 runs on 2026-12-01: 128.8 ms
// with half throughout, 109.7 with three times throughout; RSS with the
// chat open 207.7 and 208.5 MB; three times only while loading, as here:
// 106.0 and 117.4 ms). Idle RSS is the same either way. Once the window
// is at rest, what it no longer uses is returned to the system (see
// releaseAfter); with GOGC set, neither is done.
func lessGarbage() (answering, loading func(bool)) {
	if os.Getenv("GOGC") != "" {
		return nil, nil
	}
	c := &collector{release: memuse.Release, after: releaseAfter, afterFunc: afterFunc}
	c.set()
	return func(on bool) { c.change(func() { c.answering = on }) },
		func(on bool) {
			c.change(func() {
				if on {
					c.loading++
				} else if c.loading > 0 {
					c.loading--
				}
			})
		}
}

// releaseAfter is when, after the window comes to rest (no answer
// streaming, no chat loading; also at start), the memory it no longer
// uses is returned to the system (memuse.Release): soon, for the Go
// heap's garbage, and again once Fyne has freed the textures of text
// drawn before (a minute after they were last drawn, at the next
// redraw: a focused window redraws as its input's cursor blinks; one
// left in the background frees them when it is next drawn, and they are
// returned at the next rest). Each release does both.
var releaseAfter = []time.Duration{2 * time.Second, 65 * time.Second}

// afterFunc runs f after d unless stopped (time.AfterFunc; tests replace
// it).
func afterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// collector is what decides how hard Go collects, and when memory is
// returned to the system: the window's state.
type collector struct {
	mu        sync.Mutex
	answering bool
	loading   int // conversations being loaded
	// release returns memory to the system, after each of after once at
	// rest; afterFunc schedules it (its result stops it).
	release   func()
	after     []time.Duration
	afterFunc func(time.Duration, func()) func() bool
	// resting: at rest since the last change; stops cancels the
	// releases scheduled then.
	resting bool
	stops   []func() bool
}

func (c *collector) change(f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f()
	c.set()
}

// set applies the state; c.mu is held (or c is not shared yet).
func (c *collector) set() {
	switch {
	case c.loading > 0:
		debug.SetGCPercent(200)
	case c.answering:
		debug.SetGCPercent(25)
	default:
		debug.SetGCPercent(50)
	}
	rest := !c.answering && c.loading == 0
	if rest == c.resting || c.afterFunc == nil {
		return
	}
	c.resting = rest
	for _, stop := range c.stops {
		stop()
	}
	c.stops = nil
	if rest {
		for _, d := range c.after {
			c.stops = append(c.stops, c.afterFunc(d, c.release))
		}
	}
}

// cpuProfile writes a CPU profile of the window to path until the returned
// function is called (AZCHAT_CPUPROFILE, for finding where the window spends
// its time; see README "Performance"). An empty path profiles nothing.
func cpuProfile(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "azchat: no CPU profile:", err)
		return func() {}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			pprof.StopCPUProfile()
			_ = f.Close()
		})
	}
}

// commandArgs drops what a desktop launcher may add to a double-click
// (macOS's -psn_ process serial number), so only a user's words remain.
func commandArgs(args []string) []string {
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "-psn_") {
			out = append(out, a)
		}
	}
	return out
}

// noDisplay explains, in one line, why the window cannot open on a Linux
// or BSD machine without a graphical session (SSH, a container), instead of
// the toolkit's panic.
func noDisplay(getenv func(string) string) string {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
	default:
		return ""
	}
	if getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "" {
		return ""
	}
	return "azchat: no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); " +
		"run it in a desktop session, or use `azchat ask \"your question\"` here (`azchat help` lists the commands)"
}

// preferX11WithoutWayland tells Fyne to use X11 when there is no Wayland
// session: GLFW 3.4 would otherwise probe Wayland first, and libwayland
// prints "XDG_RUNTIME_DIR is invalid" where that is unset (ssh -X, Xvfb).
// On a Wayland desktop Fyne picks Wayland itself; FYNE_PLATFORM, if the
// user set it, always wins.
func preferX11WithoutWayland() {
	if os.Getenv("FYNE_PLATFORM") == "" && os.Getenv("WAYLAND_DISPLAY") == "" && os.Getenv("DISPLAY") != "" {
		_ = os.Setenv("FYNE_PLATFORM", "x11")
	}
}

// ensureCacheDir creates the user's cache folder: Fyne 2.8 makes its own
// folder inside it but not the parent, and logs "Failed to create fyne
// cache space" on a fresh home without ~/.cache.
func ensureCacheDir() {
	if dir, err := os.UserCacheDir(); err == nil {
		_ = os.MkdirAll(dir, 0o700)
	}
}

var tomlVersion = regexp.MustCompile(`(?m)^\s*Version\s*=\s*"([^"]+)"`)
var tomlBuild = regexp.MustCompile(`(?m)^\s*Build\s*=\s*(\d+)`)

// appVersion is the version the build was given, or FyneApp.toml's (the
// file the packager reads), so every build reports the same as a package.
func appVersion() string {
	if version != "" {
		return version
	}
	v := "unknown"
	if m := tomlVersion.FindStringSubmatch(fyneAppToml); m != nil {
		v = m[1]
	}
	if m := tomlBuild.FindStringSubmatch(fyneAppToml); m != nil {
		v += " (build " + m[1] + ")"
	}
	return v
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

// claimWindow makes this process the window of the history in stateDir:
// one window per history (a second one overwrote the first one's messages,
// each writing the chat it shows from its own copy). When a window is open
// it is asked to come to the front and this process ends; when that
// window is quitting, this one waits for it and starts.
func claimWindow(stateDir string) *instance.Window {
	window, err := instance.Claim(stateDir)
	if !errors.Is(err, instance.ErrRunning) {
		return window
	}
	// Up to 10 s: a window started a moment before (a double-click) is
	// asked again until it is up.
	err = instance.Raise(stateDir, 10*time.Second)
	if err == nil {
		fmt.Fprintln(os.Stderr, "azchat is already open: its window was asked to come to the front.")
		os.Exit(0)
	}
	if errors.Is(err, instance.ErrQuitting) {
		// Started once it is gone.
		if window, err = instance.WaitFree(stateDir, 15*time.Second); err == nil {
			return window
		}
	}
	fmt.Fprintln(os.Stderr, "azchat is already open, but its window did not answer: close it (or end that azchat), then start azchat again.")
	os.Exit(1)
	return nil
}
