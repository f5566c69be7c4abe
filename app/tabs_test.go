package app

import (
	"strings"
	"testing"
	"unsafe"

	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/internal/fakeazure"
)

func TestDrawableTabs(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Latin lines keep their tabs: Fyne draws them right.
		{"a\tb\nname\tvalue", "a\tb\nname\tvalue"},
		{"Bob\tתל אביב\tfine", "Bob תל אביב fine"},
		{"日本語\tT1", "日本語  T1"},
		{"👩\u200d👩\u200d👧\tT2", "👩\u200d👩\u200d👧  T2"}, // one glyph, two columns
		{"👍🏽\tok", "👍🏽  ok"},
		{"e\u0301t\u00e9\t→", "e\u0301t\u00e9 →"},
		// Every tabbed line of a text with one that needs it, so that
		// its columns stay in line; lines without a tab as they were.
		{"x\ty\n\tשלום\tz\nend\t1\nplain", "x   y\n    שלום    z\nend 1\nplain"},
		{"x\ty\nend\t1", "x\ty\nend\t1"},
		{"\t\t日", "        日"},
		{"no tab: שלום", "no tab: שלום"},
	} {
		if got := drawableTabs(c.in); got != c.want {
			t.Errorf("drawableTabs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// Text with nothing to change is not copied (a giant paragraph's
	// pieces pass through here on every redraw).
	s := strings.Repeat("a long\tline of Latin text\n", 100)
	if got := drawableTabs(s); unsafe.StringData(got) != unsafe.StringData(s) {
		t.Fatal("text with nothing to change was copied")
	}
}

// TestTabsAfterOtherScriptsAreDrawnAsSpaces: a message and an answer with
// a tab after Hebrew are drawn with spaces there (Fyne drew the text after
// the tab from the wrong place), in every kind of block; what is copied
// keeps the tab.
func TestTabsAfterOtherScriptsAreDrawnAsSpaces(t *testing.T) {
	h := newHarness(t, true)
	table := "Bob\tתל אביב\tfine"
	h.srv.Script(fakeazure.Behaviour{Reply: "Here:\n\n```\n" + table + "\n```\n\nand " + table})
	h.send(table)
	h.ui(func() {
		for id := 0; id < 2; id++ {
			var drawn []string
			walk := func(segs []widget.RichTextSegment) {
				var texts []*widget.TextSegment
				collectText(segs, &texts)
				for _, s := range texts {
					drawn = append(drawn, s.Text)
				}
			}
			for _, b := range h.u.transcript.parsedFor(id).blocks {
				walk(blockSegments(b, linkActions{}))
			}
			all := strings.Join(drawn, "|")
			if strings.Contains(all, "\t") || !strings.Contains(all, "Bob תל אביב fine") {
				t.Errorf("message %d is drawn as %q", id, all)
			}
		}
		if h.u.msgs[0].Content != table || !strings.Contains(h.u.msgs[1].Content, "```\n"+table+"\n```") {
			t.Fatalf("the stored text changed: %q / %q", h.u.msgs[0].Content, h.u.msgs[1].Content)
		}
		// The message's Copy gives the tabs.
		h.u.copyMessage(0)
		if got := h.u.fyneApp.Clipboard().Content(); got != table {
			t.Fatalf("Copy gave %q", got)
		}
	})
	// The plain widget of the user's message draws the spaces too.
	h.ui(func() {
		r, ok := h.u.transcript.onScreen[0]
		if !ok {
			t.Fatal("the question is not on screen")
		}
		for _, o := range r.body.Objects {
			if wt, ok := o.(*wrappedText); ok {
				var texts []*widget.TextSegment
				collectText(wt.Segments, &texts)
				for _, s := range texts {
					if strings.Contains(s.Text, "\t") {
						t.Errorf("the question's widget draws %q", s.Text)
					}
				}
			}
		}
	})
}
