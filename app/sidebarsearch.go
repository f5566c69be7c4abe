package app

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
)

// maxSnippetRunes bounds a search hit's snippet: SQLite cuts it by words,
// and one word of a pasted dump can be megabytes, which Fyne measures
// whole on the UI thread (seconds a megabyte).
const maxSnippetRunes = 200

// snippetLead is how many characters a long snippet keeps before its match.
const snippetLead = 16

// snippetLine is a hit's snippet on one line of at most maxSnippetRunes,
// its matches between « and », and without markdown's marks (a snippet is
// a cut of the text: read as markdown, its marks would pair wrongly). It
// starts a few words before the first match, which the row (some 30
// characters) would otherwise cut away.
func snippetLine(h history.Hit) string {
	s := h.Snippet
	var b strings.Builder
	at, first := 0, -1
	for _, m := range h.Matches {
		if m.Start < at || m.End > len(s) || m.Start >= m.End {
			continue // not from history.Search
		}
		b.WriteString(unmarked(s, at, m.Start))
		if first < 0 {
			first = b.Len()
		}
		b.WriteString("«" + unmarked(s, m.Start, m.End) + "»")
		at = m.End
	}
	b.WriteString(unmarked(s, at, len(s)))
	s = b.String()
	if first > 0 {
		start, lead := first, 0
		for start > 0 && lead < snippetLead {
			_, n := utf8.DecodeLastRuneInString(s[:start])
			start -= n
			lead++
		}
		if start > 0 {
			s = "…" + strings.TrimLeft(s[start:], " ")
		}
	}
	return chat.OneLine(s, maxSnippetRunes)
}

// snippetMarks are markdown's marks as a snippet drops them: strong
// emphasis, code, and a heading's hashes at a line's start (not "C# ",
// nor the underscores of __init__).
var (
	snippetMarks   = strings.NewReplacer("**", "", "`", "")
	snippetHeading = regexp.MustCompile(`(?m)^[ \t]{0,3}#{1,6}[ \t]+`)
)

// unmarked is s[from:to] without markdown's marks; a heading's hashes
// only where a line of s begins (not after a match: "«C»# here").
func unmarked(s string, from, to int) string {
	part := s[from:to]
	if from > 0 && s[from-1] != '\n' {
		// Not a line's start: kept from the heading pattern.
		kept := snippetHeading.ReplaceAllString("\x00"+part, "") // \x00: not a line's start
		return snippetMarks.Replace(strings.TrimPrefix(kept, "\x00"))
	}
	return snippetMarks.Replace(snippetHeading.ReplaceAllString(part, ""))
}

// fitRows makes the rows of search hits with a snippet two lines tall,
// and the rest one (the height of the list's template).
func (s *sidebar) fitRows() {
	if s.tall == nil {
		s.tall = map[int]bool{}
	}
	tall := map[int]bool{}
	for i, it := range s.items {
		if it.snippet != "" {
			tall[i] = true
		}
	}
	if len(tall) > 0 && s.twoLines == 0 {
		// Measured once the first hit comes (an italic face is loaded
		// for it then), not at start-up.
		row := s.list.CreateItem()
		s.oneLine = row.MinSize().Height
		sn := sideRowOf(row).snippet
		sn.TextStyle.Italic = true
		sn.SetText("…")
		sn.Show()
		s.twoLines = row.MinSize().Height
	}
	for i := range s.tall {
		if !tall[i] {
			s.list.SetItemHeight(i, s.oneLine)
		}
	}
	for i := range tall {
		s.list.SetItemHeight(i, s.twoLines)
	}
	s.tall = tall
}
