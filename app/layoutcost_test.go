package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/internal/testwait"
)

// lineTexts is the text of each line a rich text shows, read from its
// renderer (test.LaidOutObjects would make a new one, wrapping again).
func lineTexts(w fyne.Widget) []string {
	var out []string
	for _, o := range test.WidgetRenderer(w).Objects() {
		if s, ok := o.(*canvas.Text); ok {
			out = append(out, s.Text)
		}
	}
	return out
}

// TestWrappedTextWrapsOnlyWhenWidthChanges: a height-only resize keeps the
// lines as they were wrapped (the text is not wrapped again: a change
// made without Refresh stays unseen), and a new width wraps again.
func TestWrappedTextWrapsOnlyWhenWidthChanges(t *testing.T) {
	test.NewTempApp(t)
	words := strings.Repeat("lorem ipsum dolor ", 40)
	seg := &widget.TextSegment{Style: widget.RichTextStyleInline, Text: words}
	w := newWrappedText(seg)
	w.wrapAt(300)
	w.Resize(fyne.NewSize(300, w.MinSize().Height))
	before := lineTexts(w)
	if len(before) < 3 {
		t.Fatalf("%d lines at width 300, want the text wrapped", len(before))
	}
	seg.Text = "changed" // not refreshed: only a wrap would show it
	w.Resize(fyne.NewSize(300, w.MinSize().Height+50))
	if got := lineTexts(w); strings.Join(got, "|") != strings.Join(before, "|") {
		t.Fatalf("a height-only resize wrapped again: %q", got)
	}
	seg.Text = words
	w.Resize(fyne.NewSize(600, 10))
	wide := lineTexts(w)
	if len(wide) >= len(before) || strings.Join(wide, " ") == "" {
		t.Fatalf("at width 600: %d lines, at 300: %d", len(wide), len(before))
	}
	if got, want := strings.Join(strings.Fields(strings.Join(wide, " ")), " "), strings.TrimSpace(words); got != want {
		t.Fatalf("wrapped text lost words: %q", got)
	}
}

// TestRowsAreMeasuredAtTheWidthTheListGives: rows are measured at the
// width the list lays its items out at (the whole list: its scroll bar
// floats over them), so a measured height is the height shown and laying
// the row out does not wrap its text again at another width.
func TestRowsAreMeasuredAtTheWidthTheListGives(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: fakeazure.ParagraphOfSize(40 << 10), ChunkTokens: 500})
	h.send("dump")
	h.ui(func() {
		tr := h.u.transcript
		tr.toEnd()
		seen := 0
		for _, w := range shownRows(tr.list) {
			if w.r == nil || tr.onScreen[w.r.item] != w.r {
				continue
			}
			seen++
			e := tr.heights[w.r.item]
			if w.Size().Width != tr.rowWidth() || e.width != tr.rowWidth() {
				t.Fatalf("item %d: laid out %v wide, measured at %v, rowWidth %v", w.r.item, w.Size().Width, e.width, tr.rowWidth())
			}
			if got := w.r.root.MinSize().Height; e.estimated || got != e.h {
				t.Fatalf("item %d: measured %v (estimated %v), shows %v", w.r.item, e.h, e.estimated, got)
			}
		}
		if seen == 0 {
			t.Fatal("no row on screen")
		}
	})
}

// TestSpinnerTurnsUntilTextArrives: the header's spinner shows while the
// model has written nothing, and goes once text streams in (an animation
// redraws the whole window every frame).
func TestSpinnerTurnsUntilTextArrives(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: "first words then nothing", FirstByteDelay: time.Minute})
	h.ui(func() {
		test.Type(h.u.input, "wait")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	spinning := func() (on, text bool) {
		h.ui(func() {
			if len(h.u.msgs) < 2 {
				return
			}
			text = h.u.msgs[1].Content != ""
			if r, ok := h.u.transcript.onScreen[h.u.transcript.firstItem(1)]; ok {
				on = r.spinner.Visible()
			}
		})
		return on, text
	}
	// Esc once the stand-in holds the request (its delayed behaviour is
	// then used up, not left for the next one).
	waitUntil(t, func() bool { on, _ := spinning(); return on && len(h.srv.Requests()) == 1 })
	h.ui(func() { h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) })
	h.settle()

	h.srv.Script(fakeazure.Behaviour{Reply: "first words then nothing", StallAfter: 2})
	h.ui(func() {
		test.Type(h.u.input, "again")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	// The answer being written is the last message, whatever became of
	// the empty one before it.
	answer := -1
	testwait.Poll(10*time.Second, func() bool {
		h.ui(func() {
			last := len(h.u.msgs) - 1
			if last >= 1 && h.u.msgs[last-1].Content == "again" && h.u.msgs[last].Content != "" && h.u.msgs[last].Status == chat.Streaming {
				answer = last
			}
		})
		return answer >= 0
	})
	if answer < 0 {
		t.Fatal("no text streamed in the second answer")
	}
	h.u.bridge.waitIdle()
	h.ui(func() {
		r, ok := h.u.transcript.onScreen[h.u.transcript.firstItem(answer)]
		if !ok {
			t.Fatal("the answer is not on screen")
		}
		if r.spinner.Visible() {
			t.Fatalf("the spinner turns with %q on screen", h.u.msgs[answer].Content)
		}
	})
	h.ui(func() { h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) })
	h.settle()
}

// TestListTemplateBuildsNoRow: the throw-away item the list makes on every
// refresh to learn its default size builds no row, and reports the size
// of an empty one.
func TestListTemplateBuildsNoRow(t *testing.T) {
	h := newHarness(t, false)
	h.ui(func() {
		tr := h.u.transcript
		w := tr.list.CreateItem().(*rowWidget)
		if got, want := w.MinSize(), tr.newRow().root.MinSize(); got != want {
			t.Fatalf("template size %v, an empty row %v", got, want)
		}
		if w.r != nil {
			t.Fatal("measuring the template built its row")
		}
	})
}
