package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/internal/smalldisk"
)

// TestFullDiskThenQuitKeepsTheWholeAnswer puts the app's history folder on
// a small tmpfs, fills it while a 100 KB answer streams, frees it, and
// quits with Ctrl+Q: the export then holds the whole answer, complete.
func TestFullDiskThenQuitKeepsTheWholeAnswer(t *testing.T) {
	need(t, "Xvfb", "xdotool")
	bin := binary(t)
	home := t.TempDir()
	appDir := filepath.Join(home, ".config", "fyne", "io.github.azchat")
	smalldisk.Mount(t, appDir, "2m")

	reply := strings.Repeat("every word matters ", 100_000/19+1)
	srv := &fakeazure.Server{APIKey: key, Deployments: map[string]fakeazure.Deployment{"gpt-4o": {Model: "gpt-4o-2024-11-20"}}}
	// About 5 s of stream (1,580 events): enough for its first checkpoint
	// to be found on disk, by a process started for it, well before the
	// end, on a loaded machine too.
	srv.Script(fakeazure.Behaviour{Reply: reply, TokensPerSecond: 300, ChunkTokens: 10})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	display := startXvfb(t)
	env := appEnv(display, home, srv.URL())
	app := launch(t, bin, display, env)
	logs, wid := app.logs, app.wid
	app.ask("a long answer please")
	// Once the question is on disk, fill the disk under the streaming answer.
	waitFor(t, func() bool { _, _, ok := lastAnswer(t, bin, env); return ok }, logs)
	filler := smalldisk.Fill(t, appDir)
	// The stream ends while the disk is full; then space comes back and
	// the user quits.
	waitFor(t, func() bool { return srv.Finished() > 0 }, logs)
	// The disk was full for the end of the stream: what is on disk is not
	// the whole answer (the writes failed), only memory has it.
	if content, status, ok := lastAnswer(t, bin, env); ok && (status == "complete" || content == reply) {
		t.Fatalf("the answer reached the full disk (%s, %d bytes): the test did not test a full disk", status, len(content))
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	xdo(t, display, "key", "--window", wid, "ctrl+q")
	select {
	case <-app.done:
	case <-time.After(15 * time.Second):
		t.Fatalf("azchat did not exit\n%s", logs.String())
	}
	content, status, ok := lastAnswer(t, bin, env)
	if !ok || content != reply || status != "complete" {
		t.Fatalf("saved answer: %q, %d of %d bytes\n%s", status, len(content), len(reply), logs.String())
	}
}
