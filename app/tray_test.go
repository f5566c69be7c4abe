package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/assets"
	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

// trayApp is a test app with a system tray, as Fyne's desktop drivers
// have and its test app has not: it keeps what it is given.
type trayApp struct {
	fyne.App
	menu   *fyne.Menu
	icon   fyne.Resource
	window fyne.Window
}

var _ desktop.App = (*trayApp)(nil)

func (a *trayApp) SetSystemTrayMenu(m *fyne.Menu)    { a.menu = m }
func (a *trayApp) SetSystemTrayIcon(r fyne.Resource) { a.icon = r }
func (a *trayApp) SetSystemTrayWindow(w fyne.Window) { a.window = w }

// newTrayHarness is newHarness with the tray set up as ShowAndRun does on
// a desktop.
func newTrayHarness(t *testing.T) (*harness, *tray, *trayApp) {
	h := newHarness(t, true)
	d := &trayApp{App: h.u.fyneApp}
	var tr *tray
	h.ui(func() { tr = h.u.setTray(d); h.u.tray = tr })
	return h, tr, d
}

// trayItem is the tray menu's item labelled label.
func trayItem(t *testing.T, m *fyne.Menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, i := range m.Items {
		if i.Label == label && !i.IsSeparator {
			return i
		}
	}
	t.Fatalf("no %q in the tray menu", label)
	return nil
}

