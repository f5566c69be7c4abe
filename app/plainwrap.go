package app

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
)

// Plain text (the pieces of a giant paragraph) is broken into lines here
// rather than by Fyne's word wrap, which finds each line's end by shaping
// several prefixes of the rest of the line with HarfBuzz (about 4.6 ms for
// a 2 KB piece of a data dump): that was most of what a batch of a fast
// stream cost on the UI thread, and what Esc waited behind. Here a line's
// end is first estimated from the advances of its characters (each shaped
// once and remembered), then settled by shaping the chosen line whole,
// and its neighbours while their estimates are within a slack of the edge.
// The breaks are the ones Fyne's TextWrapWord makes (TestPlainBreaksAreFynes
// compares them), but where Fyne, measuring a sequence cut in two (a family
// emoji, wider in pieces), breaks before it although it fits whole, and
// where a character is wider than the line: Fyne then puts the next
// character alone on a line too and drops the text's later lines; here the
// line goes on as usual. A line is kept only once shaped whole (the one
// that settles it, or the search for a word's end), so none is drawn wider
// than its width but a character wider than the line, alone on its line.

// wordSlack is how far (in Fyne units) the estimate of a word added to a
// line may be off from what shaping the line whole adds, at the least:
// rounding. Kerning grows with the word (spans of simple characters, see
// simpleRune, get a tenth of their width more), a space after an emoji is
// shaped with the emoji font, narrower, and other scripts join, combine
// marks or form sequences that shaped alone are far wider than together
// (other spans get their whole width more), and a tab's width depends on
// where it falls (a stop more for each).
const wordSlack = 1.5

// tabWidth is the distance between tab stops in Fyne's painter: four
// spaces of 10 units. A tab advances to the next stop.
const tabWidth = 4 * 10

// runeWidths remembers the advance of each character at one text size. It
// is used on the UI thread only (widgets are laid out there).
type runeWidths struct {
	size  float32
	ascii [128]float32 // 0: not measured yet
	other map[rune]float32
}

var plainRunes runeWidths

func (c *runeWidths) advance(r rune) float32 {
	if r < 128 && c.ascii[r] != 0 {
		return c.ascii[r]
	}
	if w, ok := c.other[r]; ok {
		return w
	}
	w := c.exact(string(r))
	if r < 128 && w != 0 {
		c.ascii[r] = w
	} else if len(c.other) < 1<<14 { // bounded: a dump of every script
		c.other[r] = w
	}
	return w
}

// exact is the width Fyne gives s shaped whole. Fyne keeps the string it
// measured as a key of its cache for a minute: s is cloned, or the key
// would keep alive the whole text s was cut from (a streaming answer,
// every version of its buffer).
func (c *runeWidths) exact(s string) float32 {
	return fyne.MeasureText(strings.Clone(s), c.size, fyne.TextStyle{}).Width
}

// breakPlain returns text with a line break wherever Fyne's word wrap
// would end a line of regular text of the given size no wider than avail.
func breakPlain(text string, avail, size float32) string {
	if plainRunes.other == nil || plainRunes.size != size {
		plainRunes = runeWidths{size: size, other: map[rune]float32{}}
	}
	if !utf8.ValidString(text) {
		// As Fyne draws it: each byte that is not UTF-8 a U+FFFD. (Byte
		// offsets below then match the runes Fyne counts.)
		text = string([]rune(text))
	}
	if avail <= 0 {
		// Fyne does not wrap without room (lineBounds).
		return strings.Clone(text)
	}
	var out strings.Builder
	out.Grow(len(text) + len(text)/32)
	for i, line := range strings.Split(text, "\n") {
		if i > 0 {
			out.WriteByte('\n')
		}
		plainRunes.breakLine(line, avail, &out)
	}
	return out.String()
}

// breakLine writes line broken as Fyne's wrapWordLines breaks it: each
// line is the longest that fits and ends before a space (the space is
// dropped), else, when the first word alone is too wide, as much of the
// word as fits.
func (c *runeWidths) breakLine(line string, avail float32, out *strings.Builder) {
	var cands []candidate
	first := true
	for {
		if !first {
			out.WriteByte('\n')
		}
		first = false
		cands = c.candidates(line, cands[:0])
		end := c.lineEnd(line, cands, avail)
		if end == len(line) {
			out.WriteString(line)
			return
		}
		out.WriteString(line[:end])
		line = line[end:]
		// The space the line broke at starts no line.
		if r, n := utf8.DecodeRuneInString(line); n > 0 && unicode.IsSpace(r) {
			line = line[n:]
		}
		if line == "" {
			// Fyne ends the text on the line that held its last rune.
			return
		}
	}
}

// candidate is a place a line may end: before a space, or at the end of
// the text; est is the estimated width of the line up to there.
type candidate struct {
	end int
	est float32
	// slack is how far est-est(previous candidate) may be off (see
	// wordSlack).
	slack float32
}

