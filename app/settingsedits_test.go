package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/settings"
)

// TestSettingsAskBeforeDroppingChanges: Close, Esc from a field, another
// profile and New ask before a change not saved is dropped; keeping on
// editing keeps it, Discard goes on; once saved (or unchanged) nothing is
// asked.
func TestSettingsAskBeforeDroppingChanges(t *testing.T) {
	store := settings.Load(&settings.MemPrefs{})
	a, err := store.Put(settings.Profile{Name: "A", Endpoint: "https://a.openai.azure.com", Deployment: "one", Auth: azure.AuthEntra})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Put(settings.Profile{Name: "B", Endpoint: "https://b.openai.azure.com", Deployment: "two", Auth: azure.AuthEntra}); err != nil {
		t.Fatal(err)
	}
	_ = store.SetCurrent(a.ID)
	d, w := openDialog(t, store, nil)
	overlays := func() int { return len(w.Canvas().Overlays().List()) }
	if d.Deployment.Text != "one" {
		t.Fatalf("profile A not shown: %q", d.Deployment.Text)
	}
	test.Type(d.Deployment, "edited-")
	edited := d.Deployment.Text // typed where the cursor was

	test.Tap(d.CloseButton)
	if overlays() != 2 {
		t.Fatalf("Close with a change not saved: %d dialogs, want Settings and a question", overlays())
	}
	tapButton(t, w, "Keep editing")
	if overlays() != 1 || d.Deployment.Text != edited {
		t.Fatalf("after Keep editing: %d dialogs, deployment %q", overlays(), d.Deployment.Text)
	}

	// Esc from the field asks too; Esc on the question keeps editing.
	d.Deployment.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if overlays() != 2 {
		t.Fatalf("Esc with a change not saved: %d dialogs", overlays())
	}
	if !dismissTop(w) || overlays() != 1 || d.Deployment.Text != edited {
		t.Fatalf("Esc on the question: %d dialogs, deployment %q", overlays(), d.Deployment.Text)
	}

	// Another profile: the list stays on the one in the form until Discard.
	d.Profiles.SetSelected("B")
	if overlays() != 2 || d.Profiles.Selected != "A" || d.Deployment.Text != edited {
		t.Fatalf("picking B: %d dialogs, list on %q, deployment %q", overlays(), d.Profiles.Selected, d.Deployment.Text)
	}
	act(d, func() { tapButton(t, w, "Discard") })
	if d.Profiles.Selected != "B" || d.Deployment.Text != "two" {
		t.Fatalf("after Discard: list on %q, deployment %q", d.Profiles.Selected, d.Deployment.Text)
	}
	if p, _ := store.Profile(a.ID); p.Deployment != "one" {
		t.Fatalf("the dropped change was saved: %q", p.Deployment)
	}

	// New asks as well.
	test.Type(d.System, "Be brief.")
	test.Tap(d.AddButton)
	if overlays() != 2 {
		t.Fatal("New did not ask before dropping the change")
	}
	tapButton(t, w, "Keep editing")

	// Saved, nothing is left to lose: Close closes.
	act(d, func() { test.Tap(d.SaveButton) })
	if overlays() != 1 {
		t.Fatalf("Save: %d dialogs (%s)", overlays(), d.Status.Text)
	}
	if p, ok := store.Current(); !ok || p.Gen.SystemPrompt != "Be brief." {
		t.Fatalf("not saved: %+v", p)
	}
	test.Tap(d.CloseButton)
	if overlays() != 0 {
		t.Fatalf("Close after Save: %d dialogs", overlays())
	}
}

// TestEscFromSettingsFields: with nothing changed, Esc closes Settings
// from a text field and from the check box, which keep the keys.
func TestEscFromSettingsFields(t *testing.T) {
	store := settings.Load(&settings.MemPrefs{})
	for _, esc := range []func(d *settingsDialog){
		func(d *settingsDialog) { d.Endpoint.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) },
		func(d *settingsDialog) { d.System.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) },
		func(d *settingsDialog) { d.Store.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) },
	} {
		d, w := openDialog(t, store, nil)
		w.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
			if k.Name == fyne.KeyEscape {
				dismissTop(w) // as the window's own handler does
			}
		})
		esc(d)
		if n := len(w.Canvas().Overlays().List()); n != 0 {
			t.Fatalf("Esc left %d dialogs open", n)
		}
	}
}

// TestSettingsSavedWithAKeyAsksNothing: a key typed and saved (to the
// keychain, the field emptied) leaves nothing to ask about; what is typed
// while the key is written is not taken as saved.
func TestSettingsSavedWithAKeyAsksNothing(t *testing.T) {
	requireKeychain(t)
	store := settings.Load(&settings.MemPrefs{})
	d, w := openDialog(t, store, nil)
	d.Name.SetText("Keyed")
	d.Endpoint.SetText("https://keyed.openai.azure.com")
	d.Deployment.SetText("chat")
	d.Key.SetText("sk-test-saved-key")
	act(d, func() {
		test.Tap(d.SaveButton)
		// Typed while the key is written.
		d.System.SetText("typed during the save")
	})
	if !d.unsaved() {
		t.Fatalf("the text typed during the save counts as saved (%s)", d.Status.Text)
	}
	d.System.SetText("")
	if d.unsaved() || d.Key.Text != "" {
		t.Fatalf("after the save: unsaved %v, key field %q (%s)", d.unsaved(), d.Key.Text, d.Status.Text)
	}
	test.Tap(d.CloseButton)
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("Close after a save asked: %d dialogs", n)
	}
	t.Cleanup(func() {
		if p, ok := store.Current(); ok {
			_ = settings.NewSecrets().Delete(p.ID)
		}
	})
}

