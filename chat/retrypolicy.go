package chat

import (
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/azchat/azchat/chat/models"
)

// How long a request may wait for its first stream event. Reasoning models
// think before they write and may send nothing for minutes; a model azchat
// does not know gets the benefit of the doubt.
const (
	chatFirstByte      = 60 * time.Second
	reasoningFirstByte = 300 * time.Second
	unknownFirstByte   = 120 * time.Second
	// wholeAnswer bounds an answer asked for whole (Request.Whole): its
	// first byte comes with its last, and gpt-5-pro or o3-pro may think
	// for many minutes. Stop ends it sooner.
	wholeAnswer = 30 * time.Minute
)

// firstByteTimeout is the first-byte timeout for a request to model;
// reasoning is set when the deployment showed itself to be one.
func firstByteTimeout(model string, reasoning bool) time.Duration {
	facts, known := models.Lookup(model, "")
	switch {
	case reasoning || facts.Reasoning:
		return reasoningFirstByte
	case !known:
		return unknownFirstByte
	}
	return chatFirstByte
}

// maxTimeoutRetries bounds resending a request that timed out before any
// text arrived: once, since a second wait of the same length rarely helps
// and the user is left watching a spinner.
const maxTimeoutRetries = 1

// backoff is the wait before retry n (0-based) when the server named none:
// 1 s, 2 s, 4 s…, each spread over ±25 % so that many clients hit by the
// same outage do not come back in step.
func backoff(n int) time.Duration {
	base := time.Duration(1<<min(n, 5)) * time.Second
	jitter := time.Duration(rand.Int64N(int64(base)/2)) - base/4
	return base + jitter
}

// mayHaveAnswered reports whether a request for a whole answer failed
// after the model may have written it: the connection was cut once the
// request had left, or a gateway gave up waiting for the answer (504).
// Sending it again would have the model answer, and Azure bill, twice; a
// whole answer (o1, o3-pro, gpt-5-pro) can take many minutes and cost far
// more than a streamed one, so it is the user's call (Retry).
func mayHaveAnswered(e *Error) bool {
	return e.Kind == KindConnection && !e.Unsent || e.Status == http.StatusGatewayTimeout
}

// notResent is e, saying why it was not sent again by itself.
func notResent(e *Error) *Error {
	out := *e
	out.Reason += " (it was not sent again by itself: the model may already have written, and Azure billed, the answer that was lost)"
	return &out
}
