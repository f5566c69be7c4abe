package app

import (
	"os"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
	"github.com/zalando/go-keyring"
)

// requireKeychain skips when no Secret Service runs, except where the
// keychain is required (make test sets AZCHAT_REQUIRE_KEYCHAIN=1), so CI
// always exercises the real keychain.
func requireKeychain(t *testing.T) {
	t.Helper()
	err := keyring.Set(settings.KeyringService, "probe", "x")
	if err == nil {
		_ = keyring.Delete(settings.KeyringService, "probe")
		return
	}
	if os.Getenv("AZCHAT_REQUIRE_KEYCHAIN") != "" {
		t.Fatalf("the OS keychain is required but not available: %v", err)
	}
	t.Skipf("no OS keychain here (%v); run under make test", err)
}

func TestDialogSavesProfileAndKeyInKeychain(t *testing.T) {
	requireKeychain(t)
	store := settings.Load(&settings.MemPrefs{})
	d, _ := openDialog(t, store, nil)
	d.Name.SetText("Work")
	test.Type(d.Endpoint, "https://my-res.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2025-01-01")
	if d.Deployment.Text != "gpt-4o-prod" {
		t.Fatalf("deployment not filled from the target URI: %q", d.Deployment.Text)
	}
	test.Type(d.Key, "dialog-key-123456789")
	d.Temperature.SetText("0.3")
	if d.API.Selected != apiLabels[chat.APIAuto] || d.Store.Checked {
		t.Fatalf("a new profile: API %q, store %v", d.API.Selected, d.Store.Checked)
	}
	d.API.SetSelected(apiLabels[chat.APIResponses])
	d.Store.SetChecked(true)
	act(d, func() { test.Tap(d.SaveButton) })
	p, ok := store.Current()
	if !ok || p.Name != "Work" || p.Endpoint != "https://my-res.openai.azure.com/openai/v1/" || p.Deployment != "gpt-4o-prod" || *p.Gen.Temperature != 0.3 ||
		p.API != chat.APIResponses || !p.StoreResponses {
		t.Fatalf("saved %+v", p)
	}
	t.Cleanup(func() { _ = settings.NewSecrets().Delete(p.ID) })
	if k, err := settings.NewSecrets().Get(p.ID); err != nil || k != "dialog-key-123456789" {
		t.Fatalf("keychain has %q %v", k, err)
	}
	if d.Key.Text != "" || !strings.Contains(d.KeyNote.Text, "stored in the system keychain") {
		t.Fatalf("key field %q, note %q", d.Key.Text, d.KeyNote.Text)
	}
	// Reopening shows the key as stored, never its value.
	d2, _ := openDialog(t, store, nil)
	if d2.Key.Text != "" || !strings.Contains(d2.KeyNote.Text, "stored in the system keychain") {
		t.Fatalf("reopened: key %q note %q", d2.Key.Text, d2.KeyNote.Text)
	}
}

// TestLongFieldErrorsKeepTheDialogNarrow: a field's error is shown on one
// line under it; a long one (an API key pasted as the endpoint) widened
// the dialog past the window, its buttons cut off. It says what is wrong
// in a line; Save says how to mend it, in full.
func TestLongFieldErrorsKeepTheDialogNarrow(t *testing.T) {
	d, w := openDialog(t, settings.Load(&settings.MemPrefs{}), nil)
	before := d.ConnScroll.Content.MinSize().Width
	d.Endpoint.SetText("0123456789abcdef0123456789abcdef")
	err := d.Endpoint.Validate()
	if err == nil || !strings.Contains(err.Error(), "looks like an API key") || len([]rune(err.Error())) > maxHintRunes {
		t.Fatalf("the field says %v", err)
	}
	if after := d.ConnScroll.Content.MinSize().Width; after > before {
		t.Fatalf("the form widened from %.0f to %.0f", before, after)
	}
	d.Deployment.SetText("gpt-4o")
	d.Key.SetText("k")
	test.Tap(d.SaveButton)
	var said string
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok {
			said += l.Text
		}
	}
	if !strings.Contains(said, "Keys and Endpoint") {
		t.Fatalf("Save says %q", said)
	}
}

