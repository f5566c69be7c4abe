package e2e

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/azchat/azchat/internal/fakeazure"
)

// TestRealWindowLoadsNoImages reopens, at start-up, a chat whose answer is
// full of images — remote URLs pointing at a listener here, a file: URI and
// a bare path naming a FIFO, a data: URL — and checks that the window
// fetched nothing, opened nothing, and still answers the keyboard.
func TestRealWindowLoadsNoImages(t *testing.T) {
	need(t, "Xvfb", "xdotool", "xclip")
	bin := binary(t)
	var hits atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	leak := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })}
	go func() { _ = leak.Serve(ln) }()
	defer leak.Close()
	base := "http://" + ln.Addr().String()

	fifo := filepath.Join(t.TempDir(), "image.png")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// A reader that opened the FIFO would make a non-blocking open for
	// writing succeed; nobody reading makes it fail with ENXIO.
	var opened atomic.Bool
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			if f, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				opened.Store(true)
				f.Close()
			}
		}
	}()

	answer := "Here: ![leak](" + base + "/leak?q=secret) and ![cell](" + base + "/c.png)\n\n" +
		"| pic |\n|---|\n| ![t](" + base + "/t.png) |\n\n" +
		"![f](file://" + fifo + ") ![p](" + fifo + ") ![d](data:image/png;base64,iVBORw0KGgo=)"
	chatJSON, _ := json.Marshal([]map[string]string{{"role": "user", "content": "show me pictures"}, {"role": "assistant", "content": answer}})
	srv := &fakeazure.Server{APIKey: key, Deployments: map[string]fakeazure.Deployment{"gpt-4o": {Model: "gpt-4o-2024-11-20"}}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	display := startXvfb(t)
	env := appEnv(display, t.TempDir(), srv.URL())
	imp := exec.Command(bin, "import", "-")
	imp.Env = env
	imp.Stdin = strings.NewReader(string(chatJSON))
	if out, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("import: %v %s", err, out)
	}

	app := launch(t, bin, display, env)
	logs, wid := app.logs, app.wid
	// The chat reopened (its answer is what "Copy last answer" copies) and
	// the window answers the keyboard: it is not stuck on a FIFO.
	waitFor(t, func() bool {
		xdo(t, display, "key", "--window", wid, "ctrl+shift+c")
		return clipboard(display) == answer
	}, logs)
	if n := hits.Load(); n != 0 {
		t.Fatalf("the window made %d requests for images", n)
	}
	if opened.Load() {
		t.Fatal("the window opened the FIFO named as an image")
	}
}
