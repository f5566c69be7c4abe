package chat

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/azchat/azchat/chat/tokens"
)

// ErrBusy is returned when a request is already in flight.
var ErrBusy = errors.New("an answer is still streaming: stop it or wait for it to finish")

// ErrNothingTo is returned by Regenerate, Continue and Retry when there is
// no answer they apply to.
var ErrNothingTo = errors.New("there is no answer to do that with")

// continuePrompt asks for the rest of an answer cut by the reply limit; it
// is sent once and never stored, so the transcript reads as one answer.
const continuePrompt = "Continue exactly where your previous answer stopped. Do not repeat anything you already wrote."

// Options configure a controller. Zero values choose sensible defaults.
type Options struct {
	Deployment string
	// Model is the model behind the deployment if the user stated it;
	// otherwise the controller learns it from responses.
	Model       string
	Temperature *float64
	// MaxTokens caps each reply and is reserved out of the context window.
	MaxTokens int
	// Window is the context window in tokens; 0 takes the model's.
	Window   int
	Strategy Strategy
	// MaxRateLimitWait bounds how long a 429's retry-after is honoured.
	MaxRateLimitWait time.Duration
	// MaxRetries bounds retries of transient failures per answer.
	MaxRetries int
	// Sleep waits between retries; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultReserve is the reply reserve when no reply limit is set: an eighth
// of the window, between 256 and 4,096 tokens.
func DefaultReserve(window int) int {
	r := window / 8
	if r < 256 {
		r = 256
	}
	if r > 4096 {
		r = 4096
	}
	return r
}

// deploymentQuirks remembers what a deployment rejected, so the next request
// is right the first time.
type deploymentQuirks struct {
	reasoning       bool
	omitTemperature bool
}

// Controller keeps one conversation, plans its token budget and runs
// requests on its own goroutines, reporting through emit. Its methods never
// block on the network, the tokenizer or the emit callback's consumer.
type Controller struct {
	client Client
	emit   func(Event)

	mu      sync.Mutex
	opts    Options
	conv    *Conversation
	learned map[string]string
	quirks  map[string]deploymentQuirks
	cancel  context.CancelFunc
	busy    bool
	done    chan struct{}
	last    Budget

	persist  Persister
	lastSave time.Time
	queue    chan func()

	// unsaved holds the conversations a failed write left only in memory,
	// until a whole rewrite succeeds (see resaveLocked): nil for the open
	// one, a copy for one the user has moved away from.
	unsaved map[string]*Conversation

	// closed refuses new requests once Close began; closeDone is closed
	// when Close's work is finished, and closeErr is its outcome.
	closed    bool
	closeDone chan struct{}
	closeErr  error
}

// NewController returns a controller for client. emit receives every event;
// it must not block (a UI hands events to its own thread).
func NewController(client Client, opts Options, emit func(Event)) *Controller {
	if emit == nil {
		emit = func(Event) {}
	}
	return &Controller{
		client:  client,
		emit:    emit,
		opts:    withDefaults(opts),
		conv:    &Conversation{},
		learned: map[string]string{},
		quirks:  map[string]deploymentQuirks{},
	}
}

func withDefaults(o Options) Options {
	if o.Strategy == "" {
		o.Strategy = DropOldest
	}
	if o.MaxRateLimitWait == 0 {
		o.MaxRateLimitWait = 60 * time.Second
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 3
	}
	if o.Sleep == nil {
		o.Sleep = sleepCtx
	}
	return o
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// SetOptions replaces the options; they apply from the next request.
func (c *Controller) SetOptions(o Options) {
	c.mu.Lock()
	c.opts = withDefaults(o)
	c.mu.Unlock()
}

// Options returns the current options.
func (c *Controller) Options() Options {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.opts
}

// SetClient swaps the client (new endpoint or credentials); refused while busy.
func (c *Controller) SetClient(client Client) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.busy {
		return ErrBusy
	}
	c.client = client
	return nil
}

// SetConversation replaces the conversation (a new chat, or one from history).
func (c *Controller) SetConversation(conv *Conversation) error {
	c.mu.Lock()
	if c.busy {
		c.mu.Unlock()
		return ErrBusy
	}
	if conv == nil {
		conv = &Conversation{}
	}
	c.keepUnsavedLocked()
	if snap := c.unsaved[conv.ID]; snap != nil {
		// Back to a chat a failed write left only in memory: the copy in
		// memory is newer than what the history could hand the UI.
		conv = snap
		c.unsaved[conv.ID] = nil
	}
	c.conv = conv.Clone()
	msgs := c.snapshotLocked()
	c.mu.Unlock()
	c.emit(Reloaded{Messages: msgs})
	return nil
}

// ConversationID is the open conversation's ID ("" until it has one).
func (c *Controller) ConversationID() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conv.ID
}

