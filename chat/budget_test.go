package chat

import (
	"errors"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat/tokens"
)

func counter(t testing.TB) *tokens.Counter {
	t.Helper()
	c, err := tokens.NewCounter("gpt-4o")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func conv(n int) *Conversation {
	c := &Conversation{System: "You are a helpful assistant."}
	for i := 0; i < n; i++ {
		role := User
		if i%2 == 1 {
			role = Assistant
		}
		c.Messages = append(c.Messages, &Message{Role: role, Content: "message number " + strings.Repeat("x", i%7), Status: Complete})
	}
	return c
}

func TestPlanSendsEverythingThatFits(t *testing.T) {
	c := counter(t)
	cv := conv(6)
	b, err := Plan(cv, c, 4096, 512, DropOldest)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Sent) != 6 || len(b.Omitted) != 0 {
		t.Fatalf("sent %v omitted %v", b.Sent, b.Omitted)
	}
	want := tokens.ReplyPrimer + c.Message("system", "", cv.System)
	for _, m := range cv.Messages {
		want += c.Message(string(m.Role), m.Name, m.Content)
	}
	if b.Used != want {
		t.Fatalf("Used = %d, want %d", b.Used, want)
	}
	w := b.Wire(cv)
	if len(w) != 7 || w[0].Role != System || w[6].Content != cv.Messages[5].Content {
		t.Fatalf("wire = %+v", w)
	}
}

func TestPlanDropsOldestAndKeepsPinned(t *testing.T) {
	c := counter(t)
	cv := conv(40)
	cv.Examples = []Example{{User: "2+2?", Assistant: "4"}}
	// Room for pinned messages and about ten turns.
	pinned := tokens.ReplyPrimer + c.Message("system", "", cv.System) + c.Message("system", "example_user", "2+2?") + c.Message("system", "example_assistant", "4")
	each := cv.Messages[39].Cost(c)
	window := pinned + 10*each + 100
	b, err := Plan(cv, c, window, 100, DropOldest)
	if err != nil {
		t.Fatal(err)
	}
	if b.Pinned != pinned-tokens.ReplyPrimer {
		t.Fatalf("Pinned = %d, want %d", b.Pinned, pinned-tokens.ReplyPrimer)
	}
	if len(b.Omitted) == 0 || len(b.Sent) == 0 {
		t.Fatalf("expected trimming: sent %d omitted %d", len(b.Sent), len(b.Omitted))
	}
	if b.Sent[len(b.Sent)-1] != 39 || b.Omitted[0] != 0 || b.Omitted[len(b.Omitted)-1]+1 != b.Sent[0] {
		t.Fatalf("not a contiguous newest tail: sent %v omitted %v", b.Sent, b.Omitted)
	}
	if b.Used > b.Available() {
		t.Fatalf("Used %d > Available %d", b.Used, b.Available())
	}
	w := b.Wire(cv)
	if w[1].Name != "example_user" || w[2].Name != "example_assistant" {
		t.Fatalf("examples not pinned after system: %+v", w[:3])
	}
	if len(cv.Messages) != 40 {
		t.Fatal("Plan deleted messages")
	}
}

func TestPlanAskStrategy(t *testing.T) {
	c := counter(t)
	cv := conv(40)
	_, err := Plan(cv, c, 200, 50, AskNewChat)
	var nc *NeedNewChatError
	if !errors.As(err, &nc) {
		t.Fatalf("err = %v, want NeedNewChatError", err)
	}
	if AsError(err).Action != ActionNewChat {
		t.Fatal("need-new-chat should offer a new chat")
	}
}

func TestPlanTooLongGivesNumbers(t *testing.T) {
	c := counter(t)
	cv := &Conversation{System: "sys", Messages: []*Message{{Role: User, Content: strings.Repeat("word ", 500), Status: Complete}}}
	_, err := Plan(cv, c, 300, 100, DropOldest)
	var tl *TooLongError
	if !errors.As(err, &tl) {
		t.Fatalf("err = %v", err)
	}
	if tl.Available != 200 || tl.Need <= 200 || !strings.Contains(tl.Error(), "200") || !strings.Contains(tl.Error(), "with the system message") {
		t.Fatalf("unhelpful numbers: %+v %q", tl, tl.Error())
	}
	// No system message: only the user's is named; big numbers as the
	// meter writes them.
	cv = &Conversation{Messages: []*Message{{Role: User, Content: strings.Repeat("word ", 2000), Status: Complete}}}
	_, err = Plan(cv, c, 1200, 100, DropOldest)
	if !errors.As(err, &tl) || !strings.HasPrefix(tl.Error(), "Your message needs 2,00") || strings.Contains(tl.Error(), "system") || !strings.Contains(tl.Error(), "1,100 fit") {
		t.Fatalf("no system message: %v", err)
	}
}

