package history

import (
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
)

func price(v float64) *float64 { return &v }

// TestMigration7KeepsOldAnswersUnknown opens a history written at schema 6:
// it moves to 7, its answers keep their text and usage, and name no
// profile or deployment ("unknown" in reports) and no prices (no cost).
func TestMigration7KeepsOldAnswersUnknown(t *testing.T) {
	path := oldHistory(t, 6,
		`INSERT INTO conversations(id, created, updated, active_leaf) VALUES ('old', 0, 0, 1)`,
		`INSERT INTO messages(conversation_id, seq, parent_seq, role, content, time, status) VALUES ('old', 0, NULL, 'user', 'an old question', 1000, 'complete')`,
		`INSERT INTO messages(conversation_id, seq, parent_seq, role, content, time, status, usage, model)
			VALUES ('old', 1, 0, 'assistant', 'an old answer', 2000, 'complete', '{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}', 'gpt-4o')`,
	)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v := count(t, s, `PRAGMA user_version`); v < 7 || v != len(migrations) {
		t.Fatalf("schema %d after opening, want the newest, %d", v, len(migrations))
	}
	conv := load(t, s, "old")
	if len(conv.Messages) != 2 {
		t.Fatalf("%d messages", len(conv.Messages))
	}
	a := conv.Messages[1]
	if a.Content != "an old answer" || a.Usage == nil || a.Usage.PromptTokens != 10 || a.Profile != "" || a.Deployment != "" || a.Prices.Set() {
		t.Fatalf("old answer %+v", a)
	}
	if chat.OrUnknown(a.Profile) != "unknown" || chat.OrUnknown(a.Deployment) != "unknown" {
		t.Fatal("an old answer is not unknown")
	}
	if _, ok := a.AnswerCost(); ok {
		t.Fatal("an old answer has a cost")
	}
	us, err := s.Usage(time.Time{})
	if err != nil || len(us) != 1 || us[0].Profile != "" || us[0].Usage.CompletionTokens != 5 || !us[0].Time.Equal(time.UnixMilli(2000)) {
		t.Fatalf("usage %+v %v", us, err)
	}
	if _, ok := us[0].Cost(); ok {
		t.Fatal("an old answer has a cost in the report")
	}
}

// TestStampRoundTrip: the profile, deployment and prices an answer was
// answered at come back from the history, through both writers, and its
// cost is recomputed from them; a profile's prices changed since (the
// copy in memory) reprice nothing.
func TestStampRoundTrip(t *testing.T) {
	s := openTemp(t)
	prices := chat.Prices{Input: price(2.5), CachedInput: price(1.25), Output: price(10)}
	u := &chat.Usage{PromptTokens: 1200, CachedPromptTokens: 1000, CompletionTokens: 300, TotalTokens: 1500}
	conv := &chat.Conversation{ID: "c", Messages: []*chat.Message{
		{Role: chat.User, Content: "q", Time: time.UnixMilli(1000), Status: chat.Complete},
		{Role: chat.Assistant, Content: "a", Time: time.UnixMilli(2000), Status: chat.Complete, Usage: u,
			Profile: "work", Deployment: "gpt-4o", Prices: prices},
	}}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	*prices.Input = 99 // the profile's edited later: the stored answer keeps 2.5
	a := load(t, s, "c").Messages[1]
	want := (200*2.5 + 1000*1.25 + 300*10) / 1e6
	if c, ok := a.AnswerCost(); !ok || a.Profile != "work" || a.Deployment != "gpt-4o" || *a.Prices.Input != 2.5 ||
		*a.Prices.CachedInput != 1.25 || *a.Prices.Output != 10 || c < want-1e-12 || c > want+1e-12 {
		t.Fatalf("reloaded %+v: cost %v %v, want %v", a, c, ok, want)
	}
	if u := load(t, s, "c").Messages[0]; u.Profile != "" || u.Prices.Set() {
		t.Fatalf("the question has a stamp: %+v", u)
	}

	// SaveMessage: an answer checkpointed before its usage, then saved
	// with it under another profile without prices.
	b := chat.Message{Role: chat.Assistant, Content: "b", Time: time.UnixMilli(3000), Status: chat.Complete,
		Usage: u, Profile: "home", Deployment: "o4-mini"}
	if err := s.SaveMessage(conv, 2, b); err != nil {
		t.Fatal(err)
	}
	got := load(t, s, "c")
	var found *chat.Message
	for _, m := range append(got.Messages, got.Others...) {
		if m.Content == "b" {
			found = m
		}
	}
	if found == nil || found.Profile != "home" || found.Deployment != "o4-mini" || found.Prices.Set() {
		t.Fatalf("saved message %+v", found)
	}
	if _, ok := found.AnswerCost(); ok {
		t.Fatal("an answer without prices has a cost")
	}
	us, err := s.Usage(time.UnixMilli(2500))
	if err != nil || len(us) != 1 || us[0].Profile != "home" {
		t.Fatalf("usage since: %+v %v", us, err)
	}
}
