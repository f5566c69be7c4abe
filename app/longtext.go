package app

import (
	"strings"
	"unicode/utf8"
)

// Long text is cut into pieces so that no widget ever lays out more than a
// few kilobytes: Fyne wraps a RichText's whole text on every refresh, and a
// model printing a 2 MB data dump as one paragraph would otherwise hold the
// UI thread for minutes. The cuts depend only on the text before them, so
// a piece, once cut, never changes as more text streams in.
var (
	// giantBytes is the size from which a paragraph is shown as plain
	// text in pieces rather than as one markdown block, and a code block
	// is shown in pieces.
	giantBytes = 8 << 10
	// giantOther is the size from which any other block (a list, a
	// table) is shown as plain text in pieces: such blocks are rarely
	// this long, and formatting them is worth some layout time.
	giantOther = 64 << 10
	// pieceBytes is the most a piece holds.
	pieceBytes = 2 << 10
)

// cutPiece returns where the first piece of s ends, and false when s is
// short enough to be a piece of its own (more text may still come). A cut
// goes after the last line break in the second half of the piece, else
// after its last space, else at a character boundary.
func cutPiece(s string, lines bool) (int, bool) {
	if len(s) <= pieceBytes {
		return 0, false
	}
	window := s[pieceBytes/2 : pieceBytes]
	if i := strings.LastIndexByte(window, '\n'); i >= 0 {
		return pieceBytes/2 + i + 1, true
	}
	if !lines {
		if i := strings.LastIndexByte(window, ' '); i >= 0 {
			return pieceBytes/2 + i + 1, true
		}
	}
	end := pieceBytes
	for end > pieceBytes/2 && !utf8.RuneStart(s[end]) {
		end--
	}
	return end, true
}

// cutAll cuts s into pieces of kind k (the code language in lang).
func cutAll(s string, k blockKind, lang string) []piece {
	var out []piece
	for {
		end, ok := cutPiece(s, k == blockCode)
		if !ok {
			break
		}
		out = append(out, longPiece(s[:end], k, lang))
		out[len(out)-1].cont = len(out) > 1
		s = s[end:]
	}
	if strings.TrimSpace(s) != "" {
		out = append(out, longPiece(s, k, lang))
		out[len(out)-1].cont = len(out) > 1
	}
	return out
}

func longPiece(s string, k blockKind, lang string) piece {
	return piece{block: block{kind: k, text: strings.TrimRight(s, " \t\r\n"), lang: lang}}
}

// splitGiant replaces a paragraph or code block over giantBytes, or any
// other block over giantOther (a list, a table, a paragraph that became a
// setext heading), by its pieces: code is cut at lines, the rest shown as
// plain text. Smaller pieces are returned as they are.
func splitGiant(p piece) []piece {
	switch {
	case p.hr, len(p.text) <= giantBytes:
		return []piece{p}
	case p.kind == blockCode:
		return cutAll(p.text, blockCode, p.lang)
	case p.para, len(p.text) > giantOther:
		return cutAll(p.text, blockPlain, "")
	}
	return []piece{p}
}

// paragraphEnd finds where a paragraph that is shown as plain text ends in
// s: at a blank line, or at a line that opens a code fence or a heading
// (the ways models end a paragraph without a blank line). It returns the
// end of the paragraph's text and where the next node starts.
func paragraphEnd(s string) (end, next int, ok bool) {
	for i := 0; i < len(s); {
		nl := strings.IndexByte(s[i:], '\n')
		if nl < 0 {
			return 0, 0, false
		}
		lineStart := i + nl + 1
		rest := s[lineStart:]
		eol := strings.IndexByte(rest, '\n')
		if eol < 0 {
			// The next line is not complete: what it is cannot be told yet.
			return 0, 0, false
		}
		line := strings.TrimLeft(rest[:eol], " ")
		if len(rest[:eol])-len(line) < 4 {
			switch {
			case strings.TrimSpace(line) == "":
				return i + nl, lineStart + eol + 1, true
			case strings.HasPrefix(line, "```"), strings.HasPrefix(line, "~~~"), atxHeading(line):
				return i + nl, lineStart, true
			}
		}
		i = lineStart
	}
	return 0, 0, false
}

// atxHeading reports whether a line is a "#" heading.
func atxHeading(line string) bool {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	return n >= 1 && n <= 6 && (n == len(line) || line[n] == ' ' || line[n] == '\t' || line[n] == '\r')
}
