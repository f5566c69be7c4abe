package app

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

// streamAll feeds text to a streamParse step bytes at a time and checks,
// at every step, that no plain piece is larger than a piece, no code block
// larger than a giant one (those are cut) and that every block before the
// previous last one is unchanged. It returns the blocks of the last step.
func streamAll(t *testing.T, text string, step int) []block {
	t.Helper()
	sp := &streamParse{tail: -1}
	var prev []block
	for end := step; ; end += step {
		end = min(end, len(text))
		cur := streamingBlocks(sp.extend(text[:end]))
		for i := 0; i+1 < len(prev) && i < len(cur); i++ {
			if cur[i] != prev[i] {
				t.Fatalf("at %d: block %d changed while text was appended", end, i)
			}
		}
		for i, b := range cur {
			if b.kind == blockPlain && len(b.text) > pieceBytes || b.kind == blockCode && len(b.text) > giantBytes {
				t.Fatalf("at %d: block %d holds %d bytes", end, i, len(b.text))
			}
		}
		prev = cur
		if end == len(text) {
			return cur
		}
	}
}

// joined is the text of plain pieces put back together, for comparing
// with the original (cuts drop the spaces and line breaks they fall on).
func joined(blocks []block) string {
	var b strings.Builder
	for _, x := range blocks {
		if x.kind == blockPlain {
			b.WriteString(x.text)
		}
	}
	return b.String()
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }

func TestGiantParagraphIsCutIntoStablePieces(t *testing.T) {
	text := fakeazure.ParagraphOfSize(200 << 10)
	before := parsedBytes.Load()
	got := streamAll(t, text, 997)
	// Each byte is parsed a bounded number of times: once the paragraph
	// is known to be giant it is cut, never parsed again.
	if read := parsedBytes.Load() - before; read > int64(len(text)) {
		t.Fatalf("streaming %d bytes parsed %d bytes", len(text), read)
	}
	if len(got) < len(text)/pieceBytes {
		t.Fatalf("%d pieces for %d bytes", len(got), len(text))
	}
	if squash(joined(got)) != squash(text) {
		t.Fatal("the pieces do not hold the paragraph's text")
	}
	// The full parse after the answer ends shows the same pieces.
	if want := parseBlocks(text); !equalBlocks(got, want) {
		t.Fatalf("streamed %d blocks, full parse %d", len(got), len(want))
	}
}

// TestPiecesDoNotHoldTheStreamingText: the pieces a streaming parse
// returns, the growing last ones too, have bytes of their own, so the
// answer's text (which grows in a builder that reallocates) is not kept
// alive through them, nor through the lines Fyne caches. The text is handed
// over in a buffer that is overwritten after each step: a piece sharing
// it would change.
func TestPiecesDoNotHoldTheStreamingText(t *testing.T) {
	text := "Intro with a [link](https://example.com).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```go\nx := 1\n```\n\n" +
		fakeazure.ParagraphOfSize(40<<10) + "\n\nThe end.\n"
	sp := &streamParse{tail: -1}
	var kept []piece
	for end := 300; ; end += 300 {
		end = min(end, len(text))
		buf := []byte(text[:end])
		kept = append(kept[:0], sp.extend(unsafe.String(&buf[0], len(buf)))...)
		want := make([]string, len(kept))
		for i, p := range kept {
			want[i] = strings.Clone(p.text) + "|" + strings.Clone(p.lang)
		}
		for i := range buf {
			buf[i] = '#'
		}
		for i, p := range kept {
			if got := p.text + "|" + p.lang; got != want[i] {
				t.Fatalf("at %d: piece %d shares the streaming text: %q became %q", end, i, want[i], got)
			}
		}
		// The next step starts from a fresh copy: the parse remembers the
		// text it saw, which the overwrite changed.
		sp.content = text[:end]
		if end == len(text) {
			break
		}
	}
	if len(kept) < 20 {
		t.Fatalf("only %d pieces kept", len(kept))
	}
}

