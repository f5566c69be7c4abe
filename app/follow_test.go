package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

// TestANewAnswerIsFollowed: Regenerate and Edit and resend follow the new
// answer to its end, as a message sent does, wherever the reader had
// scrolled (the new answer streamed below the list's end, out of view).
func TestANewAnswerIsFollowed(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("A long answer in words that wrap. ", 60)})
	h.ui(func() { h.u.win.Resize(fyne.NewSize(700, 500)) })
	h.send("a question")
	h.send("another question")
	scrollUp := func() {
		h.ui(func() {
			tr := h.u.transcript
			tr.list.ScrollToTop()
			if tr.following() {
				t.Fatal("scrolled to the top, the transcript still follows the end")
			}
		})
	}
	endShown := func(after string) {
		h.settle()
		h.ui(func() {
			tr := h.u.transcript
			if last := len(tr.items) - 1; tr.onScreen[last] == nil || !tr.following() {
				t.Fatalf("after %s the new answer's end is not shown (following %v)", after, tr.following())
			}
		})
	}
	scrollUp()
	h.ui(h.u.regenerate)
	endShown("Regenerate")
	scrollUp()
	h.ui(func() { h.u.editMessageText(0, "a question, edited") })
	h.ui(func() { tapButton(t, h.u.win, "Resend") })
	endShown("Edit and resend")
	h.ui(func() {
		if h.u.msgs[0].Content != "a question, edited" {
			t.Fatalf("the edit was not resent: %q", h.u.msgs[0].Content)
		}
	})
}

// TestAForkOfARenamedChatIsNamedAfterIt: a chat renamed in the sidebar is
// forked under its new name (it was forked under its first question).
func TestAForkOfARenamedChatIsNamedAfterIt(t *testing.T) {
	h := newHarness(t, true)
	h.send("a question")
	h.ui(func() { h.u.side.renameTo(h.u.conv.ID, "Renamed chat") })
	h.settle()
	h.ui(func() { h.u.fork(1) })
	h.settle()
	h.ui(func() {
		if h.u.conv.Title != "Renamed chat (fork)" {
			t.Fatalf("the fork is titled %q", h.u.conv.Title)
		}
	})
}

// TestAFailureNamesNoModel: an answer that failed before any text names
// no model in its header (none answered); one that answered does.
func TestAFailureNamesNoModel(t *testing.T) {
	h := newHarness(t, true)
	h.send("first")
	h.srv.Script(fakeazure.Behaviour{Status: 401, Body: fakeazure.Fixture("error-401.json")})
	h.send("second")
	answered, failed := h.row(1), h.row(3)
	h.ui(func() {
		if h.u.msgs[3].Status != chat.Failed || h.u.msgs[3].Model == "" {
			t.Fatalf("the second answer: %+v", h.u.msgs[3])
		}
		if !strings.Contains(answered.header.Text, "gpt-4o-2024-11-20") || strings.Contains(failed.header.Text, "gpt-4o") {
			t.Fatalf("headers %q and %q", answered.header.Text, failed.header.Text)
		}
	})
}

// TestRetryFollowsTheNewAnswer: Retry after a failure follows the answer
// it asks for to its end, wherever the reader had scrolled.
func TestRetryFollowsTheNewAnswer(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("A long answer in words that wrap. ", 60)})
	h.ui(func() { h.u.win.Resize(fyne.NewSize(700, 500)) })
	h.send("a question")
	h.srv.Script(fakeazure.Behaviour{Status: 401, Body: fakeazure.Fixture("error-401.json")},
		fakeazure.Behaviour{Reply: strings.Repeat("Another long answer in words that wrap. ", 60)})
	h.send("another question")
	h.ui(func() {
		h.u.transcript.list.ScrollToTop()
		if h.u.transcript.following() {
			t.Fatal("scrolled to the top, the transcript still follows the end")
		}
		h.u.runAction(chat.ActionRetry, 3)
	})
	h.settle()
	h.ui(func() {
		tr := h.u.transcript
		if h.u.msgs[3].Status != chat.Complete {
			t.Fatalf("the retried answer: %+v", h.u.msgs[3])
		}
		if last := len(tr.items) - 1; tr.onScreen[last] == nil || !tr.following() {
			t.Fatal("after Retry the new answer's end is not shown")
		}
	})
}
