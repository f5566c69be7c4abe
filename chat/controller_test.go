package chat_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/chat/tokens"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/internal/testwait"
)

const testKey = "test-key-0123456789abcdef"

// recorder keeps every event the controller emits.
type recorder struct {
	mu     sync.Mutex
	events []chat.Event
}

func (r *recorder) emit(e chat.Event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) all() []chat.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]chat.Event(nil), r.events...)
}

func (r *recorder) errors() []chat.ErrorReported {
	var out []chat.ErrorReported
	for _, e := range r.all() {
		if f, ok := e.(chat.ErrorReported); ok {
			out = append(out, f)
		}
	}
	return out
}

func (r *recorder) waits() []chat.Waiting {
	var out []chat.Waiting
	for _, e := range r.all() {
		if f, ok := e.(chat.Waiting); ok {
			out = append(out, f)
		}
	}
	return out
}

type rig struct {
	srv   *fakeazure.Server
	ctl   *chat.Controller
	rec   *recorder
	slept []time.Duration
}

func newRig(t *testing.T, opts chat.Options, cfg func(*fakeazure.Server, *azure.Config)) *rig {
	t.Helper()
	srv := &fakeazure.Server{APIKey: testKey, Deployments: map[string]fakeazure.Deployment{
		"chat":   {Model: "gpt-4o-2024-11-20"},
		"reason": {Model: "o4-mini"},
		"small":  {Model: "gpt-35-turbo", Window: 4096},
	}}
	// Long timeouts: a loaded machine may stall a stream for seconds, and
	// the tests of timeouts set their own.
	c := azure.Config{APIKey: testKey, FirstByteTimeout: 30 * time.Second, IdleTimeout: 30 * time.Second}
	if cfg != nil {
		cfg(srv, &c)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if c.BaseURL == "" {
		c.BaseURL = srv.BaseURL()
	}
	client, err := azure.New(c)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{srv: srv, rec: &recorder{}}
	if opts.Deployment == "" {
		opts.Deployment = "chat"
	}
	var mu sync.Mutex
	opts.Sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		r.slept = append(r.slept, d)
		mu.Unlock()
		return nil
	}
	r.ctl = chat.NewController(client, opts, r.rec.emit)
	return r
}

func (r *rig) send(t *testing.T, text string) chat.Message {
	t.Helper()
	if err := r.ctl.Send(text); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	conv := r.ctl.Conversation()
	if len(conv.Messages) == 0 {
		t.Fatal("no messages")
	}
	return *conv.Messages[len(conv.Messages)-1]
}

func TestStreamsAnswerOverHTTP(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	// A prompt tiktoken counted (chat/tokens/testdata/reference.json): the
	// stand-in reports that count as the API would.
	r.ctl.SetSystem("You are a helpful assistant.", nil)
	m := r.send(t, "Who were the founders of Microsoft?")
	if m.Role != chat.Assistant || m.Status != chat.Complete || m.FinishReason != "stop" {
		t.Fatalf("answer = %+v", m)
	}
	if !strings.Contains(m.Content, "Who were the founders of Microsoft?") {
		t.Fatalf("content = %q", m.Content)
	}
	if m.Model != "gpt-4o-2024-11-20" || r.ctl.Model() != "gpt-4o-2024-11-20" {
		t.Fatalf("model not learnt: %q / %q", m.Model, r.ctl.Model())
	}
	// The API's prompt_tokens (tiktoken's 24) must agree with our own count
	// of what was sent.
	if m.Usage == nil || m.Usage.PromptTokens != 24 || r.ctl.LastBudget().Used != 24 {
		t.Fatalf("usage %+v vs budget %d (tiktoken: 24)", m.Usage, r.ctl.LastBudget().Used)
	}
	var deltas strings.Builder
	var learned, added, finished int
	for _, e := range r.rec.all() {
		switch e := e.(type) {
		case chat.TextDelta:
			deltas.WriteString(e.Text)
			if e.Content != deltas.String() {
				t.Fatalf("delta's content %q, the deltas so far %q", e.Content, deltas.String())
			}
		case chat.ModelLearned:
			learned++
		case chat.MessageAdded:
			added++
		case chat.Finished:
			finished++
		}
	}
	if deltas.String() != m.Content || learned != 1 || added != 2 || finished != 1 {
		t.Fatalf("events: deltas=%q learned=%d added=%d finished=%d", deltas.String(), learned, added, finished)
	}
	req := r.srv.Requests()[0]
	if !req.APIKey || req.Bearer {
		t.Fatal("the key must travel in api-key, not Authorization")
	}
	so, _ := req.Body["stream_options"].(map[string]any)
	if req.Body["stream"] != true || so["include_usage"] != true {
		t.Fatalf("stream options missing: %v", req.Body)
	}
	msgs := req.Body["messages"].([]any)
	if len(msgs) != 2 || msgs[0].(map[string]any)["role"] != "system" {
		t.Fatalf("messages = %v", msgs)
	}
}

