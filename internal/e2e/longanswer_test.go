package e2e

import (
	"strings"
	"testing"

	"github.com/azchat/azchat/internal/fakeazure"
)

// TestEscStopsAGiantParagraph streams a 2 MB answer that is one paragraph
// (a model printing a data dump) flat out into the real window, and presses
// Esc once a quarter of a megabyte is saved: the window must still take the
// key and stop the answer, long before the end (a window that wraps the
// whole paragraph on every redraw never gets to the key).
func TestEscStopsAGiantParagraph(t *testing.T) {
	need(t, "Xvfb", "xdotool")
	bin := binary(t)
	reply := fakeazure.ParagraphOfSize(2 << 20)
	srv := &fakeazure.Server{APIKey: key, Deployments: map[string]fakeazure.Deployment{"gpt-4o": {Model: "gpt-4o-2024-11-20"}}}
	// Twenty tokens an event (this process, the stand-in, may run under
	// the race detector, which makes encoding one token an event slow),
	// 2,000 events a second: about 160 KB/s, a flood for any window, and
	// still streaming when Esc comes however fast this machine is (flat
	// out, the whole answer could end before a checkpoint is seen).
	srv.Script(fakeazure.Behaviour{Reply: reply, ChunkTokens: 20, TokensPerSecond: 2000})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	display := startXvfb(t)
	env := appEnv(display, t.TempDir(), srv.URL())
	app := launch(t, bin, display, env)
	app.ask("print the sensor log")

	waitFor(t, func() bool {
		c, status, ok := lastAnswer(t, bin, env)
		return ok && (status == "streaming" || status == "interrupted") && len(c) > 256<<10
	}, app.logs)
	xdo(t, display, "key", "--window", app.wid, "Escape")
	var content, status string
	waitFor(t, func() bool {
		var ok bool
		content, status, ok = lastAnswer(t, bin, env)
		return ok && status != "streaming" && status != "interrupted"
	}, app.logs)
	if status != "stopped" || len(content) >= len(reply) || !strings.HasPrefix(reply, content) {
		t.Fatalf("after Esc the answer is %q with %d of %d bytes", status, len(content), len(reply))
	}
	if srv.Finished() != 0 {
		t.Fatal("the stand-in sent the whole answer: Esc did not stop the stream")
	}
}
