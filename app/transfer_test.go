package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

// TestExportWritesAPrivateFileAndAsksBeforeReplacing: the export dialog
// writes a 0600 file; exporting onto an existing file asks first and leaves
// it untouched until the user agrees.
func TestExportWritesAPrivateFileAndAsksBeforeReplacing(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: "the answer"})
	h.send("a question")
	dir := t.TempDir()
	path := filepath.Join(dir, "mine.md")
	if err := os.WriteFile(path, []byte("an earlier export"), 0o644); err != nil {
		t.Fatal(err)
	}
	var e *exportDialog
	h.ui(func() {
		e = h.u.showExport()
		e.dir = dir
		e.name.SetText("mine.md")
		e.d.Confirm()
	})
	var ask *widget.Button
	waitUntil(t, func() bool {
		h.u.bridge.waitIdle()
		h.ui(func() {
			for _, o := range test.LaidOutObjects(h.u.win.Canvas().Overlays().Top()) {
				if b, ok := o.(*widget.Button); ok && b.Text == "Replace" {
					ask = b
				}
			}
		})
		return ask != nil
	})
	if b, _ := os.ReadFile(path); string(b) != "an earlier export" {
		t.Fatalf("the file changed before the user agreed: %q", b)
	}
	h.ui(func() { test.Tap(ask) })
	waitUntil(t, func() bool {
		b, _ := os.ReadFile(path)
		return strings.Contains(string(b), "the answer")
	})
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
	// The status is set after the file is in place, from the same
	// goroutine: wait for it rather than for the bridge.
	waitUntil(t, func() bool {
		s := ""
		h.ui(func() { s = h.u.connLabel.Text })
		return s == "Exported mine.md to "+dir
	})
}

// TestStorageBannerSaysWhatAndWhere: a failed history write shows a banner
// over the transcript naming the cause and the folder, with Retry; it goes
// when the chat is saved again.
func TestStorageBannerSaysWhatAndWhere(t *testing.T) {
	h := newHarness(t, true)
	h.u.bridge.push(chat.StorageFailed{Err: fmt.Errorf("write: %w", syscall.ENOSPC)})
	h.u.bridge.waitIdle()
	h.ui(func() {
		if !h.u.banner.root.Visible() {
			t.Fatal("no banner after a failed write")
		}
		text := h.u.banner.text.Text
		if !strings.Contains(text, "the disk is full") || !strings.Contains(text, filepath.Dir(h.u.history.Path())) || !strings.Contains(text, "Retry") {
			t.Fatalf("banner %q", text)
		}
		test.Tap(h.u.banner.retry)
		if !h.u.banner.retry.Disabled() {
			t.Fatal("Retry stays enabled while it runs")
		}
	})
	h.u.bridge.push(chat.StorageRecovered{})
	h.u.bridge.waitIdle()
	h.ui(func() {
		if h.u.banner.root.Visible() {
			t.Fatal("the banner stayed after the chat was saved")
		}
	})
}

// TestSidebarShowsAnImportFromAnotherProcess: `azchat import` while the
// window is open (another connection to the same file) shows up in the
// sidebar without a restart.
func TestSidebarShowsAnImportFromAnotherProcess(t *testing.T) {
	h := newHarness(t, true)
	// The import comes after the window's first list: only the watch can
	// bring it in.
	waitUntil(t, func() bool {
		select {
		case <-h.u.watching:
			return true
		default:
			return false
		}
	})
	waitUntil(t, func() bool {
		listed := 0
		h.ui(func() { listed = h.u.side.listed })
		return listed > 0
	})
	other, err := history.Open(h.u.history.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conv := &chat.Conversation{ID: chat.NewConversationID(), Messages: []*chat.Message{
		{Role: chat.User, Content: "imported from the command line", Status: chat.Complete},
		{Role: chat.Assistant, Content: "hello", Status: chat.Complete},
	}}
	if err := other.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, func() bool {
		found := false
		h.ui(func() {
			for _, it := range h.u.side.items {
				found = found || it.id == conv.ID
			}
		})
		return found
	})
}