func TestPlanSkipsFailedAndEmpty(t *testing.T) {
	c := counter(t)
	cv := &Conversation{Messages: []*Message{
		{Role: User, Content: "q1", Status: Complete},
		{Role: Assistant, Content: "", Status: Failed, Error: "x"},
		{Role: User, Content: "q2", Status: Complete},
	}}
	b, err := Plan(cv, c, 1000, 100, DropOldest)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Sent) != 2 || b.Sent[0] != 0 || b.Sent[1] != 2 {
		t.Fatalf("sent %v", b.Sent)
	}
}

func TestCostIsCachedAndInvalidated(t *testing.T) {
	c := counter(t)
	m := &Message{Role: User, Content: "hello"}
	n := m.Cost(c)
	if got, ok := m.CachedCost(tokens.O200K); !ok || got != n {
		t.Fatal("cost not cached")
	}
	m.SetContent("hello there, world")
	if _, ok := m.CachedCost(tokens.O200K); ok {
		t.Fatal("cache survived a content change")
	}
	if m.Cost(c) <= n {
		t.Fatal("longer text should cost more")
	}
}

func BenchmarkPlan10000Cached(b *testing.B) {
	c := counter(b)
	cv := conv(10000)
	if _, err := Plan(cv, c, 1_000_000, 4096, DropOldest); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Plan(cv, c, 1_000_000, 4096, DropOldest); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPlanNeverOpensWithAnAnswer: where the window cuts a turn between its
// question and its answer, the answer is left out as well (sent first, it
// answered nothing the model could see), and its cost with it; a chat
// that fits whole is sent as it is.
func TestPlanNeverOpensWithAnAnswer(t *testing.T) {
	c := counter(t)
	cv := conv(9) // user, assistant, … , user
	base := tokens.ReplyPrimer + c.Message("system", "", cv.System)
	for cut := 1; cut < 8; cut++ {
		// Room for exactly messages cut..8.
		window := base
		for _, m := range cv.Messages[cut:] {
			window += m.Cost(c)
		}
		b, err := Plan(cv, c, window+10, 10, DropOldest)
		if err != nil {
			t.Fatal(err)
		}
		if m := cv.Messages[b.Sent[0]]; m.Role != User {
			t.Fatalf("window for %d..8: the first sent is %d, an answer (sent %v)", cut, b.Sent[0], b.Sent)
		}
		want := base
		for _, i := range b.Sent {
			want += cv.Messages[i].Cost(c)
		}
		if b.Used != want || b.Omitted[len(b.Omitted)-1]+1 != b.Sent[0] {
			t.Fatalf("window for %d..8: used %d, want %d; omitted %v sent %v", cut, b.Used, want, b.Omitted, b.Sent)
		}
	}
	// The newest message sent stays, also when what follows it is not sent
	// (a refused question and its failed answer).
	tail := conv(3)
	tail.Messages = append(tail.Messages, &Message{Role: Assistant, Status: Failed, ErrorKind: KindPromptFiltered})
	window := base + tail.Messages[1].Cost(c) + 10
	if b, err := Plan(tail, c, window, 10, DropOldest); err != nil || len(b.Sent) != 1 || b.Sent[0] != 1 {
		t.Fatalf("with a refused question last: sent %v omitted %v (%v)", b.Sent, b.Omitted, err)
	}
	// An imported chat that opens with an answer, sent whole: unchanged.
	cv.Messages = cv.Messages[1:]
	b, err := Plan(cv, c, 100000, 10, DropOldest)
	if err != nil || len(b.Omitted) != 0 || b.Sent[0] != 0 {
		t.Fatalf("whole chat: sent %v omitted %v (%v)", b.Sent, b.Omitted, err)
	}
}
