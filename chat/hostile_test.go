package chat_test

import (
	"fmt"
	"testing"

	"github.com/azchat/azchat/chat"
)

// TestFilterNamesAreShownSafely: category names and severities come from
// the server (or an imported file) and reach error reasons, badges and
// the terminal: only plain characters of them are shown, and at most 20.
func TestFilterNamesAreShownSafely(t *testing.T) {
	f := chat.FilterResults{"hate\x1b]52;c;eA==\a": {Filtered: true, Severity: "high\x1b[2J"}, "\u202eevil": {Filtered: true}}
	got := f.Triggered()
	if len(got) != 2 || got[0] != "evil" || got[1] != "hate52ceA (high2J)" {
		t.Fatalf("%q", got)
	}
	many := chat.FilterResults{}
	for i := range 30 {
		many[fmt.Sprintf("cat%02d", i)] = chat.FilterCategory{Filtered: true}
	}
	if got := many.Triggered(); len(got) != 21 || got[20] != "10 more" {
		t.Fatalf("30 categories: %q", got)
	}
}
