package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/azchat/azchat/chat"
)

// TestStatusNeverWidensTheWindow: a long state (an export's path) is cut
// to fit; the window's minimum width stays what it was, and the note
// gives the state back after a while.
func TestStatusNeverWidensTheWindow(t *testing.T) {
	h := newHarness(t, true)
	statusNoteFor = 200 * time.Millisecond
	t.Cleanup(func() { statusNoteFor = 10 * time.Second })
	var before, after float32
	var state string
	h.ui(func() {
		state = h.u.connLabel.Text
		before = h.u.win.Content().MinSize().Width
		h.u.note("Exported a-chat.md to " + strings.Repeat("/a-very-long-folder-name", 20))
		after = h.u.win.Content().MinSize().Width
	})
	if after > before {
		t.Fatalf("the window's minimum width grew from %.0f to %.0f", before, after)
	}
	// A state with room is not cut.
	h.ui(func() { h.u.win.Resize(fyne.NewSize(1000, 700)) })
	h.ui(func() { h.u.note("gpt-4o (env)") })
	h.ui(func() {
		if got, need := h.u.connLabel.Size().Width, newDimLabel("gpt-4o (env)").MinSize().Width; got < need {
			t.Fatalf("the state has %.0f of the %.0f it needs", got, need)
		}
	})
	waitUntil(t, func() bool {
		var now string
		h.ui(func() { now = h.u.connLabel.Text })
		return now == state
	})
}

// TestCopyIsAcknowledged: a Copy says it copied.
func TestCopyIsAcknowledged(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		h.u.copyText("some text")
		if h.u.connLabel.Text != "Copied" || h.u.fyneApp.Clipboard().Content() != "some text" {
			t.Fatalf("status %q, clipboard %q", h.u.connLabel.Text, h.u.fyneApp.Clipboard().Content())
		}
	})
}

// TestNotesInARowGiveTheStateBack: a note shown over another (Copy, then
// an export) gives back the connection's state, not the first note.
func TestNotesInARowGiveTheStateBack(t *testing.T) {
	h := newHarness(t, true)
	statusNoteFor = 100 * time.Millisecond
	t.Cleanup(func() { statusNoteFor = 10 * time.Second })
	var state string
	h.ui(func() {
		state = h.u.connLabel.Text
		h.u.note("Copied")
		h.u.note("Exported a.md to /tmp")
	})
	waitUntil(t, func() bool {
		var now string
		h.ui(func() { now = h.u.connLabel.Text })
		return now == state
	})
	// Some time later it is still the state.
	h.u.bridge.waitIdle()
	h.ui(func() {
		if h.u.connLabel.Text != state {
			t.Fatalf("status %q, want %q", h.u.connLabel.Text, state)
		}
	})
}

// TestStatusHidesTheStateWithoutRoom: in a window too narrow for the
// state beside the meter, the state is hidden, not drawn over the meter.
func TestStatusHidesTheStateWithoutRoom(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		h.u.note("Exported a-long-name.md to /somewhere/far/away")
		bar := h.u.connLabel
		var status *fyne.Container
		for _, o := range test.LaidOutObjects(h.u.win.Content()) {
			if c, ok := o.(*fyne.Container); ok && len(c.Objects) == 4 && c.Objects[1] == bar {
				status = c
			}
		}
		if status == nil {
			t.Fatal("no status bar")
		}
		status.Resize(fyne.NewSize(h.u.meter.MinSize().Width+h.u.profileSel.MinSize().Width+10, status.Size().Height))
		if bar.Visible() && bar.Position().X+bar.Size().Width > h.u.meter.Position().X {
			t.Fatalf("the state (%.0f wide at %.0f) runs into the meter at %.0f", bar.Size().Width, bar.Position().X, h.u.meter.Position().X)
		}
		if bar.Visible() && bar.Size().Width < 5 {
			t.Fatalf("the state is drawn at %.0f px", bar.Size().Width)
		}
		// The usage too, after the meter: hidden when it has no room.
		h.u.usage.SetText("Last answer: no usage reported")
		status.Refresh()
		status.Resize(fyne.NewSize(status.Size().Width+1, status.Size().Height))
		if h.u.usage.Visible() && h.u.usage.Size().Width < 5 {
			t.Fatalf("the usage is drawn at %.0f px, over the meter", h.u.usage.Size().Width)
		}
		status.Resize(fyne.NewSize(h.u.meter.MinSize().Width+h.u.profileSel.MinSize().Width+1200, status.Size().Height))
		if !h.u.usage.Visible() {
			t.Fatalf("the usage is hidden with room for it: bar %v, state at %v %v, meter at %v %v, usage %v", status.Size(), bar.Position(), bar.Size(), h.u.meter.Position(), h.u.meter.Size(), h.u.usage.Size())
		}
	})
}

