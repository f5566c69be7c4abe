package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

func price(v float64) *float64 { return &v }

var testPrices = chat.Prices{Input: price(2.5), CachedInput: price(1.25), Output: price(10)}

func TestAnswerCostLine(t *testing.T) {
	u := &chat.Usage{PromptTokens: 1234, CachedPromptTokens: 1000, CompletionTokens: 56, TotalTokens: 1290}
	for _, tc := range []struct {
		m    chat.Message
		want string
	}{
		{chat.Message{Role: chat.Assistant}, ""},
		{chat.Message{Role: chat.Assistant, Usage: u}, "1,234 prompt (1,000 cached) + 56 completion = 1,290 tokens"},
		// (234 × 2.5 + 1000 × 1.25 + 56 × 10) / 10⁶ = 0.002395
		{chat.Message{Role: chat.Assistant, Usage: u, Prices: testPrices}, "1,234 prompt (1,000 cached) + 56 completion = 1,290 tokens · cost 0.0024"},
		{chat.Message{Role: chat.Assistant, Usage: &chat.Usage{PromptTokens: 10, CompletionTokens: 900, ReasoningTokens: 800}, Prices: testPrices},
			"10 prompt + 900 completion (800 reasoning) = 910 tokens · cost 0.0090"},
	} {
		if got := answerCostLine(tc.m); got != tc.want {
			t.Errorf("answerCostLine = %q, want %q", got, tc.want)
		}
	}
}

