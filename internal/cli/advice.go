package cli

import (
	"cmp"

	"github.com/azchat/azchat/chat"
)

// interruptedNote begins what ask says of an answer that ended without a
// finish reason.
const interruptedNote = "the answer was interrupted before it finished (no finish_reason)"

// commandLineReason is what a failure says on the command line: the
// window's advice (Retry, start a new chat, lower the chat's context
// window) is for buttons and chats ask does not have, so where the
// failure says what happened apart (chat.Error.Fact), ask adds its own.
func commandLineReason(e *chat.Error) string {
	switch {
	case e.Kind == chat.KindContextLength:
		return cmp.Or(e.Fact, "the question is longer than the model's context window") + ": shorten the question or what is attached"
	case e.Fact == "":
		return e.Reason
	case e.Kind == chat.KindRateLimited || e.Code == "rate_limit_exceeded":
		return e.Fact + ": wait a moment and run the command again, or raise the deployment's tokens-per-minute quota"
	case e.Action == chat.ActionRetry || e.Retryable():
		return e.Fact + ": run the command again"
	}
	return e.Reason
}
