package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/settings"
)

// newSlowConnectHarness opens the window with the connection's settings
// read only once gate is closed (as the keychain answers a moment after
// the window is up): env says whether there is a connection to read.
func newSlowConnectHarness(t *testing.T, env bool, gate chan struct{}) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	srv := startStandIn(t, nil)
	vars := map[string]string{}
	if env {
		vars = map[string]string{settings.EnvEndpoint: srv.URL(), settings.EnvDeployment: "gpt-4o", settings.EnvAPIKey: key}
	}
	u := New(Config{App: a, Prefs: &settings.MemPrefs{}, Secrets: settings.NewSecrets(),
		Getenv: func(k string) string { <-gate; return vars[k] }})
	u.Show()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := u.Close(ctx); err != nil {
			t.Errorf("Close: %v", err)
		}
		u.bridge.waitIdle()
	})
	return &harness{t: t, u: u, srv: srv}
}

// Enter pressed while the profile and its key are still being read sends
// the message once they are: it waits in the input, the status line says
// "Connecting…", and the answer does not fail with "not connected yet"
// (a fast typist after start-up, or any start on a busy machine, got a
// failed answer).
func TestEnterBeforeTheConnectionSendsOnceConnected(t *testing.T) {
	gate := make(chan struct{})
	h := newSlowConnectHarness(t, true, gate)
	h.ui(func() {
		test.Type(h.u.input, "hello")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // pressed twice: sent once
		if len(h.u.msgs) != 0 || h.u.input.Text != "hello" || h.u.connLabel.Text != "Connecting…" {
			t.Fatalf("before the connection: %d messages, input %q, status %q", len(h.u.msgs), h.u.input.Text, h.u.connLabel.Text)
		}
	})
	close(gate)
	<-h.u.connected
	h.settle()
	h.ui(func() {
		if len(h.u.msgs) != 2 || h.u.msgs[0].Content != "hello" || h.u.msgs[1].Status != chat.Complete {
			t.Fatalf("after the connection: %d messages %+v", len(h.u.msgs), h.u.msgs)
		}
		if h.u.input.Text != "" || !strings.HasPrefix(h.u.connLabel.Text, "gpt-4o") {
			t.Fatalf("after sending: input %q, status %q", h.u.input.Text, h.u.connLabel.Text)
		}
	})
}

// Without a connection to read, the message waits in the input (settings
// open on a first start) instead of a failed answer.
func TestEnterBeforeNoConnectionKeepsTheText(t *testing.T) {
	gate := make(chan struct{})
	h := newSlowConnectHarness(t, false, gate)
	h.ui(func() {
		test.Type(h.u.input, "hello")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	close(gate)
	<-h.u.connected
	h.settle()
	h.ui(func() {
		if len(h.u.msgs) != 0 || h.u.input.Text != "hello" || h.u.sendWhenConnected {
			t.Fatalf("without a connection: %d messages, input %q, still waiting %v", len(h.u.msgs), h.u.input.Text, h.u.sendWhenConnected)
		}
		if !settingsOnTop(h) {
			t.Fatal("a first start without settings did not open them")
		}
	})
}

// A quit whose Fyne loop does not end (Fyne 2.8.1 can deadlock as it
// ends) closes the controller and the database and calls Config.Exit
// after the grace; a loop that ends in time leaves the process to main.
func TestQuitExitsWhenTheLoopDoesNotEnd(t *testing.T) {
	h := newHarness(t, true)
	exited := make(chan struct{})
	h.u.cfg.Exit = func() { close(exited) }
	h.u.quitGrace = 50 * time.Millisecond
	h.send("hello")
	// The test driver's Quit ends no loop: the watchdog must.
	h.ui(func() { h.u.quit() })
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatal("Exit was not called after the grace")
	}
	if !h.u.bridge.isShut() {
		t.Error("Exit came before the window was shut")
	}
	close(h.u.ran)
	if h.u.exitIfStuck() {
		t.Error("exitIfStuck exited though the loop had ended")
	}
}
