package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

func TestEnterSendsAndAnswerStreams(t *testing.T) {
	h := newHarness(t, true)
	before, start := h.u.bridge.flushes.Load(), time.Now()
	h.send("Who founded Microsoft?")
	flushes, elapsed := h.u.bridge.flushes.Load()-before, time.Since(start)
	h.ui(func() {
		if len(h.u.msgs) != 2 {
			t.Fatalf("%d messages", len(h.u.msgs))
		}
		a := h.u.msgs[1]
		if a.Status != chat.Complete || !strings.Contains(a.Content, "Who founded Microsoft?") {
			t.Fatalf("answer %+v", a)
		}
		if h.u.input.Text != "" {
			t.Fatalf("input not cleared: %q", h.u.input.Text)
		}
		if h.u.win.Canvas().Focused() != h.u.input {
			t.Fatal("input lost focus after send")
		}
		if !strings.Contains(h.u.win.Title(), "Who founded Microsoft?") {
			t.Fatalf("title %q", h.u.win.Title())
		}
		if !strings.Contains(h.u.usage.Text, "prompt") || !strings.Contains(h.u.meter.Text, "/ 128,000 tokens") {
			t.Fatalf("status bar: %q / %q", h.u.usage.Text, h.u.meter.Text)
		}
		if h.u.sendB.Text != "Send" {
			t.Fatal("Stop did not turn back into Send")
		}
	})
	r := h.row(1)
	h.ui(func() {
		if !strings.HasPrefix(r.header.Text, "Assistant") || !strings.Contains(r.header.Text, "gpt-4o-2024-11-20") {
			t.Fatalf("header %q", r.header.Text)
		}
		if r.regenB.Hidden || !r.editB.Hidden || r.badge.Visible() {
			t.Fatal("wrong actions on a complete answer")
		}
	})
	// Deltas are coalesced: at most about one redraw a frame, plus the
	// turn's own events (the question, the end, the usage, the count).
	// Bounded by the time the turn took: on a loaded machine deltas
	// that arrive frames apart are drawn apart.
	if limit := int64(elapsed.Seconds()*60*1.2) + 15; flushes > limit {
		t.Fatalf("%d redraws for one short answer in %v (limit %d)", flushes, elapsed, limit)
	}
}

func TestShiftEnterInsertsNewline(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		test.Type(h.u.input, "line one")
		h.u.input.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		h.u.input.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
		test.Type(h.u.input, "line two")
	})
	h.settle()
	h.ui(func() {
		if h.u.input.Text != "line one\nline two" || len(h.u.msgs) != 0 {
			t.Fatalf("text %q, %d messages", h.u.input.Text, len(h.u.msgs))
		}
	})
}

// slowReply is slowAnswer's answer: 3,000 words at 100 a second, half a
// minute, so that it is still streaming whatever a loaded machine delays
// (the tests stop it, or their cleanup does).
var slowReply = strings.Repeat("slowly ", 3000)

// slowAnswer opens the window, sends a question and returns once its
// answer (slowReply) has begun streaming: text on screen, the turn
// running.
func slowAnswer(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: slowReply, TokensPerSecond: 100})
	h.ui(func() {
		test.Type(h.u.input, "go")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() { ok = h.u.busy && len(h.u.msgs) == 2 && len(h.u.msgs[1].Content) > 20 })
		return ok
	})
	return h
}

func TestStopKeepsPartialAnswer(t *testing.T) {
	h := slowAnswer(t)
	h.ui(func() {
		if h.u.sendB.Text != "Stop" {
			t.Fatalf("button says %q while streaming", h.u.sendB.Text)
		}
		test.Tap(h.u.sendB)
	})
	h.settle()
	h.ui(func() {
		m := h.u.msgs[1]
		if m.Status != chat.Stopped || m.Content == "" {
			t.Fatalf("after stop: %+v", m)
		}
	})
	r := h.row(1)
	h.ui(func() {
		if !strings.Contains(r.badge.Text, "Stopped") || r.action.Text != "Regenerate" {
			t.Fatalf("badge %q action %q", r.badge.Text, r.action.Text)
		}
		// The user's own stop is not drawn as a fault.
		if r.badge.Importance == widget.WarningImportance {
			t.Fatal("a stopped answer's line is drawn as a warning")
		}
	})
}

func TestEscStops(t *testing.T) {
	h := slowAnswer(t)
	var before int
	h.ui(func() {
		before = len(h.u.msgs[1].Content)
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	})
	h.settle()
	h.ui(func() {
		m := h.u.msgs[1]
		if m.Status != chat.Stopped || len(m.Content) < before || len(m.Content) >= len(slowReply) {
			t.Fatalf("after Esc: %s with %d bytes (had %d when Esc was pressed)", m.Status, len(m.Content), before)
		}
	})
}

