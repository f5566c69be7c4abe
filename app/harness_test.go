package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

const key = "ui-test-key-0123456789abcdef"

type harness struct {
	t   testing.TB
	u   *UI
	srv *fakeazure.Server
}

// newHarness opens the window against a stand-in server, configured the
// way a user would for one run: through the AZURE_OPENAI_* variables.
func newHarness(t *testing.T, env bool) *harness { return newHarnessTB(t, env) }

func newHarnessB(b *testing.B) *harness { return newHarnessTB(b, true) }

func newHarnessTB(t testing.TB, env bool) *harness { return newHarnessWith(t, env, nil) }

// newHarnessWith is newHarness with the stand-in configured by cfg before
// it starts.
func newHarnessWith(t testing.TB, env bool, cfg func(*fakeazure.Server)) *harness {
	t.Helper()
	return newHarnessConfig(t, env, cfg, nil)
}

// newHarnessConfig is newHarnessWith with the window's Config changed by
// conf (if set; it is given the stand-in) before the window opens.
func newHarnessConfig(t testing.TB, env bool, cfg func(*fakeazure.Server), conf func(*Config, *fakeazure.Server)) *harness {
	t.Helper()
	a := test.NewTempApp(t)
	srv := startStandIn(t, cfg)
	vars := map[string]string{}
	if env {
		vars = map[string]string{settings.EnvEndpoint: srv.URL(), settings.EnvDeployment: "gpt-4o", settings.EnvAPIKey: key}
	}
	dbPath := filepath.Join(t.TempDir(), "history.db")
	c := Config{App: a, Prefs: &settings.MemPrefs{}, Secrets: settings.NewSecrets(), Getenv: func(k string) string { return vars[k] },
		OpenHistory: func() (*history.Store, error) { return history.Open(dbPath) }}
	if conf != nil {
		conf(&c, srv)
	}
	u := New(c)
	u.Show()
	for _, ch := range []chan struct{}{u.connected, u.historyReady} {
		select {
		case <-ch:
		case <-time.After(10 * time.Second):
			t.Fatal("never connected")
		}
	}
	h := &harness{t: t, u: u, srv: srv}
	t.Cleanup(h.closeNow)
	h.settle()
	return h
}

// closeNow closes the window's controller and bridge (the test's cleanup
// does, and closing again does nothing). A test that opens a second
// window closes the first one before: two windows measuring text at once
// race on Fyne's shaper. The deadline is generous: stopping, saving and
// closing SQLite on a loaded machine takes its time.
func (h *harness) closeNow() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := h.u.Close(ctx); err != nil {
		h.t.Errorf("Close: %v", err)
	}
	h.u.bridge.waitIdle() // a batch handed over before Close has finished
}

// startStandIn starts the stand-in server for the window's tests, with a
// gpt-4o deployment, configured by cfg (if set) before it starts.
func startStandIn(t testing.TB, cfg func(*fakeazure.Server)) *fakeazure.Server {
	t.Helper()
	srv := &fakeazure.Server{APIKey: key, Deployments: map[string]fakeazure.Deployment{"gpt-4o": {Model: "gpt-4o-2024-11-20"}}}
	if cfg != nil {
		cfg(srv)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// ui runs f while no bridge batch is being applied: the test driver runs
// fyne.Do on the calling goroutine, so this is how tests share widgets.
func (h *harness) ui(f func()) {
	h.u.bridge.applyMu.Lock()
	defer h.u.bridge.applyMu.Unlock()
	f()
}

// settle waits for the controller, the token meter's debounce and count,
// and the bridge to go quiet.
func (h *harness) settle() {
	waitUntil(h.t, func() bool {
		h.u.ctl.Wait()
		// Applying events may start a count (the answer ended, the model
		// was learnt): wait for every count started, then for its report
		// to be applied, and only then call the window quiet.
		h.u.bridge.waitIdle()
		if h.u.checkPending.Load() != 0 || !h.u.ctl.ChecksIdle() {
			return false
		}
		h.u.bridge.waitIdle()
		return h.u.checkPending.Load() == 0 && h.u.ctl.ChecksIdle() && !h.u.ctl.Busy()
	})
}

func (h *harness) send(text string) {
	h.ui(func() {
		test.Type(h.u.input, text)
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	h.settle()
}

func (h *harness) row(id int) *row {
	var found *row
	h.ui(func() {
		h.u.transcript.scrollTo(id)
		for _, w := range shownRows(h.u.transcript.list) {
			if w.r != nil && w.r.id == id && w.r.item == h.u.transcript.firstItem(id) {
				found = w.r
			}
		}
	})
	if found == nil {
		h.t.Fatalf("row %d is not on screen", id)
	}
	return found
}