// TestUsageStatusCost: the status bar adds the last answer's cost at the
// prices stored with it, and the chat's total over the answers that had
// prices; with no prices anywhere, it is the usage alone.
func TestUsageStatusCost(t *testing.T) {
	old := chat.Message{Role: chat.Assistant, Usage: &chat.Usage{PromptTokens: 2000, CompletionTokens: 500, TotalTokens: 2500}, Prices: testPrices} // 0.0100
	unpriced := chat.Message{Role: chat.Assistant, Usage: &chat.Usage{PromptTokens: 5, CompletionTokens: 5, TotalTokens: 10}}
	streaming := chat.Message{Role: chat.Assistant, Prices: testPrices} // usage not yet in the message
	us := chat.Usage{PromptTokens: 1234, CachedPromptTokens: 1000, CompletionTokens: 56, TotalTokens: 1290}
	msgs := []chat.Message{{Role: chat.User}, old, {Role: chat.User}, unpriced, {Role: chat.User}, streaming}
	got := usageStatus(msgs, nil, 5, us)
	want := []string{
		"Last answer: 1,234 prompt (1,000 cached) + 56 completion = 1,290 tokens · cost 0.0024 · chat total 0.0124",
		"Last answer: 1,234 + 56 = 1,290 tokens · cost 0.0024 · chat total 0.0124",
		"Last answer: 1,290 tokens · cost 0.0024 · chat total 0.0124",
		"Last answer: 1,290 tokens · cost 0.0024",
		"1,290 tokens · cost 0.0024",
		"1,290 tokens",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	unpricedWant := []string{
		"Last answer: 5 prompt + 5 completion = 10 tokens · chat total 0.0100",
		"Last answer: 5 + 5 = 10 tokens · chat total 0.0100",
		"Last answer: 10 tokens · chat total 0.0100",
		"Last answer: 10 tokens",
		"10 tokens",
	}
	if got := usageStatus(msgs, nil, 3, *unpriced.Usage); !slices.Equal(got, unpricedWant) {
		t.Fatalf("an answer without prices: %q", got)
	}
	// No prices anywhere: the usage alone, and no text twice.
	if got := usageStatus([]chat.Message{unpriced}, nil, 0, *unpriced.Usage); !slices.Equal(got, []string{usageText(*unpriced.Usage), "Last answer: 5 + 5 = 10 tokens", "Last answer: 10 tokens", "10 tokens"}) {
		t.Fatalf("no prices anywhere: %q", got)
	}
	if got := openedUsageStatus(msgs[:4], nil); !slices.Equal(got, unpricedWant) {
		t.Fatalf("opened: %q", got)
	}
	if got := openedUsageStatus(msgs[:1], nil); got != nil {
		t.Fatalf("opened without answers: %q", got)
	}
}

// TestStatusBarShowsCostAndChatTotal: with prices in the options, the
// answer's cost and the chat's total follow its usage in the status bar,
// and come back when the chat is opened again from the history.
func TestStatusBarShowsCostAndChatTotal(t *testing.T) {
	h := newHarness(t, true)
	opts := h.u.ctl.Options()
	opts.Profile, opts.Prices = "work", testPrices
	h.u.ctl.SetOptions(opts)
	h.srv.Script(fakeazure.Behaviour{CachedTokens: 8, ReasoningTokens: 100})
	h.send("Who founded Microsoft?")
	var label, id string
	var answer chat.Message
	h.ui(func() {
		label, id = h.u.usage.Text, h.u.conv.ID
		answer = h.u.msgs[len(h.u.msgs)-1]
	})
	c, ok := answer.AnswerCost()
	if !ok || answer.Profile != "work" {
		t.Fatalf("answer %+v", answer)
	}
	want := " · cost " + chat.FormatCost(c) + " · chat total " + chat.FormatCost(c)
	if !strings.HasPrefix(label, "Last answer: ") || !strings.HasSuffix(label, want) {
		t.Fatalf("status bar %q, want it to end %q", label, want)
	}
	if !strings.Contains(answerCostLine(answer), " · cost "+chat.FormatCost(c)) {
		t.Fatalf("row line %q", answerCostLine(answer))
	}

	h.u.ctl.Flush() // the answer is in the history before it is read back
	h.ui(h.u.newChat)
	h.settle()
	h.ui(func() {
		if h.u.usage.Text != "" {
			t.Fatalf("a new chat shows %q", h.u.usage.Text)
		}
	})
	conv, err := h.u.history.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	h.ui(func() { h.u.showConversation(conv, -1) })
	h.settle()
	h.ui(func() {
		if h.u.usage.Text != label {
			t.Fatalf("reopened: %q, was %q", h.u.usage.Text, label)
		}
	})
}

// The chat's total counts the versions not on screen too: a regenerated
// answer was paid for.
func TestChatTotalCountsOtherBranches(t *testing.T) {
	in := 1.0
	p := chat.Prices{Input: &in}
	shown := chat.Message{Role: chat.Assistant, Usage: &chat.Usage{PromptTokens: 1000}, Prices: p}
	hidden := chat.Message{Role: chat.Assistant, Usage: &chat.Usage{PromptTokens: 3000}, Prices: p}
	got := openedUsageStatus([]chat.Message{{Role: chat.User}, shown}, []chat.Message{hidden})[0]
	if !strings.Contains(got, "cost 0.0010") || !strings.Contains(got, "chat total 0.0040") {
		t.Fatalf("status = %q", got)
	}
}

// TestTheLastAnswerWithoutUsageIsNotGivenAnOlderOnes: when the newest
// answer came without usage (a deployment that reports none), the status
// says so, rather than showing an older answer's numbers as the last's;
// the chat's total stays.
func TestTheLastAnswerWithoutUsageIsNotGivenAnOlderOnes(t *testing.T) {
	in := 1.0
	p := chat.Prices{Input: &in}
	older := chat.Message{Role: chat.Assistant, Usage: &chat.Usage{PromptTokens: 1000, TotalTokens: 1000}, Prices: p}
	newest := chat.Message{Role: chat.Assistant, Content: "no usage came"}
	got := openedUsageStatus([]chat.Message{{Role: chat.User}, older, {Role: chat.User}, newest}, nil)[0]
	if got != "Last answer: no usage reported · chat total 0.0010" {
		t.Fatalf("status = %q", got)
	}
	// A request that failed is not an answer: the one before is the last.
	failed := chat.Message{Role: chat.Assistant, Status: chat.Failed, Error: "429"}
	if got := openedUsageStatus([]chat.Message{{Role: chat.User}, older, {Role: chat.User}, failed}, nil); !strings.HasPrefix(got[0], "Last answer: 1,000 prompt") {
		t.Fatalf("after a failed request: %q", got)
	}
	// And as it finishes in the window (the stand-in reports usage only
	// for prompts whose counts it knows: not this one).
	h := newHarness(t, true)
	h.ui(func() { h.u.usage.SetText("Last answer: 5 prompt + 5 completion = 10 tokens") }) // an earlier answer's
	h.send("a prompt the stand-in has no count for")
	h.settle()
	h.ui(func() {
		if h.u.usage.Text != "Last answer: no usage reported" {
			t.Fatalf("after an answer without usage: %q", h.u.usage.Text)
		}
	})
}
