package chat_test

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
)

// TestAnswerCostIsStoredWithTheAnswer: an answer keeps the profile, the
// deployment and a copy of the prices it was answered at; its cost is
// (prompt − cached) × input + cached × cached input + completion × output
// with the stand-in's cached and reasoning tokens counted once; settings
// changed afterwards reprice nothing, and the cost comes back the same
// from the history.
func TestAnswerCostIsStoredWithTheAnswer(t *testing.T) {
	prices := chat.Prices{Input: price(2.5), CachedInput: price(1.25), Output: price(10)}
	r := newRig(t, chat.Options{Profile: "work", Prices: prices}, nil)
	path := filepath.Join(t.TempDir(), "history.db")
	store, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	r.ctl.SetPersister(store)
	r.srv.Script(fakeazure.Behaviour{CachedTokens: 16, ReasoningTokens: 40})
	r.ctl.SetSystem("You are a helpful assistant.", nil)
	m := r.send(t, "Who were the founders of Microsoft?")
	u := m.Usage
	if u == nil || u.PromptTokens != 24 || u.CachedPromptTokens != 16 || u.ReasoningTokens != 40 {
		t.Fatalf("usage %+v", u)
	}
	want := (float64(24-16)*2.5 + 16*1.25 + float64(u.CompletionTokens)*10) / 1e6
	got, ok := m.AnswerCost()
	if !ok || math.Abs(got-want) > 1e-12 || m.Profile != "work" || m.Deployment != "chat" {
		t.Fatalf("answer %q/%q costs %v (%v), want %v", m.Profile, m.Deployment, got, ok, want)
	}
	// The answer the UI is shown first already knows its prices, so the
	// usage that follows can be priced at once.
	for _, e := range r.rec.all() {
		if a, ok := e.(chat.MessageAdded); ok && a.Message.Role == chat.Assistant && (a.Message.Profile != "work" || !a.Message.Prices.Set()) {
			t.Fatalf("added answer without its stamp: %+v", a.Message)
		}
	}

	// The profile's prices change, in place and through new options: the
	// answer keeps what it cost.
	*prices.Output = 1000
	r.ctl.SetOptions(chat.Options{Deployment: "chat", Profile: "home"})
	if c, _ := r.ctl.Conversation().Messages[1].AnswerCost(); math.Abs(c-want) > 1e-12 {
		t.Fatalf("repriced to %v", c)
	}

	// The next answer is answered under the new options: no prices.
	next := r.send(t, "And when?")
	if next.Profile != "home" || next.Deployment != "chat" || next.Prices.Set() {
		t.Fatalf("answer without prices: %+v", next)
	}

	// Close drains the writes and closes the history: read it afresh.
	if err := r.ctl.Close(t.Context()); err != nil {
		t.Fatal(err)
	}
	if store, err = history.Open(path); err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	conv, err := store.Load(r.ctl.ConversationID())
	if err != nil {
		t.Fatal(err)
	}
	if len(conv.Messages) != 4 {
		t.Fatalf("%d messages reloaded", len(conv.Messages))
	}
	back := conv.Messages[1]
	c, ok := back.AnswerCost()
	if !ok || math.Abs(c-want) > 1e-12 || back.Profile != "work" || back.Deployment != "chat" || *back.Prices.CachedInput != 1.25 {
		t.Fatalf("reloaded %+v costs %v (%v), want %v", back, c, ok, want)
	}
	if last := conv.Messages[3]; last.Profile != "home" || last.Prices.Set() {
		t.Fatalf("reloaded second answer %+v", last)
	}
}

// TestAnswerCostNeedsUsageAndPrices: no usage or no prices, no cost.
func TestAnswerCostNeedsUsageAndPrices(t *testing.T) {
	m := chat.Message{Role: chat.Assistant, Prices: chat.Prices{Input: price(1)}}
	if _, ok := m.AnswerCost(); ok {
		t.Fatal("a cost without usage")
	}
	m = chat.Message{Role: chat.Assistant, Usage: &chat.Usage{PromptTokens: 10}}
	if _, ok := m.AnswerCost(); ok {
		t.Fatal("a cost without prices")
	}
	m.Prices = chat.Prices{Input: price(1)}
	cp := m.Clone()
	*m.Prices.Input = 3
	if c, _ := cp.AnswerCost(); c != 10.0/1e6 {
		t.Fatalf("a clone shares its prices: %v", c)
	}
}

func TestFormatCost(t *testing.T) {
	for in, want := range map[float64]string{0: "0.0000", 0.01475: "0.0148", 0.0123: "0.0123", 12.5: "12.5000", 0.00004: "<0.0001", 0.00006: "0.0001"} {
		if got := chat.FormatCost(in); got != want {
			t.Errorf("FormatCost(%v) = %q, want %q", in, got, want)
		}
	}
}
