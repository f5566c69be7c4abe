package chat

import (
	"context"
	"time"

	"github.com/azchat/azchat/chat/models"
)

// Request is one chat completion call, provider-neutral.
type Request struct {
	Deployment string
	Messages   []WireMessage
	// MaxTokens caps the reply; 0 leaves it to the service.
	MaxTokens int
	// Temperature is sent unless nil or OmitTemperature.
	Temperature *float64
	// Reasoning marks a reasoning model: the reply limit goes as
	// max_completion_tokens, not max_tokens, and the Responses API is
	// asked for a summary of the reasoning unless NoSummary.
	Reasoning bool
	NoSummary bool
	// OmitTemperature leaves temperature at the service default.
	OmitTemperature bool
	// API is the OpenAI API the request goes to: Chat Completions ("" or
	// models.Chat) or the Responses API (models.Responses).
	API models.API
	// Store asks the Responses API to keep the response on the service
	// (azchat keeps its own history: off unless the profile turns it on).
	Store bool
	// ReasoningEffort and Verbosity are sent when set, to models that
	// take them (the model facts table says which).
	ReasoningEffort, Verbosity string
	// FirstByteTimeout bounds the wait for the first text of the answer
	// (events before it, such as the prompt filter's verdict, do not end
	// it); 0 takes the client's default. Reasoning models may think for
	// minutes first.
	FirstByteTimeout time.Duration
	// Whole asks for the answer in one piece instead of a stream: Azure
	// serves some models only so (o1, o3-pro, gpt-5-pro), and a deployment
	// may refuse to stream. The client reports it as the events of a
	// stream, all at once.
	Whole bool
}

// Delta is one parsed stream event. Every field is optional: Azure sends
// events with only prompt filter results, choices without a delta, and a
// final usage event with no choices at all.
type Delta struct {
	Model        string
	Content      string
	PromptFilter FilterResults
	Filter       FilterResults
	FinishReason string
	Usage        *Usage
	// Reasoning is text of the model's reasoning summary (Responses API).
	Reasoning string
}

// Client streams one chat completion. It calls emit for each event in order,
// on the caller's goroutine, and returns nil after the stream's end, or a
// *Error. A stream that ends before a finish reason is not an error here:
// the controller sees the missing finish reason and marks the answer.
type Client interface {
	Stream(ctx context.Context, req Request, emit func(Delta)) error
}
