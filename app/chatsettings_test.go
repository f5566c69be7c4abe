package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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
	// Not written while the chat has no message: it would be listed as an
	// empty chat for good.
	h.u.ctl.Flush()
	if list, _ := h.u.history.List(0, 0); len(list) != 0 {
		t.Fatalf("applying settings to an empty chat saved it: %+v", list)
	}
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

// TestChatSettingsApplyOnlyToTheirChat: the dialog stays up while another
// chat replaces the one it was opened for (Ctrl+N works under a dialog, as
// do the tray's New chat and an import): Apply gave that chat these
// settings and saved them.
func TestChatSettingsApplyOnlyToTheirChat(t *testing.T) {
	h := newHarness(t, true)
	h.send("first chat")
	var cs *chatSettings
	h.ui(func() {
		cs = h.u.showChatSettings()
		cs.temperature.SetText("0.1")
		cs.system.SetText("only for the first chat")
		h.u.newChat()
	})
	h.settle()
	h.ui(func() {
		for _, o := range test.LaidOutObjects(h.u.win.Canvas().Overlays().Top()) {
			if b, ok := o.(*widget.Button); ok && b.Text == "Apply" {
				test.Tap(b)
			}
		}
	})
	h.settle()
	h.ui(func() {
		if c := h.u.ctl.Conversation(); c.System == "only for the first chat" || c.Overrides.Temperature != nil || h.u.conv.System == "only for the first chat" {
			t.Fatalf("the new chat took the first one's settings: %q, %v", c.System, c.Overrides.Temperature)
		}
	})
}

// TestEscCancelsChatSettings: Esc from any field closes This chat's
// settings as Cancel does, applying nothing; with something changed it
// asks first.
func TestEscCancelsChatSettings(t *testing.T) {
	h := newHarness(t, true)
	overlays := func() int { return len(h.u.win.Canvas().Overlays().List()) }
	for _, field := range []func(cs *chatSettings) fyne.Focusable{
		func(cs *chatSettings) fyne.Focusable { return cs.system },
		func(cs *chatSettings) fyne.Focusable { return cs.window },
	} {
		h.ui(func() {
			cs := h.u.showChatSettings()
			field(cs).TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			if n := overlays(); n != 0 {
				t.Fatalf("Esc on unchanged settings left %d dialogs open", n)
			}
			cs = h.u.showChatSettings()
			cs.system.SetText("Answer in French.")
			cs.window.SetText("4,000")
			field(cs).TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			if n := overlays(); n != 2 {
				t.Fatalf("Esc on changed settings: %d dialogs, want a question over them", n)
			}
			dismissTop(h.u.win) // Esc on the question: keep editing
			if n := overlays(); n != 1 || cs.system.Text != "Answer in French." {
				t.Fatalf("after keeping on: %d dialogs, system %q", n, cs.system.Text)
			}
			field(cs).TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			for _, o := range test.LaidOutObjects(h.u.win.Canvas().Overlays().Top()) {
				if b, ok := o.(*widget.Button); ok && b.Text == "Discard" {
					test.Tap(b)
				}
			}
			if n := overlays(); n != 0 {
				t.Fatalf("after Discard: %d dialogs", n)
			}
			if c := h.u.ctl.Conversation(); c.System != "" || c.Overrides.Window != 0 {
				t.Fatalf("Esc applied the settings: %q, window %d", c.System, c.Overrides.Window)
			}
		})
	}
}