// TestEscStopsWithoutTheInputFocused: after a click on the transcript or
// a Copy button the message box has no focus and keys go to the window,
// which did nothing with Esc. Under a dialog Esc is the dialog's.
func TestEscStopsWithoutTheInputFocused(t *testing.T) {
	h := slowAnswer(t)
	h.ui(func() {
		c := h.u.win.Canvas()
		c.Unfocus()
		dialog.ShowInformation("A dialog", "on top", h.u.win)
		c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if !h.u.ctl.Busy() {
			t.Fatal("Esc under a dialog stopped the answer")
		}
		c.Overlays().Top().Hide()
		c.Overlays().Remove(c.Overlays().Top())
		c.OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape})
	})
	h.settle()
	h.ui(func() {
		if m := h.u.msgs[1]; m.Status != chat.Stopped {
			t.Fatalf("after Esc with nothing focused: %s", m.Status)
		}
		// A click in the chat list focuses the list; choosing a chat
		// gives the keys back to the message box.
		c := h.u.win.Canvas()
		c.Focus(h.u.side.list)
		h.u.side.list.OnSelected(0)
		if c.Focused() != h.u.input {
			t.Fatalf("after choosing a chat the keys go to %T", c.Focused())
		}
	})
}

// TestEscInTheChatListStops: a click on the shown chat's row gives the
// list the keys without selecting anything new, and the list ignored Esc.
func TestEscInTheChatListStops(t *testing.T) {
	h := slowAnswer(t)
	h.ui(func() {
		c := h.u.win.Canvas()
		c.Focus(h.u.side.list)
		c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	})
	h.settle()
	h.ui(func() {
		if m := h.u.msgs[1]; m.Status != chat.Stopped {
			t.Fatalf("after Esc in the chat list: %s", m.Status)
		}
	})
}

// Esc applies the stopped answer before it returns: the frame drawn after
// the key press already shows it (it does not wait in Fyne's queue behind
// that frame). The button turns back to Send when the turn ends.
func TestEscShowsTheStoppedAnswerAtOnce(t *testing.T) {
	h := slowAnswer(t)
	// One critical section: no batch of the bridge can run between the key
	// and the checks. (This test is about order, not latency: Esc may wait
	// long for the stopped answer under -race on a loaded machine.)
	h.ui(func() {
		h.u.stopWait = 10 * time.Second
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
		if m := h.u.msgs[1]; m.Status != chat.Stopped {
			t.Fatalf("right after Esc the answer is %s, want stopped", m.Status)
		}
		r := shownRow(t, h, 1)
		if !strings.Contains(r.badge.Text, "Stopped") {
			t.Fatalf("right after Esc the row's status says %q", r.badge.Text)
		}
		// Until the turn ends (the answer on disk), its actions would be
		// refused as busy: none is offered.
		if h.u.busy && (!r.regenB.Hidden || !r.action.Hidden || !r.deleteB.Hidden || !r.forkB.Hidden) {
			t.Fatalf("while the turn ends: Regenerate shown %v, action %q shown %v, Delete %v, Fork %v", !r.regenB.Hidden, r.action.Text, !r.action.Hidden, !r.deleteB.Hidden, !r.forkB.Hidden)
		}
	})
	h.settle()
	h.ui(func() {
		if h.u.busy || h.u.sendB.Text != "Send" {
			t.Fatalf("after the turn ended: busy %v, the button says %q", h.u.busy, h.u.sendB.Text)
		}
		r := shownRow(t, h, 1)
		if r.regenB.Hidden || r.action.Hidden || r.action.Text != "Regenerate" {
			t.Fatalf("after the turn ended: Regenerate shown %v, action %q shown %v", !r.regenB.Hidden, r.action.Text, !r.action.Hidden)
		}
	})
}

// An answer that has ended while its turn is still running (being written
// to disk: the controller emits the answer first) offers no action, each
// of which the controller would refuse as busy; the Busy event that ends
// the turn brings them.
func TestAnAnswerOffersNoActionUntilItsTurnEnds(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: "Done.", FinishReason: "length"})
	h.send("go")
	h.ui(func() {
		h.u.apply([]any{chat.Busy{Busy: true}}) // as if the turn had not ended yet
		r := shownRow(t, h, 1)
		if !r.regenB.Hidden || !r.action.Hidden || !r.deleteB.Hidden || !r.forkB.Hidden {
			t.Fatalf("while the turn ends: Regenerate shown %v, action %q shown %v, Delete %v, Fork %v", !r.regenB.Hidden, r.action.Text, !r.action.Hidden, !r.deleteB.Hidden, !r.forkB.Hidden)
		}
		h.u.apply([]any{chat.Busy{Busy: false}})
		r = shownRow(t, h, 1)
		if r.regenB.Hidden || r.action.Hidden || r.action.Text != "Continue" || r.deleteB.Hidden || r.forkB.Hidden {
			t.Fatalf("once the turn ended: Regenerate shown %v, action %q shown %v, Delete %v, Fork %v", !r.regenB.Hidden, r.action.Text, !r.action.Hidden, !r.deleteB.Hidden, !r.forkB.Hidden)
		}
	})
}

