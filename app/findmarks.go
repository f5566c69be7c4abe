package app

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/unicode/norm"

	"github.com/azchat/azchat/chat/history"
)

// marks says what find highlights in the blocks of one row: the words
// it looks for, and which match is the current one.
type marks struct {
	words needles
	// cur is the block (an index into the blocks rendered) that holds the
	// current match, curK which of its matches it is; cur is -1 when the
	// current match is elsewhere.
	cur, curK int
}

// apply highlights the words in segs, the segments of block j.
func (m *marks) apply(j int, segs []widget.RichTextSegment) []widget.RichTextSegment {
	if m == nil || len(m.words.words) == 0 {
		return segs
	}
	k := -1
	if j == m.cur {
		k = m.curK
	}
	return highlight(segs, m.words, k)
}

// Fyne's rich text has no background colour per segment: a match is drawn
// in the warning colour and bold, the current match in the primary colour,
// bold and underlined, so it stands out from the others (and from links,
// which are not underlined).
const (
	matchColor   = theme.ColorNameWarning
	currentColor = theme.ColorNamePrimary
)

// highlight returns segs with every match of words drawn as one, and the
// match numbered cur (from 0, in reading order; -1 for none) as the
// current match. Text segments are split where a match begins and ends;
// segs' own segments are changed, so they must be fresh ones.
func highlight(segs []widget.RichTextSegment, words needles, cur int) []widget.RichTextSegment {
	k := 0
	return walkRuns(segs, func(run []*widget.TextSegment) []widget.RichTextSegment {
		found := words.findAll(runText(run))
		out := make([]widget.RichTextSegment, 0, len(run)+2*len(found))
		at, f := 0, 0 // where the segment starts in the run's text; the next match
		for _, s := range run {
			end := at + len(s.Text)
			for f < len(found) && found[f][1] <= at {
				f++
			}
			if f == len(found) || found[f][0] >= end {
				out = append(out, s) // no match in this segment
				at = end
				continue
			}
			var pieces []*widget.TextSegment
			for pos := at; pos < end; {
				for f < len(found) && found[f][1] <= pos {
					f++
				}
				if f == len(found) || found[f][0] >= end {
					pieces = append(pieces, &widget.TextSegment{Style: s.Style, Text: s.Text[pos-at:]})
					break
				}
				if start := found[f][0]; start > pos {
					pieces = append(pieces, &widget.TextSegment{Style: s.Style, Text: s.Text[pos-at : start-at]})
					pos = start
				}
				stop := min(found[f][1], end)
				style := s.Style
				style.ColorName = matchColor
				style.TextStyle.Bold = true
				if k+f == cur {
					style.ColorName = currentColor
					style.TextStyle.Underline = true
				}
				pieces = append(pieces, &widget.TextSegment{Style: style, Text: s.Text[pos-at : stop-at]})
				pos = stop
			}
			// A segment that is not inline ends its line: only its last
			// piece may, or the line would break inside it.
			for _, p := range pieces[:len(pieces)-1] {
				p.Style.Inline = true
			}
			pieces[len(pieces)-1].Style.Inline = s.Style.Inline
			for _, p := range pieces {
				out = appendLines(out, p)
			}
			at = end
		}
		k += len(found)
		return out
	})
}

// needles is what find looks for: words, each folded (see fold), and
// for each whether a match must begin a word, as the history search's
// words do (its index matches whole words, and the last one as a prefix;
// a word in a script written without spaces it finds anywhere).
type needles struct {
	words     [][]rune
	wordStart []bool
}

func newNeedles(words []string, wordStart bool) needles {
	var n needles
	for _, w := range words {
		if w == "" {
			continue
		}
		folded := make([]rune, 0, len(w))
		// Composed: が typed as か and a voicing mark finds が (see
		// matchLen).
		for _, r := range norm.NFC.String(w) {
			if !isAccent(r) { // see matchLen
				folded = append(folded, fold(r))
			}
		}
		if len(folded) > 0 {
			n.words = append(n.words, folded)
			n.wordStart = append(n.wordStart, wordStart && !history.Spaceless(w))
		}
	}
	return n
}

