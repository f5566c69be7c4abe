package cli

import (
	"strings"

	"github.com/azchat/azchat/chat"
)

// commandLineAdvice is text, a failure's reason or a note on an answer
// that ended early, with the window's advice said as a command line's:
// there is no Retry button to press, no chat to start anew and no context
// window of a chat to lower (failed may be nil).
func commandLineAdvice(failed *chat.Error, text string) string {
	if failed != nil && failed.Kind == chat.KindContextLength {
		// The reason the window gives ("lower the context window in
		// settings, or start a new chat") is for a conversation.
		reason := "the question is longer than the model's context window: shorten it or what is attached"
		if i := strings.Index(text, failed.Reason); i > 0 {
			return text[:i] + reason + text[i+len(failed.Reason):]
		}
		return reason
	}
	for _, r := range [][2]string{
		{" — Retry", ": run the command again"},
		{" and Retry", " and run the command again"},
		{"then Retry", "then run the command again"},
	} {
		text = strings.ReplaceAll(text, r[0], r[1])
	}
	return text
}