// Conversation returns a copy of the conversation.
func (c *Controller) Conversation() *Conversation {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conv.Clone()
}

// SetSystem sets the system message and few-shot examples.
func (c *Controller) SetSystem(system string, examples []Example) {
	c.mu.Lock()
	c.conv.System = system
	c.conv.Examples = append([]Example(nil), examples...)
	c.mu.Unlock()
}

// Model is the model behind the deployment: stated, learnt, or "".
func (c *Controller) Model() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.modelLocked()
}

func (c *Controller) modelLocked() string {
	if c.opts.Model != "" {
		return c.opts.Model
	}
	return c.learned[c.opts.Deployment]
}

// LearnModel records the model behind a deployment (e.g. from settings saved earlier).
func (c *Controller) LearnModel(deployment, model string) {
	c.mu.Lock()
	c.learned[deployment] = model
	c.mu.Unlock()
}

// Busy reports whether a request is in flight.
func (c *Controller) Busy() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.busy
}

// Wait blocks until the request in flight, if any, has finished.
func (c *Controller) Wait() {
	c.mu.Lock()
	done := c.done
	c.mu.Unlock()
	if done != nil {
		<-done
	}
}

func (c *Controller) snapshotLocked() []Message {
	out := make([]Message, len(c.conv.Messages))
	for i, m := range c.conv.Messages {
		out[i] = *m
	}
	return out
}

// effectiveLocked is the options with the conversation's overrides applied.
func (c *Controller) effectiveLocked() Options {
	o := c.opts
	ov := c.conv.Overrides
	if ov.Temperature != nil {
		o.Temperature = ov.Temperature
	}
	if ov.MaxTokens > 0 {
		o.MaxTokens = ov.MaxTokens
	}
	if ov.Window > 0 {
		o.Window = ov.Window
	}
	return o
}

// SetOverrides sets the open conversation's own generation settings and
// saves them.
func (c *Controller) SetOverrides(o Overrides) {
	c.mu.Lock()
	c.conv.Overrides = o
	c.replaceLocked()
	c.mu.Unlock()
}

// windowLocked returns the context window and reply reserve in force.
func (c *Controller) windowLocked() (int, int) {
	eff := c.effectiveLocked()
	w := eff.Window
	if w <= 0 {
		w, _ = tokens.ContextWindow(c.modelLocked())
	}
	r := eff.MaxTokens
	if r <= 0 {
		r = DefaultReserve(w)
	}
	return w, r
}

// Check plans the budget of the conversation as it stands, plus draft text
// if given, and reports it as BudgetChanged. It runs on its own goroutine.
func (c *Controller) Check(draft string) {
	go func() {
		c.mu.Lock()
		model := c.modelLocked()
		empty := draft == "" && len(c.conv.Messages) == 0 && strings.TrimSpace(c.conv.System) == "" && len(c.conv.Examples) == 0
		w, r := c.windowLocked()
		c.mu.Unlock()
		if empty {
			// Nothing to count: report the budget without loading the
			// tokenizer, so an idle new chat does not hold its tables.
			choice := tokens.ForModel(model)
			c.emit(BudgetChanged{Budget: Budget{Window: w, Reserve: r, Used: tokens.ReplyPrimer, Estimate: choice.Estimate, Encoding: choice.Encoding}})
			return
		}
		counter, err := tokens.NewCounter(model)
		if err != nil {
			return
		}
		c.mu.Lock()
		conv := c.conv
		if draft != "" {
			conv = &Conversation{System: c.conv.System, Examples: c.conv.Examples, Messages: append(append([]*Message(nil), c.conv.Messages...), &Message{Role: User, Content: draft, Status: Complete})}
		}
		w, r = c.windowLocked()
		b, _ := Plan(conv, counter, w, r, c.opts.Strategy)
		c.mu.Unlock()
		c.emit(BudgetChanged{Budget: b})
	}()
}

