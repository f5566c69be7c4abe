package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

// twoHosts starts two stand-ins: home, whose key the profile saved, and
// other, an address typed in the form afterwards.
func twoHosts(t *testing.T, homeKey string) (home, other *fakeazure.Server) {
	t.Helper()
	home = &fakeazure.Server{APIKey: homeKey}
	other = &fakeazure.Server{APIKey: "other-key-abcdefghijklmnop"}
	for _, s := range []*fakeazure.Server{home, other} {
		if err := s.Start("127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
	}
	return home, other
}

// savedForHome is twoHosts with a store holding one profile, for home.
func savedForHome(t *testing.T, key string) (home, other *fakeazure.Server, store *settings.Store, p settings.Profile) {
	t.Helper()
	home, other = twoHosts(t, key)
	store = settings.Load(&settings.MemPrefs{})
	p, err := store.Put(settings.Profile{Name: "Main", Endpoint: home.URL(), Deployment: "chat"})
	if err != nil {
		t.Fatal(err)
	}
	return home, other, store, p
}

// TestSaveAsksBeforeTheSavedKeyGoesToANewAddress: saving a profile with
// another address and no key typed would send the key saved for the old
// address with every message: azchat asks first, and Cancel saves nothing.
func TestSaveAsksBeforeTheSavedKeyGoesToANewAddress(t *testing.T) {
	const saved = "saved-key-abcdefghijklmnop"
	home, other, store, p := savedForHome(t, saved)
	d, _ := openDialog(t, store, nil)
	d.cfg.Secrets.SetSession(p.ID, saved)
	act(d, func() { d.load(p) })
	if !d.keySet {
		t.Fatal("the form does not know the saved key")
	}
	act(d, func() {
		d.Endpoint.SetText(other.URL())
		test.Tap(d.SaveButton)
	})
	if d.keyConfirm == nil {
		t.Fatal("saved with a new address and the old key without a question")
	}
	if now, _ := store.Profile(p.ID); now.Endpoint != p.Endpoint {
		t.Fatalf("saved before the answer: endpoint %q", now.Endpoint)
	}
	act(d, func() { d.keyConfirm.Dismiss() })
	if now, _ := store.Profile(p.ID); now.Endpoint != p.Endpoint {
		t.Fatalf("saved after Cancel: endpoint %q", now.Endpoint)
	}
	// Agreed to: saved, the key kept.
	d.keyConfirm = nil
	act(d, func() { test.Tap(d.SaveButton) })
	if d.keyConfirm == nil {
		t.Fatal("no question the second time")
	}
	act(d, func() { d.keyConfirm.Confirm() })
	if now, _ := store.Profile(p.ID); !settings.SameHost(now.Endpoint, other.URL()) || d.Status.Text != "Saved." {
		t.Fatalf("after the yes: endpoint %q, status %q", now.Endpoint, d.Status.Text)
	}
	// The same address again: no question.
	d.keyConfirm = nil
	act(d, func() { test.Tap(d.SaveButton) })
	if d.keyConfirm != nil {
		t.Fatal("asked again for the address the key is now saved for")
	}
	if len(home.Requests())+len(other.Requests()) != 0 {
		t.Fatal("saving sent a request")
	}
}

// TestSaveKeepsTheProfileWhenTheKeyIsNotStored: a new address saved with a
// new key the keychain did not take (it waited for the user to unlock
// it) left the profile on the new address with the old key in the
// keychain. The key is now written first; the profile is kept as it was,
// and the write, if it lands late, does not stay (the old address must
// not get the key typed for the new one).
func TestSaveKeepsTheProfileWhenTheKeyIsNotStored(t *testing.T) {
	requireKeychain(t)
	const saved = "saved-key-abcdefghijklmnop"
	_, other, store, p := savedForHome(t, saved)
	sec := settings.NewSecrets()
	if err := sec.Set(p.ID, saved); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = settings.NewSecrets().Delete(p.ID) })
	d, _ := openDialog(t, store, nil)
	d.Wait()
	// A keychain that waits for the user to unlock it.
	resume := d.cfg.Secrets.Stall()
	d.cfg.Secrets.Timeout = 50 * time.Millisecond
	act(d, func() {
		d.Endpoint.SetText(other.URL())
		d.Key.SetText("other-key-abcdefghijklmnop")
		test.Tap(d.SaveButton)
		if !d.CopyButton.Disabled() || !d.DelButton.Disabled() || !d.Profiles.Disabled() {
			t.Error("the profile can be duplicated, deleted or left while its key is written")
		}
	})
	d.cfg.Secrets.Timeout = 10 * time.Second
	if !strings.HasPrefix(d.Status.Text, "Not saved: ") || d.CopyButton.Disabled() {
		t.Fatalf("status %q, Duplicate disabled %v", d.Status.Text, d.CopyButton.Disabled())
	}
	if now, _ := store.Profile(p.ID); now.Endpoint != p.Endpoint {
		t.Fatalf("the profile took the new address: %q", now.Endpoint)
	}
	resume() // the user unlocks the keychain: the write lands, and is undone
	// Keychain calls run in order: this read comes after the late write.
	if k, err := d.cfg.Secrets.Get(p.ID); err != nil || k != saved {
		t.Fatalf("the keychain holds %q %v for the old address, want its own key", k, err)
	}
	if d.Key.Text != "other-key-abcdefghijklmnop" {
		t.Fatal("the typed key was cleared though it was not saved")
	}
}

