// Package e2e drives the real azchat binary in a real X window (Xvfb),
// against the local stand-in for Azure OpenAI, the way a person would:
// type a question, press Enter, read the answer.
package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/azchat/azchat/internal/testwait"

	"github.com/azchat/azchat/internal/fakeazure"
)

const key = "e2e-key-0123456789abcdef"

func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("AZCHAT_REQUIRE_E2E") != "" {
				t.Fatalf("%s is required for the end-to-end test (scripts/deps.sh test installs it)", tool)
			}
			t.Skipf("%s not installed; run make test", tool)
		}
	}
}

// binary returns the azchat binary: AZCHAT_BIN, or a fresh build.
func binary(t *testing.T) string {
	if b := os.Getenv("AZCHAT_BIN"); b != "" {
		return b
	}
	out := filepath.Join(t.TempDir(), "azchat")
	cmd := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", out, "../..")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	return out
}

// startXvfb starts a private X server and returns its DISPLAY. Xvfb picks
// a free display number itself (-displayfd), so stale lock files of
// earlier runs never matter; it is stopped with SIGTERM so that it removes
// its own lock. When a server accepts no client within 10 s another is
// started (the first one runs on until the test's cleanup): under load one
// took display :0 and refused every connection for 20 s (what each printed
// is in the failure).
func startXvfb(t *testing.T) string {
	var tried []string
	for range 3 {
		display, log := startXvfbOnce(t)
		if display != "" && acceptsClients(display, 10*time.Second) {
			return display
		}
		tried = append(tried, fmt.Sprintf("%q: %s", display, log.String()))
	}
	t.Fatalf("no Xvfb accepted a client:\n%s", strings.Join(tried, "\n"))
	return ""
}

// startXvfbOnce starts one Xvfb and returns its DISPLAY ("" if it wrote
// none within 20 s) and what it prints.
func startXvfbOnce(t *testing.T) (string, *syncBuffer) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// The read end stays open while the server runs (closed after it is
	// stopped: cleanups run last first): it writes the number and the
	// newline separately, and a write to a closed pipe is fatal to it
	// ("Cannot write display number to fd 3").
	t.Cleanup(func() { r.Close() })
	// -noreset: by default the server resets when its last client leaves,
	// and refuses connections meanwhile; a test's xdotool calls are
	// clients that come and go.
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-noreset", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	log := &syncBuffer{}
	cmd.Stderr = log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	got := make(chan string, 1)
	go func() {
		b := make([]byte, 16)
		n, _ := r.Read(b)
		got <- strings.TrimSpace(string(b[:n]))
	}()
	select {
	case n := <-got:
		if n == "" {
			return "", log
		}
		return ":" + n, log
	case <-time.After(20 * time.Second):
		return "", log
	}
}

// acceptsClients reports whether a client gets into display within
// timeout (connections may be refused for a moment after Xvfb writes its
// number).
func acceptsClients(display string, timeout time.Duration) bool {
	return testwait.Poll(timeout, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		probe := exec.CommandContext(ctx, "xdotool", "getdisplaygeometry")
		probe.Env = append(os.Environ(), "DISPLAY="+display)
		return probe.Run() == nil
	})
}

func xdo(t *testing.T, display string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xdotool", args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("xdotool %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func clipboard(display string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "xclip", "-selection", "clipboard", "-o")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, _ := cmd.Output()
	return string(out)
}

