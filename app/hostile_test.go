package app

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/azchat/azchat/chat"
)

// TestRowsShowBoundedServerText: an error, a model name or a reasoning
// summary of megabytes (a crafted import, a broken server) was laid out
// whole in one wrapped label on the UI thread, at every start as the chat
// reopened. A row shows a bounded part; the history keeps it all.
func TestRowsShowBoundedServerText(t *testing.T) {
	huge := strings.Repeat("é", 1<<20) // 2 MB, two bytes a rune
	for _, st := range []chat.Status{chat.Failed, chat.Interrupted} {
		text, _, _ := badgeFor(chat.Message{Role: chat.Assistant, Status: st, Error: "line one\nline two " + huge}, "")
		if n := utf8.RuneCountInString(text); n > maxErrorRunes+100 || strings.Contains(text, "\n") || !strings.Contains(text, "Line one line two") {
			t.Errorf("%s badge: %d runes, %q…", st, n, text[:40])
		}
	}
	r := shownReasoning(huge)
	if len(r) > maxReasoning+200 || !utf8.ValidString(r) || !strings.Contains(r, "KB more") {
		t.Errorf("reasoning shown: %d bytes, valid %v", len(r), utf8.ValidString(r))
	}
	if shownReasoning("short") != "short" {
		t.Error("a short summary changed")
	}
}