// TestANoteGoesWithItsChat: a note about the chat on screen ("Imported
// …") gives the state back when another chat is opened, not ten seconds
// later over that chat; a note shown after the switch stays.
func TestANoteGoesWithItsChat(t *testing.T) {
	h := newHarness(t, true)
	h.send("first chat")
	var state string
	h.ui(func() {
		state = h.u.connLabel.Text
		h.u.noteChat("Imported first.json")
		h.u.newChat()
		if h.u.connLabel.Text != state {
			t.Fatalf("after New chat the status says %q, want %q", h.u.connLabel.Text, state)
		}
		h.u.noteChat("Copied")
		if h.u.connLabel.Text != "Copied" {
			t.Fatalf("a note after the switch shows %q", h.u.connLabel.Text)
		}
		// A note about something else (a profile, the draft) stays.
		h.u.note("Not switched: stop the answer (Esc) or let it end, then pick Other")
		h.u.newChat()
		if !strings.HasPrefix(h.u.connLabel.Text, "Not switched") {
			t.Fatalf("a note about a profile went with the chat: %q", h.u.connLabel.Text)
		}
	})
}

// TestStatusBarMakesRoomForALongerMeter: when the meter's text grows (a
// profile whose model azchat does not know adds "(estimate)"), the usage
// after it moves: it was drawn over the meter until the window was
// resized.
func TestStatusBarMakesRoomForALongerMeter(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		h.u.win.Resize(fyne.NewSize(1000, 720))
		h.u.showUsage([]string{"Last answer: no usage reported", "No usage reported"})
		h.u.onBudget(chat.Budget{Used: 3, Window: 128000, Reserve: 4096})
	})
	h.ui(func() {
		h.u.onBudget(chat.Budget{Used: 25123, Window: 4096000, Reserve: 512000, Estimate: true})
	})
	h.ui(func() {
		m, us := h.u.meter, h.u.usage
		if m.Size().Width < m.MinSize().Width {
			t.Fatalf("the meter is %.0f wide, needs %.0f", m.Size().Width, m.MinSize().Width)
		}
		if !us.Visible() {
			t.Fatal("the usage is hidden at 1000 px")
		}
		if us.Position().X < m.Position().X+m.Size().Width {
			t.Fatalf("the usage at %.0f is drawn over the meter, which ends at %.0f", us.Position().X, m.Position().X+m.Size().Width)
		}
	})
}

// TestTheEmptyProfilePickerOpensSettings: with no profile saved, the status
// bar's picker (which has nothing to list) opens Settings, by click or by
// key; Fyne showed an empty pop-up there, invisible, that took the next
// click.
func TestTheEmptyProfilePickerOpensSettings(t *testing.T) {
	h := newHarness(t, true) // the environment's connection: no profile saved
	for _, open := range []func(){
		func() { test.Tap(h.u.profileSel) },
		func() { h.u.profileSel.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace}) },
	} {
		h.ui(func() {
			if len(h.u.profileSel.Options) != 0 {
				t.Fatalf("profiles %v", h.u.profileSel.Options)
			}
			h.u.settingsDlg = nil
			open()
			top := h.u.win.Canvas().Overlays().Top()
			if h.u.settingsDlg == nil || top == nil {
				t.Fatalf("Settings not opened (overlay %T)", top)
			}
			if _, menu := top.(*widget.PopUpMenu); menu {
				t.Fatal("an empty pop-up menu is shown")
			}
			// The key's character, as the window delivers it after the
			// key (Space): typed into nothing of the form.
			if f := h.u.win.Canvas().Focused(); f != nil {
				f.TypedRune(' ')
			}
		})
		waitUntil(t, func() bool {
			var ok bool
			h.ui(func() { ok = h.u.win.Canvas().Focused() != nil })
			return ok
		})
		h.ui(func() {
			d := h.u.settingsDlg
			for _, e := range []*escEntry{d.Name, d.Endpoint, d.Deployment, d.Key} {
				if strings.HasSuffix(e.Text, " ") || e.Text == " " {
					t.Fatalf("a space was typed into the form: %q", e.Text)
				}
			}
			d.d.Hide()
		})
	}
}

