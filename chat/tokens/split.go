package tokens

import (
	"sync"
	"unicode"
	"unicode/utf8"
)

// The pre-tokenizer: tiktoken cuts text into pieces with a regular expression
// before the byte-pair merge, and the pieces decide the count as much as the
// ranks do. tiktoken-go evaluates the patterns with regexp2, a backtracking
// engine that is most of its running time; the two functions here walk the
// text once instead and give exactly regexp2's matches (the tests compare
// them on every edge case known and under the fuzzer).
//
// regexp2's definitions, which these follow to the letter: \s is
// unicode.IsSpace (so U+0085 and U+00A0 are spaces, U+200B and U+FEFF are
// not), \p{X} is Go's unicode table X, and (?i:'s) lowercases the text with
// unicode.ToLower, which maps only 'S' to 's' among the letters involved.
// The patterns run on runes: an invalid UTF-8 byte is U+FFFD (see valid).

// Rune classes, as bits. A rune is in exactly one of \p{L}, \p{N}, \s or
// the rest; o200k_base also sorts letters and marks by case.
const (
	cLetter  uint8 = 1 << iota // \p{L}
	cNumber                    // \p{N}
	cSpace                     // \s
	cNewline                   // \r or \n (also cSpace)
	cUpper                     // o200k_base's [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
	cLower                     // o200k_base's [\p{Ll}\p{Lm}\p{Lo}\p{M}]
	cEnd                       // past the end of the text: in no class
)

// isPunct is [^\s\p{L}\p{N}]; the end of the text is not in it.
func isPunct(c uint8) bool { return c&(cSpace|cLetter|cNumber|cEnd) == 0 }

// canPrefix is [^\r\n\p{L}\p{N}], the optional rune before a word.
func canPrefix(c uint8) bool { return c&(cNewline|cLetter|cNumber|cEnd) == 0 }

// classify computes a rune's class from the same tables regexp2 consults.
func classify(r rune) uint8 {
	switch {
	case r == '\r' || r == '\n':
		return cSpace | cNewline
	case unicode.IsSpace(r):
		return cSpace
	case unicode.Is(unicode.N, r):
		return cNumber
	case unicode.Is(unicode.M, r):
		return cUpper | cLower
	case !unicode.Is(unicode.L, r):
		return 0
	case unicode.Is(unicode.Lu, r) || unicode.Is(unicode.Lt, r):
		return cLetter | cUpper
	case unicode.Is(unicode.Ll, r):
		return cLetter | cLower
	}
	return cLetter | cUpper | cLower // Lm, Lo
}

// bmpClasses holds the class of every rune below U+10000: looking a rune up
// in Go's range tables takes several binary searches, and CJK, Cyrillic or
// Devanagari text is made of little else. 64 KB, filled once by Load (until
// then its pages are not even in memory).
var (
	bmpClasses   [1 << 16]uint8
	bmpClassOnce sync.Once
)

func buildClasses() {
	bmpClassOnce.Do(func() {
		for r := range bmpClasses {
			bmpClasses[r] = classify(rune(r))
		}
	})
}

// classAt returns the class and the width of the rune at s[i:], or cEnd
// when i is the end. s must be valid UTF-8 and the table built. The ASCII
// case is small enough to be inlined into the scanning loops.
func classAt(s string, i int) (uint8, int) {
	if i < len(s) && s[i] < utf8.RuneSelf {
		return bmpClasses[s[i]], 1
	}
	return classAtSlow(s, i)
}

