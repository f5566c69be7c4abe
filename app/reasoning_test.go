package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/internal/fakeazure"
)

// TestReasoningSummaryIsCollapsedAboveTheAnswer: an answer that came with
// a reasoning summary (Responses API) shows it closed above the text; a
// tap opens it (the row grows to show it) and another closes it.
func TestReasoningSummaryIsCollapsedAboveTheAnswer(t *testing.T) {
	// A deployment of a Responses-only model: the first answer finds the
	// API (and the model), the second comes with a summary.
	h := newHarnessWith(t, true, func(s *fakeazure.Server) {
		s.Deployments["gpt-4o"] = fakeazure.Deployment{Model: "gpt-5.1-codex-2025-11-13"}
	})
	h.srv.Script(fakeazure.Behaviour{}, fakeazure.Behaviour{Reply: "first"}, fakeazure.Behaviour{Reply: "the answer", ReasoningSummary: "Weighed two options."})
	h.send("one")
	h.send("two")
	first := h.row(1)
	h.ui(func() {
		if first.reasoning.Visible() {
			t.Fatal("the button shows on an answer without a summary")
		}
	})
	r := h.row(3)
	var closed float32
	h.ui(func() {
		if h.u.msgs[3].Content != "the answer" || h.u.msgs[3].Reasoning != "Weighed two options." {
			t.Fatalf("answer %+v", h.u.msgs[3])
		}
		if !r.reasoning.Visible() || r.thought.Visible() {
			t.Fatalf("button shown %v, summary shown %v", r.reasoning.Visible(), r.thought.Visible())
		}
		closed = h.u.transcript.heights[h.u.transcript.firstItem(3)].h
		test.Tap(r.reasoning)
	})
	r = h.row(3)
	h.ui(func() {
		open := h.u.transcript.heights[h.u.transcript.firstItem(3)].h
		if !r.thought.Visible() || r.thought.Text != "Weighed two options." || open <= closed {
			t.Fatalf("opened: shown %v %q, height %v → %v", r.thought.Visible(), r.thought.Text, closed, open)
		}
		test.Tap(r.reasoning)
	})
	r = h.row(3)
	h.ui(func() {
		if r.thought.Visible() {
			t.Fatal("closing left the summary shown")
		}
	})
}

// TestChatSettingsOfferEffortAndVerbosityOnlyWhereTaken: a chat with a
// gpt-5 deployment offers reasoning effort (minimal…high) and verbosity,
// and sends what is chosen; one with gpt-4o offers neither.
func TestChatSettingsOfferEffortAndVerbosityOnlyWhereTaken(t *testing.T) {
	h := newHarness(t, true)
	h.send("hello") // the deployment's model (gpt-4o) is learned from the answer
	h.ui(func() {
		cs := h.u.showChatSettings()
		if cs.effort != nil || cs.verbosity != nil {
			t.Fatal("gpt-4o was offered reasoning effort or verbosity")
		}
		cs.d.Hide()
	})
	h.closeNow() // before the second window opens: they would share Fyne's shaper

	h = newHarnessWith(t, true, func(s *fakeazure.Server) {
		s.Deployments["gpt-4o"] = fakeazure.Deployment{Model: "gpt-5-2025-08-07"}
	})
	h.send("hello")
	h.ui(func() {
		cs := h.u.showChatSettings()
		if cs.effort == nil || cs.verbosity == nil || strings.Join(cs.effort.Options, ",") != "service default,minimal,low,medium,high" {
			t.Fatalf("gpt-5: effort %v, verbosity %v", cs.effort, cs.verbosity)
		}
		cs.effort.SetSelected("minimal")
		cs.verbosity.SetSelected("high")
		cs.apply(h.u)
	})
	h.send("again")
	body := h.srv.Requests()[len(h.srv.Requests())-1].Body
	if body["reasoning_effort"] != "minimal" || body["verbosity"] != "high" {
		t.Fatalf("request %v", body)
	}
}

// TestSavedEffortIsKeptWhenTheModelDoesNotOfferIt: a chat's reasoning
// effort saved for another model stays selectable and is not erased by
// Apply.
func TestSavedEffortIsKeptWhenTheModelDoesNotOfferIt(t *testing.T) {
	test.NewTempApp(t)
	sel := choice(test.NewWindow(nil), []string{serviceDefault, "low", "medium", "high"}, "minimal")
	if sel.Selected != "minimal" || chosen(sel) != "minimal" {
		t.Fatalf("selected %q", sel.Selected)
	}
	if sel = choice(test.NewWindow(nil), []string{serviceDefault, "low"}, ""); chosen(sel) != "" {
		t.Fatalf("no saved value: %q", chosen(sel))
	}
}