func TestConversationLoopResendsTranscript(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.send(t, "first")
	r.send(t, "second")
	reqs := r.srv.Requests()
	msgs := reqs[1].Body["messages"].([]any)
	if len(msgs) != 3 {
		t.Fatalf("second request sent %d messages, want 3", len(msgs))
	}
}

func TestAzureFixtureStream(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{Raw: fakeazure.Fixture("stream-basic.sse")})
	m := r.send(t, "Who founded Microsoft?")
	if m.Content != "Microsoft was founded by Bill Gates and Paul Allen. été 🚀" {
		t.Fatalf("content = %q", m.Content)
	}
	if m.Status != chat.Complete || m.Usage == nil || m.Usage.TotalTokens != 42 {
		t.Fatalf("status %s usage %+v", m.Status, m.Usage)
	}
	if len(m.PromptFilter) != 5 || m.PromptFilter["jailbreak"].Detected == nil {
		t.Fatalf("prompt filter = %+v", m.PromptFilter)
	}
}

func TestContentFilterFixture(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{Raw: fakeazure.Fixture("stream-content-filter.sse")})
	m := r.send(t, "tell me a story")
	if m.Status != chat.Filtered || m.Content != "Here is the story:" {
		t.Fatalf("answer = %+v", m)
	}
	if got := m.Filter.Triggered(); len(got) != 1 || got[0] != "violence (medium)" {
		t.Fatalf("triggered = %v", got)
	}
}

func TestFinishReasons(t *testing.T) {
	cases := []struct {
		name string
		b    fakeazure.Behaviour
		want chat.Status
	}{
		{"length", fakeazure.Behaviour{FinishReason: "length"}, chat.Truncated},
		{"filter", fakeazure.Behaviour{FinishReason: "content_filter", FilterCategory: "hate", FilterSeverity: "high"}, chat.Filtered},
		{"no finish", fakeazure.Behaviour{NoFinish: true, NoDone: true}, chat.Interrupted},
		{"late filter event", fakeazure.Behaviour{LateFilter: true}, chat.Complete},
		{"comments", fakeazure.Behaviour{Comments: true}, chat.Complete},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := newRig(t, chat.Options{}, nil)
			r.srv.Script(c.b)
			m := r.send(t, "hello")
			if m.Status != c.want {
				t.Fatalf("status = %s, want %s (%+v)", m.Status, c.want, m)
			}
			if m.Content == "" {
				t.Fatal("partial text lost")
			}
		})
	}
}

func TestContinueAppendsToTruncatedAnswer(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{Reply: "Part one,", FinishReason: "length"}, fakeazure.Behaviour{Reply: " part two."})
	m := r.send(t, "long story")
	if m.Status != chat.Truncated {
		t.Fatalf("status %s", m.Status)
	}
	if err := r.ctl.Continue(); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	conv := r.ctl.Conversation()
	if len(conv.Messages) != 2 || conv.Messages[1].Content != "Part one, part two." || conv.Messages[1].Status != chat.Complete {
		t.Fatalf("after continue: %+v", conv.Messages[len(conv.Messages)-1])
	}
	// The continued answer's deltas carry its whole text, the first part
	// included: a window shows Content as it is.
	var final chat.TextDelta
	for _, e := range r.rec.all() {
		if d, ok := e.(chat.TextDelta); ok {
			final = d
		}
	}
	if final.Content != "Part one, part two." {
		t.Fatalf("last delta %+v", final)
	}
	last := r.srv.Requests()[1].Body["messages"].([]any)
	if len(last) != 3 || last[1].(map[string]any)["content"] != "Part one," {
		t.Fatalf("continue request = %v", last)
	}
}

// TestContinueCountsItsPrompt: Continue sends one message more than the
// conversation holds; the plan did not count it, so the meter was short
// and a chat at the window's edge could be refused by the service.
func TestContinueCountsItsPrompt(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{Reply: "Part one,", FinishReason: "length"}, fakeazure.Behaviour{Reply: " part two."})
	r.send(t, "long story")
	lastBudget := func() chat.Budget {
		var b chat.Budget
		for _, e := range r.rec.all() {
			if bc, ok := e.(chat.BudgetChanged); ok {
				b = bc.Budget
			}
		}
		return b
	}
	r.ctl.Check("")
	testwait.Until(t, 5*time.Second, "the check", r.ctl.ChecksIdle)
	before := lastBudget().Used
	if err := r.ctl.Continue(); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	counter, err := tokens.NewCounter("gpt-4o")
	if err != nil {
		t.Fatal(err)
	}
	// The same conversation (the answer continued is sent as it was cut),
	// and the continue message.
	var planned chat.Budget
	for _, e := range r.rec.all() {
		if bc, ok := e.(chat.BudgetChanged); ok && bc.Budget.Used > before {
			planned = bc.Budget
			break
		}
	}
	if want := before + counter.Message("user", "", chat.ContinuePrompt); planned.Used != want {
		t.Fatalf("Continue planned %d tokens, want %d (%d before)", planned.Used, want, before)
	}
}

