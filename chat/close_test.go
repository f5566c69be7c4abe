package chat_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/internal/testwait"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
)

// waitDeltas waits until the controller has emitted n text deltas.
func waitDeltas(t *testing.T, r *rig, n int) {
	t.Helper()
	testwait.Until(t, 10*time.Second, "text deltas", func() bool {
		got := 0
		for _, e := range r.rec.all() {
			if _, ok := e.(chat.TextDelta); ok {
				got++
			}
		}
		return got >= n
	})
}

// TestCloseStopsSavesAndClosesTheDatabase is what every way of quitting
// relies on: mid-answer, Close saves the answer as stopped with every word
// the controller had received, then closes the database; a second Close is
// harmless and a new request is refused.
func TestCloseStopsSavesAndClosesTheDatabase(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	path := filepath.Join(t.TempDir(), "history.db")
	h, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r.ctl.SetPersister(h)
	// Held after 40 events, never let go: Close comes mid-answer.
	r.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("word ", 2000), TokensPerSecond: 400, Gate: make(chan struct{}), GateAfter: 40})
	if err := r.ctl.Send("a long answer please"); err != nil {
		t.Fatal(err)
	}
	waitDeltas(t, r, 20)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.ctl.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := r.ctl.Close(ctx); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := r.ctl.Send("more"); err != chat.ErrClosed {
		t.Fatalf("Send after Close: %v", err)
	}
	if _, err := h.LatestID(); err == nil {
		t.Fatal("the database is still open after Close")
	}
	// Every word received reached the UI as deltas: the saved answer holds
	// exactly those.
	var received strings.Builder
	for _, e := range r.rec.all() {
		if d, ok := e.(chat.TextDelta); ok && d.Index == 1 {
			received.WriteString(d.Text)
		}
	}
	again, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	id, err := again.LatestID()
	if err != nil {
		t.Fatal(err)
	}
	conv, err := again.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(conv.Messages) != 2 {
		t.Fatalf("%d messages saved", len(conv.Messages))
	}
	a := conv.Messages[1]
	if a.Status != chat.Stopped || a.Content != received.String() || a.Content == "" || len(a.Content) >= len(strings.Repeat("word ", 2000)) {
		t.Fatalf("saved answer: status %s, %d bytes; received %d bytes", a.Status, len(a.Content), received.Len())
	}
}

// TestCloseReturnsWhenItsContextEnds: a shutdown is bounded even when the
// writes cannot finish.
func TestCloseReturnsWhenItsContextEnds(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	block := make(chan struct{})
	defer close(block)
	r.ctl.SetPersister(stuckPersister{block})
	r.srv.Script(fakeazure.Behaviour{Reply: "short"})
	if err := r.ctl.Send("hi"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := r.ctl.Close(ctx); err != context.DeadlineExceeded {
		t.Fatalf("Close with stuck writes: %v", err)
	}
}

// stuckPersister never finishes a write until released (a stalled disk).
type stuckPersister struct{ release chan struct{} }

func (p stuckPersister) SaveMessage(*chat.Conversation, int, chat.Message) error {
	<-p.release
	return nil
}

func (p stuckPersister) ReplaceAll(*chat.Conversation) error {
	<-p.release
	return nil
}

// TestFilterAnnotationsWhileCheckpointing streams for more than 2 s with a
// content-filter verdict on every chunk while the history checkpoints the
// answer every 500 ms: under -race, any verdict map shared between the
// stream and a snapshot being written shows up here.
func TestFilterAnnotationsWhileCheckpointing(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	h, err := history.Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	r.ctl.SetPersister(h)
	r.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("filtered word ", 600), TokensPerSecond: 500})
	start := time.Now()
	m := r.send(t, "stream with filters")
	if took := time.Since(start); took < 2*time.Second {
		t.Fatalf("the stream took only %v", took)
	}
	if m.Status != chat.Complete || len(m.Filter) == 0 {
		t.Fatalf("answer %s with filter %v", m.Status, m.Filter)
	}
	conv, err := h.Load(r.ctl.Conversation().ID)
	if err != nil || conv.Messages[1].Content != m.Content || len(conv.Messages[1].Filter) == 0 {
		t.Fatalf("saved %v", err)
	}
}

