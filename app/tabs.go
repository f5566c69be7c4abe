package app

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2/widget"
)

// tabCols is how many columns a tab stop is apart, as Fyne draws them
// (painter.DefaultTabWidth: four spaces).
const tabCols = 4

// drawableTabs is s as Fyne 2.8.1 can draw it: in a line that also holds
// text Fyne shapes as runs of their own (another script, an emoji, a
// fallback font), each tab becomes spaces to the next tab stop. Fyne
// splits such a line into runs and then takes a tab's index in a run for
// its index in the line (painter.walkString): the text after the tab was
// drawn from the wrong place, letters dropped, repeated or turned into
// boxes ("Bob<TAB>תל אביב<TAB>fine" drew "Bob תל אביב ob��� �����fine").
// Lines of Latin text keep their tabs, which Fyne draws right (at its own
// tab stops, in proportional text too). s is returned as it is, without a
// copy, when it has no such line.
func drawableTabs(s string) string {
	if strings.IndexByte(s, '\t') < 0 || !tabbedRuns(s) {
		return s
	}
	// Every tabbed line then, so that the columns of a table pasted with
	// tabs stay in line with each other (tab stops counted in characters,
	// exact in monospace, near enough in proportional text).
	var b strings.Builder
	done := 0 // s[:done] is written to b
	for start := 0; start < len(s); {
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		if line := s[start:end]; strings.IndexByte(line, '\t') >= 0 {
			if b.Len() == 0 {
				b.Grow(len(s) + 16)
			}
			b.WriteString(s[done:start])
			expandTabs(&b, line)
			done = end
		}
		start = end + 1
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// tabbedRuns reports whether a line of s holds a tab and something Fyne
// may shape as a run of its own: any letter past the Latin ones, any
// symbol or emoji.
func tabbedRuns(s string) bool {
	tab, other := false, false
	for _, r := range s {
		switch {
		case r == '\n':
			tab, other = false, false
		case r == '\t':
			tab = true
		case r >= 0x250:
			other = true
		}
		if tab && other {
			return true
		}
	}
	return false
}

// expandTabs writes line with each tab as spaces to the next stop,
// counting a wide (East Asian) character as two columns.
func expandTabs(b *strings.Builder, line string) {
	col := 0
	joined := false // after a zero-width joiner: one glyph with the one before
	for len(line) > 0 {
		r, n := utf8.DecodeRuneInString(line)
		line = line[n:]
		switch {
		case r == '\t':
			pad := tabCols - col%tabCols
			b.WriteString("    "[:pad])
			col += pad
			continue
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Variation_Selector, r) || r >= 0x1F3FB && r <= 0x1F3FF:
			// Drawn over the character before (a mark, a variation, a
			// skin tone): no column of its own.
		case r == '\u200d':
			joined = true
			b.WriteRune(r)
			continue
		case joined:
		case wide(r):
			col += 2
		default:
			col++
		}
		joined = false
		b.WriteRune(r)
	}
}

// wide reports whether r takes two columns in a monospace font: CJK, the
// Hangul syllables, full-width forms and emoji.
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || (r >= 0xFF00 && r <= 0xFF60) || (r >= 0x1F300 && r <= 0x1FAFF) ||
		r == 0x2705 || r == 0x274C || (r >= 0x2614 && r <= 0x2615) || (r >= 0x26A1 && r <= 0x26AA) // emoji drawn wide: ✅ ❌ ☔ ⚡
}

// withDrawableTabs applies drawableTabs to every text segment of segs,
// walking into paragraphs, lists and tables, in place.
func withDrawableTabs(segs []widget.RichTextSegment) []widget.RichTextSegment {
	for _, s := range segs {
		switch t := s.(type) {
		case *widget.TextSegment:
			t.Text = drawableTabs(t.Text)
		case *widget.ParagraphSegment:
			withDrawableTabs(t.Texts)
		case *widget.ListSegment:
			withDrawableTabs(t.Items)
		case *widget.TableSegment:
			for _, c := range t.Headers {
				withDrawableTabs(c)
			}
			for _, row := range t.Rows {
				for _, c := range row {
					withDrawableTabs(c)
				}
			}
		}
	}
	return segs
}
