package chat_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/chat/models"
	"github.com/azchat/azchat/chat/tokens"
	"github.com/azchat/azchat/internal/fakeazure"
)

// TestBudgetFollowsTheModelFacts: a request's budget takes the window,
// input cap and reply reserve of the model from the facts table: gpt-5's
// prompts stop at 272,000 tokens (its window is 400,000), gpt-5-chat has
// 128,000, a reasoning model keeps room for its reasoning, and for a model
// the table does not know the window the user set is all there is.
func TestBudgetFollowsTheModelFacts(t *testing.T) {
	cases := []struct {
		model                      string
		window                     int
		wantWindow, wantIn, wantRe int
		wantAvail                  int
	}{
		{"gpt-5", 0, 400_000, 272_000, models.ReasoningReserve, 272_000},
		{"gpt-5-chat", 0, 128_000, 128_000, 4096, 128_000 - 4096},
		{"o1-preview", 0, 128_000, 128_000, models.ReasoningReserve, 128_000 - models.ReasoningReserve},
		{"gpt-5", 300_000, 300_000, 272_000, models.ReasoningReserve, 272_000},
		{"my-fine-tune", 32_000, 32_000, 32_000, 4000, 28_000},
	}
	for _, c := range cases {
		r := newRig(t, chat.Options{Model: c.model, Window: c.window}, nil)
		r.send(t, "hello")
		b := r.ctl.LastBudget()
		if b.Window != c.wantWindow || b.MaxInput != c.wantIn || b.Reserve != c.wantRe || b.Available() != c.wantAvail {
			t.Errorf("%s (window %d): window %d, input cap %d, reserve %d, available %d; want %d, %d, %d, %d",
				c.model, c.window, b.Window, b.MaxInput, b.Reserve, b.Available(), c.wantWindow, c.wantIn, c.wantRe, c.wantAvail)
		}
	}
}

// TestInputCapStopsAPromptInsideTheWindow: a prompt that fits the window
// but not the model's input cap is refused with the cap in the message.
func TestInputCapStopsAPromptInsideTheWindow(t *testing.T) {
	c, err := tokens.NewCounter("gpt-4o")
	if err != nil {
		t.Fatal(err)
	}
	cv := &chat.Conversation{Messages: []*chat.Message{{Role: chat.User, Content: strings.Repeat("word ", 200), Status: chat.Complete}}}
	_, err = chat.PlanWithin(cv, c, chat.Limits{Window: 10_000, Reserve: 100, MaxInput: 50}, chat.DropOldest)
	var tooLong *chat.TooLongError
	if !errors.As(err, &tooLong) || tooLong.Available != 50 || !strings.Contains(err.Error(), "at most 50 input tokens") {
		t.Fatalf("err = %v", err)
	}
	b, err := chat.PlanWithin(cv, c, chat.Limits{Window: 10_000, Reserve: 100, MaxInput: 5_000}, chat.DropOldest)
	if err != nil || b.Available() != 5_000 || len(b.Sent) != 1 {
		t.Fatalf("with room: %+v, %v", b, err)
	}
}

// TestModelLearnedFromEachAnswerWins: the model that wrote the last answer
// (the response's model field) decides the next request's limits over the
// one stated in settings, so a model-router deployment adapts per answer.
func TestModelLearnedFromEachAnswerWins(t *testing.T) {
	r := newRig(t, chat.Options{Model: "model-router-2025-05-19"}, nil)
	r.send(t, "hello")
	if b := r.ctl.LastBudget(); !b.Estimate || b.Window != 4096 {
		t.Fatalf("first request, an unknown stated model: %+v", b)
	}
	if got := r.ctl.Model(); got != "gpt-4o-2024-11-20" {
		t.Fatalf("model after the answer %q", got)
	}
	r.send(t, "again")
	if b := r.ctl.LastBudget(); b.Estimate || b.Window != 128_000 {
		t.Fatalf("second request: %+v", b)
	}
}

