package tokens

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"github.com/dlclark/regexp2"
	tiktoken "github.com/pkoukk/tiktoken-go"
)

// The split patterns exactly as tiktoken-go v0.1.8 compiles them
// (encoding.go), which the scanner must reproduce.
const (
	cl100kPattern = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	o200kPattern  = `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|` +
		`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|` +
		`\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`
)

var encodings = []Encoding{O200K, CL100K}

// The texts where a scanner is most likely to part from the regexp.
var edgeCases = []string{
	"", "'", "''", "'s", "'s at start", "'S", "'LL", "'Ll", "'lL", "'RE", "'Ve", "'M", "'D", "'T",
	"'r", "'rx", "'v", "'l", "'lx", "'res", "HELLO'S", "they'LL", "x'sy", "don't", "DON'T", "I'M",
	"you'RE", "' s", "''s", "'\u017f", "'\u212a", "'s'd'm",
	"  \n\n  x", "   ", "a  ", "a \n", " \n ", "\r\n", "a\r\nb", "\r\n\r\n", "\n \n", "\t\tx",
	"  x", " x", "x  y", "x \t y", "\r", "\r\r\n", "\n\r", "a\n\n\n", "\n\n\nb", " \r\n ",
	"\u00a0", "\u00a0x", "a\u00a0\u00a0b", "\u3000", "\u3000x", "x\u3000\u3000y", "\u0085",
	"a\u0085b", "\u0085\u0085x", "\u2028\u2029", "\u200b", "\ufeff", "x\u2029\u2029", "\u1680a",
	"1", "12", "123", "1234", "12345", "123456", "1234567", "١٢٣٤", "١٢٣٤٥٦٧", "Ⅻ", "½¾",
	"x123y", " 123", "1a", "a1", "٣a", "1.5", "-1", "3²",
	"e\u0301", "\u0301", "\u0301\u0301x", "a \u0301", " \u0301", "\u0301A", "A\u0301", "AB\u0301c",
	"Z͑͒͗͌", "\u0301's", "\u0301'S", "Ǆ", "ǅx", "ǅ", "ʰ", "aʰB", "Aʰ", "ʰA", "\u0301ʰ", "'\u0301",
	"中文", "日本語のテキスト", "한국어", "ABCdef", "ABCDef", "HELLOWorld", "helloWORLD", "aBc",
	"İstanbul", "ǅemal", "ΣΑΣ σας", "Ⅷx", "a\u0301B\u0301c",
	"🚀", "👩‍👩‍👧‍👦", "🏳️‍🌈", "👍🏽", " 👍", "a👍b", "𝐀𝐁𝐜", "𝟙𝟚𝟛𝟜",
	"a/b\n/", "a/b", "//", " //\n", "http://x/y/", "x/\r\n/\n", "!!\n\n", " !!\n\n", ".\r\n",
	" /\n/", "a.\n/x", "?\r\r/", " ?x",
	"\xff", "a\xffb", "\xe4\xb8", "\xed\xa0\x80", "\xff\xfe", "\xc3", "'\xff", " \xff", "\xff's",
	"a\xff\xffb", "\xef\xbf\xbd",
	"<|endoftext|>", "\x00\x01\x1b[31mred\x1b[0m", "tabs\tand\vvertical\fform",
}

// longCases are single pieces long enough for the heap merge.
var longCases = []string{
	strings.Repeat("a", 300), strings.Repeat(" ", 500), strings.Repeat("é", 200),
	strings.Repeat("ab", 200), strings.Repeat("=", 300), strings.Repeat("\n", 300),
	strings.Repeat("ABCdef", 40), strings.Repeat("日本語", 60), strings.Repeat("👍🏽", 30),
	strings.Repeat("\xff", 100), strings.Repeat("1", 200),
}

var (
	refMu        sync.Mutex
	refEncodings = map[Encoding]*tiktoken.Tiktoken{}
	refPatterns  = sync.OnceValue(func() map[Encoding]*regexp2.Regexp {
		return map[Encoding]*regexp2.Regexp{
			CL100K: regexp2.MustCompile(cl100kPattern, regexp2.None),
			O200K:  regexp2.MustCompile(o200kPattern, regexp2.None),
		}
	})
)

