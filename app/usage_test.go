package app

import (
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

// TestStatusBarShowsCachedAndReasoningTokens: the last answer's usage in
// the status bar names the prompt tokens served from the cache and the
// tokens spent reasoning, as Azure reported them.
func TestStatusBarShowsCachedAndReasoningTokens(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{CachedTokens: 8, ReasoningTokens: 1200})
	h.send("Who founded Microsoft?")
	h.ui(func() {
		got := h.u.usage.Text
		if !strings.Contains(got, " prompt (8 cached) + ") || !strings.Contains(got, " completion (1,200 reasoning) = ") {
			t.Fatalf("status bar %q", got)
		}
	})
}

func TestUsageTextLeavesOutWhatWasNotReported(t *testing.T) {
	got := usageText(chat.Usage{PromptTokens: 1500, CompletionTokens: 20, TotalTokens: 1520})
	if got != "Last answer: 1,500 prompt + 20 completion = 1,520" {
		t.Fatalf("%q", got)
	}
}
