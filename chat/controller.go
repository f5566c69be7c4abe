package chat

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/azchat/azchat/chat/models"
)

// ErrBusy is returned when a request is already in flight.
var ErrBusy = errors.New("an answer is still streaming: stop it or wait for it to finish")

// ErrNothingTo is returned by Regenerate, Continue and Retry when there is
// no answer they apply to.
var ErrNothingTo = errors.New("there is no answer to do that with")

// ContinuePrompt asks for the rest of an answer cut by the reply limit; it
// is sent once and never stored, so the transcript reads as one answer.
const ContinuePrompt = "Continue exactly where your previous answer stopped. Do not repeat anything you already wrote."

// Options configure a controller. Zero values choose sensible defaults.
type Options struct {
	Deployment string
	// Endpoint is the base URL: with Deployment, the key of what is learnt
	// about a deployment (two resources may both have a "gpt-4o").
	Endpoint string
	// Model is the model behind the deployment if the user stated it;
	// otherwise the controller learns it from responses.
	Model       string
	Temperature *float64
	// MaxTokens caps each reply and is reserved out of the context window.
	MaxTokens int
	// Window is the context window in tokens; 0 takes the model's.
	Window   int
	Strategy Strategy
	// API chooses Chat Completions or the Responses API ("" is APIAuto);
	// StoreResponses lets the Responses API keep responses on the
	// service (off: azchat keeps its own history).
	API            APIMode
	StoreResponses bool
	// MaxRateLimitWait bounds how long a 429's retry-after is honoured.
	MaxRateLimitWait time.Duration
	// MaxRetries bounds retries of transient failures per answer.
	MaxRetries int
	// Sleep waits between retries; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Profile is the name of the settings profile in use and Prices are
	// its prices: each answer keeps both (Message.Profile, Prices), so
	// its cost is the one in force when it was answered.
	Profile string
	Prices  Prices

	// The open chat's reasoning effort and verbosity (Overrides).
	reasoningEffort, verbosity string
}

// deploymentQuirks remembers what a deployment rejected, so the next request
// is right the first time.
type deploymentQuirks struct {
	reasoning       bool
	omitTemperature bool
	// responses: Chat Completions answered OperationNotSupported, so the
	// model is served by the Responses API only.
	responses bool
	// noSummary: the model refused to summarise its reasoning.
	noSummary bool
	// whole: the deployment refused to stream (stream: unsupported).
	whole bool
}

// APIMode is which API a profile's requests use.
type APIMode string

// The API modes of a profile.
const (
	// APIAuto uses Chat Completions, except for models the facts table
	// marks Responses-only, or once a deployment answered
	// OperationNotSupported (remembered for it).
	APIAuto      APIMode = "auto"
	APIChat      APIMode = "chat"
	APIResponses APIMode = "responses"
)

// apiFor is the API a request to a model goes to under mode.
func apiFor(mode APIMode, facts models.Facts, q deploymentQuirks) models.API {
	switch mode {
	case APIChat:
		return models.Chat
	case APIResponses:
		return models.Responses
	}
	if q.responses || facts.API == models.Responses {
		return models.Responses
	}
	return models.Chat
}

// Controller keeps one conversation, plans its token budget and runs
// requests on its own goroutines, reporting through emit. Its methods never
// block on the network, the tokenizer or the emit callback's consumer, but
// for the waits they are named for (Wait, Close, and StopWithin's bounded
// one).
type Controller struct {
	client Client
	emit   func(Event)

	mu      sync.Mutex
	opts    Options
	conv    *Conversation
	learned map[string]string
	quirks  map[string]deploymentQuirks
	// answered marks the deployments whose learned model came from an
	// answer in this session (not from settings saved earlier).
	answered map[string]bool
	// modelOf is the answer whose model the stream has named (apply).
	modelOf *Message
	cancel  context.CancelFunc
	busy    bool
	done    chan struct{}
	// settled is closed once the turn's answer has its final state (its
	// Finished emitted), before done, which waits for it to be on disk.
	settled chan struct{}
	last    Budget

	persist  Persister
	lastSave time.Time
	queue    chan func()

	// checkSeq numbers budget checks; checkShown is the newest reported.
	checkSeq, checkShown uint64

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
		client:   client,
		emit:     emit,
		opts:     withDefaults(opts),
		conv:     &Conversation{},
		learned:  map[string]string{},
		quirks:   map[string]deploymentQuirks{},
		answered: map[string]bool{},
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

// Client is the client requests go through now.
func (c *Controller) Client() Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.client
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
	if _, failed := c.unsaved[conv.ID]; failed && conv.ID != "" && conv.ID == c.conv.ID {
		// The chat held, opened again (a search hit, its row clicked
		// during another chat's preview): the history's copy lacks what
		// a failed write left in memory, which stays.
		conv = c.conv
	}
	c.keepUnsavedLocked()
	if snap := c.unsaved[conv.ID]; snap != nil {
		// Back to a chat a failed write left only in memory: the copy in
		// memory is newer than what the history could hand the UI.
		conv = snap
		c.unsaved[conv.ID] = nil
	}
	c.conv = conv.Clone()
	c.conv.EnsureNodes()
	msgs, others := c.snapshotLocked(), c.othersLocked()
	c.mu.Unlock()
	c.emit(Reloaded{Messages: msgs, Others: others})
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

// Model is the model behind the deployment: the one that wrote the last
// answer (a response's model field), else the one stated in settings or
// picked from the deployments listing, else "".
func (c *Controller) Model() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.modelLocked()
}

