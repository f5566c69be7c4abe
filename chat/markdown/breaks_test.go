package markdown

import (
	"testing"
)

// TestMarkBreaks: a mark where a paragraph's line ends in a hard break,
// and (soft) where any of its lines ends; never in code.
func TestMarkBreaks(t *testing.T) {
	m := string(LineMark)
	for _, c := range []struct {
		src  string
		soft bool
		want string
	}{
		{"hard break  \nnext", false, "hard break" + m + "  \nnext"},
		{"back\\\nslash", false, "back" + m + "\\\nslash"},
		{"plain\ntext", false, "plain\ntext"},
		{"plain\ntext", true, "plain" + m + "\ntext"},
		{"crlf\r\nlines", true, "crlf" + m + "\r\nlines"},
		{"```\ncode\nmore\n```", true, "```\ncode\nmore\n```"},
		{"- item\n  goes on", true, "- item" + m + "\n  goes on"},
		{"`a\nb`", true, "`a\nb`"},
	} {
		if got := MarkBreaks(c.src, c.soft); got != c.want {
			t.Errorf("%q (soft %v): %q, want %q", c.src, c.soft, got, c.want)
		}
	}
}
