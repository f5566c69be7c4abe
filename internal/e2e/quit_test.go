package e2e

import (
	"encoding/json"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/azchat/azchat/internal/fakeazure"
)

// lastAnswer exports the newest conversation with the CLI and returns its
// last message.
func lastAnswer(t *testing.T, bin string, env []string) (content, status string, ok bool) {
	t.Helper()
	cmd := exec.Command(bin, "export", "--format", "json", "--last")
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return "", "", false
	}
	var doc struct {
		Messages []struct {
			Role, Content, Status string
		}
	}
	if json.Unmarshal(out, &doc) != nil || len(doc.Messages) < 2 {
		return "", "", false
	}
	m := doc.Messages[len(doc.Messages)-1]
	return m.Content, m.Status, m.Role == "assistant"
}

// TestQuitMidAnswerSavesStopped quits the real app while an answer streams,
// by Ctrl+Q, SIGTERM and SIGINT: each way saves the answer as "stopped" with at
// least everything the last checkpoint held, and the process exits.
func TestQuitMidAnswerSavesStopped(t *testing.T) {
	need(t, "Xvfb", "xdotool")
	bin := binary(t)
	reply := strings.Repeat("streaming words arrive one by one ", 400)
	for _, how := range []string{"ctrl+q", "SIGTERM", "SIGINT"} {
		t.Run(how, func(t *testing.T) {
			srv := standIn(t, fakeazure.Behaviour{Reply: reply, TokensPerSecond: 60})
			display := startXvfb(t)
			home := t.TempDir()
			env := appEnv(display, home, srv.URL())
			app := launch(t, bin, display, env)
			logs, wid := app.logs, app.wid
			app.ask("tell me a long story")

			// Wait until a checkpoint of the streaming answer is on disk.
			var checkpoint string
			waitFor(t, func() bool {
				c, status, ok := lastAnswer(t, bin, env)
				checkpoint = c
				return ok && (status == "interrupted" || status == "streaming") && len(c) > 40
			}, logs)
			switch how {
			case "ctrl+q":
				xdo(t, display, "key", "--window", wid, "ctrl+q")
			case "SIGTERM":
				if err := app.cmd.Process.Signal(syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
			case "SIGINT":
				if err := app.cmd.Process.Signal(syscall.SIGINT); err != nil {
					t.Fatal(err)
				}
			}
			select {
			case <-app.done:
			case <-time.After(15 * time.Second):
				t.Fatalf("azchat did not exit after %s\n%s", how, logs.String())
			}
			content, status, ok := lastAnswer(t, bin, env)
			if !ok || status != "stopped" {
				t.Fatalf("after %s the answer is %q (%d bytes)\n%s", how, status, len(content), logs.String())
			}
			if !strings.HasPrefix(reply, content) || len(content) < len(checkpoint) || len(content) == len(reply) {
				t.Fatalf("saved %d bytes (checkpoint had %d, whole reply %d)", len(content), len(checkpoint), len(reply))
			}
		})
	}
}

// standIn starts a stand-in with a gpt-4o deployment, answering with
// script (then the default reply), until the test ends.
func standIn(t *testing.T, script ...fakeazure.Behaviour) *fakeazure.Server {
	t.Helper()
	srv := &fakeazure.Server{APIKey: key, Deployments: map[string]fakeazure.Deployment{"gpt-4o": {Model: "gpt-4o-2024-11-20"}}}
	srv.Script(script...)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// TestASecondStartRaisesTheWindow: starting azchat while its window is
// open brings that window up and ends, rather than opening a second window
// on the same history (the two overwrote each other's messages).
func TestASecondStartRaisesTheWindow(t *testing.T) {
	need(t, "Xvfb", "xdotool")
	bin := binary(t)
	srv := standIn(t)
	display := startXvfb(t)
	home := t.TempDir()
	env := appEnv(display, home, srv.URL())
	app := launch(t, bin, display, env)
	second := exec.Command(bin)
	second.Env = env
	out, err := second.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "already open") {
		t.Fatalf("second start: %v\n%s", err, out)
	}
	waitFor(t, func() bool { return strings.Contains(app.logs.String(), "window raised") }, app.logs)
	select {
	case <-app.done:
		t.Fatalf("the first window ended\n%s", app.logs.String())
	default:
	}
}