// TestACutNoteShowsItsShortFormAndTooltip: a note too long for the room
// beside the meter ("Exported a.md to /tm…" hid the folder) is drawn in
// its short form, whole, and the pointer on it shows all of it; the state
// that comes back after it has no short form left over.
func TestACutNoteShowsItsShortFormAndTooltip(t *testing.T) {
	h := newHarness(t, true)
	statusNoteFor = 200 * time.Millisecond
	t.Cleanup(func() { statusNoteFor = 10 * time.Second })
	full := "Exported a-chat.md to " + strings.Repeat("/a-long-folder-name", 8)
	var state string
	// (In one go: the note goes after statusNoteFor.)
	h.ui(func() {
		h.u.win.Resize(fyne.NewSize(1000, 720))
		h.u.showUsage([]string{"Last answer: 10 prompt + 5 completion = 15", "15 tokens"})
		state = h.u.connLabel.Text
		h.u.noteChat(full, "Exported a-chat.md")
		l := h.u.connLabel
		// The short form takes its own width: the usage keeps the rest.
		if !h.u.usage.Visible() || h.u.usage.shown == "" {
			t.Fatal("the usage is hidden while the note is shown")
		}
		if l.shown != "Exported a-chat.md" {
			t.Fatalf("drawn %q in %.0f px", l.shown, l.Size().Width)
		}
		l.MouseIn(nil)
		if got := h.u.tips.shown(); got != full {
			t.Fatalf("tooltip %q", got)
		}
		// Broken over lines inside the window, not cut at its edge.
		tip, area := h.u.tips.label, h.u.tips.root.Size()
		if tip.Position().X < 0 || tip.Position().X+tip.Size().Width > area.Width || tip.Size().Height < 2*fyne.MeasureText("M", theme.TextSize(), fyne.TextStyle{}).Height {
			t.Fatalf("tooltip at %v, %v in a window of %v", tip.Position(), tip.Size(), area)
		}
		// The tooltip follows the label's text (the state back).
		l.SetText(state)
		if got := h.u.tips.shown(); got != "" {
			t.Fatalf("tooltip %q over a label that is not cut", got)
		}
		l.MouseOut()
		h.u.noteChat(full, "Exported a-chat.md") // again, for the timer below
	})
	waitUntil(t, func() bool {
		var back bool
		h.ui(func() {
			back = h.u.connLabel.Text == state && h.u.connLabel.shown == state && len(h.u.connLabel.shorter) == 0
		})
		return back
	})
}

// TestTheMeterMakesRoomForTheState: in a small window the token meter is
// the count alone, and the connection's state is shown beside it (at 640
// pixels the meter's whole text left it no room: hidden); in a wide one
// the meter is whole.
func TestTheMeterMakesRoomForTheState(t *testing.T) {
	h := newHarness(t, true)
	check := func(width float32, whole bool) {
		t.Helper()
		h.ui(func() { h.u.win.Resize(fyne.NewSize(width, 600)) })
		h.settle()
		h.ui(func() {
			m, state := h.u.meter, h.u.connLabel
			if got := m.shown == m.Text; got != whole {
				t.Errorf("at %v the meter shows %q (whole: %v, want %v)", width, m.shown, got, whole)
			}
			if !strings.HasPrefix(m.shown, fmt.Sprintf("%d / 128,000 tokens", h.u.budget.Used)) {
				t.Errorf("at %v the meter shows %q", width, m.shown)
			}
			if !state.Visible() || state.cut() {
				t.Errorf("at %v the state %q is hidden or cut (shown %v, %q)", width, state.Text, state.Visible(), state.shown)
			}
			if end := state.Position().X + state.Size().Width; end > m.Position().X {
				t.Errorf("at %v the state runs to %v, into the meter at %v", width, end, m.Position().X)
			}
		})
	}
	check(1400, true)
	check(640, false)
	check(1400, true)
}

// TestTheStatusBarShowsNoFragments: at any width the state and the usage
// are shown whole (in one of their forms), cut to a useful part, or not
// at all: "62 t…", "No u…", "gp…" and a bare "…" were drawn at some.
func TestTheStatusBarShowsNoFragments(t *testing.T) {
	h := newHarness(t, true)
	priced := chat.Message{Role: chat.Assistant, Prices: testPrices}
	usage := usageStatus([]chat.Message{priced}, nil, 0, chat.Usage{PromptTokens: 11, CompletionTokens: 51, TotalTokens: 62})
	var least float32
	h.ui(func() { least = (&statusLayout{state: &h.u.connLabel.dimLabel}).widthOf(usefulCut) })
	for width := float32(480); width <= 1300; width += 2 {
		// The usage comes after the window is laid out (an answer's end),
		// at the same width: it was drawn cut ("Las…") until a resize.
		h.ui(func() {
			h.u.showUsage(nil)
			h.u.win.Resize(fyne.NewSize(width, 600))
		})
		h.ui(func() { h.u.showUsage(usage) })
		h.ui(func() {
			// The usage whole in one of its forms, drawn as it is (a cost
			// cut to "0.00…" read as free).
			if us := h.u.usage; us.Visible() && (us.cut() && us.fullWidth(us.shown) > us.Size().Width+0.5 || drawnText(&us.dimLabel) != us.shown) {
				t.Errorf("at %v the usage draws %q in %.0f units", width, drawnText(&us.dimLabel), us.Size().Width)
			}
			for name, l := range map[string]*dimLabel{"state": &h.u.connLabel.dimLabel} {
				if !l.Visible() || !l.cut() {
					continue
				}
				if whole := l.textWidth(l.shown) + 2*theme.InnerPadding(); whole <= l.Size().Width {
					continue // a shorter form, whole
				}
				if l.Size().Width < least-0.5 {
					t.Errorf("at %v the %s %q is cut to %.0f units", width, name, l.shown, l.Size().Width)
				}
			}
		})
	}
}

// drawnText is the text label l draws (its rich text's, as Fyne cuts it).
func drawnText(l *dimLabel) string {
	var b strings.Builder
	for _, o := range drawnObjects(l) {
		if tx, ok := o.(*canvas.Text); ok {
			b.WriteString(tx.Text)
		}
	}
	return b.String()
}