// The same for an answer long enough to be several list items: its first
// part, which holds Regenerate, Delete and Fork, follows the turn's end
// too, though only its last part holds the status the end changes.
func TestALongAnswerOffersNoActionUntilItsTurnEnds(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: fakeazure.ParagraphOfSize(24 << 10)})
	h.send("dump")
	h.ui(func() {
		if h.u.transcript.firstItem(1) == h.u.transcript.lastItem(1) {
			t.Fatal("the 24 KB answer is one list item, want several")
		}
	})
	h.row(1) // its first part on screen, then no scrolling: only the events refill it
	for _, busy := range []bool{true, false} {
		h.ui(func() {
			h.u.apply([]any{chat.Busy{Busy: busy}})
			r := shownRow(t, h, 1)
			if shown := !r.regenB.Hidden && !r.deleteB.Hidden && !r.forkB.Hidden; shown == busy {
				t.Fatalf("busy %v: Regenerate shown %v, Delete %v, Fork %v", busy, !r.regenB.Hidden, !r.deleteB.Hidden, !r.forkB.Hidden)
			}
		})
	}
}

func TestBadgesAndActions(t *testing.T) {
	h := newHarness(t, true)
	// Truncated: Continue appends to the same answer.
	h.srv.Script(fakeazure.Behaviour{Reply: "Part one", FinishReason: "length"}, fakeazure.Behaviour{Reply: ", part two."})
	h.send("tell me")
	r := h.row(1)
	h.ui(func() {
		if !strings.Contains(r.badge.Text, "reply limit") || r.action.Text != "Continue" {
			t.Fatalf("truncated: %q %q", r.badge.Text, r.action.Text)
		}
		test.Tap(r.action)
	})
	h.settle()
	h.ui(func() {
		if h.u.msgs[1].Content != "Part one, part two." || h.u.msgs[1].Status != chat.Complete {
			t.Fatalf("after continue: %+v", h.u.msgs[1])
		}
	})

	// Filtered: category and severity.
	h.srv.Script(fakeazure.Behaviour{FinishReason: "content_filter", FilterCategory: "violence", FilterSeverity: "high"})
	h.send("story")
	r = h.row(3)
	h.ui(func() {
		if !strings.Contains(r.badge.Text, "violence (high)") {
			t.Fatalf("filtered: %q", r.badge.Text)
		}
	})

	// Interrupted: Retry.
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("word ", 40), DropAfter: 4}, fakeazure.Behaviour{Reply: "complete now"})
	h.send("again")
	r = h.row(5)
	h.ui(func() {
		if !strings.Contains(r.badge.Text, "Interrupted") || r.action.Text != "Retry" {
			t.Fatalf("interrupted: %q %q", r.badge.Text, r.action.Text)
		}
		test.Tap(r.action)
	})
	h.settle()
	h.ui(func() {
		if n := len(h.u.msgs); n != 6 || h.u.msgs[5].Content != "complete now" {
			t.Fatalf("after retry: %d messages, last %+v", n, h.u.msgs[n-1])
		}
	})

	// Failed with a settings problem: the action opens settings.
	h.srv.Script(fakeazure.Behaviour{Status: 401, Body: fakeazure.Fixture("error-401.json")})
	h.send("who am I")
	r = h.row(7)
	h.ui(func() {
		if !strings.Contains(r.badge.Text, "API key") || r.action.Text != "Open settings" {
			t.Fatalf("failed: %q %q", r.badge.Text, r.action.Text)
		}
		if strings.Contains(r.badge.Text, key) {
			t.Fatal("key on screen")
		}
		test.Tap(r.action)
		if !settingsOnTop(h) {
			t.Fatal("settings did not open")
		}
	})
}

// settingsOnTop reports whether the top overlay is the settings dialog
// (not just any dialog): it holds the dialog's Test connection button.
func settingsOnTop(h *harness) bool {
	top := h.u.win.Canvas().Overlays().Top()
	if top == nil || h.u.settingsDlg == nil {
		return false
	}
	for _, o := range test.LaidOutObjects(top) {
		if o == h.u.settingsDlg.TestButton {
			return true
		}
	}
	return false
}

