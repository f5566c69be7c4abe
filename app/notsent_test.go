package app

import (
	"testing"

	"github.com/azchat/azchat/chat"
)

// TestTextNotSentComesBackBeforeWhatWasTypedSince: a message the
// controller could not send comes back to the input; when the user had
// typed something since, it was dropped (nowhere: not in the chat, nor
// the history).
func TestTextNotSentComesBackBeforeWhatWasTypedSince(t *testing.T) {
	h := newHarness(t, true)
	for _, c := range []struct{ typed, want string }{
		{"", "the message"},
		{"typed since", "the message\n\ntyped since"},
		{"the message", "the message"}, // already there (given back before)
	} {
		h.ui(func() { h.u.input.SetText(c.typed) })
		h.u.bridge.push(chat.ErrorReported{Index: -1, Text: "the message", Err: &chat.Error{Reason: "the message is too long"}})
		h.u.bridge.waitIdle()
		h.ui(func() {
			if h.u.input.Text != c.want {
				t.Errorf("typed %q: the input holds %q, want %q", c.typed, h.u.input.Text, c.want)
			}
			if top := h.u.win.Canvas().Overlays().Top(); top != nil {
				h.u.win.Canvas().Overlays().Remove(top)
			}
		})
	}
}
