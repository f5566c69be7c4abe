package app

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
)

// longChat is a chat of n messages, questions and answers taking turns.
func longChat(id string, n int) *chat.Conversation {
	conv := &chat.Conversation{ID: id}
	for i := 0; i < n; i++ {
		role, text := chat.User, fmt.Sprintf("question %d", i)
		if i%2 == 1 {
			role, text = chat.Assistant, fmt.Sprintf("answer %d, with **markdown**", i)
		}
		conv.Messages = append(conv.Messages, &chat.Message{Role: role, Content: text, Time: time.UnixMilli(1_700_000_000_000), Status: chat.Complete})
	}
	return conv
}

// historyWithLongChat is the path of a new history holding "long", a chat
// of 100 messages.
func historyWithLongChat(t *testing.T) string {
	t.Helper()
	dbPath := t.TempDir() + "/history.db"
	s, err := history.Open(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.ReplaceAll(longChat("long", 100)); err != nil {
		t.Fatal(err)
	}
	return dbPath
}

// traceLog records the window's trace events (Config.Trace), in order.
type traceLog struct {
	mu     sync.Mutex
	events []string
}

func (l *traceLog) add(event string, _ time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, event)
}

// index is where the first event starting with prefix is, -1 if none.
func (l *traceLog) index(prefix string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.IndexFunc(l.events, func(e string) bool { return strings.HasPrefix(e, prefix) })
}

// lastShown reports whether the last message's row is on screen.
func lastShown(h *harness) bool {
	for _, w := range shownRows(h.u.transcript.list) {
		if w.r != nil && w.r.id == len(h.u.msgs)-1 {
			return true
		}
	}
	return false
}

// A long chat reopened at start is drawn from its newest 40 messages, read
// first, and then whole: the end on screen, the automatic title, and the
// chat goes on where it was.
func TestReopeningALongChatDrawsItsNewestMessagesFirst(t *testing.T) {
	dbPath := historyWithLongChat(t)
	trace := &traceLog{}
	h := newHarnessConfig(t, true, nil, func(c *Config, _ *fakeazure.Server) {
		c.OpenHistory = func() (*history.Store, error) { return history.Open(dbPath) }
		c.Trace = trace.add
	})
	waitUntil(t, func() bool { return trace.index("conversation shown (100 messages)") >= 0 })
	h.settle()
	first, whole := trace.index("conversation first shown (40 of 100 messages)"), trace.index("conversation shown (100 messages)")
	if first < 0 || first > whole {
		trace.mu.Lock()
		defer trace.mu.Unlock()
		t.Fatalf("trace: %q", trace.events)
	}
	h.ui(func() {
		if len(h.u.msgs) != 100 || h.u.previewing() || h.u.msgs[99].Content != "answer 99, with **markdown**" || !lastShown(h) {
			t.Fatalf("%d messages, previewing %v, end on screen %v", len(h.u.msgs), h.u.previewing(), lastShown(h))
		}
		if got := h.u.win.Title(); got != "azchat — question 0" {
			t.Fatalf("title %q", got)
		}
	})
	h.send("and now?")
	h.ui(func() {
		if len(h.u.msgs) != 102 || h.u.msgs[100].Content != "and now?" || h.u.msgs[101].Status != chat.Complete {
			t.Fatalf("after sending: %d messages", len(h.u.msgs))
		}
	})
	h.u.ctl.Flush()
	if c, err := h.u.history.Load("long"); err != nil || len(c.Messages) != 102 {
		t.Fatalf("saved: %v", err)
	}
}

