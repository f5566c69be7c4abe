package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

// TestSettingsOpenWithAFieldToTypeIn: Settings open with the keys in the
// first required field left empty (a new profile's endpoint, then the
// deployment), or in the name; nothing had them, and what a new user
// typed went nowhere.
func TestSettingsOpenWithAFieldToTypeIn(t *testing.T) {
	ep, dep, key := settings.EnvEndpoint, settings.EnvDeployment, settings.EnvAPIKey
	res := "https://env-res.openai.azure.com"
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "endpoint"},
		{map[string]string{ep: res}, "deployment"},
		{map[string]string{ep: res, dep: "gpt-4o"}, "key"},
		{map[string]string{ep: res, dep: "gpt-4o", key: "env-key-123456789"}, "name"},
	} {
		d, w := openDialog(t, settings.Load(&settings.MemPrefs{}), c.env)
		want := map[string]fyne.Focusable{"endpoint": d.Endpoint, "deployment": d.Deployment, "key": d.Key, "name": d.Name}[c.want]
		// Given the keys once the event that opened it is over.
		waitUntil(t, func() bool {
			var ok bool
			d.cfg.Bridge.applyMu.Lock()
			ok = w.Canvas().Focused() == want
			d.cfg.Bridge.applyMu.Unlock()
			return ok
		})
	}
}

// TestTestConnectionKeepsTheKeys: once Test connection ends, its button has
// the keys (Fyne's button lets them go as it is pressed, by Space too, and
// the next Tab started over from the first field).
func TestTestConnectionKeepsTheKeys(t *testing.T) {
	srv := &fakeazure.Server{APIKey: "right-key-abcdefghijkl"}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	d, w := openDialog(t, settings.Load(&settings.MemPrefs{}), nil)
	d.Endpoint.SetText(srv.URL())
	d.Deployment.SetText("gpt-4o")
	d.Key.SetText("wrong-key-abcdefghijkl")
	w.Canvas().Focus(d.TestButton)
	test.Tap(d.TestButton)
	d.Wait()
	if f := w.Canvas().Focused(); f != d.TestButton {
		t.Fatalf("after the test %T has the keys (status %q)", f, d.Status.Text)
	}
}

// TestDuplicateAndDeleteNeedASavedProfile: a profile not saved yet (the
// first start's, or one made with New) has Duplicate and Delete disabled
// (they looked enabled and did nothing); once saved, they are enabled.
func TestDuplicateAndDeleteNeedASavedProfile(t *testing.T) {
	d, _ := openDialog(t, settings.Load(&settings.MemPrefs{}), nil)
	if !d.CopyButton.Disabled() || !d.DelButton.Disabled() {
		t.Fatalf("a new profile: Duplicate disabled %v, Delete disabled %v", d.CopyButton.Disabled(), d.DelButton.Disabled())
	}
	d.Endpoint.SetText("https://my-res.openai.azure.com")
	d.Deployment.SetText("gpt-4o")
	d.Key.SetText("a-key-abcdefghijklmnop")
	test.Tap(d.SaveButton)
	d.Wait()
	if d.CopyButton.Disabled() || d.DelButton.Disabled() {
		t.Fatalf("saved (status %q): Duplicate disabled %v, Delete disabled %v", d.Status.Text, d.CopyButton.Disabled(), d.DelButton.Disabled())
	}
	test.Tap(d.AddButton)
	if !d.CopyButton.Disabled() || !d.DelButton.Disabled() {
		t.Fatal("after New: Duplicate or Delete enabled")
	}
}

// TestSettingsGrowWithTheWindow: a taller window gives the form more
// room, up to a point; a small one keeps the dialog's least size.
func TestSettingsGrowWithTheWindow(t *testing.T) {
	for _, c := range []struct{ win, want float32 }{{720, 640}, {900, 820}, {1400, 900}, {400, 640}} {
		if got := settingsSize(fyne.NewSize(1200, c.win)); got.Height != c.want || got.Width != 680 {
			t.Errorf("in a window %.0f high: %v, want 680×%.0f", c.win, got, c.want)
		}
	}
}