// TestFormHintCutsOutsideQuotes: a pasted text with a colon, quoted in
// the error, is not where the hint is cut.
func TestFormHintCutsOutsideQuotes(t *testing.T) {
	_, err := settings.NormalizeEndpoint("Endpoint: my resource")
	hint := formHint(err)
	if hint == nil || !strings.HasPrefix(hint.Error(), `"Endpoint: my resource" is not an endpoint`) || len([]rune(hint.Error())) > maxHintRunes {
		t.Fatalf("%v → %v", err, hint)
	}
}

func TestDialogValidators(t *testing.T) {
	d, w := openDialog(t, settings.Load(&settings.MemPrefs{}), nil)
	d.Endpoint.SetText("http://my-res.openai.azure.com")
	if err := d.Endpoint.Validate(); err == nil || !strings.HasPrefix(err.Error(), "http:// is refused") {
		t.Fatalf("http endpoint: %v", err)
	}
	d.Temperature.SetText("7")
	if err := d.Temperature.Validate(); err == nil {
		t.Fatal("temperature 7 accepted")
	}
	d.MaxTokens.SetText("many")
	if err := d.MaxTokens.Validate(); err == nil {
		t.Fatal("max tokens 'many' accepted")
	}
	d.Endpoint.SetText("my-res")
	d.Deployment.SetText("d")
	d.Temperature.SetText("")
	d.MaxTokens.SetText("")
	test.Tap(d.SaveButton)
	// No key typed for an API-key profile: an information dialog says what to do.
	if w.Canvas().Overlays().Top() == nil {
		t.Fatal("no message about the missing key")
	}
}