// Nothing acts on a preview's rows (a row's index there is not its index
// in the chat, which the controller does not hold yet): edit, delete,
// regenerate, fork, versions, continue, retry, export and the chat's
// settings do nothing, the window is named after the chat's first question
// (not the preview's first message), and Enter keeps the message until the
// chat is whole on screen, then sends it into that chat.
func TestNothingActsOnAPreview(t *testing.T) {
	h, release, done := gatedReopen(t)
	h.ui(func() {
		if len(h.u.msgs) != previewMessages || h.u.msgs[0].Content != "question 60" || !lastShown(h) {
			t.Fatalf("preview: %d messages, the first %q, end on screen %v", len(h.u.msgs), h.u.msgs[0].Content, lastShown(h))
		}
		h.u.editMessage(0)
		h.u.deleteMessage(1)
		h.u.regenerate()
		h.u.fork(1)
		h.u.switchBranch(1, 1)
		h.u.runAction(actionContinue, 39)
		h.u.runAction(chat.ActionRetry, 39)
		if h.u.showExport() != nil || h.u.showChatSettings() != nil {
			t.Fatal("export or the chat's settings opened on a preview")
		}
		if top := h.u.win.Canvas().Overlays().Top(); top != nil {
			t.Fatalf("a dialog opened on a preview: %T", top)
		}
		if got := h.u.win.Title(); got != "azchat — question 0" {
			t.Fatalf("the title during a preview of a chat without one: %q", got)
		}
		press(h, "hello")
		if h.u.input.Text != "hello" || len(h.u.msgs) != previewMessages {
			t.Fatalf("Enter on a preview: input %q, %d messages", h.u.input.Text, len(h.u.msgs))
		}
	})
	if !h.u.ctl.Empty() {
		t.Fatal("the controller holds messages")
	}
	release()
	waitUntil(t, func() bool {
		ok := false
		h.ui(func() { ok = len(h.u.msgs) == 102 && h.u.msgs[101].Status == chat.Complete })
		return ok && done()
	})
	h.settle()
	h.ui(func() {
		if h.u.msgs[100].Content != "hello" || h.u.input.Text != "" || h.u.conv.ID != "long" {
			t.Fatalf("sent %q into %q, input %q", h.u.msgs[100].Content, h.u.conv.ID, h.u.input.Text)
		}
		if h.u.msgs[99].Content != "answer 99, with **markdown**" || !lastShown(h) {
			t.Fatal("the chat's own messages are not where they were")
		}
	})
	h.u.ctl.Flush()
	if c, err := h.u.history.Load("long"); err != nil || len(c.Messages) != 102 {
		t.Fatalf("saved: %v", err)
	}
}

// gatedReopen opens a window over a history holding a 100-message chat
// ("long"), whose reopening stops once its preview is on screen, before
// the whole chat is read, until release is called. done reports whether
// the reopening has ended (Config.Loading).
func gatedReopen(t *testing.T) (h *harness, release func(), done func() bool) {
	t.Helper()
	h, release, done = gatedWindow(t, historyWithLongChat(t))
	waitUntil(t, func() bool {
		on := false
		h.ui(func() { on = h.u.previewing() })
		return on
	})
	return h, release, done
}

// gatedWindow opens a window over the history at dbPath. Opening a long
// chat stops once its preview is on screen, before the whole chat is
// read, until release is called; done reports whether every load has
// ended (Config.Loading).
func gatedWindow(t *testing.T, dbPath string) (h *harness, release func(), done func() bool) {
	t.Helper()
	gate := make(chan struct{})
	var once sync.Once
	release = func() { once.Do(func() { close(gate) }) }
	var mu sync.Mutex
	loads := 0
	h = newHarnessConfig(t, true, nil, func(c *Config, _ *fakeazure.Server) {
		c.OpenHistory = func() (*history.Store, error) { return history.Open(dbPath) }
		c.loadGate = func() { <-gate }
		c.Loading = func(on bool) {
			mu.Lock()
			defer mu.Unlock()
			if on {
				loads++
			} else {
				loads--
			}
		}
	})
	t.Cleanup(release) // before the window closes (cleanups run last first)
	done = func() bool {
		mu.Lock()
		defer mu.Unlock()
		return loads == 0
	}
	return h, release, done
}

// New chat over a preview stays: the whole chat, read after, is not shown
// over it, and what is written goes into the new chat.
func TestNewChatOverAPreviewStays(t *testing.T) {
	h, release, done := gatedReopen(t)
	h.ui(func() {
		test.Type(h.u.input, "hello")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		h.u.newChat()
	})
	release()
	waitUntil(t, done)
	h.settle()
	h.ui(func() {
		if len(h.u.msgs) != 0 || h.u.previewing() || h.u.conv.ID == "long" {
			t.Fatalf("after New chat and the load: %d messages, previewing %v, chat %q", len(h.u.msgs), h.u.previewing(), h.u.conv.ID)
		}
		// Written over the preview, for that chat: kept, not sent.
		if h.u.input.Text != "hello" {
			t.Fatalf("input %q", h.u.input.Text)
		}
		h.u.input.SetText("")
	})
	h.send("fresh")
	h.ui(func() {
		if len(h.u.msgs) != 2 || h.u.conv.ID == "long" {
			t.Fatalf("sent into %q: %d messages", h.u.conv.ID, len(h.u.msgs))
		}
	})
}