// streamLong starts an answer and waits until its text is arriving. The
// stream is held after its 10th event until release is called (or the
// answer is stopped): the test acts while the answer is known to stream.
func streamLong(h *harness, reply string) (release func()) {
	gate := make(chan struct{})
	h.srv.Script(fakeazure.Behaviour{Reply: reply, TokensPerSecond: 100, Gate: gate, GateAfter: 10})
	h.ui(func() {
		test.Type(h.u.input, "go")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitUntil(h.t, func() bool {
		var ok bool
		h.ui(func() { ok = h.u.busy && len(h.u.msgs) == 2 && len(h.u.msgs[1].Content) > 20 })
		return ok
	})
	return sync.OnceFunc(func() { close(gate) })
}

// savedAtQuit waits for quitting to close the database, then reads the
// open conversation back from the file.
func savedAtQuit(h *harness) *chat.Conversation {
	h.t.Helper()
	id, path := h.u.ctl.ConversationID(), h.u.history.Path()
	var conv *chat.Conversation
	waitUntil(h.t, func() bool {
		if _, err := h.u.history.LatestID(); err == nil {
			return false // not closed yet
		}
		s, err := history.Open(path)
		if err != nil {
			return false
		}
		defer s.Close()
		conv, err = s.Load(id)
		return err == nil
	})
	return conv
}

// TestTrayMenu: New chat, Show azchat, Quit, in that order, with the
// icon; the last item is our Quit, marked IsQuit and with our action —
// the conditions under which Fyne 2.8.1's desktop driver adds no Quit of
// its own and leaves the action alone (internal/driver/glfw/
// driver_desktop.go, addMissingQuitForMenu; the test app has no driver
// tray to run it).
func TestTrayMenu(t *testing.T) {
	_, _, d := newTrayHarness(t)
	if d.menu == nil || d.icon != assets.TrayIcon {
		t.Fatalf("tray menu %v, icon %v", d.menu, d.icon)
	}
	var labels []string
	quits := 0
	for _, i := range d.menu.Items {
		if i.IsSeparator {
			continue
		}
		labels = append(labels, i.Label)
		if i.IsQuit || i.Label == "Quit" {
			quits++
		}
	}
	if got := strings.Join(labels, ", "); got != "New chat, Show azchat, Quit" {
		t.Fatalf("tray menu: %s", got)
	}
	last := d.menu.Items[len(d.menu.Items)-1]
	if quits != 1 || !last.IsQuit || last.Action == nil {
		t.Fatalf("%d quits; last item %q IsQuit=%v has action %v", quits, last.Label, last.IsQuit, last.Action != nil)
	}
	if d.window != nil {
		t.Fatal("SetSystemTrayWindow would set its own close intercept and show the window past ours")
	}
}

// TestTrayQuitStopsAndSavesTheAnswer: the tray's Quit is the one
// shutdown: the answer streaming is stopped and saved as stopped.
func TestTrayQuitStopsAndSavesTheAnswer(t *testing.T) {
	h, _, d := newTrayHarness(t)
	reply := strings.Repeat("slowly ", 300)
	streamLong(h, reply)
	h.ui(func() { trayItem(t, d.menu, trayQuit).Action() })
	conv := savedAtQuit(h)
	if len(conv.Messages) != 2 {
		t.Fatalf("%d messages saved", len(conv.Messages))
	}
	if m := conv.Messages[1]; m.Status != chat.Stopped || m.Content == "" || len(m.Content) >= len(reply) {
		t.Fatalf("answer saved %s with %d bytes", m.Status, len(m.Content))
	}
}

// TestCloseKeepsRunningInTheTray: with the setting on, the close button
// hides the window, the answer streams on to its end, and the tray's
// Show azchat and New chat bring the window back.
func TestCloseKeepsRunningInTheTray(t *testing.T) {
	h, tr, d := newTrayHarness(t)
	h.u.store.SetKeepInTray(true)
	reply := strings.Repeat("word ", 150)
	release := streamLong(h, reply)
	h.ui(func() {
		if !h.u.busy {
			t.Fatal("the answer ended before the window was closed")
		}
		tr.closeWindow()
		if !tr.hidden || h.u.quitting {
			t.Fatalf("after close: hidden %v, quitting %v", tr.hidden, h.u.quitting)
		}
	})
	release()
	h.settle()
	h.ui(func() {
		if m := h.u.msgs[1]; m.Status != chat.Complete || m.Content != reply {
			t.Fatalf("answer went %s with %d of %d bytes", m.Status, len(m.Content), len(reply))
		}
		if !tr.hidden || h.u.quitting {
			t.Fatal("the window came back or quit on its own")
		}
		trayItem(t, d.menu, trayShow).Action()
		if tr.hidden || h.u.win.Canvas().Focused() != h.u.input {
			t.Fatal("Show azchat did not bring the window back ready to type")
		}
		tr.closeWindow()
		trayItem(t, d.menu, trayNewChat).Action()
	})
	// The new chat reaches the window through the bridge.
	h.settle()
	h.ui(func() {
		if tr.hidden || len(h.u.msgs) != 0 || h.u.quitting {
			t.Fatalf("New chat: hidden %v, %d messages", tr.hidden, len(h.u.msgs))
		}
	})
}

// TestCloseQuitsWhenNotKeptInTray: with the setting off (the default),
// the close button quits through the one shutdown, tray or not.
func TestCloseQuitsWhenNotKeptInTray(t *testing.T) {
	h, tr, _ := newTrayHarness(t)
	streamLong(h, strings.Repeat("slowly ", 300))
	h.ui(func() {
		tr.closeWindow()
		if tr.hidden || !h.u.quitting {
			t.Fatalf("after close: hidden %v, quitting %v", tr.hidden, h.u.quitting)
		}
	})
	if m := savedAtQuit(h).Messages[1]; m.Status != chat.Stopped || m.Content == "" {
		t.Fatalf("answer saved %s with %d bytes", m.Status, len(m.Content))
	}
}

// viewItem is the View menu's item labelled label, or nil.
func viewItem(u *UI, label string) *fyne.MenuItem {
	for _, m := range u.win.MainMenu().Items {
		if m.Label != "View" {
			continue
		}
		for _, i := range m.Items {
			if i.Label == label {
				return i
			}
		}
	}
	return nil
}

// TestKeepInTrayMenuItem: on a desktop app whose desktop shows tray icons
// startTray (as ShowAndRun calls it) puts azchat in the tray and View
// offers the setting as a check item, off at first and saved when
// changed; without a tray the setting is not offered, since a hidden
// window could not come back.
func TestKeepInTrayMenuItem(t *testing.T) {
	d := &trayApp{App: test.NewTempApp(t)}
	prefs := &settings.MemPrefs{}
	u := New(Config{App: d, Prefs: prefs, Secrets: settings.NewSecrets(), Getenv: func(string) string { return "" },
		TrayHost: func() bool { return true }})
	u.Show()
	u.startTray()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = u.Close(ctx)
		u.bridge.waitIdle()
	})
	waitUntil(t, func() bool {
		u.bridge.applyMu.Lock()
		defer u.bridge.applyMu.Unlock()
		return d.menu != nil && len(d.menu.Items) > 0
	})
	u.bridge.applyMu.Lock()
	defer u.bridge.applyMu.Unlock()
	item := viewItem(u, keepInTrayLabel)
	if item == nil || item.Checked {
		t.Fatalf("View item %+v", item)
	}
	item.Action()
	if !item.Checked || !settings.Load(prefs).KeepInTray() {
		t.Fatal("turning it on was not saved")
	}
	item.Action()
	if item.Checked || settings.Load(prefs).KeepInTray() {
		t.Fatal("turning it off was not saved")
	}
}

