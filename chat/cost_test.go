package chat_test

import (
	"math"
	"testing"

	"github.com/azchat/azchat/chat"
)

func price(v float64) *float64 { return &v }

// Cached tokens are part of the prompt, reasoning tokens part of the
// completion: each is billed once.
func TestCostArithmetic(t *testing.T) {
	p := chat.Prices{Input: price(2.50), CachedInput: price(1.25), Output: price(10)}
	u := chat.Usage{PromptTokens: 10_000, CachedPromptTokens: 4_000, CompletionTokens: 2_000, ReasoningTokens: 1_500, TotalTokens: 12_000}
	got, ok := p.Cost(u)
	want := (6_000*2.50 + 4_000*1.25 + 2_000*10.0) / 1e6 // 0.04
	if !ok || math.Abs(got-want) > 1e-12 {
		t.Fatalf("cost = %v (%v), want %v", got, ok, want)
	}
	if _, ok := (chat.Prices{}).Cost(u); ok {
		t.Fatal("a cost without prices")
	}
	// No cached price: cached tokens at the input price.
	noCached := chat.Prices{Input: price(2.50), Output: price(10)}
	if got, _ := noCached.Cost(u); math.Abs(got-(10_000*2.50+2_000*10.0)/1e6) > 1e-12 {
		t.Fatalf("without a cached price: %v", got)
	}
	// More cached than prompt (never from Azure) cannot make a negative cost.
	if got, _ := p.Cost(chat.Usage{PromptTokens: 10, CachedPromptTokens: 50}); got < 0 {
		t.Fatalf("negative cost %v", got)
	}
}
