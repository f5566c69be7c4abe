package app

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

// marked is a highlighted piece of text in a row.
type marked struct {
	text    string
	current bool
}

// highlights is what find highlights in the body of row r, in reading
// order, read from the segments drawn (their style), not from pixels.
func highlights(r *row) []marked {
	var segs []*widget.TextSegment
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *wrappedText:
			collectText(w.Segments, &segs)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(r.body)
	var out []marked
	after := false // the segment before was highlighted too
	for _, s := range segs {
		if (s.Style.ColorName != matchColor && s.Style.ColorName != currentColor) || !s.Style.TextStyle.Bold {
			after = false
			continue
		}
		cur := s.Style.ColorName == currentColor && s.Style.TextStyle.Underline
		if n := len(out); after && out[n-1].current == cur {
			out[n-1].text += s.Text // one match across segments (a word half in bold)
			continue
		}
		out = append(out, marked{text: s.Text, current: cur})
		after = true
	}
	return out
}

// collectText appends every text segment of segs, walking into
// paragraphs, lists and tables, without changing them.
func collectText(segs []widget.RichTextSegment, out *[]*widget.TextSegment) {
	for _, s := range segs {
		switch t := s.(type) {
		case *widget.TextSegment:
			*out = append(*out, t)
		case *widget.ParagraphSegment:
			collectText(t.Texts, out)
		case *widget.ListSegment:
			collectText(t.Items, out)
		case *tableSegment: // as the rows draw a table
			collectText([]widget.RichTextSegment{t.TableSegment}, out)
		case *widget.TableSegment:
			for _, c := range t.Headers {
				collectText(c, out)
			}
			for _, row := range t.Rows {
				for _, c := range row {
					collectText(c, out)
				}
			}
		}
	}
}

// findHarness is a harness whose find searches have ended when the test does.
func findHarness(t *testing.T) *harness {
	h := newHarness(t, true)
	t.Cleanup(h.u.find.wg.Wait) // before the window closes (cleanups run last first)
	return h
}

// waitCount waits until the find bar says want.
func (h *harness) waitCount(want string) {
	h.t.Helper()
	waitUntil(h.t, func() bool {
		var ok bool
		// The search for the whole text, not one for what was typed before.
		h.ui(func() { ok = h.u.find.count.Text == want && h.u.find.key == h.u.find.entry.Text })
		return ok
	})
}

func (h *harness) findKey(name fyne.KeyName, shift bool) {
	h.ui(func() {
		e := h.u.find.entry
		if shift {
			e.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
		}
		e.TypedKey(&fyne.KeyEvent{Name: name})
		if shift {
			e.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
		}
	})
}

// pressShortcut does what the desktop driver does first with a shortcut,
// even while an entry has the focus: it runs the main menu item that has
// it (Fyne's test canvas does not take shortcuts).
func pressShortcut(w fyne.Window, sc fyne.Shortcut) bool {
	for _, m := range w.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == sc.ShortcutName() && it.Action != nil {
				it.Action()
				return true
			}
		}
	}
	return false
}

// onScreen reports whether list item i is drawn in the list's viewport.
func (h *harness) onScreen(i int) bool {
	var ok bool
	h.ui(func() {
		l := h.u.transcript.list
		d := h.u.fyneApp.Driver()
		top := d.AbsolutePositionForObject(l).Y
		bottom := top + l.Size().Height
		for _, w := range shownRows(l) {
			if w.r != nil && w.r.item == i {
				y := d.AbsolutePositionForObject(w).Y
				ok = ok || (y+w.Size().Height > top && y < bottom)
			}
		}
	})
	return ok
}

