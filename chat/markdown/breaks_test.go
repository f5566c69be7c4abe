package markdown

import (
	"strings"
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

// TestHardBreaks: each soft line break of a paragraph becomes a hard one,
// code and hard breaks left as they are.
func TestHardBreaks(t *testing.T) {
	for src, want := range map[string]string{
		"one\ntwo\nthree":            "one\\\ntwo\\\nthree",
		"trailing space \nnext":      "trailing space \\\nnext",
		"already  \nhard":            "already  \nhard",
		"crlf\r\nline":               "crlf\\\r\nline",
		"```\ncode\nmore\n```":       "```\ncode\nmore\n```",
		"para\n\nanother\nparagraph": "para\n\nanother\\\nparagraph",
	} {
		if got := HardBreaks(src); got != want {
			t.Errorf("%q: %q, want %q", src, got, want)
		}
	}
	if s := HardBreaks("no breaks"); strings.Contains(s, "\\") {
		t.Fatal(s)
	}
}
