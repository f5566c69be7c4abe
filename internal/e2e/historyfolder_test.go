package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

// TestHistoryLivesOutsideTheSettingsFolder starts the real app on a
// history where earlier azchats kept it, beside Fyne's preferences.json:
// the app moves it into its own folder, the old chat whole, and while an
// answer streams (checkpoints every half second) nothing is written in
// the folder Fyne watches (every write there made Fyne reload and rewrite
// its preferences, in place, on the UI thread: 12 to 18 writes of it for
// one long answer).
func TestHistoryLivesOutsideTheSettingsFolder(t *testing.T) {
	need(t, "Xvfb", "xdotool")
	bin := binary(t)
	home := t.TempDir()
	appDir := filepath.Join(home, ".config", "fyne", "io.github.azchat")
	old := settings.FormerHistoryPath(appDir)
	h, err := history.Open(old)
	if err != nil {
		t.Fatal(err)
	}
	kept := &chat.Conversation{ID: "kept", Messages: []*chat.Message{
		{Role: chat.User, Content: "an old question worth keeping", Status: chat.Complete, Time: time.Now()},
		{Role: chat.Assistant, Content: "and its answer", Status: chat.Complete, Time: time.Now()},
	}}
	if err := h.ReplaceAll(kept); err != nil {
		t.Fatal(err)
	}
	h.Close()

	reply := strings.Repeat("words keep coming ", 800)
	srv := standIn(t, fakeazure.Behaviour{Reply: reply, TokensPerSecond: 600})
	display := startXvfb(t)
	env := appEnv(display, home, srv.URL())
	app := launch(t, bin, display, env)
	waitFor(t, func() bool { return exists(settings.HistoryPath(appDir)) && !exists(old) }, app.logs)

	w, err := fsnotify.NewWatcher()
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(appDir); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var events []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for e := range w.Events {
			mu.Lock()
			events = append(events, filepath.Base(e.Name)+" "+e.Op.String())
			mu.Unlock()
		}
	}()
	app.ask("a long answer please")
	waitFor(t, func() bool {
		// Saved twice: the question, then the finished answer (in either
		// order with "answer complete").
		logs := app.logs.String()
		return srv.Finished() > 0 && strings.Contains(logs, "answer complete") && strings.Count(logs, "conversation saved") >= 2
	}, app.logs)
	w.Close()
	<-done
	prefsWrites := 0
	for _, e := range events {
		if strings.HasPrefix(e, "preferences.json ") {
			prefsWrites++
			continue
		}
		t.Errorf("written in the folder Fyne watches while answering: %s", e)
	}
	t.Logf("events on preferences.json while answering: %d", prefsWrites)

	xdo(t, display, "key", "--window", app.wid, "ctrl+q")
	select {
	case <-app.done:
	case <-time.After(15 * time.Second):
		t.Fatalf("azchat did not exit\n%s", app.logs.String())
	}
	s, err := history.Open(settings.HistoryPath(appDir))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c, err := s.Load("kept")
	// The window reopens it at start, so the question asked went on in it.
	if err != nil || len(c.Messages) < 2 || c.Messages[0].Content != "an old question worth keeping" || c.Messages[1].Content != "and its answer" {
		t.Fatalf("the old chat did not arrive whole: %+v, %v", c, err)
	}
	content, status, ok := lastAnswer(t, bin, env)
	if !ok || content != reply || status != "complete" {
		t.Fatalf("the new answer is %q, %d bytes", status, len(content))
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
