package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
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
		{"the message\n\nmore", "the message\n\nmore"},
		{"not the message at all", "the message\n\nnot the message at all"},
		// Long lines wrap: the entry's rows are not lines.
		{strings.Repeat("typed words ", 200), "the message\n\n" + strings.Repeat("typed words ", 200)},
	} {
		h.ui(func() { h.u.input.SetText(c.typed) })
		h.u.bridge.push(chat.ErrorReported{Index: -1, Text: "the message", Err: &chat.Error{Reason: "the message is too long"}})
		h.u.bridge.waitIdle()
		h.ui(func() {
			if h.u.input.Text != c.want {
				t.Errorf("typed %q: the input holds %q, want %q", c.typed, h.u.input.Text, c.want)
			}
			if c.typed != c.want {
				// The next key goes at the end, where the user was typing.
				test.Type(h.u.input, "X")
				if h.u.input.Text != c.want+"X" {
					t.Errorf("typed %q: the next key went elsewhere: %q", c.typed, h.u.input.Text)
				}
			}
			if top := h.u.win.Canvas().Overlays().Top(); top != nil {
				h.u.win.Canvas().Overlays().Remove(top)
			}
		})
	}
}

// TestMessageWaitingForItsFilesStaysInItsChat: Send pressed while files
// were still being read sent the message, once they were, into whatever
// chat was open by then (another one clicked in the list, or a new one).
func TestMessageWaitingForItsFilesStaysInItsChat(t *testing.T) {
	h := newHarness(t, true)
	h.send("first chat")
	before := len(h.srv.Requests())
	h.ui(func() {
		h.u.draft.reading++ // a file still being read
		test.Type(h.u.input, "about the file")
		h.u.send()
		h.u.newChat()
		h.u.draft.reading--
		h.u.draft.readDone()
	})
	h.settle()
	h.ui(func() {
		if n := len(h.srv.Requests()); n != before || h.u.input.Text != "about the file" || len(h.u.msgs) != 0 {
			t.Fatalf("%d requests more, input %q, %d messages in the new chat", n-before, h.u.input.Text, len(h.u.msgs))
		}
	})
	// In the chat it was written in, it goes once the files are read.
	h.ui(func() {
		h.u.draft.reading++
		h.u.send()
		h.u.draft.reading--
		h.u.draft.readDone()
	})
	h.settle()
	if n := len(h.srv.Requests()); n != before+1 {
		t.Fatalf("%d requests more, want 1", n-before)
	}
}

// TestRephraseKeepsTheDraft: "Edit message" on a refused prompt replaced
// what was being written in the input (and Fyne's SetText drops the undo
// history, so Ctrl+Z could not bring it back).
func TestRephraseKeepsTheDraft(t *testing.T) {
	h := newHarness(t, true)
	h.send("a question")
	h.ui(func() {
		test.Type(h.u.input, "a draft")
		h.u.runAction(chat.ActionEdit, 1)
		if h.u.input.Text != "a question\n\na draft" {
			t.Fatalf("the input holds %q", h.u.input.Text)
		}
	})
}

// TestDoubleClickOnSendDoesNotStop: the first click sends and turns the
// button into Stop within a frame; the second click of a double-click
// then stopped the answer it had just sent.
func TestDoubleClickOnSendDoesNotStop(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("slowly ", 200), TokensPerSecond: 100})
	clock := time.Now()
	h.ui(func() {
		h.u.now = func() time.Time { return clock }
		test.Type(h.u.input, "hello")
		h.u.sendOrStop()
	})
	waitUntil(t, func() bool { busy := false; h.ui(func() { busy = h.u.busy }); return busy })
	h.ui(func() {
		clock = clock.Add(300 * time.Millisecond) // the second click
		h.u.sendOrStop()
	})
	h.settle()
	h.ui(func() {
		if m := h.u.msgs[1]; m.Status != chat.Complete {
			t.Fatalf("the answer ended %s", m.Status)
		}
	})
	// A later tap on Stop stops.
	h.srv.Script(fakeazure.Behaviour{Reply: slowReply, TokensPerSecond: 100})
	h.ui(func() {
		test.Type(h.u.input, "again")
		h.u.sendOrStop()
	})
	waitUntil(t, func() bool { busy := false; h.ui(func() { busy = h.u.busy }); return busy })
	h.ui(func() {
		clock = clock.Add(2 * time.Second)
		h.u.sendOrStop()
	})
	h.settle()
	h.ui(func() {
		if m := h.u.msgs[3]; m.Status != chat.Stopped {
			t.Fatalf("Stop after two seconds: the answer ended %s", m.Status)
		}
	})
}