// TestSettingsSavedWhileStreamingApplyAfter: a connection change while an
// answer streams is applied when it ends, not dropped.
func TestSettingsSavedWhileStreamingApplyAfter(t *testing.T) {
	h := newHarness(t, true)
	var calls atomic.Int64
	h.ui(func() {
		next := h.u.cfg.NewClient
		h.u.cfg.NewClient = func(c settings.Connection) (chat.Client, error) {
			calls.Add(1)
			return next(c)
		}
	})
	// Held after 20 events until the settings were saved: the answer is
	// then still streaming, however long the reconnection takes.
	gate := make(chan struct{})
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("words ", 600), TokensPerSecond: 300, Gate: gate, GateAfter: 20})
	h.ui(func() {
		test.Type(h.u.input, "stream please")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitUntil(t, func() bool { return h.u.ctl.Busy() })
	h.ui(h.u.reconnect) // what saving the settings dialog does
	waitUntil(t, func() bool {
		said := false
		h.ui(func() { said = strings.Contains(h.u.connLabel.Text, "apply when this answer ends") })
		return said
	})
	close(gate)
	h.u.ctl.Wait()
	waitUntil(t, func() bool { return calls.Load() == 2 })
	statusShows(t, h, "gpt-4o (env)")
}

// TestFailureOffersTheMappedAction: a context-length failure offers New
// chat (its reason mentions settings, which no longer matters), and the
// same button comes back when the chat is reopened from history.
func TestFailureOffersTheMappedAction(t *testing.T) {
	h := newHarness(t, true)
	cl := fakeazure.Behaviour{Status: 400, Body: fakeazure.Fixture("error-400-context-length.json")}
	h.srv.Script(cl, cl, cl)
	h.send("too long")
	check := func(when string) {
		r := h.row(1)
		h.ui(func() {
			if h.u.msgs[1].Status != chat.Failed || h.u.msgs[1].Action != chat.ActionNewChat || !strings.Contains(h.u.msgs[1].Error, "settings") {
				t.Fatalf("%s: %s %q %q", when, h.u.msgs[1].Status, h.u.msgs[1].Action, h.u.msgs[1].Error)
			}
			if !r.action.Visible() || r.action.Text != "New chat" {
				t.Fatalf("%s: button %q", when, r.action.Text)
			}
		})
	}
	check("after the failure")
	var id string
	h.ui(func() { id = h.u.conv.ID })
	h.u.ctl.Flush()
	conv, err := h.u.history.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	h.ui(func() { h.u.showConversation(conv, -1) })
	h.settle()
	check("reopened")
}

// diskFull stands in for a full disk in front of the real history (the
// chat package tests fill a real tmpfs): writes fail while full is set.
type diskFull struct {
	*history.Store
	full atomic.Bool
}

func (d *diskFull) SaveMessage(c *chat.Conversation, i int, m chat.Message) error {
	if d.full.Load() {
		return fmt.Errorf("write: %w", syscall.ENOSPC)
	}
	return d.Store.SaveMessage(c, i, m)
}

func (d *diskFull) ReplaceAll(c *chat.Conversation) error {
	if d.full.Load() {
		return fmt.Errorf("write: %w", syscall.ENOSPC)
	}
	return d.Store.ReplaceAll(c)
}

// TestQuitAsksBeforeLosingAnUnsavedChat: with a chat still unwritten at
// quit time, the user is asked; Retry saves it once there is room.
func TestQuitAsksBeforeLosingAnUnsavedChat(t *testing.T) {
	h := newHarness(t, true)
	disk := &diskFull{Store: h.u.history}
	disk.full.Store(true)
	h.u.ctl.SetPersister(disk)
	h.srv.Script(fakeazure.Behaviour{Reply: "kept in memory"})
	h.send("will this be saved?")
	h.ui(func() { h.u.quit() })
	var d *dialog.ConfirmDialog
	waitUntil(t, func() bool {
		h.ui(func() { d = h.u.quitDialog })
		return d != nil
	})
	h.ui(func() {
		if h.u.quitting {
			t.Fatal("still quitting while asking")
		}
	})
	disk.full.Store(false)
	h.ui(func() { d.Confirm() }) // Retry
	// Quitting goes on and closes the database: read the file afresh.
	id, path := h.u.ctl.ConversationID(), h.u.history.Path()
	waitUntil(t, func() bool {
		if _, err := h.u.history.LatestID(); err == nil {
			return false // not closed yet
		}
		s, err := history.Open(path)
		if err != nil {
			return false
		}
		defer s.Close()
		conv, err := s.Load(id)
		return err == nil && len(conv.Messages) == 2 && conv.Messages[1].Content == "kept in memory"
	})
}

// TestRedrawsAreThrottled streams 600 tokens at 600 a second, each its own
// event: ten times more events than the bridge's 60 redraws a second allow,
// so coalescing must show (the exact rate is make bench's business).
func TestRedrawsAreThrottled(t *testing.T) {
	h := newHarness(t, true)
	reply := strings.Repeat("tok ", 600)
	h.srv.Script(fakeazure.Behaviour{Reply: reply, TokensPerSecond: 600, ChunkTokens: 1})
	before := h.u.bridge.flushes.Load()
	start := time.Now()
	h.send("stream paced")
	elapsed := time.Since(start)
	flushes := h.u.bridge.flushes.Load() - before
	h.ui(func() {
		if h.u.msgs[1].Content != reply {
			t.Fatalf("answer %d bytes", len(h.u.msgs[1].Content))
		}
	})
	// At most the bridge's 60 a second (with slack for the first and last
	// batch), and far fewer than one per event.
	if limit := int64(elapsed.Seconds()*60*1.2) + 10; flushes > limit || flushes > 300 {
		t.Fatalf("%d redraws for 600 events in %v (limit %d)", flushes, elapsed, limit)
	}
}

// TestMeterShowsTheTrueNeedWhenTheDraftDoesNotFit: a draft larger than
// the window is counted in full and shown in the error style.
func TestMeterShowsTheTrueNeedWhenTheDraftDoesNotFit(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		cs := h.u.showChatSettings()
		cs.window.SetText("1,000")
		cs.maxTokens.SetText("200")
		cs.apply(h.u)
		h.u.input.SetText(strings.Repeat("many words here ", 400))
	})
	h.settle()
	h.ui(func() {
		if h.u.meter.color != theme.ColorNameError {
			t.Fatalf("meter %q not in the error style", h.u.meter.Text)
		}
		if h.u.budget.Used <= 1000 || !strings.Contains(h.u.meter.Text, "/ 1,000 tokens") {
			t.Fatalf("meter %q shows %d used", h.u.meter.Text, h.u.budget.Used)
		}
	})
}