func TestDialogTestConnection(t *testing.T) {
	srv := &fakeazure.Server{APIKey: "right-key-abcdefghijkl", Deployments: map[string]fakeazure.Deployment{"gpt-4o": {Model: "gpt-4o-2024-11-20"}}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	d, _ := openDialog(t, settings.Load(&settings.MemPrefs{}), nil)
	d.Endpoint.SetText(srv.URL())
	d.Deployment.SetText("gpt-4o")
	d.Key.SetText("right-key-abcdefghijkl")
	test.Tap(d.TestButton)
	d.Wait()
	if d.Status.Text != "Connected — model gpt-4o-2024-11-20" {
		t.Fatalf("status %q", d.Status.Text)
	}
	// The model found fills the Model field (the meter then counts
	// exactly); another deployment takes it away again.
	if d.Model.Text != "gpt-4o-2024-11-20" {
		t.Fatalf("model field %q", d.Model.Text)
	}
	d.Deployment.SetText("gpt-4o-mini")
	if d.Model.Text != "" {
		t.Fatalf("model field %q after the deployment changed", d.Model.Text)
	}
	d.Deployment.SetText("gpt-4o")
	d.Key.SetText("wrong-key-abcdefghijkl")
	test.Tap(d.TestButton)
	d.Wait()
	if !strings.HasPrefix(d.Status.Text, "Not connected — Azure refused the API key") || strings.Contains(d.Status.Text, "wrong-key") {
		t.Fatalf("status %q", d.Status.Text)
	}
	// Said in Settings, not "check the key in settings".
	if strings.Contains(d.Status.Text, "in settings") || !strings.Contains(d.Status.Text, "check the key (Azure portal") {
		t.Fatalf("status %q", d.Status.Text)
	}
	d.Deployment.SetText("missing")
	d.Key.SetText("right-key-abcdefghijkl")
	test.Tap(d.TestButton)
	d.Wait()
	if !strings.Contains(d.Status.Text, "deployment") {
		t.Fatalf("status %q", d.Status.Text)
	}
	// The endpoint in a short form (no scheme): the model is filled too.
	d.Endpoint.SetText(strings.TrimPrefix(srv.URL(), "http://"))
	d.Deployment.SetText("gpt-4o")
	test.Tap(d.TestButton)
	d.Wait()
	if d.Status.Text != "Connected — model gpt-4o-2024-11-20" || d.Model.Text != "gpt-4o-2024-11-20" {
		t.Fatalf("with %q: status %q, model field %q", d.Endpoint.Text, d.Status.Text, d.Model.Text)
	}
}

func TestDialogShowsEnvironmentOverrides(t *testing.T) {
	d, _ := openDialog(t, settings.Load(&settings.MemPrefs{}), map[string]string{settings.EnvAPIKey: "x", settings.EnvEndpoint: "y"})
	if !d.EnvNote.Visible() || !strings.Contains(d.EnvNote.Text, settings.EnvAPIKey) || !strings.Contains(d.EnvNote.Text, "not saved") {
		t.Fatalf("env note %q", d.EnvNote.Text)
	}
	// With no profile saved, the form shows what the variables give this
	// run, not an empty profile; the key only says where it comes from.
	env := map[string]string{settings.EnvAPIKey: "env-key-123456789", settings.EnvEndpoint: " https://env-res.openai.azure.com ", settings.EnvDeployment: "gpt-4o-env"}
	d, _ = openDialog(t, settings.Load(&settings.MemPrefs{}), env)
	if d.Endpoint.Text != "https://env-res.openai.azure.com" || d.Deployment.Text != "gpt-4o-env" || d.Key.Text != "" ||
		!strings.Contains(d.KeyNote.Text, settings.EnvAPIKey) {
		t.Fatalf("form from the environment: endpoint %q deployment %q key %q note %q", d.Endpoint.Text, d.Deployment.Text, d.Key.Text, d.KeyNote.Text)
	}
	if d.unsaved() {
		t.Fatal("the form filled from the environment counts as typed: Close would ask")
	}
	// A target URI as the endpoint gives the deployment too.
	d, _ = openDialog(t, settings.Load(&settings.MemPrefs{}), map[string]string{settings.EnvEndpoint: "https://env-res.openai.azure.com/openai/deployments/gpt-4o-uri/chat/completions?api-version=2025-01-01"})
	if d.Deployment.Text != "gpt-4o-uri" || d.KeyNote.Text != "" {
		t.Fatalf("from a target URI: deployment %q, key note %q", d.Deployment.Text, d.KeyNote.Text)
	}
	// A profile saved is shown as saved, the variables overriding it only
	// for the run (the note says so).
	store := settings.Load(&settings.MemPrefs{})
	saved, err := store.Put(settings.Profile{Name: "Saved", Endpoint: "https://saved-res.openai.azure.com/openai/v1/", Deployment: "gpt-4o-saved", Auth: azure.AuthAPIKey})
	if err != nil {
		t.Fatal(err)
	}
	d, _ = openDialog(t, store, env)
	if d.Endpoint.Text != saved.Endpoint || d.Deployment.Text != saved.Deployment {
		t.Fatalf("a saved profile under the variables shows %q %q", d.Endpoint.Text, d.Deployment.Text)
	}
}

func TestDialogDuplicateAndDelete(t *testing.T) {
	requireKeychain(t)
	store := settings.Load(&settings.MemPrefs{})
	p, _ := store.Put(settings.Profile{Name: "Main", Endpoint: "r", Deployment: "d"})
	sec := settings.NewSecrets()
	if err := sec.Set(p.ID, "main-key"); err != nil {
		t.Fatal(err)
	}
	d, w := openDialog(t, store, nil)
	test.Tap(d.CopyButton)
	d.Wait()
	if len(store.Profiles()) != 2 || d.Name.Text != "Main (copy)" {
		t.Fatalf("duplicate: %d profiles, editing %q", len(store.Profiles()), d.Name.Text)
	}
	copyID := d.editing.ID
	if k, _ := settings.NewSecrets().Get(copyID); k != "main-key" {
		t.Fatal("the duplicate has no key")
	}
	test.Tap(d.DelButton)
	tapButton(t, w, "Delete")
	d.Wait()
	if len(store.Profiles()) != 1 {
		t.Fatalf("%d profiles after delete", len(store.Profiles()))
	}
	if k, _ := settings.NewSecrets().Get(copyID); k != "" {
		t.Fatal("the deleted profile's key is still in the keychain")
	}
	if want := `Deleted "Main (copy)" and removed its key`; !strings.Contains(d.Status.Text, want) {
		t.Fatalf("after delete the dialog says %q, want %q", d.Status.Text, want)
	}
	_ = sec.Delete(p.ID)
}

func TestPresets(t *testing.T) {
	store := settings.Load(&settings.MemPrefs{})
	if len(store.Presets()) != 5 {
		t.Fatalf("%d built-in presets", len(store.Presets()))
	}
	if err := store.PutPreset(settings.Preset{Name: "Pirate", System: "Talk like a pirate.", Examples: []chat.Example{{User: "Hi", Assistant: "Ahoy!"}}}); err != nil {
		t.Fatal(err)
	}
	if err := store.PutPreset(settings.Preset{Name: "Basic assistant"}); err == nil {
		t.Fatal("a user preset may not shadow a built-in one")
	}
	if err := store.PutPreset(settings.Preset{Name: "Half", Examples: []chat.Example{{User: "q"}}}); err == nil {
		t.Fatal("an example without an answer was accepted")
	}
	d, _ := openDialog(t, store, nil)
	d.Preset.SetSelected("Few-shot: plain English")
	if !strings.Contains(d.System.Text, "corporate jargon") || len(d.examples) != 2 {
		t.Fatalf("preset not applied: %q, %d examples", d.System.Text, len(d.examples))
	}
	d.Preset.SetSelected("Pirate")
	if d.System.Text != "Talk like a pirate." || len(d.examples) != 1 {
		t.Fatal("user preset not applied")
	}
}

// TestDialogAsksBeforeSendingTheSavedKeyElsewhere: Test connection on an
// edited, unsaved host does not send the saved key without asking; with the
// key typed in the form, it sends that one.
func TestDialogAsksBeforeSendingTheSavedKeyElsewhere(t *testing.T) {
	const saved = "saved-key-abcdefghijklmnop"
	_, other, store, p := savedForHome(t, saved)
	d, _ := openDialog(t, store, nil)
	d.cfg.Secrets.SetSession(p.ID, saved)
	d.Endpoint.SetText(other.URL())
	test.Tap(d.TestButton)
	d.Wait()
	if d.keyConfirm == nil || len(other.Requests()) != 0 {
		t.Fatalf("no question before sending the saved key elsewhere (%d requests)", len(other.Requests()))
	}
	d.keyConfirm.Dismiss()
	d.Wait()
	if len(other.Requests()) != 0 {
		t.Fatal("the saved key was sent after Cancel")
	}
	// Typed in the form: that key goes, with no question.
	d.keyConfirm = nil
	d.Key.SetText("other-key-abcdefghijklmnop")
	test.Tap(d.TestButton)
	d.Wait()
	if d.keyConfirm != nil || d.Status.Text != "Connected — model gpt-4o-2024-11-20" {
		t.Fatalf("typed key: question %v, status %q", d.keyConfirm != nil, d.Status.Text)
	}
}

// absPos is where o is on its window's canvas, scroll offsets included.
func absPos(o fyne.CanvasObject) fyne.Position {
	return fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
}

// dialogBox is the settings dialog's box: the content of the top overlay.
func dialogBox(t *testing.T, w fyne.Window) fyne.CanvasObject {
	t.Helper()
	// The overlay is Fyne's container around the dialog's pop-up.
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if pop, ok := o.(*widget.PopUp); ok {
			return pop.Content
		}
	}
	t.Fatal("the settings dialog is not showing")
	return nil
}

