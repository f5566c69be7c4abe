package app

import (
	"math/rand/v2"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// plainSamples are texts whose breaks are compared with Fyne's: prose,
// runs of spaces, words longer than a line, line breaks, non-Latin and
// joining scripts, combining marks, kerning pairs, emoji, tabs and bytes
// that are not UTF-8.
func plainSamples() []string {
	r := rand.New(rand.NewPCG(7, 12))
	words := []string{"a", "of", "the", "budget", "keeps", "system", "message", "tokens", "Überprüfung", "naïve", "WAVE", "AT&T", "x86_64",
		"\"quoted\"", "(paren)", "42,195.5", "https://example.invalid/a/very/long/path?query=value&other=thing", "日本語の文章", "مرحبا", "🙂", "👩‍💻",
		// Kerning, combining marks, sequences, joining scripts: widths
		// that do not add up.
		"AVAVAVAV", "Type", "To.", "e\u0301te\u0301", "Z\u0335\u0321\u0322\u0348a\u0334l\u0336g\u0337o", "☺️", "❤️", "नमस्ते", "दुनिया", "שלום", "สวัสดีชาวโลก", "a\tb"}
	var samples []string
	for n := 0; n < 16; n++ {
		var b strings.Builder
		for b.Len() < 1800 {
			b.WriteString(words[r.IntN(len(words))])
			switch r.IntN(40) {
			case 0:
				b.WriteString("  ")
			case 1:
				b.WriteString("\n")
			case 2:
				b.WriteString("\u00a0")
			default:
				b.WriteString(" ")
			}
		}
		samples = append(samples, b.String())
	}
	return append(samples,
		strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo", 40), // base64: no space at all
		strings.Repeat("長い日本語の段落には空白がありません。", 40),
		"short",
		" leading space and trailing space ",
		"",
		"line one\n\nline three after an empty line",
		strings.Repeat("word ", 300),
		"bytes \xff\xfe that are not UTF-8 "+strings.Repeat("\xffabc", 200),
		"\xff",
		strings.Repeat("name\tvalue\t\tcount 12\tlonger_column_name\t3.14159 ", 30),
	)
}

// TestPlainBreaksAreFynes: a plain piece shows exactly the lines Fyne's
// word wrap makes of the same text at the same width.
func TestPlainBreaksAreFynes(t *testing.T) {
	test.NewTempApp(t)
	for si, text := range plainSamples() {
		for _, width := range []float32{90, 150, 233.5, 301, 400, 517, 717} {
			// What it draws: a tab in a line of other scripts as spaces.
			fyneText := widget.NewRichText(&widget.TextSegment{Style: widget.RichTextStyleInline, Text: drawableTabs(text)})
			fyneText.Wrapping = fyne.TextWrapWord
			fyneText.Resize(fyne.NewSize(width, 100))
			ours := newPlainText(text)
			ours.Resize(fyne.NewSize(width, 100))
			want, got := lineTexts(fyneText), lineTexts(ours)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				for i := range min(len(got), len(want)) {
					if got[i] != want[i] {
						t.Fatalf("sample %d at width %v: row %d is %q, Fyne's %q (%d rows, Fyne %d)", si, width, i, got[i], want[i], len(got), len(want))
					}
				}
				t.Fatalf("sample %d at width %v: %d rows, Fyne %d", si, width, len(got), len(want))
			}
			if got, want := ours.MinSize(), fyneText.MinSize(); got != want {
				t.Fatalf("sample %d at width %v: minimum size %v, Fyne's %v", si, width, got, want)
			}
		}
	}
}

// TestPlainLinesFit: text whose widths do not add up is never drawn wider
// than the width it has, and loses no text: tabs (their width depends on
// where they fall, and next to right-to-left text on more), and emoji
// sequences, which Fyne's own wrap, measuring them cut, may break before
// where they fit whole.
func TestPlainLinesFit(t *testing.T) {
	test.NewTempApp(t)
	text := strings.Repeat("name\tvalue\t\tcount 12\tlonger_column_name\t3.14159 שלום a\tb 👨‍👩‍👧‍👦  x86_64 ", 60)
	for _, width := range []float32{90, 150, 333, 500} {
		p := newPlainText(text)
		p.Resize(fyne.NewSize(width, 100))
		avail := width - 2*theme.InnerPadding()
		rows := lineTexts(p)
		for i, row := range rows {
			if w := fyne.MeasureText(row, theme.TextSize(), fyne.TextStyle{}).Width; w > avail && len([]rune(row)) > 1 {
				t.Fatalf("width %v: row %d (%q) is %v wide, more than %v", width, i, row, w, avail)
			}
		}
		// A word wider than the line is cut: compare all but the spaces.
		if got, want := strings.Join(strings.Fields(strings.Join(rows, "")), ""), strings.Join(strings.Fields(text), ""); got != want {
			t.Fatalf("width %v: the rows lost text", width)
		}
	}
}