func TestStopKeepsPartialText(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	reply := strings.Repeat("word ", 4000) // 20 s: still streaming when stopped
	r.srv.Script(fakeazure.Behaviour{Reply: reply, TokensPerSecond: 200})
	if err := r.ctl.Send("go"); err != nil {
		t.Fatal(err)
	}
	waitDeltas(t, r, 3)
	if err := r.ctl.Send("again"); err != chat.ErrBusy {
		t.Fatalf("second send while busy: %v", err)
	}
	r.ctl.Stop()
	r.ctl.Wait()
	m := r.ctl.Conversation().Messages[1]
	if m.Status != chat.Stopped || m.Content == "" || len(m.Content) >= len(reply) {
		t.Fatalf("after stop: status %s, %d bytes", m.Status, len(m.Content))
	}
}

// StopWithin returns once the stopped answer has been emitted (the window
// applies it at once), while its write to disk is still under way, and
// reports false when there is nothing to stop; the turn ends (Busy, Wait)
// only once the answer is written.
func TestStopWithinReturnsWithTheStoppedAnswer(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	if r.ctl.StopWithin(time.Second) {
		t.Fatal("StopWithin reported a stopped answer while no turn was running")
	}
	p := &finalHeld{release: make(chan struct{})}
	r.ctl.SetPersister(p)
	r.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("word ", 4000), TokensPerSecond: 200})
	if err := r.ctl.Send("go"); err != nil {
		t.Fatal(err)
	}
	waitDeltas(t, r, 3)
	if !r.ctl.StopWithin(10 * time.Second) {
		close(p.release)
		t.Fatal("no stopped answer within 10 s of StopWithin, its write held")
	}
	stopped := false
	for _, e := range r.rec.all() {
		if f, ok := e.(chat.Finished); ok && f.Message.Status == chat.Stopped && f.Message.Content != "" {
			stopped = true
		}
	}
	busy := r.ctl.Busy()
	close(p.release)
	if !stopped {
		t.Fatal("StopWithin returned before the stopped answer was emitted")
	}
	if !busy {
		t.Fatal("the turn ended before the stopped answer was written")
	}
	r.ctl.Wait()
	if !p.wrote() {
		t.Fatal("Wait returned before the stopped answer was written")
	}
	if evs := r.rec.all(); evs[len(evs)-1] != (chat.Busy{Busy: false}) {
		t.Fatalf("the turn's last event is %+v, want its end (Busy false)", evs[len(evs)-1])
	}
}

// finalHeld writes nothing, and holds the write of a message that is
// neither the question nor a streaming checkpoint until released.
type finalHeld struct {
	release chan struct{}
	mu      sync.Mutex
	final   bool
}

func (p *finalHeld) SaveMessage(_ *chat.Conversation, _ int, m chat.Message) error {
	if m.Role == chat.Assistant && m.Status != chat.Streaming {
		<-p.release
		p.mu.Lock()
		p.final = true
		p.mu.Unlock()
	}
	return nil
}

func (p *finalHeld) ReplaceAll(*chat.Conversation) error { return nil }

func (p *finalHeld) wrote() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.final
}

