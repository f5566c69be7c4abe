package app

import (
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

// TestAStalledAnswerSaysSo: an answer whose text stops coming says so on
// its row, and what azchat will do, until text comes again (a stream that
// stalled showed only Stop for a minute).
func TestAStalledAnswerSaysSo(t *testing.T) {
	h := newHarness(t, true)
	stallNoteAfter = 100 * time.Millisecond
	t.Cleanup(func() { stallNoteAfter = 10 * time.Second })
	gate := make(chan struct{})
	h.srv.Script(fakeazure.Behaviour{Reply: "an answer that pauses after a few words and then goes on", Gate: gate, GateAfter: 3})
	h.ui(func() { press(h, "first") })
	var note string
	waitUntil(t, func() bool {
		h.ui(func() { note = h.u.waitNote[1] })
		return note != ""
	})
	if !strings.Contains(note, "No new text from Azure for") || !strings.Contains(note, "Stop ends it now") {
		t.Fatalf("note %q", note)
	}
	h.ui(func() {
		if text, _, _ := badgeFor(h.u.msgs[1], h.u.waitNote[1]); text != note {
			t.Fatalf("the row says %q", text)
		}
	})
	// Text again: the note goes.
	close(gate)
	h.settle()
	h.ui(func() {
		if m := h.u.msgs[1]; m.Status != chat.Complete || !strings.HasSuffix(m.Content, "goes on") {
			t.Fatalf("after the pause: %+v", m)
		}
		if _, ok := h.u.waitNote[1]; ok {
			t.Fatalf("the answer that went on still has the note %q", h.u.waitNote[1])
		}
	})
}