// TestDeletingAProfileSaysWhenItsKeyStays: the warning that the key could
// not be removed was written to the status line and cleared at once by
// the form showing the next profile.
func TestDeletingAProfileSaysWhenItsKeyStays(t *testing.T) {
	requireKeychain(t)
	store := settings.Load(&settings.MemPrefs{})
	keep, _ := store.Put(settings.Profile{Name: "Keep", Endpoint: "r1", Deployment: "d"})
	gone, _ := store.Put(settings.Profile{Name: "Gone", Endpoint: "r2", Deployment: "d"})
	_ = store.SetCurrent(gone.ID)
	t.Cleanup(func() { _ = settings.NewSecrets().Delete(gone.ID) })
	d, w := openDialog(t, store, nil)
	d.Wait()
	if err := d.cfg.Secrets.Set(gone.ID, "gone-key"); err != nil {
		t.Fatal(err)
	}
	resume := d.cfg.Secrets.Stall()
	d.cfg.Secrets.Timeout = 50 * time.Millisecond
	act(d, func() { test.Tap(d.DelButton) })
	act(d, func() { tapButton(t, w, "Delete") })
	d.cfg.Secrets.Timeout = 10 * time.Second
	if _, ok := store.Profile(gone.ID); ok || d.editing.ID != keep.ID {
		t.Fatalf("profile still there (%v), editing %q", ok, d.editing.Name)
	}
	var text string
	for _, o := range test.LaidOutObjects(w.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok {
			text += l.Text + "\n"
		}
	}
	if !strings.Contains(text, "removed when it does") || !strings.Contains(text, settings.KeychainAccount(gone.ID)) {
		t.Fatalf("no message about the key left in the keychain; top dialog says %q", text)
	}
	resume()
	if k, err := d.cfg.Secrets.Get(gone.ID); err != nil || k != "" {
		t.Fatalf("once the keychain answered it holds %q %v", k, err)
	}
}

// boundKey is the key boundKeyElsewhere saves.
const boundKey = "saved-key-abcdefghijklmnop"

// boundKeyElsewhere is a dialog on a profile whose key the keychain binds
// to the home stand-in's address, with the address edited to the other
// stand-in's (which takes that key) and tap done.
func boundKeyElsewhere(t *testing.T, tap func(*settingsDialog)) (home, other *fakeazure.Server, store *settings.Store, p settings.Profile, d *settingsDialog) {
	t.Helper()
	return boundKeyFor(t, "", tap)
}

// boundKeyFor is boundKeyElsewhere with the key bound to boundTo instead
// ("" for the home stand-in's address, the one the settings file names;
// "other" for the other stand-in's, the one typed).
func boundKeyFor(t *testing.T, boundTo string, tap func(*settingsDialog)) (home, other *fakeazure.Server, store *settings.Store, p settings.Profile, d *settingsDialog) {
	t.Helper()
	requireKeychain(t)
	home, other, store, p = savedForHome(t, boundKey)
	other.APIKey = boundKey
	switch boundTo {
	case "":
		boundTo = p.Endpoint
	case "other":
		boundTo = other.URL()
	}
	if err := settings.NewSecrets().SetFor(p.ID, boundTo, boundKey); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = settings.NewSecrets().Delete(p.ID) })
	d, _ = openDialog(t, store, nil)
	d.Wait()
	act(d, func() { d.load(p) })
	act(d, func() {
		d.Endpoint.SetText(other.URL())
		tap(d)
	})
	return home, other, store, p, d
}

