package app

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
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