// findAll returns where the words occur in text, as byte ranges, leftmost
// first and never overlapping (the longest word wins at one place). Case
// is ignored in any script: runes are compared folded, decoded as they
// are read, so a search allocates nothing but its results (and a letter
// composed from letters written apart, see composed).
func (n needles) findAll(text string) [][2]int {
	var out [][2]int
	prev := rune(-1)
	for i := 0; i < len(text); {
		best := 0
		starts := prev < 0 || !wordRune(prev)
		for k, w := range n.words {
			if !n.wordStart[k] || starts {
				if l := matchLen(text[i:], w); l > best {
					best = l
				}
			}
		}
		if best > 0 {
			out = append(out, [2]int{i, i + best})
			prev, _ = utf8.DecodeLastRuneInString(text[:i+best])
			i += best
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		prev = r
		i += size
	}
	return out
}

// matchLen is the length in bytes of w at the start of text, 0 if it is
// not there. Accents are ignored, as the history search ignores them and
// browsers' find does: combining marks in the text are passed over (and
// taken with the letter they follow), and a letter with an accent of its
// own is compared as its base letter (fold), so "é" typed finds an "é"
// written as e and a combining accent, and "e" finds both.
func matchLen(text string, w []rune) int {
	if r, _ := utf8.DecodeRuneInString(text); isAccent(r) {
		return 0 // a match starts on a letter, not on its accent
	}
	j := 0
	for _, want := range w {
		for {
			if j >= len(text) {
				return 0
			}
			r, size := utf8.DecodeRuneInString(text[j:])
			if isAccent(r) {
				j += size
				continue
			}
			r, size = composed(text[j:], r, size)
			if r != want && fold(r) != want {
				return 0
			}
			j += size
			break
		}
	}
	for j < len(text) { // the last letter's accents
		r, size := utf8.DecodeRuneInString(text[j:])
		if !isAccent(r) {
			break
		}
		j += size
	}
	return j
}

// composed is r, the rune of size bytes text starts with, composed with
// what follows it when they make one character (か and U+3099 are が, and
// Hangul letters written apart are their syllable, as macOS writes file
// names), and the bytes that takes; otherwise r and size.
func composed(text string, r rune, size int) (rune, int) {
	for {
		m, n := utf8.DecodeRuneInString(text[size:])
		if n == 0 || !joinsBefore(m) {
			return r, size
		}
		both := norm.NFC.String(text[:size+n])
		c, cn := utf8.DecodeRuneInString(both)
		if cn != len(both) {
			return r, size // not one character
		}
		r, size = c, size+n
	}
}

// joinsBefore reports whether m may make one character with the letter
// before it: a combining mark that is not an accent find passes over, or
// a Hangul vowel or final letter.
func joinsBefore(m rune) bool {
	if m >= 0x1160 && m <= 0x11FF || m >= 0xD7B0 && m <= 0xD7FF {
		return true
	}
	return m >= 0x300 && !isAccent(m) && unicode.Is(unicode.Mn, m)
}

// isAccent reports whether r is a combining accent of the Latin, Greek and
// Cyrillic alphabets (the Combining Diacritical Marks blocks), which find
// passes over. Other combining marks make other letters: Japanese が is か
// with a voicing mark, Thai ไม่ ("not") and ไม้ ("wood") differ by a tone
// mark, a Devanagari vowel sign is part of its syllable.
func isAccent(r rune) bool {
	return r >= 0x300 && (r <= 0x36F || r >= 0x1AB0 && r <= 0x1AFF || r >= 0x1DC0 && r <= 0x1DFF || r >= 0xFE20 && r <= 0xFE2F)
}

// fold maps every case of a letter to one rune, the smallest of its case
// orbit (K, k and the Kelvin sign K; Σ, σ and ς), so that comparing folded
// runes ignores case the way strings.EqualFold does; a letter with an
// accent is its base letter first (é as e).
func fold(r rune) rune {
	if r < utf8.RuneSelf {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}
	r = baseLetter(r)
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		m = min(m, f)
	}
	return m
}

// baseLetter is r without its accents: the first rune of its canonical
// decomposition when the rest of it is combining marks (é is e and U+0301).
// Other decompositions are kept whole: a Hangul syllable decomposes into
// its letters, and 강 must not match 가.
func baseLetter(r rune) rune {
	// Letters with accents of their own are in the Latin, Greek and
	// Cyrillic blocks: anything else (CJK above all) is itself, at once.
	if r < 0xC0 || r > 0x4FF && (r < 0x1E00 || r > 0x1FFF) {
		return r
	}
	var buf [utf8.UTFMax]byte
	d := norm.NFD.Properties(buf[:utf8.EncodeRune(buf[:], r)]).Decomposition()
	if len(d) == 0 {
		return r
	}
	base, size := utf8.DecodeRune(d)
	for rest := d[size:]; len(rest) > 0; {
		m, n := utf8.DecodeRune(rest)
		if !isAccent(m) {
			return r
		}
		rest = rest[n:]
	}
	return base
}

// wordRune reports whether r is part of a word, as the history search's
// tokenizer (unicode61) sees it.
func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

// appendLines appends p to out cut after each line break in its text, the
// pieces inline as p is up to its last. Fyne's rich text wraps the lines
// of several segments wrongly when text follows a line break inside one of
// them (the lines after it wrap too early: a code block with a highlight
// on each line had every other line cut in two); a break at a segment's
// end it handles. (Not a segment that ends its line: that one is spaced
// as a paragraph.)
func appendLines(out []widget.RichTextSegment, p *widget.TextSegment) []widget.RichTextSegment {
	for {
		i := strings.IndexByte(p.Text, '\n')
		if i < 0 || i == len(p.Text)-1 {
			return append(out, p)
		}
		line := &widget.TextSegment{Style: p.Style, Text: p.Text[:i+1]}
		line.Style.Inline = true
		out = append(out, line)
		p = &widget.TextSegment{Style: p.Style, Text: p.Text[i+1:]}
	}
}
