package app

import (
	"bytes"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// fyneFonts resolves a character to the first of the fonts Fyne draws
// regular text with that has it: the theme's font, then
// its emoji and symbol fonts (painter.CachedFontFace; Fyne then asks the
// system's fonts, which this test leaves out: they differ by machine).
type fyneFonts []*font.Face

func (f fyneFonts) ResolveFace(r rune) *font.Face {
	for _, face := range f {
		if _, ok := face.NominalGlyph(r); ok {
			return face
		}
	}
	return f[0]
}

func loadFyneFonts(t *testing.T) fyneFonts {
	t.Helper()
	res := []fyne.Resource{theme.DefaultTextFont()}
	if e := theme.DefaultEmojiFont(); e != nil {
		res = append(res, e)
	}
	res = append(res, theme.DefaultSymbolFont())
	var out fyneFonts
	for _, r := range res {
		f, err := font.ParseTTF(bytes.NewReader(r.Content()))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

// missingGlyphs shapes s as Fyne draws one text object (runs split by
// font, script and direction, each shaped with HarfBuzz) and counts the
// glyphs its fonts do not have (glyph 0, drawn as a box).
func missingGlyphs(fonts fyneFonts, s string) int {
	runes := []rune(s)
	in := shaping.Input{
		Text: runes, RunStart: 0, RunEnd: len(runes),
		Direction: di.DirectionLTR, Face: fonts[0], Size: fixed.I(14),
		Script: language.Latin, Language: language.NewLanguage("en"),
	}
	var seg shaping.Segmenter
	var shaper shaping.HarfbuzzShaper
	n := 0
	for _, run := range seg.Split(in, fonts) {
		for _, g := range shaper.Shape(run).Glyphs {
			if g.GlyphID == 0 {
				n++
			}
		}
	}
	return n
}

// An arrow (or another character from Fyne's symbol font) before a space
// draws no box: its segment ends after it, and the space is drawn with
// the theme's font. The same text as one segment draws one, which is
// what the split is for.
func TestNoBoxAfterAFallbackCharacter(t *testing.T) {
	fonts := loadFyneFonts(t)
	for _, text := range []string{"Azure portal → your resource → Keys", "← back ↑ up ↓ down", "in → out\u00a0→\u2003end"} {
		if missingGlyphs(fonts, text) == 0 {
			t.Fatalf("%q as one text draws no box: the fonts changed, and this test no longer shows the fix", text)
		}
		var joined strings.Builder
		for _, p := range splitFallbacks(&widget.TextSegment{Style: widget.RichTextStyleInline, Text: text}) {
			if n := missingGlyphs(fonts, p.Text); n > 0 {
				t.Errorf("%q: the piece %q draws %d boxes", text, p.Text, n)
			}
			joined.WriteString(p.Text)
		}
		if joined.String() != text {
			t.Errorf("the pieces of %q join to %q", text, joined.String())
		}
	}
}

// Text without a character from the symbol font before a space is one
// segment, as it was: accents (the theme's font), Hebrew and Arabic (a
// right-to-left line cut into segments would be laid out word by word
// from the left), CJK, emoji and math signs (system and emoji fonts, which
// have a space), a symbol at the end of a line or before a letter. A cut
// segment's pieces keep its style and only the last may end the line.
func TestFallbackCutsOnlyAfterASymbolFontCharacterBeforeASpace(t *testing.T) {
	for _, s := range []string{"café au lait — très bien", "plain ascii text", "ends with →", "a→b", "→\n",
		"שלום עולם מה שלומך", "مرحبا بالعالم كيف حالك", "你好 世界 再见", "한국어 문장 입니다", "🙂 smile 🚀 launch", "x ≤ y ≈ z ✓ done"} {
		if got := splitFallbacks(&widget.TextSegment{Style: widget.RichTextStyleParagraph, Text: s}); len(got) != 1 {
			t.Errorf("%q was cut into %d pieces", s, len(got))
		}
	}
	heading := widget.RichTextStyleHeading
	got := splitFallbacks(&widget.TextSegment{Style: heading, Text: "In → out → done"})
	var texts []string
	for i, p := range got {
		texts = append(texts, p.Text)
		want := heading
		want.Inline = i < len(got)-1 || heading.Inline
		if p.Style != want {
			t.Errorf("piece %d has style %+v, want %+v", i, p.Style, want)
		}
	}
	if strings.Join(texts, "|") != "In →| out →| done" {
		t.Errorf("pieces %q", texts)
	}
}

// Markdown is cut wherever its text is: paragraphs, list items (a cut
// item stays one bullet) and table cells; find still finds text across
// the cut.
func TestMarkdownIsCutAfterFallbacks(t *testing.T) {
	segs := markdownSegments("Step → next\n\n- one → two\n- three\n\n| a → b | c |\n|---|---|\n| d → e | f |\n", linkActions{}, false)
	var list *widget.ListSegment
	var table *widget.TableSegment
	texts := 0
	for _, s := range segs {
		switch s := s.(type) {
		case *widget.ListSegment:
			list = s
		case *widget.TableSegment:
			table = s
		case *widget.TextSegment:
			if strings.Contains(s.Text, "→") && strings.Contains(s.Text, "→ ") {
				t.Errorf("paragraph segment %q holds an arrow before a space", s.Text)
			}
			texts++
		}
	}
	if texts < 2 {
		t.Errorf("the paragraph \"Step → next\" is %d text segments, want it cut in two", texts)
	}
	if list == nil || len(list.Items) != 2 {
		t.Fatalf("list: %#v", list)
	}
	if table == nil || len(table.Headers[0]) < 2 || len(table.Rows[0][0]) < 2 {
		t.Fatalf("table cells were not cut: %#v", table)
	}
	var item strings.Builder
	for _, s := range walkText(list.Items[:1]) {
		if strings.Contains(s, "→ ") {
			t.Errorf("list item segment %q holds an arrow before a space", s)
		}
		item.WriteString(s)
	}
	if item.String() != "one → two" {
		t.Errorf("the first item reads %q", item.String())
	}
	found := highlight(markdownSegments("Step → next", linkActions{}, false), newNeedles([]string{"→ next"}, false), 0)
	var matched string
	for _, s := range found {
		if ts, ok := s.(*widget.TextSegment); ok && ts.Style.ColorName == currentColor {
			matched += ts.Text
		}
	}
	if matched != "→ next" {
		t.Errorf("find highlights %q across the cut, want all of \"→ next\"", matched)
	}
	// A list item that is a text segment of its own (Fyne's markdown
	// makes paragraphs of them; other segments need not) stays one
	// bullet: its pieces become a paragraph.
	items := fallbackSegments([]widget.RichTextSegment{&widget.ListSegment{Items: []widget.RichTextSegment{
		&widget.TextSegment{Style: widget.RichTextStyleParagraph, Text: "one → two"},
		&widget.TextSegment{Style: widget.RichTextStyleParagraph, Text: "three"},
	}}}, false)[0].(*widget.ListSegment).Items
	if len(items) != 2 {
		t.Fatalf("the list has %d items, want 2", len(items))
	}
	if p, ok := items[0].(*widget.ParagraphSegment); !ok || len(p.Texts) != 2 {
		t.Errorf("the cut item is %#v, want a paragraph of two pieces", items[0])
	}
}

// walkText lists the texts of segs' text segments, nested ones included.
func walkText(segs []widget.RichTextSegment) []string {
	var out []string
	for _, s := range segs {
		switch s := s.(type) {
		case *widget.TextSegment:
			out = append(out, s.Text)
		case *widget.ParagraphSegment:
			out = append(out, walkText(s.Texts)...)
		case *widget.ListSegment:
			out = append(out, walkText(s.Items)...)
		}
	}
	return out
}

// A label of the user's or the model's words (a chat's title, a search
// snippet) is cut after an arrow too, and when it is too long for its
// width it ends in "…" inside it, as Fyne's labels do (Fyne's own ellipsis
// lets every piece after the first run on past the edge).
func TestLabelsCutAfterFallbacksEndInsideTheirWidth(t *testing.T) {
	test.NewTempApp(t)
	const text = "Azure portal → your resource → Keys ← back"
	for _, l := range []*dimLabel{newTextLabel(text), newDimLabel(text)} {
		l.Truncation = fyne.TextTruncateEllipsis
		w := test.NewWindow(l)
		w.Resize(fyne.NewSize(400, 100))
		l.Resize(fyne.NewSize(400, 40))
		texts := func() (all string, right float32) {
			for _, o := range test.WidgetRenderer(l.provider).Objects() {
				if tx, ok := o.(*canvas.Text); ok && tx.Visible() {
					if strings.Contains(tx.Text, "→ ") || strings.Contains(tx.Text, "← ") {
						t.Errorf("%q is drawn as one text", tx.Text)
					}
					all += tx.Text
					right = max(right, tx.Position().X+tx.MinSize().Width)
				}
			}
			return all, right
		}
		if all, _ := texts(); all != text {
			t.Errorf("at 400 wide the label reads %q", all)
		}
		l.Resize(fyne.NewSize(200, 40))
		all, right := texts()
		if !strings.HasSuffix(all, "…") || !strings.HasPrefix(text, strings.TrimSuffix(all, "…")) || len(all) < len("Azure portal") {
			t.Errorf("at 200 wide the label reads %q", all)
		}
		if right > 200 {
			t.Errorf("at 200 wide the text ends at %.1f", right)
		}
		if min := l.MinSize().Width; min > 60 {
			t.Errorf("the label needs %.1f wide: a narrow sidebar could not shrink it", min)
		}
		w.Close()
	}
}
