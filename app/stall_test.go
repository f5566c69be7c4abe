package app

import (
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
)

// TestAStalledAnswerSaysSo: an answer whose text stops coming says so on
// its row, and what azchat will do, until text comes again or it ends (a
// stream that stalled showed only Stop for a minute).
func TestAStalledAnswerSaysSo(t *testing.T) {
	h := newHarness(t, true)
	stallNoteAfter = 100 * time.Millisecond
	t.Cleanup(func() { stallNoteAfter = 10 * time.Second })
	streamStalled(t, h)
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
	h.u.ctl.Stop()
	h.settle()
	h.ui(func() {
		if m := h.u.msgs[1]; m.Status != chat.Stopped {
			t.Fatalf("after Stop: %+v", m)
		}
		if text, _, _ := badgeFor(h.u.msgs[1], h.u.waitNote[1]); strings.Contains(text, "No new text") {
			t.Fatalf("the stopped answer still says %q", text)
		}
	})
}