// Another chat opened over a preview stays, with its own title.
func TestAnotherChatOpenedOverAPreviewStays(t *testing.T) {
	h, release, done := gatedReopen(t)
	other := longChat("other", 3)
	other.Messages[0].Content = "another question"
	if err := h.u.history.ReplaceAll(other); err != nil {
		t.Fatal(err)
	}
	conv, err := h.u.history.Load("other")
	if err != nil {
		t.Fatal(err)
	}
	h.ui(func() { h.u.showConversation(conv, -1) })
	release()
	waitUntil(t, done)
	h.settle()
	h.ui(func() {
		if h.u.conv.ID != "other" || len(h.u.msgs) != 3 || h.u.win.Title() != "azchat — another question" {
			t.Fatalf("chat %q, %d messages, title %q", h.u.conv.ID, len(h.u.msgs), h.u.win.Title())
		}
	})
}

// Deleting the chat a preview shows closes it: an empty chat instead, and
// the whole chat, read after, is not shown.
func TestDeletingThePreviewedChatClosesIt(t *testing.T) {
	h, release, done := gatedReopen(t)
	h.ui(func() { h.u.side.deleteChat("long") })
	waitUntil(t, func() bool {
		id, err := h.u.history.LatestID()
		return err == nil && id == ""
	})
	release()
	waitUntil(t, done)
	h.settle()
	h.ui(func() {
		if len(h.u.msgs) != 0 || h.u.previewing() || h.u.conv.ID == "long" {
			t.Fatalf("after the delete: %d messages, previewing %v, chat %q", len(h.u.msgs), h.u.previewing(), h.u.conv.ID)
		}
	})
}

// When the whole chat cannot be read (deleted by another azchat between
// the preview and the read), the empty chat the preview was drawn over
// comes back, and a message written meanwhile stays in the input.
func TestAPreviewWhoseChatCannotBeReadIsDropped(t *testing.T) {
	h, release, done := gatedReopen(t)
	var before string
	h.ui(func() { before = h.u.preview.before })
	helloThenLoseLong(t, h, release, done)
	h.ui(func() {
		if len(h.u.msgs) != 0 || h.u.input.Text != "hello" || h.u.previewing() || h.u.conv.ID != before {
			t.Fatalf("dropped: %d messages, input %q, previewing %v, chat %q", len(h.u.msgs), h.u.input.Text, h.u.previewing(), h.u.conv.ID)
		}
		if got := h.u.win.Title(); got != "azchat — New chat" {
			t.Fatalf("title %q", got)
		}
	})
	if !h.u.ctl.Empty() {
		t.Fatal("the controller holds messages")
	}
}

// helloThenLoseLong writes "hello" and presses Enter over the preview of
// "long", deletes that chat from the history (as another azchat would),
// lets its opening go on and waits for it to end.
func helloThenLoseLong(t *testing.T, h *harness, release func(), done func() bool) {
	t.Helper()
	h.ui(func() {
		test.Type(h.u.input, "hello")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	if err := h.u.history.Delete("long"); err != nil {
		t.Fatal(err)
	}
	release()
	waitUntil(t, done)
	h.settle()
}

// A chat Enter has just sent into is not blank, so no preview is drawn
// over it: the window hears of the send a batch later than the
// controller, which tells.
func TestAChatBeingSentIsNotBlank(t *testing.T) {
	h := newHarness(t, true)
	h.ui(func() {
		if !h.u.blank() {
			t.Fatal("a new window is not blank")
		}
		test.Type(h.u.input, "hello")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if len(h.u.msgs) != 0 || h.u.blank() {
			t.Fatalf("just sent: %d messages in the window, blank %v", len(h.u.msgs), h.u.blank())
		}
	})
	h.settle()
}
