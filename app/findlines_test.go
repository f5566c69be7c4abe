package app

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/internal/fakeazure"
)

// TestFindKeepsCodeLinesWhole: a code block with a match on every line is
// drawn with the lines it had, at the same places (Fyne broke every other
// line in two once a highlight cut the block into segments).
func TestFindKeepsCodeLinesWhole(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(themeFor("light"))
	var lines []string
	for i := 1; i <= 6; i++ {
		lines = append(lines, fmt.Sprintf("line %05d: the quick brown fox jumps over the lazy dog", i))
	}
	text := strings.Join(lines, "\n")
	rows := func(segs []widget.RichTextSegment, width float32) []float32 {
		rt := widget.NewRichText(segs...)
		rt.Wrapping = fyne.TextWrapBreak
		w := test.NewWindow(rt)
		defer w.Close()
		rt.Resize(fyne.NewSize(width, 1000))
		var ys []float32
		for _, o := range test.LaidOutObjects(rt) {
			if tx, ok := o.(*canvas.Text); ok && tx.Text != "" && !slices.Contains(ys, tx.Position().Y) {
				ys = append(ys, tx.Position().Y)
			}
		}
		slices.Sort(ys)
		return ys
	}
	width := widget.NewRichText(&widget.TextSegment{Style: codeStyle, Text: lines[0]}).MinSize().Width + 30
	plain := rows([]widget.RichTextSegment{&widget.TextSegment{Style: codeStyle, Text: text}}, width)
	marked := rows(highlight([]widget.RichTextSegment{&widget.TextSegment{Style: codeStyle, Text: text}}, newNeedles([]string{"lazy", "dog"}, false), 0), width)
	if len(plain) != 6 || !slices.Equal(plain, marked) {
		t.Fatalf("lines at %v with highlights, %v without", marked, plain)
	}
}

// TestFindShowsTheMatchInALongCodeBlock: in a code block of 800 lines (a
// list item is about 8 KB of it, a block 2 KB), the line of the current
// match is in view, not only the start of its block or item (it was 15 to
// 60 lines below the list's end).
func TestFindShowsTheMatchInALongCodeBlock(t *testing.T) {
	h := findHarness(t)
	var reply strings.Builder
	reply.WriteString("```\n")
	for i := 1; i <= 800; i++ {
		fmt.Fprintf(&reply, "line %05d: the quick brown fox jumps over the lazy dog\n", i)
	}
	reply.WriteString("```\n")
	h.srv.Script(fakeazure.Behaviour{Reply: reply.String()})
	h.send("a long listing")
	// The size walkthroughs saw it in: the list shorter than a block.
	h.ui(func() { h.u.win.Resize(fyne.NewSize(1000, 520)) })
	for _, n := range []int{760, 790, 725, 100, 3, 800} {
		want := fmt.Sprintf("line %05d:", n)
		h.ui(func() {
			h.u.openFind()
			h.u.find.entry.SetText(want)
		})
		h.waitCount("1 of 1")
		h.ui(func() {
			tr := h.u.transcript
			d := h.u.fyneApp.Driver()
			top := d.AbsolutePositionForObject(tr.list).Y
			found := false
			for _, r := range tr.onScreen {
				if r.item < 0 {
					continue
				}
				var walk func(o fyne.CanvasObject)
				walk = func(o fyne.CanvasObject) {
					switch w := o.(type) {
					case *fyne.Container:
						for _, c := range w.Objects {
							walk(c)
						}
					case *wrappedText:
						for _, o := range test.LaidOutObjects(w) {
							tx, ok := o.(*canvas.Text)
							if !ok || tx.Text != want {
								continue
							}
							found = true
							y := d.AbsolutePositionForObject(w).Y + tx.Position().Y - top
							if y < 0 || y+tx.Size().Height > tr.list.Size().Height {
								t.Errorf("%s is drawn %v below the list's top, the list %v high", want, y, tr.list.Size().Height)
							}
						}
					}
				}
				walk(r.body)
			}
			if !found {
				t.Errorf("%s is not in a row on screen", want)
			}
		})
	}
}

