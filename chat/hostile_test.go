package chat_test

import (
	"fmt"
	"strings"
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

// TestOneLine: titles and one-line fields as shown: white space and
// control characters become single spaces, and a long text is cut.
func TestOneLine(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"plain title", 20, "plain title"},
		{"  two\n\tlines  here ", 20, "two lines here"},
		{"esc\x1b]0;x\x07 done", 20, "esc ]0;x done"},
		{"bad \xff byte", 20, "bad \uFFFD byte"},
		{"exactly ten", 10, "exactly t…"},
		{"0123456789", 10, "0123456789"},
		{strings.Repeat("é ", 1e6), 10, "é é é é é…"},
	} {
		if got := chat.OneLine(c.in, c.max); got != c.want {
			t.Errorf("OneLine(%.20q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}