// begin marks the controller busy and returns the request's context.
func (c *Controller) beginLocked() (context.Context, chan struct{}, error) {
	if c.closed {
		return nil, nil, ErrClosed
	}
	if c.busy {
		return nil, nil, ErrBusy
	}
	ctx, cancel := context.WithCancel(context.Background())
	c.busy, c.cancel = true, cancel
	c.done = make(chan struct{})
	return ctx, c.done, nil
}

func (c *Controller) end(done chan struct{}) {
	c.mu.Lock()
	c.busy = false
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
	c.mu.Unlock()
	c.emit(Busy{Busy: false})
	close(done)
}

// Send adds the user's message and streams an answer. The text is checked
// against the budget first (off the caller's goroutine); if it cannot be sent,
// ErrorReported{Index: -1, Text: text} hands it back and nothing is added.
func (c *Controller) Send(text string) error {
	if strings.TrimSpace(text) == "" {
		return errors.New("type a message first")
	}
	c.mu.Lock()
	ctx, done, err := c.beginLocked()
	if err == nil {
		// A write failed before: try the whole conversation again first.
		c.resaveLocked()
	}
	c.mu.Unlock()
	if err != nil {
		return err
	}
	c.emit(Busy{Busy: true})
	go func() {
		defer c.end(done)
		user := &Message{Role: User, Content: text, Time: time.Now(), Status: Complete}
		c.run(ctx, runSpec{newUser: user})
	}()
	return nil
}

// Stop cancels the request in flight; the partial answer is kept, marked stopped.
func (c *Controller) Stop() {
	c.mu.Lock()
	if c.cancel != nil {
		c.cancel()
	}
	c.mu.Unlock()
}

// lastAnswerLocked finds the final assistant message after the last user message.
func (c *Controller) lastAnswerLocked() int {
	for i := len(c.conv.Messages) - 1; i >= 0; i-- {
		switch c.conv.Messages[i].Role {
		case Assistant:
			return i
		case User:
			return -1
		}
	}
	return -1
}

// Regenerate replaces the last answer with a new one.
func (c *Controller) Regenerate() error {
	return c.redo(func() error {
		i := c.lastAnswerLocked()
		if i < 0 {
			if n := len(c.conv.Messages); n > 0 && c.conv.Messages[n-1].Role == User {
				return nil // the last question has no answer yet: answer it
			}
			return ErrNothingTo
		}
		c.conv.Messages = c.conv.Messages[:i]
		return nil
	})
}

// Retry re-sends after a failed answer; it is Regenerate under another name
// so that the UI's Retry action reads naturally.
func (c *Controller) Retry() error { return c.Regenerate() }

// Edit replaces the text of the user message at index, drops everything
// after it, and asks again.
func (c *Controller) Edit(index int, text string) error {
	if strings.TrimSpace(text) == "" {
		return errors.New("the message cannot be empty")
	}
	return c.redo(func() error {
		if index < 0 || index >= len(c.conv.Messages) || c.conv.Messages[index].Role != User {
			return errors.New("only your own messages can be edited")
		}
		m := c.conv.Messages[index].Clone()
		m.SetContent(text)
		m.Time = time.Now()
		c.conv.Messages = append(c.conv.Messages[:index:index], &m)
		return nil
	})
}