// TestAgreedNewAddressTakesTheSavedKeyAlong: the keychain binds a key to
// its address, so once the user agrees to use the saved key for a new
// address, Save binds it there: messages then go to the new address with
// it, and never to the old one.
func TestAgreedNewAddressTakesTheSavedKeyAlong(t *testing.T) {
	home, other, store, p, d := boundKeyElsewhere(t, func(d *settingsDialog) { test.Tap(d.SaveButton) })
	if d.keyConfirm == nil {
		t.Fatal("no question before the saved key goes to a new address")
	}
	act(d, func() { d.keyConfirm.Confirm() })
	d.Wait()
	if now, _ := store.Profile(p.ID); !settings.SameHost(now.Endpoint, other.URL()) {
		t.Fatalf("not saved: endpoint %q, status %q", now.Endpoint, d.Status.Text)
	}
	conn, err := store.Resolve(settings.NewSecrets(), func(string) string { return "" })
	if err != nil || conn.APIKey != boundKey || !settings.SameHost(conn.Profile.Endpoint, other.URL()) {
		t.Fatalf("the key does not go to the address agreed to: %q, %v", conn.APIKey, err)
	}
	// And not back to the old one, should the settings file say so.
	back := store.Profiles()[0]
	back.Endpoint = home.URL()
	if _, err := store.Put(back); err != nil {
		t.Fatal(err)
	}
	if conn, err := store.Resolve(settings.NewSecrets(), func(string) string { return "" }); err == nil || conn.APIKey != "" {
		t.Fatalf("the key would go back to its old address: %q", conn.APIKey)
	}
}

// TestAgreedTestConnectionSendsTheBoundKeyOnce: Test connection on an
// edited address asks before the saved key (bound to the saved address)
// goes there; agreed, it goes, once, and the keychain still binds it to
// the saved address (only Save moves it).
func TestAgreedTestConnectionSendsTheBoundKeyOnce(t *testing.T) {
	_, other, _, p, d := boundKeyElsewhere(t, func(d *settingsDialog) { test.Tap(d.TestButton) })
	if d.keyConfirm == nil || len(other.Requests()) != 0 {
		t.Fatalf("no question before the saved key goes elsewhere (%d requests)", len(other.Requests()))
	}
	act(d, func() { d.keyConfirm.Confirm() })
	if n := len(other.Requests()); n != 1 || !other.Requests()[0].APIKey || d.Status.Text != "Connected — model gpt-4o-2024-11-20" {
		t.Fatalf("agreed: %d requests, status %q", n, d.Status.Text)
	}
	if _, err := settings.NewSecrets().GetFor("Main", p.ID, other.URL()); err == nil {
		t.Fatal("a check bound the key to the address it was tried on")
	}
}

// TestTheQuestionNamesTheKeysTrueAddress: the settings file names another
// address than the keychain keeps the key for (a settings file put back,
// or written by another window): the question names the keychain's.
// Agreed, the key goes; Save binds it to the new address.
func TestTheQuestionNamesTheKeysTrueAddress(t *testing.T) {
	const third = "http://127.0.0.1:9"
	home, other, _, _, d := boundKeyFor(t, third, func(d *settingsDialog) { test.Tap(d.TestButton) })
	if d.keyConfirm == nil {
		t.Fatal("no question before the saved key goes elsewhere")
	}
	var asked string
	for _, o := range test.LaidOutObjects(d.win.Canvas().Overlays().Top()) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "was saved for") {
			asked = l.Text
		}
	}
	if !strings.Contains(asked, "saved for 127.0.0.1:9.") || strings.Contains(asked, settings.HostOf(home.URL())) {
		t.Fatalf("the question says %q", asked)
	}
	act(d, func() { d.keyConfirm.Confirm() })
	if n := len(other.Requests()); n != 1 || !strings.HasPrefix(d.Status.Text, "Connected") {
		t.Fatalf("agreed: %d requests, status %q", n, d.Status.Text)
	}

	_, other, store, p, d := boundKeyFor(t, third, func(d *settingsDialog) { test.Tap(d.SaveButton) })
	act(d, func() { d.keyConfirm.Confirm() })
	if now, _ := store.Profile(p.ID); !settings.SameHost(now.Endpoint, other.URL()) {
		t.Fatalf("not saved: %q, status %q", now.Endpoint, d.Status.Text)
	}
	if k, err := settings.NewSecrets().GetFor("Main", p.ID, other.URL()); err != nil || k != boundKey {
		t.Fatalf("the key is not bound to the new address: %v", err)
	}
}

// TestAKeyKeptForTheNewAddressGoesWithoutAQuestion: the keychain keeps
// the key for the address typed already (another window moved the
// profile there): nothing to ask, it goes, and Save keeps it so.
func TestAKeyKeptForTheNewAddressGoesWithoutAQuestion(t *testing.T) {
	_, other, _, _, d := boundKeyFor(t, "other", func(d *settingsDialog) { test.Tap(d.TestButton) })
	if d.keyConfirm != nil || len(other.Requests()) != 1 || !strings.HasPrefix(d.Status.Text, "Connected") {
		t.Fatalf("asked %v, %d requests, status %q", d.keyConfirm != nil, len(other.Requests()), d.Status.Text)
	}
	_, other, store, p, d := boundKeyFor(t, "other", func(d *settingsDialog) { test.Tap(d.SaveButton) })
	if now, _ := store.Profile(p.ID); d.keyConfirm != nil || !settings.SameHost(now.Endpoint, other.URL()) {
		t.Fatalf("asked %v, saved %q, status %q", d.keyConfirm != nil, now.Endpoint, d.Status.Text)
	}
}