func TestFindBarHighlightsMovesAndCloses(t *testing.T) {
	h := findHarness(t)
	h.srv.Script(fakeazure.Behaviour{Reply: "A **Quo**ta limits tokens per minute.\n\n```go\nquota := 10 // QUOTA\n```"})
	h.send("What is a quota?")
	for i := 0; i < 6; i++ {
		h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("Nothing to see on this line.\n\n", 20)})
		h.send(fmt.Sprintf("filler %d", i))
	}
	h.srv.Script(fakeazure.Behaviour{Reply: "Last: Größe, QUOTA."})
	h.send("the end")
	last := len(h.u.msgs) - 1

	// Ctrl+F, pressed while the message box has the focus, opens the bar
	// with its entry focused.
	h.ui(func() {
		if !pressShortcut(h.u.win, &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}) {
			t.Fatal("no menu item has Ctrl+F")
		}
		if !h.u.find.bar.Visible() || h.u.win.Canvas().Focused() != h.u.find.entry {
			t.Fatal("Ctrl+F did not open the find bar focused")
		}
		test.Type(h.u.find.entry, "quota")
	})
	// The question, the answer's bold word (half bold) and its code twice,
	// and the last answer: case is ignored.
	h.waitCount("1 of 5")
	if got := highlights(h.row(0)); len(got) != 1 || got[0] != (marked{"quota", true}) {
		t.Fatalf("question: %+v", got)
	}
	answer := h.row(1)
	want := []marked{{"Quota", false}, {"quota", false}, {"QUOTA", false}}
	if got := highlights(answer); !equalMarks(got, want) {
		t.Fatalf("answer: %+v", got)
	}

	// Enter goes to the next match, and marks it as the current one.
	h.findKey(fyne.KeyReturn, false)
	h.waitCount("2 of 5")
	want[0].current = true
	if got := highlights(h.row(1)); !equalMarks(got, want) {
		t.Fatalf("after Enter: %+v", got)
	}
	if got := highlights(h.row(0)); len(got) != 1 || got[0].current {
		t.Fatalf("the question's match is still current: %+v", got)
	}

	// Shift+Enter goes back, past the first to the last match, which the
	// transcript scrolls to; Enter wraps round to the first, at the top.
	h.findKey(fyne.KeyReturn, true)
	h.findKey(fyne.KeyReturn, true)
	h.waitCount("5 of 5")
	var lastItem int
	h.ui(func() { lastItem = h.u.transcript.lastItem(last) })
	if !h.onScreen(lastItem) || h.onScreen(0) {
		t.Fatal("the transcript did not scroll to the last match")
	}
	h.findKey(fyne.KeyReturn, false)
	h.waitCount("1 of 5")
	if !h.onScreen(0) || h.onScreen(lastItem) {
		t.Fatal("the transcript did not scroll back to the first match")
	}
	if got := highlights(h.row(last)); len(got) != 1 || got[0] != (marked{"QUOTA", false}) {
		t.Fatalf("last answer: %+v", got)
	}

	// A word that is not there.
	h.ui(func() { h.u.find.entry.SetText("quotas") })
	h.waitCount("No matches")

	// Esc closes the bar and removes every highlight.
	h.ui(func() { h.u.find.entry.SetText("QUOTA") })
	h.waitCount("1 of 5")
	h.findKey(fyne.KeyEscape, false)
	h.ui(func() {
		if h.u.find.bar.Visible() || h.u.win.Canvas().Focused() != h.u.input {
			t.Fatal("Esc did not close the bar and give the focus back")
		}
	})
	for _, id := range []int{0, 1, last} {
		if got := highlights(h.row(id)); len(got) != 0 {
			t.Fatalf("message %d keeps highlights after closing: %+v", id, got)
		}
	}
}

func equalMarks(a, b []marked) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestFindScrollsInsideALongMessage: a message is one list item up to
// splitBytes, far taller than the list; the block that holds the match is
// brought into view, not only the item.
func TestFindScrollsInsideALongMessage(t *testing.T) {
	h := findHarness(t)
	var reply strings.Builder
	for i := 0; i < 330; i++ {
		if i == 165 {
			fmt.Fprintf(&reply, "Line %d has the quota.\n\n", i)
		} else {
			fmt.Fprintf(&reply, "Line %d has nothing.\n\n", i)
		}
	}
	h.srv.Script(fakeazure.Behaviour{Reply: reply.String()})
	h.send("a long one")
	h.ui(func() {
		if n := len(h.u.transcript.items); n != 2 {
			t.Fatalf("%d list items, want one per message", n)
		}
		h.u.openFind()
		test.Type(h.u.find.entry, "quota")
	})
	h.waitCount("1 of 1")
	h.ui(func() {
		tr := h.u.transcript
		block := -1
		for b, blk := range tr.parsedFor(1).blocks {
			if strings.Contains(blk.text, "quota") {
				block = b
			}
		}
		r, ok := tr.onScreen[1]
		if block <= 0 || !ok || r.item != 1 {
			t.Fatalf("block %d, row on screen %v", block, ok)
		}
		d := h.u.fyneApp.Driver()
		y := d.AbsolutePositionForObject(r.body.Objects[block]).Y - d.AbsolutePositionForObject(tr.list).Y
		if y < 0 || y >= tr.list.Size().Height {
			t.Fatalf("the block with the match is %v below the list's top (list %v high)", y, tr.list.Size().Height)
		}
	})
}