func TestRateLimitCountdown(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Status: 429, Body: fakeazure.Fixture("error-429.json"), Header: map[string]string{"retry-after-ms": "5000"}})
	h.ui(func() {
		test.Type(h.u.input, "busy?")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	var note string
	waitUntil(t, func() bool {
		h.ui(func() { note = h.u.waitNote[1] })
		return note != ""
	})
	// What happened, not "wait 5s and try again" while azchat does.
	if !strings.Contains(note, "retrying in") || !strings.Contains(note, "rate limit") || strings.Contains(note, "try again") {
		t.Fatalf("wait note %q", note)
	}
	h.settle()
	h.ui(func() {
		if h.u.msgs[1].Status != chat.Complete {
			t.Fatalf("after the wait: %+v", h.u.msgs[1])
		}
	})
}

func TestTooLongMessageStaysInInput(t *testing.T) {
	h := newHarness(t, true)
	h.u.ctl.SetOptions(chat.Options{Deployment: "gpt-4o", Window: 300, MaxTokens: 100})
	long := strings.Repeat("lots of words ", 200)
	// Set, not typed: Fyne's test.Type into a word-wrapped entry can
	// swap characters where a line wraps (the text depends on the width).
	h.ui(func() {
		h.u.input.SetText(long)
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	h.settle()
	h.ui(func() {
		if len(h.u.msgs) != 0 || h.u.input.Text != long {
			t.Fatalf("%d messages, input kept: %v", len(h.u.msgs), h.u.input.Text == long)
		}
		if h.u.win.Canvas().Overlays().Top() == nil {
			t.Fatal("no message said why")
		}
	})
}

func TestTokenMeterFollowsTyping(t *testing.T) {
	h := newHarness(t, true)
	var before string
	h.ui(func() { before = h.u.meter.Text })
	h.ui(func() { test.Type(h.u.input, strings.Repeat("count me ", 50)) })
	h.settle()
	h.ui(func() {
		if h.u.meter.Text == before || !strings.Contains(h.u.meter.Text, "reserved for the reply") {
			t.Fatalf("meter %q -> %q", before, h.u.meter.Text)
		}
	})
}

func TestOutsideWindowIsMarked(t *testing.T) {
	h := newHarness(t, true)
	for i := 0; i < 4; i++ {
		h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("padding text ", 100)})
		h.send("question")
	}
	h.u.ctl.SetOptions(chat.Options{Deployment: "gpt-4o", Window: 700, MaxTokens: 100})
	h.send("last")
	r := h.row(0)
	h.ui(func() {
		if !h.u.outside[0] || !r.outside.Visible() || !r.overlay.Visible() {
			t.Fatalf("oldest message not marked: outside=%v", h.u.outside)
		}
	})
}

func TestFirstRunOpensSettings(t *testing.T) {
	h := newHarness(t, false)
	h.ui(func() {
		if !settingsOnTop(h) {
			t.Fatal("first run without settings should open the settings dialog")
		}
	})
}

// TestContinueIsOnTheNewestAnswerOnly: an answer cut by the reply limit
// offers Continue while it is the chat's last; after another question it
// keeps its note but not the button (pressed, it said "there is no answer
// to do that with").
func TestContinueIsOnTheNewestAnswerOnly(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: "Part one", FinishReason: "length"}, fakeazure.Behaviour{Reply: "Another answer."})
	h.send("tell me")
	r := h.row(1)
	h.ui(func() {
		if r.action.Hidden || r.action.Text != "Continue" {
			t.Fatalf("the newest cut answer: Continue hidden %v (%q)", r.action.Hidden, r.action.Text)
		}
	})
	h.send("something else")
	h.settle()
	r = h.row(1)
	h.ui(func() {
		if !strings.Contains(r.badge.Text, "reply limit") || !r.action.Hidden {
			t.Fatalf("an older cut answer: %q, action shown %v (%q)", r.badge.Text, !r.action.Hidden, r.action.Text)
		}
	})
}

// TestMessageButtonsSayWhatTheyDo: each icon of a message explains itself
// while the pointer rests on it (the fork arrow said nothing).
func TestMessageButtonsSayWhatTheyDo(t *testing.T) {
	h := newHarness(t, true)
	h.send("a question")
	r := h.row(1)
	h.ui(func() {
		for b, want := range map[*tipButton]string{r.forkB: "Fork", r.copyB: "Copy", r.regenB: "Regenerate", r.deleteB: "Delete"} {
			b.MouseIn(&desktop.MouseEvent{})
			if got := h.u.tips.shown(); !strings.HasPrefix(got, want) {
				t.Errorf("tip %q, want %q…", got, want)
			}
			b.MouseOut()
		}
	})
}