// TestStreamedTextIsAppended: the window shows each delta's whole text
// exactly, across batches, after a Finished (Continue appends to a
// finished answer) and after the message is replaced (merging deltas in
// the queue: TestDeltasOfOneMessageMergeInTheQueue).
func TestStreamedTextIsAppended(t *testing.T) {
	h := newHarness(t, true)
	push := func(events ...any) {
		for _, e := range events {
			h.u.bridge.push(e)
		}
		h.u.bridge.waitIdle()
	}
	push(chat.Reloaded{Messages: []chat.Message{{Role: chat.User, Content: "q"}}},
		chat.MessageAdded{Index: 1, Message: chat.Message{Role: chat.Assistant, Status: chat.Streaming}})
	var want strings.Builder
	for i := 0; i < 50; i++ {
		d := fmt.Sprintf("piece %d é🚀 ", i)
		want.WriteString(d)
		push(chat.TextDelta{Index: 1, Text: d, Content: want.String()})
	}
	h.ui(func() {
		if h.u.msgs[1].Content != want.String() {
			t.Fatalf("streamed %q", h.u.msgs[1].Content)
		}
	})
	push(chat.Finished{Index: 1, Message: chat.Message{Role: chat.Assistant, Content: want.String(), Status: chat.Truncated}},
		chat.TextDelta{Index: 1, Text: " and more", Content: want.String() + " and more"})
	h.ui(func() {
		if h.u.msgs[1].Content != want.String()+" and more" {
			t.Fatalf("continued %q", h.u.msgs[1].Content)
		}
	})
	push(chat.MessageAdded{Index: 1, Message: chat.Message{Role: chat.Assistant, Status: chat.Streaming}},
		chat.TextDelta{Index: 1, Text: "fre", Content: "fre"}, chat.TextDelta{Index: 1, Text: "sh", Content: "fresh"})
	h.ui(func() {
		if h.u.msgs[1].Content != "fresh" {
			t.Fatalf("regenerated %q", h.u.msgs[1].Content)
		}
	})
}