// TestLearnedModelIsPerResource: two resources may both have a deployment
// called "chat"; what is learnt about one never applies to the other.
func TestLearnedModelIsPerResource(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.ctl.LearnModel("https://a.openai.azure.com/openai/v1/", "chat", "gpt-4o")
	r.ctl.LearnModel("https://b.openai.azure.com/openai/v1/", "chat", "gpt-35-turbo")
	r.ctl.SetOptions(chat.Options{Endpoint: "https://a.openai.azure.com/openai/v1/", Deployment: "chat"})
	if m := r.ctl.Model(); m != "gpt-4o" {
		t.Fatalf("resource a: %q", m)
	}
	r.ctl.SetOptions(chat.Options{Endpoint: "https://b.openai.azure.com/openai/v1/", Deployment: "chat"})
	if m := r.ctl.Model(); m != "gpt-35-turbo" {
		t.Fatalf("resource b: %q", m)
	}
}

// TestNothingStartsAfterClose: Regenerate, Retry and Continue after Close
// are refused and change nothing (quit closes the controller while the
// window is still up).
func TestNothingStartsAfterClose(t *testing.T) {
	r := newRig(t, chat.Options{MaxTokens: 5}, nil)
	r.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("long ", 50)})
	if m := r.send(t, "cut me short"); m.Status != chat.Truncated {
		t.Fatalf("answer %s", m.Status)
	}
	before := r.ctl.Conversation()
	if err := r.ctl.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	for name, do := range map[string]func() error{"Regenerate": r.ctl.Regenerate, "Retry": r.ctl.Retry, "Continue": r.ctl.Continue} {
		if err := do(); err != chat.ErrClosed {
			t.Fatalf("%s after Close: %v", name, err)
		}
	}
	if after := r.ctl.Conversation(); len(after.Messages) != len(before.Messages) || after.Messages[1].Content != before.Messages[1].Content {
		t.Fatal("the conversation changed after Close")
	}
}

// A question sent before the history is open (the database opens after
// the window, and the keychain and a fast typist can beat it) is saved
// once the store is set, whole with its answer, whatever the answer is
// doing at that moment; SetPersister says there was a chat.
func TestAChatBegunBeforeTheHistoryIsSaved(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	h, err := history.Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	if r.ctl.SetPersister(nil) {
		t.Fatal("SetPersister reported a chat before anything was sent")
	}
	r.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("word ", 400), TokensPerSecond: 400})
	if err := r.ctl.Send("sent before the history opened"); err != nil {
		t.Fatal(err)
	}
	waitDeltas(t, r, 3)
	if !r.ctl.SetPersister(h) {
		t.Fatal("SetPersister did not report the chat in progress")
	}
	r.ctl.Wait()
	r.ctl.Flush()
	id := r.ctl.ConversationID()
	conv, err := h.Load(id)
	if err != nil {
		t.Fatalf("the chat was not saved: %v", err)
	}
	if len(conv.Messages) != 2 || conv.Messages[0].Content != "sent before the history opened" ||
		conv.Messages[1].Status != chat.Complete || conv.Messages[1].Content != strings.Repeat("word ", 400) {
		t.Fatalf("saved %d messages: %+v", len(conv.Messages), conv.Messages)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = r.ctl.Close(ctx)
	// A store set after Close began (the database opened as the user
	// quit) gets nothing.
	p := &finalHeld{release: make(chan struct{})}
	close(p.release)
	if r.ctl.SetPersister(p) || p.wrote() {
		t.Fatal("a store set after Close was written to")
	}
}
