package app

import (
	"strings"
	"testing"

	"github.com/azchat/azchat/internal/fakeazure"
)

func TestCopyLastAnswer(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: "**answer** text"})
	h.send("q")
	h.ui(func() {
		h.u.copyLastAnswer()
		if got := h.u.fyneApp.Clipboard().Content(); got != "**answer** text" {
			t.Fatalf("clipboard %q", got)
		}
	})
}

func TestChatSettingsOverrideTheProfile(t *testing.T) {
	h := newHarness(t, true)
	var cs *chatSettings
	h.ui(func() {
		cs = h.u.showChatSettings()
		cs.preset.SetSelected("Instructions with guardrails")
		cs.temperature.SetText("0.1")
		cs.window.SetText("4,000")
		cs.maxTokens.SetText("200")
		cs.apply(h.u)
	})
	h.send("what is a W-2?")
	body := h.srv.Requests()[0].Body
	msgs := body["messages"].([]any)
	if !strings.Contains(msgs[0].(map[string]any)["content"].(string), "tax related questions") || body["temperature"] != 0.1 || body["max_tokens"] != float64(200) {
		t.Fatalf("request %v", body)
	}
	h.ui(func() {
		if !strings.Contains(h.u.meter.Text, "/ 4,000 tokens, 200 reserved") {
			t.Fatalf("meter %q", h.u.meter.Text)
		}
	})
	// Saved with the conversation.
	conv, err := h.u.history.Load(h.u.conv.ID)
	if err != nil || conv.Overrides.Window != 4000 || !strings.Contains(conv.System, "tax") {
		t.Fatalf("stored %+v %v", conv, err)
	}
}
