package app

import (
	"bytes"
	"sync"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/font/opentype/tables"
)

// Fyne draws a character its text font lacks with a fallback font, and
// go-text keeps a space in the run of the character before it (a space
// never changes the font). Fyne's symbol font, where arrows (← ↑ → ↓ ↵)
// and a few keyboard signs (⌘ ⌫) come from, has no space: a model's
// "A → B" showed a box after the arrow. A text segment ends after such a
// character when a space follows, so the space starts a run of its own, in
// the theme's font; Fyne lays out consecutive segments as one line of text.
// Only there: other characters the text font lacks (Hebrew, Arabic, CJK,
// emoji, most math signs) come from fonts that have a space, and cutting
// after each of their words would lay a right-to-left line out word by
// word from the left.

// fallbackFonts holds the character maps of the fonts Fyne draws regular
// text with, in the order it tries them: the theme's text font (bold and
// italic cover the same characters), its emoji font and its symbol font.
// They are read on first use (only a text with a non-ASCII character
// before a space needs them): about 40 µs each, a few KB kept.
// (Code needs no cut: the monospace font has the symbol font's
// characters.)
var fallbackFonts struct {
	once                sync.Once
	text, emoji, symbol font.Cmap
}

func loadFallbackFonts() {
	fallbackFonts.text = cmapOf(theme.DefaultTextFont())
	if e := theme.DefaultEmojiFont(); e != nil {
		fallbackFonts.emoji = cmapOf(e)
	}
	fallbackFonts.symbol = cmapOf(theme.DefaultSymbolFont())
}

// fromSymbolFont reports whether Fyne draws r from its symbol font: the
// text font and the emoji font lack it, the symbol font has it.
func fromSymbolFont(r rune) bool {
	fallbackFonts.once.Do(loadFallbackFonts)
	f := &fallbackFonts
	if f.text == nil || f.symbol == nil {
		return false
	}
	if _, ok := f.text.Lookup(r); ok {
		return false
	}
	if f.emoji != nil {
		if _, ok := f.emoji.Lookup(r); ok {
			return false
		}
	}
	_, ok := f.symbol.Lookup(r)
	return ok
}

// cmapOf reads res's character map; nil if it cannot be read (then no
// segment is split: text shows as it did).
func cmapOf(res fyne.Resource) font.Cmap {
	ld, err := opentype.NewLoader(bytes.NewReader(res.Content()))
	if err != nil {
		return nil
	}
	raw, err := ld.RawTable(opentype.MustNewTag("cmap"))
	if err != nil {
		return nil
	}
	parsed, _, err := tables.ParseCmap(raw)
	if err != nil {
		return nil
	}
	cmap, _, err := font.ProcessCmap(parsed, 0)
	if err != nil {
		return nil
	}
	return cmap
}

// fallbackCuts returns the byte offsets in s just after each character
// from Fyne's symbol font that a space follows: where a segment of s must
// end. Only a non-ASCII character before a space is looked up (a growing
// answer's text passes here on every redraw).
func fallbackCuts(s string) []int {
	var cuts []int
	prev := rune(-1)
	for i, r := range s {
		space := r == ' ' || (r >= utf8.RuneSelf && unicode.Is(unicode.Zs, r))
		if space && prev >= utf8.RuneSelf && prev != utf8.RuneError && fromSymbolFont(prev) {
			cuts = append(cuts, i)
		}
		prev = r
	}
	return cuts
}

// splitFallbacks returns seg cut where fallbackCuts says, as segments of
// its style; only the last may end the line (keeps seg's Inline), the
// others are inline. Without a cut it returns seg alone.
func splitFallbacks(seg *widget.TextSegment) []*widget.TextSegment {
	if seg.Style.TextStyle.Monospace {
		return []*widget.TextSegment{seg}
	}
	cuts := fallbackCuts(seg.Text)
	if len(cuts) == 0 {
		return []*widget.TextSegment{seg}
	}
	out := make([]*widget.TextSegment, 0, len(cuts)+1)
	from := 0
	for _, c := range cuts {
		style := seg.Style
		style.Inline = true
		out = append(out, &widget.TextSegment{Style: style, Text: seg.Text[from:c]})
		from = c
	}
	return append(out, &widget.TextSegment{Style: seg.Style, Text: seg.Text[from:]})
}

// fallbackSegments applies splitFallbacks to every text segment in segs,
// nested ones included. A list item that is cut becomes a paragraph of
// its pieces: each segment of a list's items is a bullet of its own.
func fallbackSegments(segs []widget.RichTextSegment, items bool) []widget.RichTextSegment {
	out := segs[:0:0]
	for _, s := range segs {
		switch t := s.(type) {
		case *widget.TextSegment:
			parts := splitFallbacks(t)
			switch {
			case len(parts) == 1:
				out = append(out, t)
			case items:
				texts := make([]widget.RichTextSegment, len(parts))
				for i, p := range parts {
					texts[i] = p
				}
				out = append(out, &widget.ParagraphSegment{Texts: texts})
			default:
				for _, p := range parts {
					out = append(out, p)
				}
			}
		case *widget.ParagraphSegment:
			t.Texts = fallbackSegments(t.Texts, false)
			out = append(out, t)
		case *widget.ListSegment:
			t.Items = fallbackSegments(t.Items, true)
			out = append(out, t)
		case *widget.TableSegment:
			for i := range t.Headers {
				t.Headers[i] = fallbackSegments(t.Headers[i], false)
			}
			for _, row := range t.Rows {
				for i := range row {
					row[i] = fallbackSegments(row[i], false)
				}
			}
			out = append(out, t)
		default:
			out = append(out, s)
		}
	}
	return out
}