// TestFindWhileAnswerStreams: the bar stays open while an answer streams;
// the answer is searched once it has ended.
func TestFindWhileAnswerStreams(t *testing.T) {
	h := findHarness(t)
	h.srv.Script(fakeazure.Behaviour{Reply: "one needle here"})
	h.send("look for the needle")
	h.ui(func() {
		h.u.openFind()
		test.Type(h.u.find.entry, "needle")
	})
	h.waitCount("1 of 2")
	// Held after 20 events until the test has looked: the answer is then
	// known to be streaming.
	gate := make(chan struct{})
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("needle in a stream ", 60), TokensPerSecond: 300, Gate: gate, GateAfter: 20})
	h.ui(func() {
		test.Type(h.u.input, "more")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() {
			ok = len(h.u.msgs) == 4 && h.u.msgs[3].Status == chat.Streaming && len(h.u.msgs[3].Content) > 40
		})
		return ok
	})
	h.ui(func() {
		if !h.u.find.bar.Visible() || h.u.find.count.Text != "1 of 2" {
			t.Fatalf("while streaming: bar %v, %q", h.u.find.bar.Visible(), h.u.find.count.Text)
		}
	})
	close(gate)
	h.settle()
	h.ui(func() {
		if h.u.msgs[3].Status != chat.Complete {
			t.Fatalf("the answer did not finish: %s", h.u.msgs[3].Status)
		}
	})
	h.waitCount("1 of 62")
	if got := highlights(h.row(3)); len(got) == 0 {
		t.Fatal("the ended answer is not highlighted")
	}
}

// TestSearchHighlightsWordsInOpenedMessage: a history search opens the
// conversation, marks the message found and highlights the words searched
// for inside it (at the start of a word, as the search matches them).
func TestSearchHighlightsWordsInOpenedMessage(t *testing.T) {
	h := findHarness(t)
	h.srv.Script(fakeazure.Behaviour{Reply: "Quotas apply per deployment; misquotation is another thing."})
	// Only the answer holds the word: a chat is one row, its best match.
	h.send("tell me about limits")
	h.ui(func() { h.u.newChat() })
	h.settle()
	h.send("second chat")
	h.waitSidebar(2)
	h.ui(func() { h.u.side.search.SetText("QUOTA") })
	var hit *sideItem
	waitUntil(t, func() bool {
		h.ui(func() {
			for _, it := range h.u.side.items {
				if it.node == 2 && it.query == "QUOTA" { // the answer
					hit = &it
				}
			}
		})
		return hit != nil
	})
	h.ui(func() { h.u.side.open(*hit) })
	waitUntil(t, func() bool {
		var ok bool
		h.ui(func() { ok = h.u.highlight == 1 && len(h.u.msgs) == 2 && h.u.msgs[1].Content != "" })
		return ok
	})
	h.settle()
	if got := highlights(h.row(1)); !equalMarks(got, []marked{{"Quota", false}}) {
		t.Fatalf("highlighted in the message found: %+v", got)
	}
	if got := highlights(h.row(0)); len(got) != 0 {
		t.Fatalf("highlighted in another message: %+v", got)
	}
	// A new chat shows no highlight.
	h.ui(func() { h.u.newChat() })
	h.settle()
	h.send("quota again")
	if got := highlights(h.row(0)); len(got) != 0 {
		t.Fatalf("a new chat shows highlights: %+v", got)
	}
}

func TestFindMatchesIgnoreCaseInAnyScript(t *testing.T) {
	for _, c := range []struct {
		text, word string
		want       []string
	}{
		{"Quota, QUOTA and quota.", "quota", []string{"Quota", "QUOTA", "quota"}},
		{"ΣΊΣΥΦΟΣ and σίσυφος", "σίσυφος", []string{"ΣΊΣΥΦΟΣ", "σίσυφος"}},
		{"Größe GRÖSSE größe", "GRÖẞE", []string{"Größe", "größe"}},
		{"Kelvin: 3 \u212A, k", "k", []string{"K", "\u212A", "k"}},
		{"日本語のテキスト", "テキスト", []string{"テキスト"}},
		{"aaaa", "aa", []string{"aa", "aa"}},
	} {
		if got := foundIn(newNeedles([]string{c.word}, false), c.text); got != strings.Join(c.want, "|") {
			t.Errorf("%q in %q: %q, want %q", c.word, c.text, got, c.want)
		}
	}
	if got := foundIn(newNeedles([]string{"go", "LANG"}, true), "Go: golang, algorithm, ago, Language"); got != "Go|go|Lang" {
		t.Errorf("word starts: %q", got)
	}
}