// TestFindIgnoresAccents: find matches as the history search does and
// browsers' find do, accents aside: "é" typed (one character) finds an "é"
// written as e and a combining accent, and the reverse; "e" finds both;
// the match takes the accents after its last letter. A Hangul syllable is
// not taken for the letters it is made of; a kana and its voicing mark
// are the one kana they make.
func TestFindIgnoresAccents(t *testing.T) {
	decomposed := "caf" + "e\u0301" + " au lait"
	for _, c := range []struct {
		text, word string
		want       []string
	}{
		{decomposed, "café", []string{"cafe\u0301"}},
		{"un café noir", "cafe\u0301", []string{"café"}},
		{"résumé, resume, RÉSUMÉ", "resume", []string{"résumé", "resume", "RÉSUMÉ"}},
		{"Ångström and A\u030angstro\u0308m", "ångström", []string{"Ångström", "A\u030angstro\u0308m"}},
		{"강 가 간", "가", []string{"가"}},
		// Marks that make other letters are not accents.
		{"か が", "が", []string{"が"}},
		{"ハク バグ", "バグ", []string{"バグ"}},
		{"ไม้ ไม่", "ไม่", []string{"ไม่"}},
		{"क कु", "कु", []string{"कु"}},
		{"e\u0301\u0301x", "e", []string{"e\u0301\u0301"}},
		// A mark that makes one letter with the one before it is that
		// letter (macOS writes が as か and U+3099 in file names), typed
		// or in the text; alone it still is not an accent.
		{"ファイル: か\u3099いこく.txt", "がいこく", []string{"か\u3099いこく"}},
		{"がいこく", "か\u3099いこく", []string{"がいこく"}},
		{"か\u3099 か", "か", []string{"か"}},
		{"ハ\u309Aン パン", "パン", []string{"ハ\u309Aン", "パン"}},
		{"see \u1112\u1161\u11ab\u1100\u1173\u11af.txt", "한글", []string{"\u1112\u1161\u11ab\u1100\u1173\u11af"}},
		{"한글 한", "\u1112\u1161\u11ab", []string{"한", "한"}},
	} {
		if got := foundIn(newNeedles([]string{c.word}, false), c.text); got != strings.Join(c.want, "|") {
			t.Errorf("%q in %q: %q, want %q", c.word, c.text, got, c.want)
		}
	}
}

// TestFindBarKeepsItsWidth: the find entry keeps its width as the count
// beside it changes ("No matches", "1 of 2"): it jumped as it was typed in.
func TestFindBarKeepsItsWidth(t *testing.T) {
	h := findHarness(t)
	h.send("a message with a word in it")
	widths := map[string]float32{}
	for _, q := range []string{"zzz", "word", "zzz"} {
		h.ui(func() {
			h.u.openFind()
			h.u.find.entry.SetText(q)
		})
		waitUntil(t, func() bool {
			var ok bool
			h.ui(func() { ok = h.u.find.key == q })
			return ok
		})
		// The bar's least width: the entry's, which is fixed, and the
		// count's and the buttons' beside it.
		h.ui(func() { widths[h.u.find.count.Text] = h.u.find.bar.MinSize().Width })
	}
	if len(widths) != 2 || len(slices.Compact(slices.Sorted(maps.Values(widths)))) != 1 {
		t.Fatalf("the find entry's width follows the count: %v", widths)
	}
}

// TestSearchWordsInSpacelessTextAreHighlighted: the history search finds a
// Japanese word inside a run of Japanese text, and the message it opens
// highlights it there (the highlight wanted a word's start, which the
// search's other words still do).
func TestSearchWordsInSpacelessTextAreHighlighted(t *testing.T) {
	if got := foundIn(newNeedles([]string{"テスト", "go"}, true), "日本語のテスト, algorithm, go"); got != "テスト|go" {
		t.Fatalf("highlighted %q", got)
	}
}

// foundIn is what n finds in text, the matches joined by "|".
func foundIn(n needles, text string) string {
	var got []string
	for _, r := range n.findAll(text) {
		got = append(got, text[r[0]:r[1]])
	}
	return strings.Join(got, "|")
}