// Delete removes the message at index from the conversation.
func (c *Controller) Delete(index int) error {
	c.mu.Lock()
	if c.busy {
		c.mu.Unlock()
		return ErrBusy
	}
	if index < 0 || index >= len(c.conv.Messages) {
		c.mu.Unlock()
		return errors.New("no such message")
	}
	c.conv.Messages = append(c.conv.Messages[:index:index], c.conv.Messages[index+1:]...)
	msgs := c.snapshotLocked()
	c.replaceLocked() // queued in order behind earlier saves; no need to wait
	c.mu.Unlock()
	c.emit(Reloaded{Messages: msgs})
	return nil
}

func (c *Controller) redo(change func() error) error {
	c.mu.Lock()
	if c.busy {
		c.mu.Unlock()
		return ErrBusy
	}
	if err := change(); err != nil {
		c.mu.Unlock()
		return err
	}
	ctx, done, _ := c.beginLocked()
	msgs := c.snapshotLocked()
	replace := c.replaceLocked()
	c.mu.Unlock()
	c.emit(Reloaded{Messages: msgs})
	c.emit(Busy{Busy: true})
	go func() {
		defer c.end(done)
		replace()
		c.run(ctx, runSpec{})
	}()
	return nil
}

// Continue asks the model to go on with an answer cut by the reply limit;
// the new text is appended to that same answer.
func (c *Controller) Continue() error {
	c.mu.Lock()
	if c.busy {
		c.mu.Unlock()
		return ErrBusy
	}
	i := c.lastAnswerLocked()
	if i < 0 || c.conv.Messages[i].Status != Truncated {
		c.mu.Unlock()
		return ErrNothingTo
	}
	ctx, done, _ := c.beginLocked()
	c.mu.Unlock()
	c.emit(Busy{Busy: true})
	go func() {
		defer c.end(done)
		c.run(ctx, runSpec{continueAt: i, isContinue: true})
	}()
	return nil
}

type runSpec struct {
	newUser    *Message
	isContinue bool
	continueAt int
}