// holds reports whether target is in root's tree of objects.
func holds(root, target fyne.CanvasObject) bool {
	for _, o := range test.LaidOutObjects(root) {
		if o == target {
			return true
		}
	}
	return false
}

// TestSettingsActionsInOneRow: Test connection, Close and Save share one
// row at the bottom, and the dialog has no other Close button.
func TestSettingsActionsInOneRow(t *testing.T) {
	d, w := openDialog(t, settings.Load(&settings.MemPrefs{}), nil)
	w.Resize(fyne.NewSize(800, 600))
	box := dialogBox(t, w)
	for _, b := range []fyne.CanvasObject{d.TestButton, d.CloseButton, d.SaveButton} {
		if !slices.Contains(d.Actions.Objects, b) || !b.Visible() {
			t.Fatalf("%T %v is not in the actions row", b, b)
		}
		if absPos(b).Y != absPos(d.TestButton).Y {
			t.Fatalf("%v is at y %v, Test connection at %v", b, absPos(b).Y, absPos(d.TestButton).Y)
		}
		if bottom := absPos(b).Y + b.Size().Height; bottom > absPos(box).Y+box.Size().Height {
			t.Fatalf("%v ends at %v, below the dialog", b, bottom)
		}
	}
	if !(absPos(d.TestButton).X < absPos(d.CloseButton).X && absPos(d.CloseButton).X < absPos(d.SaveButton).X) {
		t.Fatal("the actions are not in the order Test connection, Close, Save")
	}
	closes := 0
	for _, o := range test.LaidOutObjects(box) {
		if b, ok := asButton(o); ok && b.Text == "Close" && b.Visible() {
			closes++
		}
	}
	if closes != 1 {
		t.Fatalf("%d Close buttons", closes)
	}
	test.Tap(d.CloseButton)
	if w.Canvas().Overlays().Top() != nil {
		t.Fatal("Close left the dialog open")
	}
}