// TestFindMarkdownHighlightKeepsStyleAndLines: a highlight keeps the
// style it is in (a heading's size, inline code), spans segments, and
// does not break the line a segment ends.
func TestFindMarkdownHighlightKeepsStyleAndLines(t *testing.T) {
	segs := markdownSegments("# Big word\n\nA w**or**d and `word`.", linkActions{}, false)
	before := plainText(segs)
	segs = highlight(segs, newNeedles([]string{"WORD"}, false), 1)
	if after := plainText(segs); after != before {
		t.Fatalf("text changed: %q -> %q", before, after)
	}
	var all []*widget.TextSegment
	collectText(segs, &all)
	var hits []*widget.TextSegment
	for _, s := range all {
		if s.Style.ColorName == matchColor || s.Style.ColorName == currentColor {
			hits = append(hits, s)
		}
	}
	if len(hits) != 5 { // heading, w + or + d, code
		t.Fatalf("%d highlighted pieces", len(hits))
	}
	if hits[0].Text != "word" || hits[0].Style.SizeName != widget.RichTextStyleHeading.SizeName || hits[0].Style.ColorName != matchColor {
		t.Fatalf("heading match %+v", hits[0])
	}
	for _, s := range hits[1:4] {
		if s.Style.ColorName != currentColor || !s.Style.TextStyle.Underline || !s.Inline() {
			t.Fatalf("current match piece %+v", s)
		}
	}
	if !hits[2].Style.TextStyle.Bold || hits[4].Text != "word" || !hits[4].Style.TextStyle.Monospace {
		t.Fatalf("styles lost: %+v %+v", hits[2], hits[4])
	}
	runs := findText(block{kind: blockMarkdown, text: "# Big word\n\nA w**or**d and `word`."})
	if len(runs) != 2 || runs[1] != "A word and word." {
		t.Fatalf("searched text %q", runs)
	}
}

func plainText(segs []widget.RichTextSegment) string {
	var all []*widget.TextSegment
	collectText(segs, &all)
	var b strings.Builder
	for _, s := range all {
		b.WriteString(s.Text)
		if !s.Inline() {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// Find marks a match in a table's cell, drawn in the table's view (the
// marks are made in the segments before the table gets its view).
func TestFindMarksAMatchInATable(t *testing.T) {
	h := findHarness(t)
	h.srv.Script(fakeazure.Behaviour{Reply: "Windows:\n\n| model | window |\n|---|---|\n| gpt-4o | 128,000 |\n| gpt-35-turbo | 16,385 |\n"})
	h.send("windows")
	h.ui(func() {
		if !pressShortcut(h.u.win, &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}) {
			t.Fatal("no menu item has Ctrl+F")
		}
		test.Type(h.u.find.entry, "turbo")
	})
	h.waitCount("1 of 1")
	r := h.row(1)
	if got := highlights(r); len(got) != 1 || got[0] != (marked{"turbo", true}) {
		t.Fatalf("answer: %+v, want the table cell's turbo marked", got)
	}
	h.ui(func() {
		views := 0
		for _, o := range drawnObjects(r.body) {
			if _, ok := o.(*tableView); ok {
				views++
			}
		}
		if views != 1 {
			t.Fatalf("%d table views in the answer, want its table's", views)
		}
	})
}

// TestFindSeesTheUserLinesAsShown: find searches the user's message as it
// is drawn, line by line: words on two lines are not one match.
func TestFindSeesTheUserLinesAsShown(t *testing.T) {
	h := newHarness(t, true)
	h.send("hello\nworld")
	var texts [][]string
	h.ui(func() { texts = h.u.find.texts.get(0, h.u.msgs[0].Content, true) })
	joined := strings.Join(texts[0], "|")
	if !strings.Contains(joined, "hello\nworld") {
		t.Fatalf("find searches %q", joined)
	}
}