// run plans, sends and streams one answer, retrying what can be retried.
// It is the only code that changes messages while busy.
func (c *Controller) run(ctx context.Context, spec runSpec) {
	c.mu.Lock()
	model := c.modelLocked()
	c.mu.Unlock()
	counter, err := tokens.NewCounter(model)
	if err != nil {
		c.fail(-1, spec, &Error{Kind: KindConfig, Reason: "the tokenizer could not be loaded; reinstall azchat", Cause: err})
		return
	}

	c.mu.Lock()
	if spec.newUser != nil {
		c.conv.Messages = append(c.conv.Messages, spec.newUser)
	}
	w, r := c.windowLocked()
	budget, perr := Plan(c.conv, counter, w, r, c.opts.Strategy)
	if perr != nil && spec.newUser != nil {
		// Not sent: take the message back so the user's text returns to the input.
		c.conv.Messages = c.conv.Messages[:len(c.conv.Messages)-1]
	}
	c.last = budget
	c.mu.Unlock()
	c.emit(BudgetChanged{Budget: budget})
	if perr != nil {
		c.fail(-1, spec, AsError(perr))
		return
	}
	if spec.newUser != nil {
		c.mu.Lock()
		idx := len(c.conv.Messages) - 1
		snap := c.conv.Messages[idx].Clone()
		save := c.saveLocked(idx)
		c.mu.Unlock()
		c.emit(MessageAdded{Index: idx, Message: snap})
		// Committed before the request leaves: a crash never loses the question.
		save()
	}

	// The answer: a new message, or the truncated one being continued.
	c.mu.Lock()
	var idx int
	var answer *Message
	if spec.isContinue {
		idx = spec.continueAt
		answer = c.conv.Messages[idx]
		answer.Status = Streaming
		answer.FinishReason = ""
	} else {
		answer = &Message{Role: Assistant, Time: time.Now(), Status: Streaming, Model: model}
		c.conv.Messages = append(c.conv.Messages, answer)
		idx = len(c.conv.Messages) - 1
	}
	snap := answer.Clone()
	save := c.saveLocked(idx)
	// The answer's text grows in a builder: appending each delta to a
	// string would copy the whole answer every time (quadratic).
	var text strings.Builder
	text.WriteString(answer.Content)
	c.mu.Unlock()
	if spec.isContinue {
		c.emit(Finished{Index: idx, Message: snap})
	} else {
		c.emit(MessageAdded{Index: idx, Message: snap})
	}
	save()

	retries, timeouts := 0, 0
	adapted := map[string]bool{}
	for {
		c.mu.Lock()
		opts := c.effectiveLocked()
		q := c.quirks[opts.Deployment]
		wire := budget.Wire(c.conv)
		if spec.isContinue {
			wire = append(wire, WireMessage{Role: User, Content: continuePrompt})
		}
		c.mu.Unlock()
		req := Request{
			Deployment:       opts.Deployment,
			Messages:         wire,
			MaxTokens:        opts.MaxTokens,
			Temperature:      opts.Temperature,
			Reasoning:        q.reasoning || tokens.IsReasoningModel(model),
			OmitTemperature:  q.omitTemperature || q.reasoning || tokens.IsReasoningModel(model),
			FirstByteTimeout: firstByteTimeout(model, q.reasoning),
		}
		streamed := false
		err := c.client.Stream(ctx, req, func(d Delta) {
			if d.Content != "" {
				streamed = true
			}
			c.apply(idx, answer, &text, d)
		})
		if err == nil {
			c.finish(idx, answer, ctx.Err() != nil)
			return
		}
		if ctx.Err() != nil {
			c.finish(idx, answer, true)
			return
		}
		e := AsError(err)
		if streamed {
			// Text already reached the user: keep it and say it was cut short.
			c.mu.Lock()
			answer.Status = Interrupted
			answer.Error, answer.ErrorKind, answer.Action = e.Reason, e.Kind, e.Action
			final := answer.Clone()
			save := c.saveLocked(idx)
			c.mu.Unlock()
			save()
			c.emit(Finished{Index: idx, Message: final})
			c.emit(ErrorReported{Index: idx, Err: e})
			return
		}
		// Adapt once per kind of rejection, remembering it for the deployment.
		if e.Kind == KindUnsupportedParam && !adapted[e.Param] {
			adapted[e.Param] = true
			c.mu.Lock()
			q := c.quirks[opts.Deployment]
			switch {
			case strings.Contains(e.Param, "max_tokens"):
				q.reasoning = true
			case strings.Contains(e.Param, "temperature"):
				q.omitTemperature = true
			default:
				c.mu.Unlock()
				c.fail(idx, spec, e)
				return
			}
			c.quirks[opts.Deployment] = q
			c.mu.Unlock()
			continue
		}
		if e.Kind == KindContextLength && !adapted["context"] {
			// The count said it fits but the service disagrees (an estimate, or
			// a window set too large): trim to three quarters and try once more.
			adapted["context"] = true
			c.mu.Lock()
			nb, perr := Plan(c.conv, counter, budget.Used*3/4+r, r, DropOldest)
			if perr == nil {
				budget = nb
				c.last = nb
			}
			c.mu.Unlock()
			if perr == nil {
				c.emit(BudgetChanged{Budget: nb})
				continue
			}
		}
		if e.Kind == KindTimeout {
			// Only reached when no text arrived (see streamed above).
			timeouts++
		}
		if e.Retryable() && retries < opts.MaxRetries && timeouts <= maxTimeoutRetries {
			wait := e.RetryAfter
			if wait == 0 {
				wait = time.Duration(1<<retries) * time.Second
			}
			if e.Kind != KindRateLimited || wait <= opts.MaxRateLimitWait {
				retries++
				c.emit(Waiting{Index: idx, Wait: wait, Attempt: retries, Err: e})
				if opts.Sleep(ctx, wait) != nil {
					c.finish(idx, answer, true)
					return
				}
				continue
			}
		}
		c.fail(idx, spec, e)
		return
	}
}