// TestPlainTextFollowsItsWidthAndText: a new width breaks the lines again,
// and new text (a growing piece) shows at once, broken at the width the
// widget has.
func TestPlainTextFollowsItsWidthAndText(t *testing.T) {
	test.NewTempApp(t)
	text := strings.Repeat("lorem ipsum dolor ", 40)
	p := newPlainText(text)
	p.wrapAt(300)
	p.Resize(fyne.NewSize(300, p.MinSize().Height))
	narrow := lineTexts(p)
	p.Resize(fyne.NewSize(600, 10))
	wide := lineTexts(p)
	if len(narrow) < 3 || len(wide) >= len(narrow) {
		t.Fatalf("%d rows at width 300, %d at 600", len(narrow), len(wide))
	}
	p.setPlain(text + "sit amet")
	rows := lineTexts(p)
	if last := rows[len(rows)-1]; !strings.HasSuffix(last, "sit amet") {
		t.Fatalf("the last row after more text is %q", last)
	}
	if got := lineTexts(p); len(got) < len(wide) {
		t.Fatalf("more text made fewer rows: %d, was %d", len(got), len(wide))
	}
}

// TestPlainTextAtTinyWidths: without room for text (no width beyond the
// paddings) the lines are not broken, as Fyne shows them; with room for
// less than a character each character is a line of its own; either way
// every character is shown.
func TestPlainTextAtTinyWidths(t *testing.T) {
	test.NewTempApp(t)
	text := "wide 日本 🙂 \xff words\tand  spaces \nsecond line"
	want := strings.Join(strings.Fields(string([]rune(text))), "")
	for _, width := range []float32{0, 1, 2 * theme.InnerPadding(), 2*theme.InnerPadding() + 3} {
		p := newPlainText(text)
		p.Resize(fyne.NewSize(width, 100))
		rows := lineTexts(p)
		if got := strings.Join(strings.Fields(strings.Join(rows, "")), ""); got != want {
			t.Fatalf("width %v: rows %q, want all of %q", width, rows, want)
		}
		if width <= 2*theme.InnerPadding() {
			if got := strings.Join(rows, "\n"); got != string([]rune(drawableTabs(text))) {
				t.Fatalf("width %v, no room: rows %q, want the lines unbroken", width, rows)
			}
			continue
		}
		for _, row := range rows {
			if n := len([]rune(strings.TrimSpace(row))); n > 1 {
				t.Fatalf("width %v: row %q holds %d characters, want one a row", width, row, n)
			}
		}
	}
}

// FuzzBreakPlain: any text up to a piece's size at any width (none,
// fractions) breaks without a panic, keeps every character that is not a
// space (bytes that are not UTF-8 become U+FFFD, as Fyne draws them), and
// with room makes no line wider than the width but a line of one
// character.
func FuzzBreakPlain(f *testing.F) {
	for _, s := range plainSamples()[:3] {
		f.Add(s, int16(932))
	}
	f.Add("name\tvalue\t\tשלום a\tb 👨‍👩‍👧‍👦  x", int16(360))
	f.Add("\xff\xfe  Z\u0335\u0321a e\u0301 ", int16(-5))
	test.NewTempApp(f)
	size := theme.TextSize()
	f.Fuzz(func(t *testing.T, text string, width int16) {
		if len(text) > pieceBytes {
			return // no plain piece is longer
		}
		avail := float32(width%3200) / 4 // -800 to 800, in quarters
		got := breakPlain(text, avail, size)
		nonSpace := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if nonSpace(got) != nonSpace(string([]rune(text))) {
			t.Fatalf("breaking %q at %v lost or changed text: %q", text, avail, got)
		}
		if avail <= 0 {
			if got != string([]rune(text)) {
				t.Fatalf("without room %q came back as %q", text, got)
			}
			return
		}
		for _, line := range strings.Split(got, "\n") {
			if w := fyne.MeasureText(line, size, fyne.TextStyle{}).Width; w > avail && len([]rune(line)) > 1 {
				t.Fatalf("breaking %q at %v: line %q is %v wide", text, avail, line, w)
			}
		}
	})
}