func classAtSlow(s string, i int) (uint8, int) {
	if i >= len(s) {
		return cEnd, 0
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if r < 1<<16 {
		return bmpClasses[r], n
	}
	return classify(r), n
}

// skip returns where the run of runes with one of the class bits, from i,
// ends. ASCII is looked up inline: this loop is where the scanner spends
// its time.
func skip(s string, i int, bits uint8) int {
	for i < len(s) {
		if b := s[i]; b < utf8.RuneSelf {
			if bmpClasses[b]&bits == 0 {
				return i
			}
			i++
			continue
		}
		c, n := classAtSlow(s, i)
		if c&bits == 0 {
			return i
		}
		i += n
	}
	return i
}

// skipPunct returns where the run of [^\s\p{L}\p{N}] from i ends.
func skipPunct(s string, i int) int {
	return skipNot(s, i, cSpace|cLetter|cNumber)
}

// skipNot returns where the run of runes with none of the class bits, from
// i, ends.
func skipNot(s string, i int, bits uint8) int {
	for i < len(s) {
		if b := s[i]; b < utf8.RuneSelf {
			if bmpClasses[b]&bits != 0 {
				return i
			}
			i++
			continue
		}
		c, n := classAtSlow(s, i)
		if c&bits != 0 {
			return i
		}
		i += n
	}
	return i
}

// skipBytes returns where the run of the bytes a or b (or c) from i ends.
func skipBytes(s string, i int, a, b, c byte) int {
	for i < len(s) && (s[i] == a || s[i] == b || s[i] == c) {
		i++
	}
	return i
}

// contraction is the length of (?i:'s|'t|'re|'ve|'m|'ll|'d) at s[i:], or 0.
// b|0x20 lowercases an ASCII letter and maps no other byte onto one.
func contraction(s string, i int) int {
	if i+1 >= len(s) || s[i] != '\'' {
		return 0
	}
	switch s[i+1] | 0x20 {
	case 's', 't', 'm', 'd':
		return 2
	case 'r', 'v':
		if i+2 < len(s) && s[i+2]|0x20 == 'e' {
			return 3
		}
	case 'l':
		if i+2 < len(s) && s[i+2]|0x20 == 'l' {
			return 3
		}
	}
	return 0
}

// digits is \p{N}{1,3} at s[i:], whose first rune (n bytes) is a number.
func digits(s string, i, n int) int {
	i += n
	for k := 1; k < 3; k++ {
		c, w := classAt(s, i)
		if c&cNumber == 0 {
			break
		}
		i += w
	}
	return i
}

// spaceEnd ends a piece that starts with whitespace at s[i:], by the last
// three alternatives of both patterns:
//
//	\s*[\r\n]+  up to the last newline of the run, if it has one;
//	\s+(?!\S)   else the run but its last rune, which backtracking leaves
//	            to start the next piece (the whole run at the end of text);
//	\s+         else the one rune.
func spaceEnd(s string, i int) int {
	newline, last, j := -1, i, i
	for {
		c, n := classAt(s, j)
		if c&cSpace == 0 {
			break
		}
		if c&cNewline != 0 {
			newline = j + 1
		}
		last = j
		j += n
	}
	switch {
	case newline >= 0:
		return newline
	case j == len(s) || last == i:
		return j
	}
	return last
}

// cl100kEnd returns the end of the piece starting at s[i:] by cl100k_base's
//
//	(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
//	 ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// The first alternative that matches wins, in this order.
func cl100kEnd(s string, i int) int {
	if n := contraction(s, i); n > 0 {
		return i + n
	}
	c, n := classAt(s, i)
	if c&cLetter != 0 {
		return skip(s, i+n, cLetter)
	}
	if canPrefix(c) {
		if c2, n2 := classAt(s, i+n); c2&cLetter != 0 {
			return skip(s, i+n+n2, cLetter)
		}
	}
	if c&cNumber != 0 {
		return digits(s, i, n)
	}
	return punctOrSpaceEnd(s, i, c, n, '\n')
}

// o200kEnd returns the end of the piece starting at s[i:] by o200k_base's
//
//	[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|
//	[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|
//	\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// A backtracking engine tries each word alternative first with the prefix
// rune, then without it (a mark can be either), before the next one.
func o200kEnd(s string, i int) int {
	c, n := classAt(s, i)
	prefix := canPrefix(c)
	if prefix {
		if j := casedWord(s, i+n); j >= 0 {
			return j
		}
	}
	if j := casedWord(s, i); j >= 0 {
		return j
	}
	if prefix {
		if j := upperWord(s, i+n); j >= 0 {
			return j
		}
	}
	if j := upperWord(s, i); j >= 0 {
		return j
	}
	if c&cNumber != 0 {
		return digits(s, i, n)
	}
	return punctOrSpaceEnd(s, i, c, n, '/')
}

// punctOrSpaceEnd matches the alternatives both patterns end with, at s[i:]
// whose first rune has class c and n bytes:
//
//	[ ]?[^\s\p{L}\p{N}]+[\r\n<also>]*|\s*[\r\n]+|\s+(?!\S)|\s+
//
// where also is '/' in o200k_base (cl100k_base passes '\n', adding nothing).
func punctOrSpaceEnd(s string, i int, c uint8, n int, also byte) int {
	if isPunct(c) {
		return skipBytes(s, skipPunct(s, i+n), '\r', '\n', also)
	}
	if s[i] == ' ' {
		if c2, n2 := classAt(s, i+1); isPunct(c2) {
			return skipBytes(s, skipPunct(s, i+1+n2), '\r', '\n', also)
		}
	}
	return spaceEnd(s, i)
}

// casedWord matches U*W+C? at s[j:] (U, W the two bracket classes, C the
// contractions) and returns its end, or -1. U* is greedy and gives back
// runes until W+ can start: W+ starts either right after the U run (a
// lowercase letter) or, U and W sharing Lm, Lo and M, at the last rune of
// the run that is in W, where it is one rune long.
func casedWord(s string, j int) int {
	lastW := -1
	for {
		c, n := classAt(s, j)
		if c&cUpper == 0 {
			if c&cLower != 0 {
				e := skip(s, j+n, cLower)
				return e + contraction(s, e)
			}
			break
		}
		if c&cLower != 0 {
			lastW = j + n
		}
		j += n
	}
	if lastW < 0 {
		return -1
	}
	return lastW + contraction(s, lastW)
}

// upperWord matches U+W*C? at s[j:] and returns its end, or -1.
func upperWord(s string, j int) int {
	e := skip(s, j, cUpper)
	if e == j {
		return -1
	}
	e = skip(s, e, cLower)
	return e + contraction(s, e)
}

// valid returns s with every byte that is not part of a UTF-8 sequence
// replaced by U+FFFD, as regexp2's []rune(s) sees it (and tiktoken-go then
// encodes the replacement's bytes). Valid text comes back as it is.
func valid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+len(s)/2)
	for _, r := range s {
		b = utf8.AppendRune(b, r)
	}
	return string(b)
}