// apply merges one stream event into the answer and reports it.
func (c *Controller) apply(idx int, answer *Message, text *strings.Builder, d Delta) {
	var learned *ModelLearned
	c.mu.Lock()
	if d.Model != "" && answer.Model != d.Model {
		answer.Model = d.Model
		if c.learned[c.opts.Deployment] != d.Model {
			c.learned[c.opts.Deployment] = d.Model
			learned = &ModelLearned{Deployment: c.opts.Deployment, Model: d.Model}
		}
	}
	if d.Content != "" {
		// String shares the builder's bytes: no copy, and later writes
		// never change the bytes a snapshot already holds.
		text.WriteString(d.Content)
		answer.SetContent(text.String())
	}
	answer.PromptFilter = answer.PromptFilter.Merge(d.PromptFilter)
	answer.Filter = answer.Filter.Merge(d.Filter)
	// The first finish reason wins: a late asynchronous filter event must
	// not erase it.
	if d.FinishReason != "" && answer.FinishReason == "" {
		answer.FinishReason = d.FinishReason
	}
	if d.Usage != nil {
		u := *d.Usage
		answer.Usage = &u
	}
	save := func() {}
	if d.Content != "" && time.Since(c.lastSave) >= checkpointEvery {
		save = c.saveLocked(idx)
	}
	c.mu.Unlock()
	save()
	if learned != nil {
		c.emit(*learned)
	}
	if d.Content != "" {
		c.emit(TextDelta{Index: idx, Text: d.Content})
	}
	if d.Usage != nil {
		c.emit(UsageReported{Index: idx, Usage: *d.Usage})
	}
}

// finish sets the answer's status from how the stream ended.
func (c *Controller) finish(idx int, answer *Message, stopped bool) {
	c.mu.Lock()
	switch {
	case answer.FinishReason == "stop":
		answer.Status = Complete
	case answer.FinishReason == "length":
		answer.Status = Truncated
	case answer.FinishReason == "content_filter":
		answer.Status = Filtered
	case stopped:
		answer.Status = Stopped
	case answer.FinishReason == "":
		answer.Status = Interrupted
	default:
		// tool_calls, function_call: azchat sends no tools, so treat as done.
		answer.Status = Complete
	}
	final := answer.Clone()
	save := c.saveLocked(idx)
	c.mu.Unlock()
	save()
	c.emit(Finished{Index: idx, Message: final})
}

// fail records a failure on the answer (or hands the text back when there is none).
func (c *Controller) fail(idx int, spec runSpec, e *Error) {
	if idx < 0 {
		text := ""
		if spec.newUser != nil {
			text = spec.newUser.Content
		}
		c.emit(ErrorReported{Index: -1, Text: text, Err: e})
		return
	}
	c.mu.Lock()
	m := c.conv.Messages[idx]
	if spec.isContinue {
		m.Status = Truncated
		m.FinishReason = "length"
	} else {
		m.Status = Failed
	}
	m.Error, m.ErrorKind, m.Action = e.Reason, e.Kind, e.Action
	if e.Kind == KindPromptFiltered {
		m.PromptFilter = m.PromptFilter.Merge(e.Filter)
	}
	final := m.Clone()
	save := c.saveLocked(idx)
	c.mu.Unlock()
	save()
	c.emit(Finished{Index: idx, Message: final})
	c.emit(ErrorReported{Index: idx, Err: e})
}

// LastBudget is the plan of the latest request.
func (c *Controller) LastBudget() Budget {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// TestConnection sends a one-token request and returns the model that
// answered, for the settings dialog's "Test connection".
func TestConnection(ctx context.Context, client Client, deployment string) (string, error) {
	var model string
	req := Request{Deployment: deployment, Messages: []WireMessage{{Role: User, Content: "Say OK."}}, MaxTokens: 1}
	emit := func(d Delta) {
		if d.Model != "" {
			model = d.Model
		}
	}
	err := client.Stream(ctx, req, emit)
	if e := AsError(err); e != nil && e.Kind == KindUnsupportedParam {
		// A reasoning deployment: it wants max_completion_tokens.
		req.Reasoning, req.OmitTemperature = true, true
		err = client.Stream(ctx, req, emit)
	}
	if err != nil {
		return "", AsError(err)
	}
	return model, nil
}
