package app

import (
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

// twoProfiles opens the window with two saved profiles on the stand-in,
// "Work" (deployment gpt-4o, current) and "Other" (deployment other),
// their keys in the keychain, and "No key" (whose key is not). While hold
// has a channel, reading a connection waits for it to close (as a keychain
// answers a moment later).
func twoProfiles(t *testing.T) (h *harness, hold *held) {
	t.Helper()
	requireKeychain(t)
	prefs := &settings.MemPrefs{}
	store := settings.Load(prefs)
	hold = &held{}
	h = newHarnessConfig(t, false, func(s *fakeazure.Server) {
		s.Deployments["other"] = fakeazure.Deployment{Model: "gpt-4o-mini-2024-07-18"}
	}, func(c *Config, srv *fakeazure.Server) {
		for _, p := range []settings.Profile{
			{Name: "Work", Endpoint: srv.URL(), Deployment: "gpt-4o"},
			{Name: "Other", Endpoint: srv.URL(), Deployment: "other"},
			{Name: "No key", Endpoint: "https://nokey.invalid/", Deployment: "gpt-4o"},
		} {
			saved, err := store.Put(p)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name == "No key" {
				continue
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
		// A connection reads the environment first.
		c.Getenv = func(string) string {
			if g := hold.gate.Load(); g != nil {
				hold.waiting.Add(1)
				<-*g
				hold.waiting.Add(-1)
			}
			return ""
		}
	})
	return h, hold
}

// held holds connections: while gate has a channel, reading a connection
// waits for it to close; waiting counts the reads held.
type held struct {
	gate    atomic.Pointer[chan struct{}]
	waiting atomic.Int32
}

// press types text into the input and presses Enter.
func press(h *harness, text string) {
	test.Type(h.u.input, text)
	h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// statusShows waits for the connection status to read text.
func statusShows(t *testing.T, h *harness, text string) {
	t.Helper()
	waitUntil(t, func() bool {
		label := ""
		h.ui(func() { label = h.u.connLabel.Text })
		return label == text
	})
}

// answered waits for the chat to hold n messages, the last complete.
func answered(t *testing.T, h *harness, n int) {
	t.Helper()
	waitUntil(t, func() bool {
		done := false
		h.ui(func() { done = len(h.u.msgs) == n && h.u.msgs[n-1].Status == chat.Complete })
		return done
	})
	h.settle()
}

// switchingToOther sends "first" with Work, then switches to Other and
// presses Enter on "second" while Other's key is still being read, until
// release is called.
func switchingToOther(t *testing.T) (h *harness, release func()) {
	t.Helper()
	h, hold := twoProfiles(t)
	h.send("first")
	wait := make(chan struct{})
	hold.gate.Store(&wait)
	h.ui(func() {
		h.u.switchProfile("Other")
		press(h, "second")
	})
	return h, func() {
		hold.gate.Store(nil)
		close(wait)
	}
}

// Enter while a newly chosen profile is still being connected (its key
// read from the keychain) waits for it ("Connecting…"), and the message
// goes to that profile's deployment, not to the one of before.
func TestEnterWhileSwitchingProfilesSendsWithTheNewOne(t *testing.T) {
	h, release := switchingToOther(t)
	h.ui(func() {
		if h.u.input.Text != "second" || len(h.u.msgs) != 2 || h.u.connLabel.Text != "Connecting…" {
			t.Fatalf("Enter while connecting: input %q, %d messages, status %q", h.u.input.Text, len(h.u.msgs), h.u.connLabel.Text)
		}
		h.u.regenerate() // nor anything else sent meanwhile
	})
	release()
	answered(t, h, 4)
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

// A message waiting for the connection stays in the input when another
// chat is shown meanwhile (New chat here): it was written for the other.
func TestAWaitingMessageStaysWhenTheChatChanges(t *testing.T) {
	h, release := switchingToOther(t)
	h.ui(h.u.newChat)
	release()
	statusShows(t, h, "other")
	h.settle()
	h.ui(func() {
		if len(h.u.msgs) != 0 || h.u.input.Text != "second" || h.u.sendWhenConnected {
			t.Fatalf("new chat: %d messages, input %q, waiting %v", len(h.u.msgs), h.u.input.Text, h.u.sendWhenConnected)
		}
	})
	if n := len(h.srv.Requests()); n != 1 {
		t.Fatalf("%d requests", n)
	}
}

// Enter without a connection opens the settings and keeps the message in
// the input; saving them connects and sends nothing by itself: the next
// Enter does. (It failed the answer with "not connected yet", a failed
// answer saved in the history, and the text left the input.)
func TestEnterWithoutAConnectionOpensSettingsAndKeepsTheText(t *testing.T) {
	requireKeychain(t)
	h := newHarness(t, false)
	h.ui(func() {
		tapButton(t, h.u.win, "Close") // the first start's settings
		press(h, "hello")
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
	statusShows(t, h, "gpt-4o")
	h.settle()
	h.ui(func() {
		if len(h.u.msgs) != 0 || h.u.input.Text != "hello" {
			t.Fatalf("connected: %d messages, input %q", len(h.u.msgs), h.u.input.Text)
		}
		tapButton(t, h.u.win, "Close")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	answered(t, h, 2)
	h.ui(func() {
		if h.u.msgs[0].Content != "hello" || h.u.input.Text != "" {
			t.Fatalf("sent %q, input %q", h.u.msgs[0].Content, h.u.input.Text)
		}
	})
}

// A profile that cannot connect (its key is not in the keychain) sends
// nothing with the profile of before: Enter and Regenerate open the
// settings, and the controller's own client is reset (a regenerate there
// fails saying azchat is not connected) rather than answering from the
// other profile's deployment.
func TestAProfileThatCannotConnectSendsNothingWithTheOldOne(t *testing.T) {
	h, _ := twoProfiles(t)
	h.send("first")
	h.ui(func() { h.u.switchProfile("No key") })
	statusShows(t, h, "Not connected")
	h.settle()
	asked := len(h.srv.Requests())
	h.ui(func() {
		tapButton(t, h.u.win, "OK") // "Not connected" and why
		press(h, "second")
		if !settingsOnTop(h) || h.u.input.Text != "second" || len(h.u.msgs) != 2 {
			t.Fatalf("Enter: settings %v, input %q, %d messages", settingsOnTop(h), h.u.input.Text, len(h.u.msgs))
		}
		tapButton(t, h.u.win, "Close")
		h.u.regenerate()
		if !settingsOnTop(h) {
			t.Fatal("Regenerate did not open the settings")
		}
		tapButton(t, h.u.win, "Close")
	})
	regenerateFailsUnsent(t, h, asked)
}

// A connection that fails while an answer streams (settings saved with a
// key since gone) leaves the controller without the old client once the
// answer ends.
func TestAConnectionFailingDuringAnAnswerDropsTheOldClientAfterIt(t *testing.T) {
	h, _ := twoProfiles(t)
	streamStalled(t, h)
	p, _ := h.u.store.Current()
	if err := settings.NewSecrets().Delete(p.ID); err != nil {
		t.Fatal(err)
	}
	h.ui(h.u.reconnect) // what saving the settings does
	failedWhileStreaming(t, h)
}

// streamStalled sends "first" and waits for its answer to stall mid-stream:
// the turn runs until stopped.
func streamStalled(t *testing.T, h *harness) {
	t.Helper()
	h.srv.Script(fakeazure.Behaviour{Reply: "an answer that stops after a few words", StallAfter: 3})
	h.ui(func() { press(h, "first") })
	waitUntil(t, func() bool { return len(h.srv.Requests()) == 1 && h.u.ctl.Busy() })
}

// failedWhileStreaming waits for the connection to fail while the answer
// still streams, then stops the answer: the controller is left without
// the client of before, and a regenerate fails without a request.
func failedWhileStreaming(t *testing.T, h *harness) {
	t.Helper()
	waitUntil(t, func() bool {
		failed := false
		h.ui(func() { failed = h.u.connLabel.Text == "Not connected" })
		return failed
	})
	if !h.u.ctl.Busy() {
		t.Fatal("the answer ended before the connection failed")
	}
	if _, dropped := h.u.ctl.Client().(notConnected); dropped {
		t.Fatal("the client was replaced while the answer streamed with it")
	}
	h.u.ctl.Stop()
	h.settle()
	h.ui(func() { tapButton(t, h.u.win, "OK") }) // "Not connected" and why
	waitUntil(t, func() bool {
		_, dropped := h.u.ctl.Client().(notConnected)
		return dropped
	})
	regenerateFailsUnsent(t, h, len(h.srv.Requests()))
}

// regenerateFailsUnsent regenerates the answer through the controller
// itself: it fails, offering Settings, and no request goes out beyond the
// asked ones so far.
func regenerateFailsUnsent(t *testing.T, h *harness, asked int) {
	t.Helper()
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
		t.Fatalf("%d requests went out with the client of before", got-asked)
	}
}

// A profile whose key is read slowly does not replace the one chosen after
// it: Other is chosen while the keychain is slow, then Work again at once;
// Work's connection is applied and decides (Enter sends at once, without
// waiting for Other's read); Other's, coming last, is not applied, and
// every message goes to Work's deployment.
func TestAProfileReadSlowlyDoesNotReplaceTheOneChosenAfter(t *testing.T) {
	h, hold := twoProfiles(t)
	h.send("first")
	wait := make(chan struct{})
	hold.gate.Store(&wait)
	h.ui(func() { h.u.switchProfile("Other") })
	// Other's read holds (it reads the environment after the profile).
	waitUntil(t, func() bool { return hold.waiting.Load() == 1 })
	hold.gate.Store(nil)
	h.ui(func() { h.u.switchProfile("Work") })
	pending := func() int {
		n := 0
		h.ui(func() { n = h.u.connecting })
		return n
	}
	waitUntil(t, func() bool { return pending() == 1 }) // Work applied, Other held
	// Work decides: Enter does not wait for Other's read.
	h.ui(func() { press(h, "second") })
	answered(t, h, 4)
	close(wait)
	waitUntil(t, func() bool { return pending() == 0 })
	h.settle()
	h.ui(func() {
		if h.u.profileSel.Selected != "Work" || h.u.connLabel.Text != "gpt-4o" {
			t.Fatalf("after both: profile %q, status %q", h.u.profileSel.Selected, h.u.connLabel.Text)
		}
		press(h, "third")
	})
	answered(t, h, 6)
	for _, r := range h.srv.Requests() {
		if r.Deployment != "gpt-4o" {
			t.Fatalf("a message went to %q", r.Deployment)
		}
	}
}

// Resend in edit & resend while a connection is pending (settings saved
// while the dialog was open) sends nothing with the client of before: the
// edit opens again with its text, and is resent once connected.
func TestResendWhileConnectingKeepsTheEdit(t *testing.T) {
	h, hold := twoProfiles(t)
	h.send("first")
	wait := make(chan struct{})
	var once sync.Once
	release := func() {
		hold.gate.Store(nil)
		once.Do(func() { close(wait) })
	}
	defer release()
	editBox := func() *widget.Entry {
		for _, o := range test.LaidOutObjects(h.u.win.Canvas().Overlays().Top()) {
			if ee, ok := o.(*escEntry); ok && ee.MultiLine {
				e := &ee.Entry
				return e
			}
		}
		t.Fatal("no edit dialog")
		return nil
	}
	h.ui(func() {
		h.u.editMessage(0)
		hold.gate.Store(&wait)
		h.u.reconnect() // settings saved meanwhile
		editBox().SetText("first, edited")
		tapButton(t, h.u.win, "Resend")
		if got := editBox().Text; got != "first, edited" || h.u.input.Text != "" || h.u.connLabel.Text != "Connecting…" {
			t.Fatalf("Resend while connecting: edit %q, input %q, status %q", got, h.u.input.Text, h.u.connLabel.Text)
		}
	})
	h.settle()
	if n := len(h.srv.Requests()); n != 1 {
		t.Fatalf("%d requests", n)
	}
	release()
	waitUntil(t, func() bool {
		pending := true
		h.ui(func() { pending = h.u.connectPending() })
		return !pending
	})
	h.ui(func() { tapButton(t, h.u.win, "Resend") })
	waitUntil(t, func() bool {
		done := false
		h.ui(func() {
			done = len(h.u.msgs) == 2 && h.u.msgs[0].Content == "first, edited" && h.u.msgs[1].Status == chat.Complete
		})
		return done
	})
	h.settle()
	h.ui(func() {
		if h.u.msgs[0].Branches != 2 {
			t.Fatalf("the edit is version %d of %d", h.u.msgs[0].Branch, h.u.msgs[0].Branches)
		}
	})
}

// A failing connection decides even while an older attempt is still out
// (its key read slowly): once the answer streaming meanwhile ends, the
// controller has no client of before.
func TestAFailingConnectionDecidesOverAnOlderOneStillOut(t *testing.T) {
	h, hold := twoProfiles(t)
	streamStalled(t, h)
	wait := make(chan struct{})
	defer close(wait)
	hold.gate.Store(&wait)
	h.ui(h.u.reconnect) // settings saved: this read holds
	waitUntil(t, func() bool { return hold.waiting.Load() == 1 })
	hold.gate.Store(nil)
	p, _ := h.u.store.Current()
	if err := settings.NewSecrets().Delete(p.ID); err != nil {
		t.Fatal(err)
	}
	h.ui(h.u.reconnect) // saved again, the key gone: this one fails
	failedWhileStreaming(t, h)
}

// Resend when the connection failed while the edit was open (settings
// saved with the key gone) opens the settings over the edit, which keeps
// its text underneath.
func TestResendWithoutAConnectionOpensSettingsOverTheEdit(t *testing.T) {
	h, _ := twoProfiles(t)
	h.send("first")
	h.ui(func() { h.u.editMessage(0) })
	p, _ := h.u.store.Current()
	if err := settings.NewSecrets().Delete(p.ID); err != nil {
		t.Fatal(err)
	}
	h.ui(h.u.reconnect)
	waitUntil(t, func() bool {
		failed := false
		h.ui(func() { failed = h.u.connLabel.Text == "Not connected" })
		return failed
	})
	h.ui(func() {
		tapButton(t, h.u.win, "OK") // "Not connected" and why
		var edit *widget.Entry
		for _, o := range test.LaidOutObjects(h.u.win.Canvas().Overlays().Top()) {
			if e, ok := o.(*escEntry); ok && e.MultiLine {
				edit = &e.Entry
			}
		}
		if edit == nil {
			t.Fatal("no edit dialog")
		}
		edit.SetText("first, edited")
		tapButton(t, h.u.win, "Resend")
		if !settingsOnTop(h) {
			t.Fatal("the settings are not on top")
		}
		overlays := h.u.win.Canvas().Overlays().List()
		found := false
		for _, o := range test.LaidOutObjects(overlays[len(overlays)-2]) {
			if e, ok := o.(*escEntry); ok && e.MultiLine && e.Text == "first, edited" {
				found = true
			}
		}
		if !found {
			t.Fatal("the edit is not under the settings with its text")
		}
	})
	h.settle()
	if n := len(h.srv.Requests()); n != 1 {
		t.Fatalf("%d requests", n)
	}
}

// TestASwitchDuringAnAnswerSaysWhy: picking another profile while an answer
// is written leaves the profile as it was and says why (it snapped back
// without a word).
func TestASwitchDuringAnAnswerSaysWhy(t *testing.T) {
	h, _ := twoProfiles(t)
	gate := make(chan struct{})
	defer close(gate)
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("words ", 200), Gate: gate, GateAfter: 5})
	h.ui(func() { press(h, "stream please") })
	waitUntil(t, func() bool {
		var busy bool
		h.ui(func() { busy = h.u.busy })
		return busy
	})
	h.ui(func() {
		h.u.switchProfile("Other")
		if cur, _ := h.u.store.Current(); cur.Name == "Other" || !strings.HasPrefix(h.u.connLabel.Text, "Not switched") {
			t.Fatalf("profile %q, status %q", cur.Name, h.u.connLabel.Text)
		}
	})
}
