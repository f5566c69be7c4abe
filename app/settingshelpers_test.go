package app

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/deploy"
	"github.com/azchat/azchat/settings"
)

func openDialog(t *testing.T, store *settings.Store, env map[string]string) (*settingsDialog, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	w := test.NewWindow(widget.NewLabel("main"))
	w.Resize(fyne.NewSize(900, 800))
	t.Cleanup(w.Close)
	b := newBridge(func(items []any) {
		for _, it := range items {
			it.(func())()
		}
	})
	t.Cleanup(b.close)
	// Built while no bridge batch is applied: the dialog starts its
	// keychain read before it has set every widget, and the test driver
	// applies batches on a timer's goroutine (the app's UI thread does
	// both in turn).
	b.applyMu.Lock()
	d := showSettingsDialog(w, settingsDialogConfig{
		Store: store, Secrets: settings.NewSecrets(), Bridge: b,
		Getenv: func(k string) string { return env[k] },
		Test: func(ctx context.Context, c settings.Connection) (string, error) {
			client, err := c.Client()
			if err != nil {
				return "", err
			}
			return chat.TestConnection(ctx, client, c.Profile.Deployment)
		},
		Find: func(ctx context.Context, c settings.Connection) ([]deploy.Deployment, error) {
			return c.Deployments(ctx, env[deploy.EnvARMEndpoint])
		},
	})
	b.applyMu.Unlock()
	d.Wait()
	return d, w
}

// act runs f, which may start the dialog's background work, as the UI
// thread would: no bridge batch is applied meanwhile (the test driver
// applies them on a timer's goroutine). Then it waits for that work.
func act(d *settingsDialog, f func()) {
	d.cfg.Bridge.applyMu.Lock()
	f()
	d.cfg.Bridge.applyMu.Unlock()
	d.Wait()
}