func TestRealWindowChat(t *testing.T) {
	need(t, "Xvfb", "xdotool", "xclip", "import")
	bin := binary(t)
	srv := &fakeazure.Server{APIKey: key, Pace: 200, Deployments: map[string]fakeazure.Deployment{"gpt-4o": {Model: "gpt-4o-2024-11-20"}}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	display := startXvfb(t)

	home := t.TempDir()
	app := exec.Command(bin)
	app.Env = appEnv(display, home, srv.URL())
	logs := &syncBuffer{}
	app.Stdout, app.Stderr = logs, logs
	start := time.Now()
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = app.Process.Kill(); _ = app.Wait() }()

	wid := xdo(t, display, "search", "--sync", "--onlyvisible", "--name", "azchat")
	wid = strings.Fields(wid)[0]
	t.Logf("window mapped after %v", time.Since(start).Round(time.Millisecond))
	waitFor(t, func() bool { return strings.Contains(logs.String(), "window shown") }, logs) // the event loop runs
	xdo(t, display, "windowfocus", "--sync", wid)
	xdo(t, display, "type", "--delay", "15", "Show me a markdown demo")
	xdo(t, display, "key", "Return")

	want := fakeazure.DefaultReply([]map[string]any{{"role": "user", "content": "markdown demo"}})
	got := ""
	testwait.Poll(30*time.Second, func() bool {
		if len(srv.Requests()) == 0 {
			return false
		}
		xdo(t, display, "key", "ctrl+shift+c")
		got = clipboard(display)
		return got == want
	})
	if got != want {
		t.Fatalf("answer on the clipboard:\n%q\nwant\n%q\napp log:\n%s", got, want, logs.String())
	}
	reqs := srv.Requests()
	msgs, _ := reqs[0].Body["messages"].([]any)
	last, _ := msgs[len(msgs)-1].(map[string]any)
	if last["content"] != "Show me a markdown demo" {
		t.Fatalf("typed text arrived as %v", last["content"])
	}
	// The conversation reached the history database: export it with the CLI.
	exp := exec.Command(bin, "export", "--format", "md", "--last")
	exp.Env = app.Env
	md, err := exp.Output()
	if err != nil || !strings.Contains(string(md), "Show me a markdown demo") || !strings.Contains(string(md), "| gpt-4o | o200k_base | 128,000 |") {
		t.Fatalf("azchat export --last: %v\n%s", err, md)
	}
	shot := os.Getenv("AZCHAT_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "azchat.png")
	}
	cmd := exec.Command("import", "-window", "root", shot)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("screenshot: %v %s", err, out)
	}
	if fi, err := os.Stat(shot); err != nil || fi.Size() < 10_000 {
		t.Fatalf("screenshot %s looks empty", shot)
	}
	t.Logf("screenshot: %s", shot)
	for _, f := range walk(home) {
		b, _ := os.ReadFile(f)
		if bytes.Contains(b, []byte(key)) {
			t.Fatalf("%s contains the API key", f)
		}
	}
}

// running is the app started by launch, its window found and focused.
type running struct {
	t       *testing.T
	cmd     *exec.Cmd
	logs    *syncBuffer
	done    chan struct{} // closed when the process has ended
	display string
	wid     string
}

// launch starts the app on display and waits for its window; the process
// is killed, if still running, when the test ends.
func launch(t *testing.T, bin, display string, env []string) *running {
	t.Helper()
	r := &running{t: t, cmd: exec.Command(bin), logs: &syncBuffer{}, done: make(chan struct{}), display: display}
	r.cmd.Env = env
	r.cmd.Stdout, r.cmd.Stderr = r.logs, r.logs
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = r.cmd.Wait()
		close(r.done)
	}()
	t.Cleanup(func() {
		_ = r.cmd.Process.Kill()
		<-r.done
	})
	r.wid = strings.Fields(xdo(t, display, "search", "--sync", "--onlyvisible", "--name", "azchat"))[0]
	waitFor(t, func() bool { return strings.Contains(r.logs.String(), "window shown") }, r.logs) // the event loop runs
	xdo(t, display, "windowfocus", "--sync", r.wid)
	return r
}

// ask types a question into the window and sends it.
func (r *running) ask(text string) {
	r.t.Helper()
	xdo(r.t, r.display, "type", "--delay", "15", text)
	xdo(r.t, r.display, "key", "Return")
}

// appEnv runs the app on display with a private home, configured for one
// run through the AZURE_OPENAI_* variables to the stand-in at endpoint.
func appEnv(display, home, endpoint string) []string {
	return append(os.Environ(),
		"DISPLAY="+display, "HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"LANG=en_US.UTF-8", "AZCHAT_TRACE=1",
		"AZURE_OPENAI_ENDPOINT="+endpoint,
		"AZURE_OPENAI_DEPLOYMENT=gpt-4o",
		"AZURE_OPENAI_API_KEY="+key,
	)
}

