package app

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
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
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
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
		if len(h.u.msgs) != 0 || h.u.input.Text != "hello" || !h.u.sendWhenConnected {
			t.Fatalf("without a connection: %d messages, input %q, waiting %v", len(h.u.msgs), h.u.input.Text, h.u.sendWhenConnected)
		}
		if !settingsOnTop(h) {
			t.Fatal("a first start without settings did not open them")
		}
		// Closed without saving: the message stays, and waits no more.
		tapButton(t, h.u.win, "Close")
		if h.u.sendWhenConnected || h.u.input.Text != "hello" {
			t.Fatalf("settings closed: input %q, waiting %v", h.u.input.Text, h.u.sendWhenConnected)
		}
	})
}

// Enter without a connection (nothing saved here) opens the settings and
// keeps the message in the input; once they are saved and connect, it is
// sent. (It failed the answer with "not connected yet: open Settings", a
// failed answer saved in the history, and the text was no longer in the
// input after the settings were fixed.)
func TestEnterWithoutAConnectionSendsOnceSettingsAreSaved(t *testing.T) {
	requireKeychain(t)
	h := newHarness(t, false)
	h.ui(func() {
		tapButton(t, h.u.win, "Close") // the first start's settings
		test.Type(h.u.input, "hello")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if !settingsOnTop(h) || h.u.input.Text != "hello" || len(h.u.msgs) != 0 {
			t.Fatalf("Enter without a connection: settings %v, input %q, %d messages", settingsOnTop(h), h.u.input.Text, len(h.u.msgs))
		}
	})
	d := h.u.settingsDlg
	act(d, func() {
		d.Name.SetText("Stand-in")
		d.Endpoint.SetText(h.srv.URL())
		d.Deployment.SetText("gpt-4o")
		test.Type(d.Key, key)
		test.Tap(d.SaveButton)
	})
	if p, ok := h.u.store.Current(); ok {
		t.Cleanup(func() { _ = settings.NewSecrets().Delete(p.ID) })
	}
	waitUntil(t, func() bool {
		done := false
		h.ui(func() { done = len(h.u.msgs) == 2 && h.u.msgs[1].Status == chat.Complete })
		return done
	})
	h.settle()
	h.ui(func() {
		if h.u.msgs[0].Content != "hello" || h.u.input.Text != "" || h.u.sendWhenConnected {
			t.Fatalf("sent: %q, input %q", h.u.msgs[0].Content, h.u.input.Text)
		}
	})
}

// A profile that cannot connect (its key is not in the keychain) sends
// nothing with the profile of before: Enter opens the settings, and a
// retry fails saying azchat is not connected, rather than answering from
// the other profile's deployment.
func TestAProfileThatCannotConnectSendsNothingWithTheOldOne(t *testing.T) {
	requireKeychain(t)
	prefs := &settings.MemPrefs{}
	store := settings.Load(prefs)
	h := newHarnessConfig(t, false, nil, func(c *Config, srv *fakeazure.Server) {
		work, err := store.Put(settings.Profile{Name: "Work", Endpoint: srv.URL(), Deployment: "gpt-4o"})
		if err != nil {
			t.Fatal(err)
		}
		if err := settings.NewSecrets().Set(work.ID, key); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = settings.NewSecrets().Delete(work.ID) })
		if _, err := store.Put(settings.Profile{Name: "No key", Endpoint: "https://nokey.invalid/", Deployment: "gpt-4o"}); err != nil {
			t.Fatal(err)
		}
		if err := store.SetCurrent(work.ID); err != nil {
			t.Fatal(err)
		}
		c.Prefs = prefs
	})
	h.send("first")
	h.ui(func() {
		if len(h.u.msgs) != 2 || h.u.msgs[1].Status != chat.Complete {
			t.Fatalf("with the first profile: %d messages", len(h.u.msgs))
		}
		h.u.switchProfile("No key")
	})
	waitUntil(t, func() bool {
		label := ""
		h.ui(func() { label = h.u.connLabel.Text })
		return label == "Not connected"
	})
	h.settle()
	asked := len(h.srv.Requests())
	h.ui(func() {
		tapButton(t, h.u.win, "OK") // "Not connected" and why
		test.Type(h.u.input, "second")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if !settingsOnTop(h) || h.u.input.Text != "second" || len(h.u.msgs) != 2 {
			t.Fatalf("Enter: settings %v, input %q, %d messages", settingsOnTop(h), h.u.input.Text, len(h.u.msgs))
		}
	})
	if err := h.u.ctl.Regenerate(); err != nil {
		t.Fatal(err)
	}
	h.settle()
	h.ui(func() {
		if m := h.u.msgs[1]; m.Status != chat.Failed || m.Action != chat.ActionOpenSettings {
			t.Fatalf("regenerated: %s %q", m.Status, m.Error)
		}
	})
	if got := len(h.srv.Requests()); got != asked {
		t.Fatalf("%d requests reached the old profile's deployment", got-asked)
	}
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

// Enter while a newly chosen profile is still being connected (its key
// read from the keychain) waits for it, and the message goes to that
// profile's deployment, not to the one of before.
func TestEnterWhileSwitchingProfilesSendsWithTheNewOne(t *testing.T) {
	requireKeychain(t)
	prefs := &settings.MemPrefs{}
	store := settings.Load(prefs)
	var gate atomic.Pointer[chan struct{}]
	h := newHarnessConfig(t, false, func(s *fakeazure.Server) {
		s.Deployments["other"] = fakeazure.Deployment{Model: "gpt-4o-mini-2024-07-18"}
	}, func(c *Config, srv *fakeazure.Server) {
		for _, p := range []settings.Profile{{Name: "Work", Endpoint: srv.URL(), Deployment: "gpt-4o"}, {Name: "Other", Endpoint: srv.URL(), Deployment: "other"}} {
			saved, err := store.Put(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := settings.NewSecrets().Set(saved.ID, key); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = settings.NewSecrets().Delete(saved.ID) })
			if p.Name == "Work" {
				if err := store.SetCurrent(saved.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		c.Prefs = prefs
		// A connection reads the environment first: held while gate is set.
		c.Getenv = func(string) string {
			if g := gate.Load(); g != nil {
				<-*g
			}
			return ""
		}
	})
	h.send("first")
	wait := make(chan struct{})
	gate.Store(&wait)
	h.ui(func() {
		h.u.switchProfile("Other")
		test.Type(h.u.input, "second")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if h.u.input.Text != "second" || len(h.u.msgs) != 2 || h.u.connLabel.Text != "Connecting…" {
			t.Fatalf("Enter while connecting: input %q, %d messages, status %q", h.u.input.Text, len(h.u.msgs), h.u.connLabel.Text)
		}
	})
	gate.Store(nil)
	close(wait)
	waitUntil(t, func() bool {
		done := false
		h.ui(func() { done = len(h.u.msgs) == 4 && h.u.msgs[3].Status == chat.Complete })
		return done
	})
	h.settle()
	reqs := h.srv.Requests()
	if len(reqs) != 2 || reqs[0].Deployment != "gpt-4o" || reqs[1].Deployment != "other" {
		t.Fatalf("requests went to %+v", reqs)
	}
	h.ui(func() {
		if h.u.input.Text != "" || h.u.msgs[2].Content != "second" {
			t.Fatalf("sent: %q, input %q", h.u.msgs[2].Content, h.u.input.Text)
		}
	})
}