// candidates lists where a line starting at s's start may end, with their
// estimated widths. (A plain piece is at most a few kilobytes.)
func (c *runeWidths) candidates(s string, out []candidate) []candidate {
	x, from := float32(0), float32(0)
	simple, tabs := true, 0 // since the last candidate: simple runes only; tabs
	add := func(end int) {
		slack := wordSlack + float32(tabs)*tabWidth
		if simple {
			slack += (x - from) / 10
		} else {
			slack += x - from
		}
		out = append(out, candidate{end, x, slack})
		from, simple, tabs = x, true, 0
	}
	for i, r := range s {
		if i > 0 && unicode.IsSpace(r) {
			add(i)
		}
		simple = simple && simpleRune(r)
		if r == '\t' {
			tabs++
			x = float32(math.Floor(float64((x+tabWidth)/tabWidth))) * tabWidth
			continue
		}
		x += c.advance(r)
	}
	add(len(s))
	return out
}

// simpleRune reports whether r's advance, measured alone, is what it adds
// to a line, give or take kerning: Latin, Greek and Cyrillic letters,
// digits, punctuation (not combining marks). Other characters join (Arabic,
// Indic scripts), combine or form sequences (emoji, variation selectors,
// zero-width joiners) or come from a fallback font whose advance next to
// Latin text differs (CJK: Fyne broke "x86_64 日本語の文章" later than the
// advances said), and their spans get their whole estimate as slack.
func simpleRune(r rune) bool {
	return r < 0x0590 && !unicode.Is(unicode.M, r)
}

// lineEnd returns where the line that starts at s's start ends: at the
// longest candidate that fits in avail, shaped whole; else, as Fyne does,
// after a space that starts s (a line of its own), else inside s's first
// word, after as much of it as fits.
func (c *runeWidths) lineEnd(s string, cands []candidate, avail float32) int {
	noBreak := func() int {
		if r, n := utf8.DecodeRuneInString(s); unicode.IsSpace(r) {
			return n
		}
		return c.fitRunes(s, avail)
	}
	// The last candidate the estimate puts within the edge.
	k := sort.Search(len(cands), func(j int) bool { return cands[j].est > avail }) - 1
	if k < 0 {
		if r, _ := utf8.DecodeRuneInString(s); !unicode.IsSpace(r) {
			// The first word is estimated too wide. Find how much of it
			// fits as Fyne does, shaping prefixes of about a line (text
			// without spaces, as Chinese or base64, is all one word:
			// shaped whole, each line would cost the whole rest).
			if end := c.fitRunes(s, avail); end < cands[0].end {
				return end
			}
		}
		k = 0
	}
	w := c.exact(s[:cands[k].end])
	if w > avail {
		// A shorter line: usually the one before, else a binary search
		// (widths grow with the line; estimates can be far off, such as
		// a tab's next to right-to-left text, which Fyne advances to a
		// stop measured from elsewhere).
		if k == 0 {
			return noBreak()
		}
		if c.exact(s[:cands[k-1].end]) <= avail {
			return cands[k-1].end
		}
		j := sort.Search(k-1, func(j int) bool { return c.exact(s[:cands[j].end]) > avail })
		if j == 0 {
			return noBreak()
		}
		return cands[j-1].end
	}
	// Longer lines while the next one may fit too.
	for k+1 < len(cands) && w+cands[k+1].est-cands[k].est <= avail+cands[k+1].slack {
		next := c.exact(s[:cands[k+1].end])
		if next > avail {
			break
		}
		k, w = k+1, next
	}
	return cands[k].end
}

// fitRunes returns how many bytes of s's first word fit in avail (at
// least one rune, as Fyne keeps a character wider than the line). The
// search is Fyne's howManyRunesFit's, over the first word only: the line
// ends inside it, as no line ending before a space fits.
func (c *runeWidths) fitRunes(s string, avail float32) int {
	word := s
	if i := strings.IndexFunc(s, unicode.IsSpace); i >= 0 {
		word = s[:i]
	}
	runes := []rune(word)
	if len(runes) == 0 {
		return 0
	}
	fits, tooLong := 0, len(runes)+1
	charWidth := c.advance('z')
	guess := len(runes)
	if charWidth > 0 {
		guess = min(int(avail/charWidth), len(runes))
	}
	guess = max(guess, 1)
	for tooLong-fits > 1 {
		w := c.exact(string(runes[:guess]))
		if w <= avail {
			fits = guess
		} else {
			tooLong = guess
		}
		if w > 0 {
			guess = int(float32(guess) * avail / w)
		}
		guess = min(guess, tooLong-1)
		guess = max(guess, fits+1)
	}
	if fits == 0 {
		fits = 1
	}
	return len(string(runes[:fits]))
}