// TestSettingsFormScrollsInSmallWindow: at 800×600 the connection form
// does not fit, so it scrolls, and every field of both tabs, Tenant
// included, can be scrolled into view inside the dialog.
func TestSettingsFormScrollsInSmallWindow(t *testing.T) {
	d, w := openDialog(t, settings.Load(&settings.MemPrefs{}), nil)
	w.Resize(fyne.NewSize(800, 600))
	box := dialogBox(t, w)
	boxTop, boxBottom := absPos(box).Y, absPos(box).Y+box.Size().Height
	if boxBottom > 600 {
		t.Fatalf("the dialog ends at %v, below the window", boxBottom)
	}
	check := func(tab string, scroll *container.Scroll, mustScroll bool, fields map[string]fyne.CanvasObject) {
		t.Helper()
		if mustScroll && scroll.Content.MinSize().Height <= box.Size().Height {
			t.Fatalf("%s: the form (%v high) fits the dialog (%v): this window does not test scrolling", tab, scroll.Content.MinSize().Height, box.Size().Height)
		}
		top, bottom := absPos(scroll).Y, absPos(scroll).Y+scroll.Size().Height
		if top < boxTop || bottom > absPos(d.Actions).Y {
			t.Fatalf("%s: the scroll (%v–%v) is not between the dialog's top (%v) and its actions (%v)", tab, top, bottom, boxTop, absPos(d.Actions).Y)
		}
		for name, f := range fields {
			if !holds(scroll.Content, f) {
				t.Fatalf("%s: %s is not in the scroll", tab, name)
			}
			scroll.ScrollToOffset(fyne.NewPos(0, absPos(f).Y-absPos(scroll.Content).Y))
			y := absPos(f).Y
			if y < top || y+f.Size().Height > bottom {
				t.Fatalf("%s: %s (%v–%v) cannot be scrolled into view (%v–%v)", tab, name, y, y+f.Size().Height, top, bottom)
			}
			if right := absPos(f).X + f.Size().Width; right > absPos(scroll).X+scroll.Size().Width {
				t.Fatalf("%s: %s is cut off on the right", tab, name)
			}
		}
	}
	check("Connection", d.ConnScroll, true, map[string]fyne.CanvasObject{
		"Name": d.Name, "Endpoint": d.Endpoint, "Deployment": d.Deployment, "Model": d.Model, "Sign in with": d.Auth,
		"API key": d.Key, "Tenant": d.Tenant, "API": d.API, "Store": d.Store,
		"Input price": d.PriceInput, "Cached input price": d.PriceCached, "Output price": d.PriceOutput, "Pricing link": d.PriceLink,
	})
	for _, o := range test.LaidOutObjects(box) {
		if tabs, ok := o.(*container.AppTabs); ok {
			tabs.SelectIndex(1)
		}
	}
	check("Generation", d.GenScroll, false, map[string]fyne.CanvasObject{
		"Preset": d.Preset, "System message": d.System, "Temperature": d.Temperature, "Max reply tokens": d.MaxTokens,
		"Context window": d.Window, "When too long": d.Strategy,
	})
}