// TestKeptWidgetsTakeThePiecesOwnText: a plain widget drawn from the
// streaming text, kept because its piece did not change, is pointed at the
// piece's own copy, so the streaming text it was cut from can go.
func TestKeptWidgetsTakeThePiecesOwnText(t *testing.T) {
	test.NewTempApp(t)
	buf := []byte("some streamed text, " + strings.Repeat("more ", 100))
	streamed := unsafe.String(&buf[0], len(buf))
	o := renderMarked([]block{{kind: blockPlain, text: streamed}}, linkActions{}, nil, false)[0]
	own := strings.Clone(streamed)
	shareText(o, block{kind: blockPlain, text: own})
	for i := range buf {
		buf[i] = '#'
	}
	w := o.(*wrappedText)
	if !w.plain || w.text != own {
		t.Fatalf("the widget still holds the streaming text: %.40q", w.text)
	}
	// What it draws is its own copy, broken into lines.
	w.Resize(fyne.NewSize(300, 100))
	if seg := w.Segments[0].(*widget.TextSegment); strings.Contains(seg.Text, "#") || !strings.HasPrefix(seg.Text, "some streamed text,") {
		t.Fatalf("the widget draws %.40q", seg.Text)
	}
}

func TestGiantParagraphEndsAndMarkdownResumes(t *testing.T) {
	// One long line, and many lines of a log (cuts fall at line breaks,
	// so the line that ends the paragraph may start a piece).
	var lines strings.Builder
	for i := 0; lines.Len() < 30<<10; i++ {
		lines.WriteString(fakeazure.ParagraphOfSize(60 + i%40))
		lines.WriteString("\n")
	}
	for name, after := range map[string]string{
		"blank line": "\n\n## Next\n\nSome **bold** text.\n",
		"heading":    "\n## Next\n\nSome **bold** text.\n",
		"fence":      "\n```go\nx := 1\n```\n\nSome **bold** text.\n",
	} {
		for shape, para := range map[string]string{"line": fakeazure.ParagraphOfSize(30 << 10), "lines": strings.TrimSuffix(lines.String(), "\n")} {
			for _, step := range []int{1500, 1024, 97} {
				t.Run(fmt.Sprintf("%s/%s/%d", name, shape, step), func(t *testing.T) {
					text := "Intro.\n\n" + para + after
					got := streamAll(t, text, step)
					want := parseBlocks(text)
					if !equalBlocks(streamingBlocks(piecesOf(got)), want) {
						t.Fatalf("streamed\n%s\nfull parse\n%s", describe(got), describe(want))
					}
					if last := want[len(want)-1]; last.kind != blockMarkdown || !strings.Contains(last.text, "**bold**") {
						t.Fatalf("markdown after the paragraph: %+v", last)
					}
				})
			}
		}
	}
}

func TestGiantCodeBlockIsCutAtLines(t *testing.T) {
	var code strings.Builder
	for i := 0; code.Len() < 40<<10; i++ {
		code.WriteString("value_")
		code.WriteString(strings.Repeat("x", i%50))
		code.WriteString(" = 1\n")
	}
	text := "Here:\n\n```python\n" + code.String() + "```\n\nDone.\n"
	want := parseBlocks(text)
	var lines int
	for _, b := range want {
		if b.kind == blockCode {
			if b.lang != "python" || len(b.text) > pieceBytes {
				t.Fatalf("code piece %q… (%d bytes)", b.text[:20], len(b.text))
			}
			if !strings.HasSuffix(b.text, " = 1") {
				t.Fatalf("a code piece ends inside a line: …%q", b.text[len(b.text)-20:])
			}
			lines += strings.Count(b.text, "\n") + 1
		}
	}
	if lines != strings.Count(code.String(), "\n") {
		t.Fatalf("code pieces hold %d lines, the block %d", lines, strings.Count(code.String(), "\n"))
	}
	if got := streamAll(t, text, 2000); !equalBlocks(streamingBlocks(piecesOf(got)), want) {
		t.Fatalf("streamed\n%s\nfull parse\n%s", describe(got), describe(want))
	}
}

