package chat

import (
	"time"

	"github.com/azchat/azchat/chat/models"
)

// Event is something the controller reports. Events arrive on the
// controller's goroutines; a UI applies them on its own thread.
type Event interface{ event() }

// MessageAdded reports a new message at Index.
type MessageAdded struct {
	Index   int
	Message Message
}

// TextDelta reports text appended to the streaming message at Index.
type TextDelta struct {
	Index int
	// Text is what was appended.
	Text string
	// Content is the message's whole text after it. It shares the
	// controller's bytes (no copy per event), so a window can show it
	// without keeping a copy of its own.
	Content string
}

// Finished reports the final state of the answer at Index; it is also
// emitted, still Streaming, when Continue reopens an answer.
type Finished struct {
	Index   int
	Message Message
}

// UsageReported carries the API's usage for the answer at Index.
type UsageReported struct {
	Index int
	Usage Usage
}

// ErrorReported reports a failure. Index is the failed answer, or -1 when nothing
// was added (then Text is the user's text, to put back in the input).
type ErrorReported struct {
	Index int
	Text  string
	// Attachments come back with Text when a message was not sent.
	Attachments []Attachment
	Err         *Error
}

// BudgetChanged carries the token plan of the latest request or check.
type BudgetChanged struct {
	Budget Budget
}

// Waiting says the controller waits before retrying, e.g. after a 429.
type Waiting struct {
	Index   int
	Wait    time.Duration
	Attempt int
	Err     *Error
}

// Reloaded says the message list changed as a whole (edit, delete,
// regenerate, a new conversation): redraw from Messages.
type Reloaded struct {
	Messages []Message
	// Others are the messages of the branches not on screen (for what the
	// whole chat cost).
	Others []Message
}

// ModelLearned says which model serves a deployment, from a response.
type ModelLearned struct {
	Endpoint   string
	Deployment string
	Model      string
}

// APILearned says a deployment needs the Responses API: Chat Completions
// answered OperationNotSupported (the front ends remember it across runs).
type APILearned struct {
	Endpoint   string
	Deployment string
	API        models.API
}

// Busy says whether a request is in flight (the UI's Send/Stop toggle).
type Busy struct {
	Busy bool
}

func (MessageAdded) event()  {}
func (TextDelta) event()     {}
func (Finished) event()      {}
func (UsageReported) event() {}
func (ErrorReported) event() {}
func (BudgetChanged) event() {}
func (Waiting) event()       {}
func (Reloaded) event()      {}
func (ModelLearned) event()  {}
func (APILearned) event()    {}
func (Busy) event()          {}
