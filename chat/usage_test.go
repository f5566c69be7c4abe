package chat_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/export"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
)

// TestUsageKeepsCachedAndReasoningTokens: the usage Azure reports with its
// details (prompt_tokens_details.cached_tokens,
// completion_tokens_details.reasoning_tokens) is kept with the answer,
// reported to the UI, stored in the history and written to JSON exports.
func TestUsageKeepsCachedAndReasoningTokens(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{CachedTokens: 16, ReasoningTokens: 40})
	r.ctl.SetSystem("You are a helpful assistant.", nil)
	m := r.send(t, "Who were the founders of Microsoft?")
	u := m.Usage
	if u == nil || u.PromptTokens != 24 || u.CachedPromptTokens != 16 || u.ReasoningTokens != 40 || u.CompletionTokens <= 40 || u.TotalTokens != u.PromptTokens+u.CompletionTokens {
		t.Fatalf("usage %+v", u)
	}
	var reported *chat.Usage
	for _, e := range r.rec.all() {
		if ur, ok := e.(chat.UsageReported); ok {
			reported = &ur.Usage
		}
	}
	if reported == nil || *reported != *u {
		t.Fatalf("reported %+v, stored %+v", reported, u)
	}

	store, err := history.Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	conv := r.ctl.Conversation()
	if conv.ID == "" {
		conv.ID = "usage-test"
	}
	if err := store.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	back, err := store.Load(conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := back.Messages[len(back.Messages)-1]
	if last.Usage == nil || *last.Usage != *u {
		t.Fatalf("from the history: %+v, want %+v", last.Usage, u)
	}

	b, err := export.Render(back, export.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Messages []struct {
			Usage map[string]int `json:"usage"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	got := doc.Messages[len(doc.Messages)-1].Usage
	if got["cached_prompt_tokens"] != 16 || got["reasoning_tokens"] != 40 || got["prompt_tokens"] != 24 {
		t.Fatalf("export usage %v", got)
	}
}