// TestNoKeepInTrayItemWithoutATray: a window with no tray does not offer
// to keep running in one. (A test of its own: a second window opened
// while the first is alive shares Fyne's shaper with it.)
func TestNoKeepInTrayItemWithoutATray(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		if viewItem(h.u, keepInTrayLabel) != nil {
			t.Fatal("offered without a tray")
		}
	})
}

// A desktop that shows no tray icons (no StatusNotifier watcher on the
// session bus) gets no tray: the close button quits and View does not
// offer to keep running in a tray no one could open.
func TestNoTrayWithoutATrayHost(t *testing.T) {
	d := &trayApp{App: test.NewTempApp(t)}
	asked := make(chan struct{})
	u := New(Config{App: d, Prefs: &settings.MemPrefs{}, Secrets: settings.NewSecrets(), Getenv: func(string) string { return "" },
		TrayHost: func() bool { close(asked); return false }})
	u.Show()
	u.startTray()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = u.Close(ctx)
		u.bridge.waitIdle()
	})
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("the tray host was never asked")
	}
	u.bridge.waitIdle()
	u.bridge.applyMu.Lock()
	defer u.bridge.applyMu.Unlock()
	if d.menu != nil || u.tray != nil || viewItem(u, keepInTrayLabel) != nil {
		t.Fatal("a tray without a tray host")
	}
}

// TestCloseDoesNotHideAnUnsavedChat: with the window kept in the tray, the
// close button hid it even while a chat was only in memory (the banner
// that says so went with it, and a logout then lost the chat unasked).
func TestCloseDoesNotHideAnUnsavedChat(t *testing.T) {
	h, tr, _ := newTrayHarness(t)
	h.u.store.SetKeepInTray(true)
	h.u.bridge.push(chat.StorageFailed{Err: fmt.Errorf("write: %w", syscall.ENOSPC)})
	h.u.bridge.waitIdle()
	h.ui(func() {
		tr.closeWindow()
		if tr.hidden || h.u.quitting || h.u.win.Canvas().Overlays().Top() == nil {
			t.Fatalf("after close: hidden %v, quitting %v, no message", tr.hidden, h.u.quitting)
		}
	})
}

// TestRaiseSaysWhetherTheWindowCameUp: a second start is told the window
// came up only once it did, and that it is quitting when it is (it then
// waits for this window to end, rather than leaving no window at all).
func TestRaiseSaysWhetherTheWindowCameUp(t *testing.T) {
	h := newHarness(t, true)
	if raised, quitting := h.u.Raise(10 * time.Second); !raised || quitting {
		t.Fatalf("open window: raised %v, quitting %v", raised, quitting)
	}
	h.ui(func() { h.u.quitting = true })
	if raised, quitting := h.u.Raise(10 * time.Second); raised || !quitting {
		t.Fatalf("quitting window: raised %v, quitting %v", raised, quitting)
	}
	h.ui(func() { h.u.quitting = false })
}