func TestCutPieceKeepsCharactersWhole(t *testing.T) {
	text := strings.Repeat("日本語のテキスト", 2000) // no spaces, 3-byte runes
	for _, b := range parseBlocks(text) {
		if !utf8.ValidString(b.text) {
			t.Fatalf("a piece cuts a character: %q…", b.text[:10])
		}
	}
	if squash(joined(parseBlocks(text))) != text {
		t.Fatal("the pieces do not hold the text")
	}
}

func piecesOf(blocks []block) []piece {
	out := make([]piece, len(blocks))
	for i, b := range blocks {
		out[i] = piece{block: b}
	}
	return out
}

func describe(blocks []block) string {
	var b strings.Builder
	for _, x := range blocks {
		t := x.text
		if len(t) > 40 {
			t = t[:40] + "…"
		}
		b.WriteString(strings.ReplaceAll(t, "\n", "⏎"))
		b.WriteString("\n")
	}
	return b.String()
}

// TestLongAnswerIsSeveralRows: an answer over splitBytes is shown as list
// items of about partBytes, so the list makes widgets only for the parts
// on screen; the first part has the header, the last the status, and Esc
// stops a giant paragraph while it streams.
func TestLongAnswerIsSeveralRows(t *testing.T) {
	h := newHarness(t, true)
	text := fakeazure.ParagraphOfSize(2 << 20)
	// About 40 KB a second, in events of 200 tokens (the race detector
	// slows the client's decoding of one token an event): Esc comes long
	// before the end.
	h.srv.Script(fakeazure.Behaviour{Reply: text, ChunkTokens: 200, TokensPerSecond: 50})
	h.ui(func() {
		test.Type(h.u.input, "dump")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	waitUntil(t, func() bool {
		var n int
		h.ui(func() {
			if len(h.u.msgs) == 2 {
				n = len(h.u.msgs[1].Content)
			}
		})
		return n > 2*splitBytes
	})
	h.ui(func() { h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) })
	h.settle()
	h.ui(func() {
		m := h.u.msgs[1]
		if m.Status != chat.Stopped || len(m.Content) >= len(text) {
			t.Fatalf("after Esc: %s with %d of %d bytes", m.Status, len(m.Content), len(text))
		}
		tr := h.u.transcript
		parts := tr.items[tr.firstItem(1):]
		// A part ends once it holds partBytes: it has that and at most
		// one more piece.
		if len(parts) < len(m.Content)/(partBytes+pieceBytes) || len(parts) > len(m.Content)/partBytes+1 {
			t.Fatalf("%d bytes in %d list items", len(m.Content), len(parts))
		}
		var shown strings.Builder
		for i, it := range parts {
			if it.msg != 1 || it.part != i || it.last != (i == len(parts)-1) {
				t.Fatalf("item %d is %+v", i, it)
			}
			shown.WriteString(joined(tr.partBlocks(it)))
		}
		if squash(shown.String()) != squash(m.Content) {
			t.Fatal("the parts do not hold the answer")
		}
	})
	// The last part comes on screen (the list follows the end; under load
	// the final re-measure can land after settle) and shows the status.
	var last *row
	waitUntil(t, func() bool {
		h.ui(func() {
			tr := h.u.transcript
			last = nil
			for _, w := range shownRows(tr.list) {
				if w.r != nil && w.r.item == len(tr.items)-1 {
					last = w.r
				}
			}
		})
		return last != nil
	})
	h.ui(func() {
		if last.status.Hidden || !strings.Contains(last.badge.Text, "Stopped") || !last.head.Hidden {
			t.Fatalf("last part: status hidden %v, badge %q, head hidden %v", last.status.Hidden, last.badge.Text, last.head.Hidden)
		}
	})
	r := h.row(1)
	h.ui(func() {
		if r.head.Hidden || !r.status.Hidden || !strings.HasPrefix(r.header.Text, "Assistant") {
			t.Fatalf("first part: header %q hidden=%v, status hidden=%v", r.header.Text, r.head.Hidden, r.status.Hidden)
		}
		if n := len(drawnObjects(h.u.transcript.list)); n > 5000 {
			t.Fatalf("%d objects laid out: the list is not virtualising the parts", n)
		}
	})
}

// TestGrowingBlockKeepsItsWidget: the block that grows while an answer
// streams is updated in its widget, not replaced by a new one.
func TestGrowingBlockKeepsItsWidget(t *testing.T) {
	test.NewTempApp(t)
	for _, c := range []struct{ old, now block }{
		{block{kind: blockPlain, text: "row 1: a"}, block{kind: blockPlain, text: "row 1: a; row 2: b"}},
		{block{kind: blockMarkdown, text: "Some **bo"}, block{kind: blockMarkdown, text: "Some **bold** text"}},
	} {
		// At a width that breaks the new text's lines.
		o := renderBlocks([]block{c.old}, noLinks())[0]
		o.(*wrappedText).wrapAt(90)
		if !updateBlock(o, c.old, c.now, noLinks()) {
			t.Fatalf("%v block not updated in place", c.now.kind)
		}
		fresh := renderBlocks([]block{c.now}, noLinks())[0].(*wrappedText)
		fresh.wrapAt(90)
		want := fresh.String()
		if c.now.kind == blockPlain && !strings.Contains(want, "\n") {
			t.Fatalf("a new plain widget at width 90 shows %q on one line", want)
		}
		if got := o.(*wrappedText).String(); got != want {
			t.Fatalf("updated widget shows %q, a new one %q", got, want)
		}
	}
	code := renderBlocks([]block{{kind: blockCode, text: "x"}}, noLinks())[0]
	if updateBlock(code, block{kind: blockCode, text: "x"}, block{kind: blockCode, text: "x := 1"}, noLinks()) {
		t.Fatal("a code block is rebuilt, not updated")
	}
	plain := renderBlocks([]block{{kind: blockPlain, text: "a"}}, noLinks())[0]
	if updateBlock(plain, block{kind: blockPlain, text: "a"}, block{kind: blockMarkdown, text: "a"}, noLinks()) {
		t.Fatal("a block that changed kind was updated in place")
	}
}

// TestPartsScrolledPastAreEstimated: when a batch of streamed text makes
// more parts than the screen shows, those that scroll away unseen get a
// height estimated from their text instead of being laid out, and are
// measured once they are shown.
func TestPartsScrolledPastAreEstimated(t *testing.T) {
	h := newHarness(t, true)
	// Bursts of about 80 KB, five a second.
	h.srv.Script(fakeazure.Behaviour{Reply: fakeazure.ParagraphOfSize(1 << 20), ChunkTokens: 20000, TokensPerSecond: 5})
	h.ui(func() {
		test.Type(h.u.input, "dump")
		h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	var estimated int
	waitUntil(t, func() bool {
		h.ui(func() {
			tr := h.u.transcript
			estimated = 0
			for i, e := range tr.heights {
				if i < len(tr.items) && tr.items[i].msg == 1 && e.estimated && e.h > 0 {
					estimated = i
				}
			}
		})
		return estimated > 0
	})
	h.ui(func() { h.u.input.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) })
	h.settle()
	h.ui(func() {
		tr := h.u.transcript
		tr.list.ScrollTo(estimated)
		if e := tr.heights[estimated]; e.estimated || e.h <= 0 {
			t.Fatalf("part %d, shown, has height %v (estimated %v)", estimated, e.h, e.estimated)
		}
	})
}
