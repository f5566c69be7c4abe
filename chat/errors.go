package chat

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies a failure by what the user can do about it.
type Kind string

// Failure kinds. Each maps to one reason and one action in Describe.
const (
	KindAuth               Kind = "auth"
	KindDeploymentNotFound Kind = "deployment-not-found"
	KindBadPath            Kind = "bad-path"
	KindPromptFiltered     Kind = "prompt-filtered"
	KindContextLength      Kind = "context-length"
	KindRateLimited        Kind = "rate-limited"
	KindServer             Kind = "server"
	KindInvalidUnicode     Kind = "invalid-unicode"
	KindUnsupportedParam   Kind = "unsupported-parameter"
	// KindOperationNotSupported: the model does not serve this API (Azure's
	// OperationNotSupported: Chat Completions for a Responses-only model).
	KindOperationNotSupported Kind = "operation-not-supported"
	KindBadRequest            Kind = "bad-request"
	KindDNS                   Kind = "dns"
	KindTLS                   Kind = "tls"
	KindConnection            Kind = "connection"
	KindTimeout               Kind = "timeout"
	KindRedirect              Kind = "redirect"     // the endpoint answered 3xx: not followed, not retried
	KindStreamError           Kind = "stream-error" // an error event inside a stream that had begun
	KindMalformed             Kind = "malformed-response"
	KindConfig                Kind = "config"
	KindBudget                Kind = "budget"
	KindAttachment            Kind = "attachment" // too many images, or images for a model that sees none
	KindCanceled              Kind = "canceled"
)

// Action is the one thing the UI offers next to a failure.
type Action string

// Actions the UI knows how to offer.
const (
	ActionNone         Action = ""
	ActionRetry        Action = "retry"
	ActionOpenSettings Action = "open-settings"
	ActionWait         Action = "wait"
	ActionNewChat      Action = "new-chat"
	ActionEdit         Action = "edit"
)

// Error is a failure with a user-facing reason and action and, separately,
// the technical cause. Reason never contains a key or token: it is built
// from fixed text and values azchat chose, never from a raw error string.
type Error struct {
	Kind   Kind
	Status int    // HTTP status, 0 when there was no response
	Code   string // the API's error code, e.g. DeploymentNotFound
	Reason string
	// Fact is what happened without what to do about it ("Azure's rate
	// limit for this deployment was reached"), said while azchat retries
	// by itself, where Reason's advice ("wait 20s and try again") would
	// ask the user to do what is being done; "" where Reason is all.
	Fact   string
	Action Action
	// RetryAfter is the server's requested wait (429) or a backoff.
	RetryAfter time.Duration
	// Filter holds the prompt filter's verdicts for KindPromptFiltered.
	Filter FilterResults
	// Param names the rejected parameter for KindUnsupportedParam.
	Param string
	// Unsent: the request never left (no connection could be made), so
	// sending it again cannot have the model answer it twice.
	Unsent bool
	// Cause is the underlying error, for logs after redaction; never shown as is.
	Cause error
}

func (e *Error) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("%s (HTTP %d)", e.Reason, e.Status)
	}
	return e.Reason
}

// Unwrap exposes the cause to errors.Is / errors.As.
func (e *Error) Unwrap() error { return e.Cause }

// Retryable reports whether resending the same request may succeed.
func (e *Error) Retryable() bool {
	switch e.Kind {
	case KindRateLimited, KindServer, KindInvalidUnicode, KindConnection, KindTimeout:
		return true
	}
	return false
}

// AsError returns err as *Error, wrapping anything else as a generic failure.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var tl *TooLongError
	if errors.As(err, &tl) {
		return &Error{Kind: KindBudget, Reason: tl.Error(), Action: ActionEdit, Cause: err}
	}
	var nc *NeedNewChatError
	if errors.As(err, &nc) {
		return &Error{Kind: KindBudget, Reason: nc.Error(), Action: ActionNewChat, Cause: err}
	}
	var ti *TooManyImagesError
	if errors.As(err, &ti) {
		return &Error{Kind: KindAttachment, Reason: ti.Error(), Action: ActionEdit, Cause: err}
	}
	var nv *NoVisionError
	if errors.As(err, &nv) {
		return &Error{Kind: KindAttachment, Reason: nv.Error(), Action: ActionOpenSettings, Cause: err}
	}
	return &Error{Kind: KindMalformed, Reason: "something unexpected went wrong talking to Azure OpenAI; try again", Action: ActionRetry, Cause: err}
}