// referenceEncoding is tiktoken-go's tokenizer, built once per encoding.
func referenceEncoding(t testing.TB, enc Encoding) *tiktoken.Tiktoken {
	t.Helper()
	refMu.Lock()
	defer refMu.Unlock()
	if tk := refEncodings[enc]; tk != nil {
		return tk
	}
	tk, err := tiktoken.GetEncoding(string(enc))
	if err != nil {
		t.Fatal(err)
	}
	refEncodings[enc] = tk
	return tk
}

func loadEncoder(t testing.TB, enc Encoding) *Encoder {
	t.Helper()
	e, err := Load(enc)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// regexpPieces are regexp2's matches of enc's pattern, cut from the runes
// as tiktoken-go cuts them.
func regexpPieces(enc Encoding, s string) []string {
	runes := []rune(s)
	var out []string
	m, _ := refPatterns()[enc].FindStringMatch(s)
	for m != nil {
		out = append(out, string(runes[m.Index:m.Index+m.Length]))
		m, _ = refPatterns()[enc].FindNextMatch(m)
	}
	return out
}

// scannerPieces are the scanner's pieces of s.
func scannerPieces(e *Encoder, s string) []string {
	s = valid(s)
	var out []string
	for i := 0; i < len(s); {
		j := e.pieceEnd(s, i)
		out = append(out, s[i:j])
		i = j
	}
	return out
}

// checkText holds the encoder to tiktoken-go on s: the same pieces as
// regexp2, the same ids as EncodeOrdinary, and a count that agrees.
func checkText(t testing.TB, e *Encoder, s string) {
	t.Helper()
	if got, want := scannerPieces(e, s), regexpPieces(e.name, s); !slices.Equal(got, want) {
		t.Fatalf("%s: pieces of %q\n got %q\nwant %q (regexp2)", e.name, s, got, want)
	}
	got, want := e.Encode(s), referenceEncoding(t, e.name).EncodeOrdinary(s)
	if !slices.Equal(got, want) && len(got)+len(want) > 0 {
		t.Fatalf("%s: Encode(%q)\n got %v\nwant %v (tiktoken-go)", e.name, s, got, want)
	}
	if n := e.Count(s); n != len(want) {
		t.Fatalf("%s: Count(%q) = %d, tiktoken-go has %d tokens", e.name, s, n, len(want))
	}
}

func TestSplitMatchesRegexp2AndTiktokenGo(t *testing.T) {
	ref := loadReference(t)
	var texts []string
	for _, row := range ref.Texts {
		texts = append(texts, row.Text)
	}
	texts = append(texts, edgeCases...)
	texts = append(texts, longCases...)
	// Every edge case next to every other: a piece's end depends on
	// what follows it.
	for _, a := range edgeCases {
		for _, b := range edgeCases {
			texts = append(texts, a+b)
		}
	}
	for _, enc := range encodings {
		e := loadEncoder(t, enc)
		for _, s := range texts {
			checkText(t, e, s)
		}
	}
}

// TestSplitRandomTexts strings together the runes each alternative of the
// patterns turns on, which random bytes rarely hit: letters of every case
// class, marks, numbers of every kind, the spaces regexp2 and JavaScript
// disagree on, apostrophes and contraction letters, slashes, newlines.
func TestSplitRandomTexts(t *testing.T) {
	atoms := []string{
		"a", "B", "é", "ǅ", "ʰ", "中", "\u0301", "\u0903", "1", "١", "Ⅻ", "½", " ", " ", "\t",
		"\n", "\r", "\u00a0", "\u3000", "\u0085", "\ufeff", "'", "'", "s", "S", "t", "re", "VE",
		"ll", "LL", "d", "m", "/", "!", ".", "😀", "\u200d", "\xff", "𝐀",
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, enc := range encodings {
		e := loadEncoder(t, enc)
		for range 20000 {
			var sb strings.Builder
			for range 1 + rng.IntN(16) {
				sb.WriteString(atoms[rng.IntN(len(atoms))])
			}
			checkText(t, e, sb.String())
		}
	}
}

// TestClassesMatchUnicodeTables: every rune's class is what regexp2 makes
// of \s, \p{L}, \p{N} and the case classes.
func TestClassesMatchUnicodeTables(t *testing.T) {
	buildClasses()
	bit := func(b bool, c uint8) uint8 {
		if b {
			return c
		}
		return 0
	}
	in := func(r rune, tabs ...*unicode.RangeTable) bool { return unicode.In(r, tabs...) }
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := bit(in(r, unicode.L), cLetter) | bit(in(r, unicode.N), cNumber) |
			bit(unicode.IsSpace(r), cSpace) | bit(r == '\r' || r == '\n', cNewline) |
			bit(in(r, unicode.Lu, unicode.Lt, unicode.Lm, unicode.Lo, unicode.M), cUpper) |
			bit(in(r, unicode.Ll, unicode.Lm, unicode.Lo, unicode.M), cLower)
		s := string(r)
		if r >= 0xd800 && r < 0xe000 {
			continue // not representable in UTF-8: valid() makes them U+FFFD
		}
		if got, n := classAt(s, 0); got != want || n != len(s) {
			t.Fatalf("class of %U = %06b (%d bytes), want %06b", r, got, n, want)
		}
	}
}

// TestLongMergeMatchesShort: the heap merge makes the same tokens as
// tiktoken's loop, on pieces from a small alphabet, where merges collide.
func TestLongMergeMatchesShort(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", "e", "n", "t", " ", "é", "\xff"}
	var l longMerge
	for _, enc := range encodings {
		e := loadEncoder(t, enc)
		for range 2000 {
			var sb strings.Builder
			for range 2 + rng.IntN(150) {
				sb.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			piece := sb.String()
			var want []int32
			for _, p := range mergeShort(e, piece, nil) {
				want = append(want, p.start)
			}
			if got := l.merge(e, piece, nil); !slices.Equal(got, want) {
				t.Fatalf("%s: %q merges at %v, tiktoken's loop at %v", enc, piece, got, want)
			}
		}
	}
}

func FuzzSplitMatchesTiktoken(f *testing.F) {
	for _, s := range edgeCases {
		f.Add(s)
	}
	es := []*Encoder{loadEncoder(f, O200K), loadEncoder(f, CL100K)}
	for _, e := range es {
		referenceEncoding(f, e.name)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, e := range es {
			checkText(t, e, s)
		}
	})
}

// mixedText is the benchmark's text: the reference texts over and over,
// to at least size bytes (tools/bench/counttext writes the same).
func mixedText(t testing.TB, size int) string {
	ref := loadReference(t)
	var sb []byte
	for len(sb) < size {
		for _, r := range ref.Texts {
			sb = append(sb, r.Text...)
			sb = append(sb, ' ')
		}
	}
	return string(sb)
}

// TestAllocationsPerMB bounds what counting and encoding allocate: at most
// 10 MB per MB of text (tiktoken-go allocated over 100).
func TestAllocationsPerMB(t *testing.T) {
	text := mixedText(t, 1<<20)
	mb := float64(len(text)) / (1 << 20)
	for _, enc := range encodings {
		e := loadEncoder(t, enc)
		for name, run := range map[string]func(){
			"Count":  func() { e.Count(text) },
			"Encode": func() { e.Encode(text) },
		} {
			run()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			run()
			runtime.ReadMemStats(&after)
			perMB := float64(after.TotalAlloc-before.TotalAlloc) / (1 << 20) / mb
			t.Logf("%s %s: %.2f MB allocated per MB of text", enc, name, perMB)
			if perMB > 10 {
				t.Errorf("%s %s allocates %.1f MB per MB of text, more than 10", enc, name, perMB)
			}
		}
	}
}