// TestSettingsSavedWithAKeyLeftBehind: a key typed, then Entra ID chosen
// (the key field kept it, disabled): Save saves no key, and Close after it
// asks nothing (it asked about the key left in the field).
func TestSettingsSavedWithAKeyLeftBehind(t *testing.T) {
	store := settings.Load(&settings.MemPrefs{})
	d, w := openDialog(t, store, nil)
	d.Name.SetText("Entra")
	d.Endpoint.SetText("https://entra.openai.azure.com")
	d.Deployment.SetText("chat")
	d.Key.SetText("sk-typed-first")
	d.Auth.SetSelected(authLabels[azure.AuthEntra])
	act(d, func() { test.Tap(d.SaveButton) })
	if p, ok := store.Current(); !ok || p.Auth != azure.AuthEntra {
		t.Fatalf("not saved: %+v (%s)", p, d.Status.Text)
	}
	test.Tap(d.CloseButton)
	if n := len(w.Canvas().Overlays().List()); n != 0 {
		t.Fatalf("Close after the save asked: %d dialogs", n)
	}
}

// TestSettingsFieldsStayInPlaceAsTheyAreFilled: the line under a required
// field holds its hint or its error, so filling an empty field does not
// move every field below it (Fyne dropped the line with "item is
// required").
func TestSettingsFieldsStayInPlaceAsTheyAreFilled(t *testing.T) {
	store := settings.Load(&settings.MemPrefs{})
	if _, err := store.Put(settings.Profile{Name: "Saved", Endpoint: "https://saved-res.openai.azure.com/openai/v1/", Deployment: "gpt-4o"}); err != nil {
		t.Fatal(err)
	}
	d, _ := openDialog(t, store, nil)
	form := d.ConnScroll.Content
	test.Tap(d.AddButton) // a new profile: its fields emptied
	// Nothing typed yet: the hint, not an error.
	for _, o := range test.LaidOutObjects(form) {
		if tx, ok := o.(*canvas.Text); ok && tx.Visible() && tx.Text == "item is required" {
			t.Fatal("a new profile's empty endpoint says \"item is required\" before anything was typed")
		}
	}
	before := form.MinSize().Height
	test.Type(d.Endpoint, "https://my-res.openai.azure.com")
	d.Name.SetText("")
	d.Name.SetText("Work")
	if after := form.MinSize().Height; after != before {
		t.Fatalf("the form was %v high with the endpoint empty, %v once filled", before, after)
	}
}

// TestKeyNoteOnlyForAPIKeys: the key's note ("stored in the system
// keychain — type a new key…") is not shown under the key field Entra ID
// sign-in disables.
func TestKeyNoteOnlyForAPIKeys(t *testing.T) {
	d, _ := openDialog(t, settings.Load(&settings.MemPrefs{}), nil)
	d.KeyNote.SetText("No key stored yet")
	d.Auth.SetSelected(authLabels[azure.AuthEntra])
	if d.KeyNote.Visible() || !d.Key.Disabled() {
		t.Fatalf("with Entra ID: key note shown %v, key field disabled %v", d.KeyNote.Visible(), d.Key.Disabled())
	}
	d.Auth.SetSelected(authLabels[azure.AuthAPIKey])
	if !d.KeyNote.Visible() || d.Key.Disabled() {
		t.Fatalf("with an API key: key note shown %v, key field disabled %v", d.KeyNote.Visible(), d.Key.Disabled())
	}
}

// TestDeletingAProfileWithoutAKey: a profile with no key in the keychain
// is said deleted, not its key removed.
func TestDeletingAProfileWithoutAKey(t *testing.T) {
	requireKeychain(t)
	store := settings.Load(&settings.MemPrefs{})
	if _, err := store.Put(settings.Profile{Name: "Keyless", Endpoint: "https://keyless-res.openai.azure.com/openai/v1/", Deployment: "d", Auth: azure.AuthEntra}); err != nil {
		t.Fatal(err)
	}
	d, w := openDialog(t, store, nil)
	test.Tap(d.DelButton)
	tapButton(t, w, "Delete")
	d.Wait()
	if d.Status.Text != `Deleted "Keyless".` {
		t.Fatalf("after deleting a profile without a key: %q", d.Status.Text)
	}
}

// TestNoQuestionAfterADelete: after a profile is deleted, the profile
// shown has no changes: Close asks nothing (it asked "Discard your
// changes?" after a save earlier in the dialog).
func TestNoQuestionAfterADelete(t *testing.T) {
	requireKeychain(t)
	store := settings.Load(&settings.MemPrefs{})
	if _, err := store.Put(settings.Profile{Name: "First", Endpoint: "https://first-res.openai.azure.com/openai/v1/", Deployment: "d", Auth: azure.AuthEntra}); err != nil {
		t.Fatal(err)
	}
	d, w := openDialog(t, store, nil)
	act(d, func() { test.Tap(d.AddButton) })
	d.Name.SetText("Second")
	d.Endpoint.SetText("https://second-res.openai.azure.com")
	d.Deployment.SetText("d")
	d.Auth.SetSelected(authLabels[azure.AuthEntra])
	act(d, func() { test.Tap(d.SaveButton) })
	if d.unsaved() {
		t.Fatal("unsaved right after Save")
	}
	test.Tap(d.DelButton)
	tapButton(t, w, "Delete")
	d.Wait()
	if d.unsaved() || d.Name.Text != "First" {
		t.Fatalf("after the delete: showing %q, unsaved %v", d.Name.Text, d.unsaved())
	}
}