// TestSettingsProfileSelectShowsTheEditedProfile: the profile picker names
// the profile in the form, saved or not.
func TestSettingsProfileSelectShowsTheEditedProfile(t *testing.T) {
	store := settings.Load(&settings.MemPrefs{})
	d, _ := openDialog(t, store, nil)
	if d.Profiles.Selected != "Default" || d.Name.Text != "Default" {
		t.Fatalf("first open: picker %q, form %q", d.Profiles.Selected, d.Name.Text)
	}
	d.Endpoint.SetText("my-res")
	d.Deployment.SetText("gpt-4o")
	d.Auth.SetSelected(authLabels[azure.AuthEntra]) // no key needed
	d.Name.SetText("Work")
	act(d, func() { test.Tap(d.SaveButton) })
	if d.Profiles.Selected != "Work" || !slices.Equal(d.Profiles.Options, []string{"Work"}) {
		t.Fatalf("after Save: picker %q of %q", d.Profiles.Selected, d.Profiles.Options)
	}
	act(d, func() { test.Tap(d.AddButton) })
	if d.Profiles.Selected != "New profile" || d.Name.Text != "New profile" || d.editing.ID != "" {
		t.Fatalf("after New: picker %q, form %q", d.Profiles.Selected, d.Name.Text)
	}
	act(d, func() { d.Profiles.SetSelected("Work") }) // loading a saved profile reads its key in the background
	if d.Name.Text != "Work" || slices.Contains(d.Profiles.Options, "New profile") {
		t.Fatalf("picking Work: form %q, picker options %q", d.Name.Text, d.Profiles.Options)
	}
	// A saved profile already called "New profile" is not what New edits.
	if _, err := store.Put(settings.Profile{Name: "New profile", Endpoint: "r", Deployment: "d"}); err != nil {
		t.Fatal(err)
	}
	act(d, func() { test.Tap(d.AddButton) })
	if d.Profiles.Selected != "New profile 2" || d.editing.ID != "" {
		t.Fatalf("New beside a saved \"New profile\": picker %q, editing %q", d.Profiles.Selected, d.editing.ID)
	}
	d2, _ := openDialog(t, store, nil)
	if d2.Profiles.Selected != "Work" {
		t.Fatalf("reopened: picker %q", d2.Profiles.Selected)
	}
}

// TestSettingsKeychainNoteWraps: the keychain's long message wraps inside
// the dialog instead of running past its edge.
func TestSettingsKeychainNoteWraps(t *testing.T) {
	d, w := openDialog(t, settings.Load(&settings.MemPrefs{}), nil)
	w.Resize(fyne.NewSize(800, 600))
	d.KeyNote.SetText(settings.ErrNoKeychain.Error() + " (The name org.freedesktop.secrets was not provided by any .service files)")
	box := dialogBox(t, w)
	box.Refresh()
	if d.KeyNote.Wrapping != fyne.TextWrapWord {
		t.Fatal("the key note does not wrap")
	}
	if d.KeyNote.MinSize().Width > box.Size().Width {
		t.Fatalf("the key note needs %v, the dialog is %v wide", d.KeyNote.MinSize().Width, box.Size().Width)
	}
	d.ConnScroll.ScrollToOffset(fyne.NewPos(0, absPos(d.KeyNote).Y-absPos(d.ConnScroll.Content).Y))
	if right := absPos(d.KeyNote).X + d.KeyNote.Size().Width; right > absPos(d.ConnScroll).X+d.ConnScroll.Size().Width {
		t.Fatalf("the key note ends at %v, past the form (%v)", right, absPos(d.ConnScroll).X+d.ConnScroll.Size().Width)
	}
	if oneLine := widget.NewLabel("x").MinSize().Height; d.KeyNote.Size().Height <= oneLine {
		t.Fatalf("the key note is %v high: not wrapped onto more lines", d.KeyNote.Size().Height)
	}
}