// TestAnsweringIsToldWhenATurnStartsAndEnds: Config.Answering hears of a
// turn when it starts and when the answer is done, once each.
func TestAnsweringIsToldWhenATurnStartsAndEnds(t *testing.T) {
	h := newHarness(t, true)
	var mu sync.Mutex
	var calls []bool
	h.ui(func() {
		h.u.cfg.Answering = func(on bool) {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, on)
		}
	})
	h.send("hello")
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(calls) != "[true false]" {
		t.Fatalf("Answering was told %v", calls)
	}
}

// TestEnterSendsOnceTheTurnHasEnded: Enter sends as soon as the controller
// is done, even while the window has not yet heard so (it is told a moment
// later); while a turn runs, Enter keeps the text in the input and sends
// nothing.
func TestEnterSendsOnceTheTurnHasEnded(t *testing.T) {
	h := newHarness(t, true)
	// It stalls after 10 events until stopped: the turn is running when
	// Enter is pressed below.
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("word ", 300), TokensPerSecond: 100, StallAfter: 10})
	h.ui(func() {
		test.Type(h.u.input, "first")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitUntil(t, func() bool {
		ok := false
		h.ui(func() { ok = h.u.busy && len(h.u.msgs) == 2 && h.u.msgs[1].Content != "" })
		return ok
	})
	h.ui(func() {
		h.u.input.SetText("while it streams")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	h.u.ctl.Stop()
	h.settle()
	h.ui(func() {
		if len(h.u.msgs) != 2 || h.u.input.Text != "while it streams" {
			t.Fatalf("Enter during a turn: %d messages, input %q", len(h.u.msgs), h.u.input.Text)
		}
		// The window has not heard yet that the turn ended.
		h.u.busy = true
		h.u.input.SetText("second")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	h.settle()
	h.ui(func() {
		if len(h.u.msgs) != 4 || h.u.msgs[2].Content != "second" || h.u.input.Text != "" || h.u.busy {
			t.Fatalf("Enter once the turn ended: %d messages, input %q, busy %v", len(h.u.msgs), h.u.input.Text, h.u.busy)
		}
	})
}

// TestExportTakesTheChatAsItIsWhenConfirmed: the chat was copied when the
// dialog opened, so an answer that streamed on meanwhile was exported cut
// where it was then, with nothing to say so.
func TestExportTakesTheChatAsItIsWhenConfirmed(t *testing.T) {
	h := slowAnswer(t)
	dir := t.TempDir()
	var e *exportDialog
	var atOpen int
	h.ui(func() {
		e = h.u.showExport()
		e.dir = dir
		e.name.SetText("streaming.md")
		atOpen = len(h.u.msgs[1].Content)
	})
	waitUntil(t, func() bool {
		more := false
		h.ui(func() { more = len(h.u.msgs[1].Content) > atOpen+100 })
		return more
	})
	// What the window showed when Export was pressed: the file holds at
	// least that (the controller, which it is read from, is ahead of the
	// window), and says it is cut unless the whole answer had come.
	var atConfirm string
	h.ui(func() {
		atConfirm = strings.TrimSpace(h.u.msgs[1].Content)
		e.d.Confirm()
	})
	path := filepath.Join(dir, "streaming.md")
	var b []byte
	waitUntil(t, func() bool { b, _ = os.ReadFile(path); return len(b) > 0 })
	answer := ""
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "slowly") {
			answer = strings.TrimSpace(l)
		}
	}
	whole := strings.TrimSpace(slowReply)
	if len(answer) < len(atConfirm) || !strings.HasPrefix(whole, answer) {
		t.Fatalf("exported %d bytes of the answer, %d were on screen at open and %d when Export was pressed:\n%s", len(answer), atOpen, len(atConfirm), b)
	}
	if answer != whole && !strings.Contains(string(b), "still being written when exported") {
		t.Fatalf("the answer was exported cut (%d of %d bytes) with nothing to say so:\n%s", len(answer), len(whole), b)
	}
}
