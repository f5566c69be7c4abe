package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/internal/fakeazure"
)

// TestEditMessageGivesBackTheFilesOfARefusedQuestion: Azure refusing an
// image offers Edit message, which gave back only the text (nothing at
// all for a message that was only an image). The image comes back to the
// tray with the text, to be taken off or replaced.
func TestEditMessageGivesBackTheFilesOfARefusedQuestion(t *testing.T) {
	h := newHarness(t, true)
	h.send("hello") // the model (gpt-4o, which sees images) is learnt from the answer
	h.drop(writePNG(t, t.TempDir(), "odd.png", 64, 64))
	h.srv.Script(fakeazure.Behaviour{Status: 400, Body: []byte(`{"error":{"message":"Invalid image.","type":"invalid_request_error","param":null,"code":null}}`)})
	h.send("what is this")
	r := h.row(3)
	h.ui(func() {
		if r.action.Text != "Edit message" || h.u.input.Text != "" || len(h.u.draft.items) != 0 {
			t.Fatalf("after the refusal: action %q, input %q, %d files", r.action.Text, h.u.input.Text, len(h.u.draft.items))
		}
		test.Tap(r.action)
	})
	waitUntil(t, func() bool {
		done := false
		h.ui(func() { done = h.u.draft.reading == 0 && len(h.u.draft.items) == 1 })
		return done
	})
	h.ui(func() {
		if h.u.input.Text != "what is this" || h.u.draft.items[0].att.Name != "odd.png" {
			t.Fatalf("given back: input %q, file %q", h.u.input.Text, h.u.draft.items[0].att.Name)
		}
		if !strings.Contains(h.u.msgs[3].Error, "could not use an image") {
			t.Fatalf("reason %q", h.u.msgs[3].Error)
		}
		test.Tap(r.action) // again: the image is in the tray once
	})
	h.settle()
	waitUntil(t, func() bool { n := -1; h.ui(func() { n = h.u.draft.reading }); return n == 0 })
	h.ui(func() {
		if len(h.u.draft.items) != 1 {
			t.Fatalf("Edit message twice: %d files in the tray", len(h.u.draft.items))
		}
	})
}
