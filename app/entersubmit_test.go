package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/settings"
)

func pressEnter(e *escEntry) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

// TestEnterSavesSettings: Enter in a field of Settings saves the profile,
// as Save does; the dialog stays open, as after Save. A form not ready is
// not saved.
func TestEnterSavesSettings(t *testing.T) {
	requireKeychain(t)
	store := settings.Load(&settings.MemPrefs{})
	d, w := openDialog(t, store, nil)
	d.Name.SetText("Enter")
	test.Type(d.Endpoint, "https://enter-res.openai.azure.com")
	// No deployment yet: Enter says what to mend and saves nothing.
	act(d, func() { pressEnter(d.Endpoint) })
	if _, ok := store.Current(); ok {
		t.Fatal("Enter saved a profile without a deployment")
	}
	if n := len(w.Canvas().Overlays().List()); n != 2 {
		t.Fatalf("Enter on a form not ready: %d dialogs, want a notice over Settings", n)
	}
	dismissTop(w) // the notice, as Esc closes it
	d.Deployment.SetText("gpt-4o")
	test.Type(d.Key, "enter-key-123456789")
	d.Temperature.SetText("0.4")
	act(d, func() { pressEnter(d.Temperature) })
	p, ok := store.Current()
	if !ok || p.Name != "Enter" || p.Deployment != "gpt-4o" || p.Gen.Temperature == nil || *p.Gen.Temperature != 0.4 {
		t.Fatalf("Enter saved %+v (%v)", p, ok)
	}
	t.Cleanup(func() { _ = settings.NewSecrets().Delete(p.ID) })
	if d.unsaved() {
		t.Fatal("after Enter the form still counts as changed")
	}
	if n := len(w.Canvas().Overlays().List()); n != 1 {
		t.Fatalf("after Enter %d dialogs are open, want Settings alone, as after Save", n)
	}
	// Ctrl+Enter in the system message saves too (Enter breaks its line).
	d.System.SetText("Be brief.")
	act(d, func() {
		d.System.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault})
	})
	if p, _ := store.Current(); p.Gen.SystemPrompt != "Be brief." {
		t.Fatalf("Ctrl+Enter in the system message saved %q", p.Gen.SystemPrompt)
	}
}

// TestEnterAppliesChatSettings: Enter in a field of This chat's settings
// applies them and closes the dialog, as Apply does; not while a field is
// invalid.
func TestEnterAppliesChatSettings(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		cs := h.u.showChatSettings()
		cs.window.SetText("lots")
		pressEnter(cs.window)
		if h.u.win.Canvas().Overlays().Top() == nil || h.u.conv.Overrides.Window != 0 {
			t.Fatalf("Enter applied an invalid window (%d) or closed the dialog", h.u.conv.Overrides.Window)
		}
		cs.window.SetText("5,000")
		pressEnter(cs.window)
		if n := len(h.u.win.Canvas().Overlays().List()); n != 0 {
			t.Fatalf("Enter left %d dialogs open", n)
		}
	})
	h.ui(func() {
		if h.u.ctl.Conversation().Overrides.Window != 5000 {
			t.Fatalf("Enter did not apply: window %d", h.u.ctl.Conversation().Overrides.Window)
		}
	})
}

// TestEnterSavesPreset: Enter in the preset's name saves it.
func TestEnterSavesPreset(t *testing.T) {
	store := settings.Load(&settings.MemPrefs{})
	d, _ := openDialog(t, store, nil)
	test.Tap(d.PresetEdit)
	e := d.Editor
	e.Name.SetText("Terse")
	e.System.SetText("Answer in one line.")
	pressEnter(e.Name)
	if e.Status.Text != "Saved." {
		t.Fatalf("status after Enter %q", e.Status.Text)
	}
	found := false
	for _, p := range store.Presets() {
		found = found || (p.Name == "Terse" && p.System == "Answer in one line.")
	}
	if !found {
		t.Fatal("Enter in the name did not save the preset")
	}
}

// TestEnterSavesOnceWhileTheDialogWorks: Enter pressed again (held down)
// while a save's keychain read is out does not save again: each save
// asked its own "Use the saved key for a new address?".
func TestEnterSavesOnceWhileTheDialogWorks(t *testing.T) {
	const saved = "saved-key-abcdefghijklmnop"
	_, other, store, p := savedForHome(t, saved)
	d, w := openDialog(t, store, nil)
	d.cfg.Secrets.SetSession(p.ID, saved)
	act(d, func() { d.load(p) })
	act(d, func() {
		d.Endpoint.SetText(other.URL())
		pressEnter(d.Endpoint)
		pressEnter(d.Endpoint) // before the key's address is read
	})
	if n := len(w.Canvas().Overlays().List()); n != 2 {
		t.Fatalf("%d dialogs open, want Settings and one question", n)
	}
}