// TestAnswersOfModelsAzureDoesNotStream: o1 is asked for its answers whole
// (the model table says Azure does not stream it); a deployment that
// refuses a stream the table did not foresee is asked again whole, and
// from then on.
func TestAnswersOfModelsAzureDoesNotStream(t *testing.T) {
	r := newRig(t, chat.Options{Deployment: "o1", Model: "o1"}, func(s *fakeazure.Server, _ *azure.Config) {
		s.Deployments["o1"] = fakeazure.Deployment{Model: "o1-2024-12-17"}
	})
	r.srv.Script(fakeazure.Behaviour{Reply: "whole"})
	if m := r.send(t, "hi"); m.Status != chat.Complete || m.Content != "whole" || len(r.srv.Requests()) != 1 {
		t.Fatalf("o1: %s %q after %d requests", m.Status, m.Content, len(r.srv.Requests()))
	}
	// gpt-4o streams, by the table; this deployment refuses to.
	r2 := newRig(t, chat.Options{Deployment: "o1", Model: "gpt-4o"}, func(s *fakeazure.Server, _ *azure.Config) {
		s.Deployments["o1"] = fakeazure.Deployment{Model: "gpt-4o-2024-11-20", NoStream: true}
	})
	r2.srv.Script(fakeazure.Behaviour{Reply: "first"}, fakeazure.Behaviour{Reply: "first"}, fakeazure.Behaviour{Reply: "second"})
	if m := r2.send(t, "hi"); m.Status != chat.Complete || m.Content != "first" {
		t.Fatalf("after the refusal: %s %q", m.Status, m.Content)
	}
	if m := r2.send(t, "again"); m.Status != chat.Complete || m.Content != "second" {
		t.Fatalf("the next answer: %s %q", m.Status, m.Content)
	}
	reqs := r2.srv.Requests()
	if len(reqs) != 3 || reqs[0].Body["stream"] != true || reqs[1].Body["stream"] != false || reqs[2].Body["stream"] != false {
		t.Fatalf("%d requests, streamed: %v", len(reqs), func() (out []any) {
			for _, q := range reqs {
				out = append(out, q.Body["stream"])
			}
			return
		}())
	}
}

// TestConnectionToModelsAzureDoesNotStream: Test connection said "the
// model does not accept the parameter stream: change it in settings",
// with no such setting, for o1, o3-pro and gpt-5-pro.
func TestConnectionToModelsAzureDoesNotStream(t *testing.T) {
	r := newRig(t, chat.Options{}, func(s *fakeazure.Server, _ *azure.Config) {
		s.Deployments["o1"] = fakeazure.Deployment{Model: "o1-2024-12-17"}
		s.Deployments["pro"] = fakeazure.Deployment{Model: "gpt-5-pro-2025-10-06"}
		s.Deployments["chat"] = fakeazure.Deployment{Model: "gpt-4o-2024-11-20"}
	})
	for dep, want := range map[string]string{"o1": "o1-2024-12-17", "pro": "gpt-5-pro-2025-10-06", "chat": "gpt-4o-2024-11-20"} {
		model, err := chat.TestConnection(context.Background(), r.ctl.Client(), dep)
		if err != nil || model != want {
			t.Errorf("%s: %q %v", dep, model, err)
		}
	}
}

// TestContinueRetriedShorterKeepsTheAnswer: a Continue that the service
// finds too long is asked again, trimmed, with the answer it continues
// (left out as "streaming", the continuation went without it).
func TestContinueRetriedShorterKeepsTheAnswer(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	cl := fakeazure.Behaviour{Status: 400, Body: fakeazure.Fixture("error-400-context-length.json")}
	long := strings.Repeat("an earlier answer that takes room in the window ", 40)
	r.srv.Script(fakeazure.Behaviour{Reply: long}, fakeazure.Behaviour{Reply: long},
		fakeazure.Behaviour{Reply: "Part one,", FinishReason: "length"}, cl, fakeazure.Behaviour{Reply: " part two."})
	r.send(t, "first")
	r.send(t, "second")
	r.send(t, "long story")
	if err := r.ctl.Continue(); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	reqs := r.srv.Requests()[2:]
	if len(reqs) != 3 {
		t.Fatalf("%d requests", len(reqs))
	}
	last := reqs[2].Body["messages"].([]any)
	if len(last) < 2 || last[len(last)-2].(map[string]any)["content"] != "Part one," {
		t.Fatalf("the retried continue = %v", last)
	}
	if conv := r.ctl.Conversation(); conv.Messages[5].Content != "Part one, part two." {
		t.Fatalf("after continue: %q", conv.Messages[5].Content)
	}
	// Trimmed: the retry sent less than the first try.
	if first := reqs[1].Body["messages"].([]any); len(last) >= len(first) {
		t.Fatalf("not trimmed: %d messages, then %d", len(first), len(last))
	}
}

// TestAnUnknownModelIsGuessedFromTheDeploymentsName: with no model stated
// or learned, a deployment named after a model plans with that model's
// window (an estimate); one named otherwise with the small default.
func TestAnUnknownModelIsGuessedFromTheDeploymentsName(t *testing.T) {
	for deployment, window := range map[string]int{"gpt-4o": 128_000, "my-chat": 4096} {
		r := newRig(t, chat.Options{Deployment: deployment}, nil)
		r.ctl.Check("hello")
		testwait.Until(t, 5*time.Second, "the check", r.ctl.ChecksIdle)
		var b chat.Budget
		for _, e := range r.rec.all() {
			if bc, ok := e.(chat.BudgetChanged); ok {
				b = bc.Budget
			}
		}
		if b.Window != window || !b.Estimate {
			t.Fatalf("deployment %q: window %d (estimate %v), want %d, an estimate", deployment, b.Window, b.Estimate, window)
		}
	}
}