// modelLocked is the stated model (settings, a picked deployment, --model),
// unless an answer in this session came from another family: a
// model-router deployment answers with a different model from one answer
// to the next, and its limits and parameters follow each. A model learned
// in an earlier session never overrides a stated one (the deployment may
// have been given another model since), nor one of the same family (the
// stated name may carry a version the answer's lacks: gpt-35-turbo-0613).
func (c *Controller) modelLocked() string {
	key := deploymentKey(c.opts.Endpoint, c.opts.Deployment)
	learned, stated := c.learned[key], c.opts.Model
	switch {
	case stated == "":
		return learned
	case learned == "" || !c.answered[key]:
		return stated
	}
	lf, _ := models.Lookup(learned, "")
	sf, _ := models.Lookup(stated, "")
	if lf.Model != sf.Model {
		return learned
	}
	return stated
}

// deploymentKey names one deployment of one resource.
func deploymentKey(endpoint, deployment string) string { return endpoint + "|" + deployment }

// LearnAPI records that a deployment of the resource at endpoint needs the
// Responses API (found in an earlier run: APILearned).
func (c *Controller) LearnAPI(endpoint, deployment string, api models.API) {
	c.mu.Lock()
	defer c.mu.Unlock()
	key := deploymentKey(endpoint, deployment)
	q := c.quirks[key]
	q.responses = api == models.Responses
	c.quirks[key] = q
}

// LearnModel records the model behind a deployment of the resource at
// endpoint (e.g. from settings saved earlier).
func (c *Controller) LearnModel(endpoint, deployment, model string) {
	c.mu.Lock()
	c.learned[deploymentKey(endpoint, deployment)] = model
	c.mu.Unlock()
}

// Busy reports whether a request is in flight.
func (c *Controller) Busy() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.busy
}

// Empty reports whether the open conversation has no message and no turn
// is running: nothing the user wrote is in it.
func (c *Controller) Empty() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.busy && len(c.conv.Messages) == 0 && len(c.conv.Others) == 0
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

// othersLocked copies the messages of the branches not on screen.
func (c *Controller) othersLocked() []Message {
	out := make([]Message, len(c.conv.Others))
	for i, m := range c.conv.Others {
		out[i] = *m
	}
	return out
}

func (c *Controller) snapshotLocked() []Message {
	return c.conv.PathTail(len(c.conv.Messages))
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
	o.reasoningEffort, o.verbosity = ov.ReasoningEffort, ov.Verbosity
	return o
}

// SetOverrides sets the open conversation's own generation settings and
// saves them, once it has a message: a chat with none is not written (it
// would stay in the list as an empty "New chat"); its first message saves
// them with it.
func (c *Controller) SetOverrides(o Overrides) {
	c.mu.Lock()
	c.conv.Overrides = o
	if len(c.conv.Messages)+len(c.conv.Others) > 0 {
		c.replaceLocked()
	}
	c.mu.Unlock()
}

// SetTitle gives conversation id its title, when it is the one open: the
// history is renamed by the caller, and what the controller makes from the
// chat (a fork's title) must not go by the name it had.
func (c *Controller) SetTitle(id, title string) {
	c.mu.Lock()
	if c.conv.ID == id {
		c.conv.Title = title
	}
	c.mu.Unlock()
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
	c.settled = make(chan struct{})
	return ctx, c.done, nil
}

func (c *Controller) end(done chan struct{}) {
	c.settle()
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
func (c *Controller) Send(text string) error { return c.SendWith(text, nil) }

// SendWith is Send with attachments (images and text files, as
// chat/attach reads them). Images without a detail take the chat's
// (Overrides.Detail, default auto). A message that cannot be sent comes
// back in ErrorReported with its attachments.
func (c *Controller) SendWith(text string, attachments []Attachment) error {
	if strings.TrimSpace(text) == "" && len(attachments) == 0 {
		return errors.New("type a message first")
	}
	attachments = append([]Attachment(nil), attachments...)
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
		c.mu.Lock()
		detail := c.conv.Overrides.Detail
		c.mu.Unlock()
		for i := range attachments {
			if attachments[i].Kind == ImageAttachment && attachments[i].Detail == "" {
				attachments[i].Detail = detail
				if detail == "" {
					attachments[i].Detail = DetailAuto
				}
			}
		}
		user.Attachments = attachments
		c.run(ctx, runSpec{newUser: user})
	}()
	return nil
}