// TestSettingsWordTheirErrorsForWhereTheyAreShown: a reason shown in
// Settings does not send the user to Settings, whatever its case; other
// words that start the same are left.
func TestSettingsWordTheirErrorsForWhereTheyAreShown(t *testing.T) {
	for in, want := range map[string]string{
		"Azure refused the API key: check the key in settings (Azure portal > Keys)":                         "Azure refused the API key: check the key (Azure portal > Keys)",
		"this resource accepts only Microsoft Entra ID: in Settings, set Sign in with to Microsoft Entra ID": "this resource accepts only Microsoft Entra ID: set Sign in with to Microsoft Entra ID",
		"sign in again, or choose an API key in Settings":                                                    "sign in again, or choose an API key",
		"the endpoint redirected to https://x/ — put that address in settings (…)":                           "the endpoint redirected to https://x/ — put that address in the Endpoint field (…)",
		"read in settings.json, or in settingsfile":                                                          "read in settings.json, or in settingsfile",
		"Ünïcödé deployment „ä“ in Settings":                                                                 "Ünïcödé deployment „ä“",
	} {
		if got := hereInSettings(in); got != want {
			t.Errorf("%q:\n got %q\nwant %q", in, got, want)
		}
	}
}

// TestEscClosesSettingsFromItsButtons: with the keys on Test connection
// (where they stay after a test), Esc closes Settings, and the message
// box has the keys again (closed after a mouse click, they were nowhere);
// New gives them to the new profile's endpoint.
func TestEscClosesSettingsFromItsButtons(t *testing.T) {
	h := newHarness(t, true)
	h.ui(h.u.showSettings)
	h.u.bridge.waitIdle()
	h.ui(func() {
		test.Tap(h.u.settingsDlg.AddButton)
	})
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() { ok = h.u.win.Canvas().Focused() == fyne.Focusable(h.u.settingsDlg.Endpoint) })
		return ok
	})
	h.ui(func() {
		d := h.u.settingsDlg
		c := h.u.win.Canvas()
		c.Focus(d.TestButton)
		c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if c.Overlays().Top() != nil {
			t.Fatal("Esc on Test connection left Settings open")
		}
	})
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() { ok = h.u.win.Canvas().Focused() == fyne.Focusable(h.u.input) })
		return ok
	})
}

// TestEscClosesSettingsFromEveryButton: Tab reaches each of Settings'
// buttons; with the keys on any of them, Esc closes Settings (on New,
// Save, Close, Duplicate, Delete and a preset's Edit… it did nothing).
func TestEscClosesSettingsFromEveryButton(t *testing.T) {
	h := newHarness(t, true)
	buttons := map[string]func(d *settingsDialog) fyne.Focusable{
		"New":       func(d *settingsDialog) fyne.Focusable { return d.AddButton },
		"Duplicate": func(d *settingsDialog) fyne.Focusable { return d.CopyButton },
		"Delete":    func(d *settingsDialog) fyne.Focusable { return d.DelButton },
		"Edit…":     func(d *settingsDialog) fyne.Focusable { return d.PresetEdit },
		"Save":      func(d *settingsDialog) fyne.Focusable { return d.SaveButton },
		"Close":     func(d *settingsDialog) fyne.Focusable { return d.CloseButton },
	}
	for name, button := range buttons {
		h.ui(h.u.showSettings)
		h.u.bridge.waitIdle()
		h.ui(func() {
			c := h.u.win.Canvas()
			if b := button(h.u.settingsDlg).(*escButton); b.Disabled() {
				// Duplicate and Delete, for the profile of the variables
				// (not saved): no keys to have.
				if name != "Duplicate" && name != "Delete" {
					t.Errorf("%s is disabled", name)
				}
				dismissTop(h.u.win)
				return
			}
			if name == "Edit…" { // on the Generation tab
				for _, o := range test.LaidOutObjects(c.Overlays().Top()) {
					if tabs, ok := o.(*container.AppTabs); ok {
						tabs.SelectIndex(1)
					}
				}
			}
			c.Focus(button(h.u.settingsDlg))
			if c.Focused() != button(h.u.settingsDlg) {
				t.Fatalf("%s cannot have the keys", name)
			}
			c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			if c.Overlays().Top() != nil {
				t.Errorf("Esc on %s left Settings open", name)
				dismissTop(h.u.win)
			}
		})
	}
}