func walk(dir string) []string {
	var out []string
	_ = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TestScriptedSessionLeavesNoSecret saves a profile with its key the way
// the settings dialog does (preferences + keychain), chats through the real
// window with that key, exports, crashes the app mid-answer, and then scans
// every file the session wrote for the key.
func TestScriptedSessionLeavesNoSecret(t *testing.T) {
	need(t, "Xvfb", "xdotool")
	if err := keyringAvailable(); err != nil {
		if os.Getenv("AZCHAT_REQUIRE_KEYCHAIN") != "" {
			t.Fatalf("keychain required: %v", err)
		}
		t.Skip("no keychain:", err)
	}
	bin := binary(t)
	const secret = "Sk-5cr1pted-5e55ion-key-0a1b2c3d4e5f6789"
	srv := &fakeazure.Server{APIKey: secret, Pace: 300, Deployments: map[string]fakeazure.Deployment{"chat": {Model: "gpt-4o-2024-11-20"}}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	home := t.TempDir()
	env := []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"), "XDG_CACHE_HOME=" + filepath.Join(home, ".cache"), "LANG=en_US.UTF-8", "AZCHAT_TRACE=1"}
	// Save the profile and key through the settings package, as the dialog does.
	save := exec.Command(os.Args[0], "-test.run=^TestSaveProfileHelper$")
	save.Env = append(os.Environ(), append(env, "AZCHAT_HELPER_SAVE=1", "AZCHAT_HELPER_ENDPOINT="+srv.URL(), "AZCHAT_HELPER_KEY="+secret)...)
	if out, err := save.CombinedOutput(); err != nil {
		t.Fatalf("saving the profile: %v\n%s", err, out)
	}
	t.Cleanup(func() { deleteHelperKey(t, env) })

	display := startXvfb(t)
	runApp := func() (*exec.Cmd, *syncBuffer) {
		app := exec.Command(bin)
		app.Env = append(os.Environ(), append(env, "DISPLAY="+display)...)
		logs := &syncBuffer{}
		app.Stdout, app.Stderr = logs, logs
		if err := app.Start(); err != nil {
			t.Fatal(err)
		}
		return app, logs
	}
	app, logs := runApp()
	wid := strings.Fields(xdo(t, display, "search", "--sync", "--onlyvisible", "--name", "azchat"))[0]
	waitFor(t, func() bool { return strings.Contains(logs.String(), "window shown") }, logs) // the event loop runs
	xdo(t, display, "windowfocus", "--sync", wid)
	xdo(t, display, "type", "--delay", "15", "first question")
	xdo(t, display, "key", "Return")
	full := append(os.Environ(), env...)
	waitFor(t, func() bool { _, status, ok := lastAnswer(t, bin, full); return ok && status == "complete" }, logs)
	// The answer is on disk before the turn has ended: the next question
	// is typed once the window has heard that it has.
	waitFor(t, func() bool { return strings.Contains(logs.String(), "turn ended") }, logs)

	// A long answer, killed with SIGKILL half way.
	srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("streaming words ", 1200), TokensPerSecond: 100})
	xdo(t, display, "type", "--delay", "15", "second question")
	xdo(t, display, "key", "Return")
	// Kill once a checkpoint of the streaming answer is on disk.
	waitFor(t, func() bool {
		c, status, ok := lastAnswer(t, bin, full)
		return ok && status != "complete" && strings.Contains(c, "streaming words")
	}, logs)
	_ = app.Process.Kill()
	_ = app.Wait()

	// Export everything with the CLI.
	exportDir := filepath.Join(home, "exports")
	for _, f := range []string{"md", "json", "txt", "html"} {
		exp := exec.Command(bin, "export", "--format", f, "--all", "-o", filepath.Join(exportDir, f))
		exp.Env = append(os.Environ(), env...)
		if out, err := exp.CombinedOutput(); err != nil {
			t.Fatalf("export %s: %v\n%s", f, err, out)
		}
	}
	md, _ := os.ReadFile(walk(filepath.Join(exportDir, "md"))[0])
	// The first answer proves the key came from the keychain: the stand-in
	// answers only with it.
	if !strings.Contains(string(md), `You asked: "first question"`) || !strings.Contains(string(md), "second question") || !strings.Contains(string(md), "streaming words") || !strings.Contains(string(md), "interrupted") {
		t.Fatalf("the crashed answer is not in the export as interrupted:\n%s", md)
	}
	files := walk(home)
	if len(files) < 6 {
		t.Fatalf("only %d files written: %v", len(files), files)
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if bytes.Contains(b, []byte(secret)) {
			t.Fatalf("%s contains the API key", f)
		}
	}
	if strings.Contains(logs.String(), secret) {
		t.Fatal("the app's output contains the API key")
	}
}

// syncBuffer is an output buffer the child process writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, ok func() bool, logs *syncBuffer) {
	t.Helper()
	if !testwait.Poll(20*time.Second, ok) {
		t.Fatalf("timed out; app log:\n%s", logs.String())
	}
}