// TestStatedModelKeepsItsVersionAndBeatsAnOldLearnedOne: a model learned
// in an earlier session does not override the one stated (or picked) now,
// and an answer from the same family keeps the stated name, whose version
// may set the limits (gpt-35-turbo 0613: 4,096 tokens).
func TestStatedModelKeepsItsVersionAndBeatsAnOldLearnedOne(t *testing.T) {
	r := newRig(t, chat.Options{Deployment: "small", Model: "gpt-35-turbo-0613"}, nil)
	r.ctl.LearnModel("", "small", "gpt-4o-2024-11-20") // from an earlier session
	if got := r.ctl.Model(); got != "gpt-35-turbo-0613" {
		t.Fatalf("before any answer: %q", got)
	}
	r.send(t, "hello") // the stand-in's "small" answers as gpt-35-turbo
	r.send(t, "again")
	if got, b := r.ctl.Model(), r.ctl.LastBudget(); got != "gpt-35-turbo-0613" || b.Window != 4096 {
		t.Fatalf("after answers from the same family: %q, window %d", got, b.Window)
	}
}

// TestAModelNameMustReadAsOne: the server names each answer's model, and
// azchat keeps it (settings, messages) and shows it (dialogs, terminal):
// a name with an escape sequence, or of megabytes, is not taken.
func TestAModelNameMustReadAsOne(t *testing.T) {
	for name, want := range map[string]string{
		"gpt-4o-2024-11-20":                   "gpt-4o-2024-11-20",
		"meta/llama-3.1:8b":                   "meta/llama-3.1:8b",
		"qwen2.5-7b-instruct@q4_k_m":          "qwen2.5-7b-instruct@q4_k_m",
		"/models/Llama 3 8B.Q4_K_M.gguf":      "/models/Llama 3 8B.Q4_K_M.gguf",
		"gpt-35-turbo-\x1b]52;c;Y3VybA==\x07": "",
		strings.Repeat("g", 201):              "",
		"gpt-4o\u202e":                        "",
		"line\nbreak":                         "",
		"bad\xffutf8":                         "",
	} {
		if got := chat.ModelName(name); got != want {
			t.Errorf("ModelName(%q) = %q", name, got)
		}
	}
	r := newRig(t, chat.Options{}, func(srv *fakeazure.Server, _ *azure.Config) {
		srv.Deployments["chat"] = fakeazure.Deployment{Model: "gpt-4o-\x1b]0;owned\x07"}
	})
	r.send(t, "hello")
	if m := r.ctl.Model(); strings.ContainsRune(m, 0x1b) {
		t.Fatalf("the model taken is %q", m)
	}
	if last := r.ctl.Conversation().Messages; last[len(last)-1].Model != "" {
		t.Fatalf("the answer's model is %q", last[len(last)-1].Model)
	}
}

// TestAStreamThatDoesNotEndIsCut: an answer past MaxAnswerText (a broken
// proxy or a hostile endpoint streaming without end) is cut there: what
// came is kept up to the limit, marked interrupted, with a reason, and not
// asked again.
func TestAStreamThatDoesNotEndIsCut(t *testing.T) {
	defer chat.SetMaxAnswerText(64 << 10)()
	reply := strings.Repeat("endless words ", (1<<20)/14)
	r := newRig(t, chat.Options{}, func(srv *fakeazure.Server, _ *azure.Config) {
		srv.Script(fakeazure.Behaviour{Reply: reply, ChunkTokens: 40})
	})
	m := r.send(t, "hello")
	if m.Status != chat.Interrupted || len(m.Content) != 64<<10 || !strings.HasPrefix(reply, m.Content) {
		t.Fatalf("answer %s, %d bytes", m.Status, len(m.Content))
	}
	errs := r.rec.errors()
	if len(errs) != 1 || errs[0].Err.Kind != chat.KindMalformed || !strings.Contains(errs[0].Err.Reason, "stopped reading") {
		t.Fatalf("errors %+v", errs)
	}
	if n := len(r.srv.Requests()); n != 1 {
		t.Fatalf("asked %d times", n)
	}
}
