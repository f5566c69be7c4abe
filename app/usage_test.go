package app

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

// TestStatusBarShowsCachedAndReasoningTokens: the last answer's usage in
// the status bar names the prompt tokens served from the cache and the
// tokens spent reasoning, as Azure reported them.
func TestStatusBarShowsCachedAndReasoningTokens(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{CachedTokens: 8, ReasoningTokens: 1200})
	h.send("Who founded Microsoft?")
	h.ui(func() {
		got := h.u.usage.Text
		if !strings.Contains(got, " prompt (8 cached) + ") || !strings.Contains(got, " completion (1,200 reasoning) = ") {
			t.Fatalf("status bar %q", got)
		}
	})
}

func TestUsageTextLeavesOutWhatWasNotReported(t *testing.T) {
	got := usageText(chat.Usage{PromptTokens: 1500, CompletionTokens: 20, TotalTokens: 1520})
	if got != "Last answer: 1,500 prompt + 20 completion = 1,520 tokens" {
		t.Fatalf("%q", got)
	}
}

// TestTheUsageFitsTheStatusBar: in a window of the default size, the last
// answer's usage is drawn whole in a shorter form (it was cut with "…"
// after "Last answer: 1,234 prompt + 3"), its whole text in a tooltip;
// in a wide window the whole text, and no tooltip.
func TestTheUsageFitsTheStatusBar(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{CachedTokens: 8, ReasoningTokens: 1200})
	h.send("Who founded Microsoft?")
	var full string
	h.ui(func() {
		h.u.win.Resize(fyne.NewSize(1000, 720))
		full = h.u.usage.Text
	})
	h.ui(func() {
		l := h.u.usage
		if !l.cut() || l.shown == full || !slices.Contains(l.shorter, l.shown) {
			t.Fatalf("at 1000 px: drawn %q, whole %q", l.shown, full)
		}
		if w, room := l.textWidth(l.shown), l.Size().Width-2*theme.InnerPadding(); w > room {
			t.Fatalf("%q is %.0f wide in %.0f", l.shown, w, room)
		}
		// (Which form fits depends on the state beside it.)
		if strings.Contains(l.shown, "…") {
			t.Fatalf("drawn %q", l.shown)
		}
		l.MouseIn(nil)
		if got := h.u.tips.shown(); got != full {
			t.Fatalf("tooltip %q, want %q", got, full)
		}
		l.MouseOut()
		if got := h.u.tips.shown(); got != "" {
			t.Fatalf("tooltip %q after the pointer left", got)
		}
		h.u.win.Resize(fyne.NewSize(2400, 720))
	})
	h.ui(func() {
		l := h.u.usage
		if l.cut() || l.shown != full {
			t.Fatalf("at 2400 px: drawn %q, whole %q", l.shown, full)
		}
		l.MouseIn(nil)
		if got := h.u.tips.shown(); got != "" {
			t.Fatalf("tooltip %q over a whole text", got)
		}
		l.MouseOut()
	})
}
