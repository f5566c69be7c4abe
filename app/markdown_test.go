package app

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func noLinks() linkActions { return linkActions{copy: func(string) {}, open: func(*url.URL) {}} }

func TestMarkdownBlocks(t *testing.T) {
	src := "# Title\n\nSome *text* and a list:\n\n- one\n- two\n\n```go\nfmt.Println(\"hi\")\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n| x | **y** |\n\nAfter."
	b := parseBlocks(src)
	// Each top-level node a block of its own, as while streaming.
	if len(b) != 6 {
		t.Fatalf("%d blocks: %+v", len(b), b)
	}
	for i, want := range []string{"# Title", "Some *text* and a list:", "- one\n- two"} {
		if b[i].kind != blockMarkdown || b[i].text != want {
			t.Fatalf("markdown block %d %q, want %q", i, b[i].text, want)
		}
	}
	b = b[2:]
	if b[1].kind != blockCode || b[1].lang != "go" || b[1].text != `fmt.Println("hi")` {
		t.Fatalf("code block %+v", b[1])
	}
	if b[2].kind != blockTable || b[2].text != "| a | b |\n|:--|--:|\n| 1 | 2 |\n| x | **y** |" {
		t.Fatalf("table %+v", b[2])
	}
	if b[3].text != "After." {
		t.Fatalf("tail %q", b[3].text)
	}
	var copied string
	objs := renderBlocks(b, linkActions{copy: func(s string) { copied = s }, open: func(*url.URL) {}})
	// The table is Fyne 2.8's markdown table: header, alignment, inline style.
	rt := objs[2].(*wrappedText)
	wrapped, ok := rt.Segments[0].(*tableSegment)
	if !ok || len(wrapped.Headers) != 2 || len(wrapped.Rows) != 2 {
		t.Fatalf("table segments %#v", rt.Segments)
	}
	if table := wrapped.TableSegment; table.Alignments[1] != fyne.TextAlignTrailing || table.Rows[1][1][0].(*widget.TextSegment).Style.TextStyle.Bold != true {
		t.Fatalf("table alignment %v / bold cell %#v", table.Alignments, table.Rows[1][1][0])
	}
	code := objs[1].(*fyne.Container).Objects[1].(*fyne.Container)
	var copyB *widget.Button
	for _, o := range code.Objects {
		if c, ok := o.(*fyne.Container); ok {
			for _, oo := range c.Objects {
				if bt, ok := oo.(*widget.Button); ok {
					copyB = bt
				}
			}
		}
	}
	if copyB == nil {
		t.Fatal("code block has no copy button")
	}
	test.Tap(copyB)
	if copied != `fmt.Println("hi")` {
		t.Fatalf("copied %q", copied)
	}
}

func TestMarkdownTableMarkup(t *testing.T) {
	test.NewTempApp(t)
	b := parseBlocks("| Model | Window |\n|---|---:|\n| gpt-4o | 128,000 |\n| gpt-35-turbo | 4,096 |")
	w := test.NewWindow(container.NewVBox(renderBlocks(b, noLinks())...))
	defer w.Close()
	w.Resize(fyne.NewSize(400, 200))
	test.AssertRendersToMarkup(t, "markdown_table.xml", w.Canvas())
}

// hits counts requests to a listener on this machine: a transcript that
// fetched an image would show up here.
func hits(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write([]byte("\x89PNG\r\n\x1a\n"))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String(), &n
}

// TestMarkdownNeverLoadsImages draws images of every kind and checks that
// none was fetched or opened: remote URLs, file: URIs, bare paths (a FIFO,
// which would block whoever opened it), and data: URLs, in paragraphs,
// lists, tables, quotes and links.
func TestMarkdownNeverLoadsImages(t *testing.T) {
	test.NewTempApp(t)
	base, n := hits(t)
	fifo := filepath.Join(t.TempDir(), "pipe.png")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	src := "Look: ![leak](" + base + "/leak?q=secret \"title\")\n\n" +
		"- ![in a list](" + base + "/list.png)\n\n" +
		"> ![quoted](file://" + fifo + ")\n\n" +
		"| a | b |\n|---|---|\n| ![cell](" + base + "/cell.png) | ![p](" + fifo + ") |\n\n" +
		"[![badge](" + base + "/badge.svg)](https://example.invalid/)\n\n" +
		"![dot](data:image/png;base64,iVBORw0KGgo=) and ![home](~/.ssh/id_rsa)"
	done := make(chan fyne.CanvasObject, 1)
	go func() {
		// A FIFO opened for reading blocks until a writer comes: if the
		// transcript opened one, this never finishes.
		w := test.NewWindow(container.NewVBox(renderBlocks(parseBlocks(src), noLinks())...))
		w.Resize(fyne.NewSize(600, 800))
		test.LaidOutObjects(w.Content())
		w.Canvas().Refresh(w.Content())
		done <- w.Content()
	}()
	var content fyne.CanvasObject
	select {
	case content = <-done:
		walkSegments(content.(*fyne.Container).Objects[0].(*wrappedText).Segments, func(s widget.RichTextSegment) {
			if _, ok := s.(*widget.ImageSegment); ok {
				t.Fatal("an image segment reached the window")
			}
		})
	case <-time.After(20 * time.Second):
		t.Fatal("rendering blocked: an image path was opened")
	}
	var texts []string
	for _, o := range test.LaidOutObjects(content) {
		switch v := o.(type) {
		case *canvas.Image:
			if v.File != "" || v.Resource != nil {
				t.Fatalf("an image is drawn from %q %v", v.File, v.Resource)
			}
		case *widget.Hyperlink:
			texts = append(texts, v.Text)
		}
	}
	if got := n.Load(); got != 0 {
		t.Fatalf("%d requests reached the image server", got)
	}
	all := strings.Join(texts, " ") // a chip may wrap over several lines
	host := strings.TrimPrefix(base, "http://")
	for _, want := range []string{"“leak” (" + host, "“in a list”", "“quoted” (local file " + fifo, "“cell”", "“p” (local file " + fifo, "“dot” (image/png data", "“home” (local file ~/.ssh/id_rsa"} {
		if !strings.Contains(all, want) {
			t.Errorf("no chip %q among:\n%s", want, all)
		}
	}
}

func TestImageChipCopiesItsAddress(t *testing.T) {
	test.NewTempApp(t)
	var copied string
	rt := safeRichText("![chart](https://img.example.invalid/c.png?x=1)", linkActions{copy: func(s string) { copied = s }, open: func(*url.URL) {}})
	w := test.NewWindow(rt)
	defer w.Close()
	for _, o := range test.LaidOutObjects(rt) {
		if h, ok := o.(*widget.Hyperlink); ok {
			tapText(h)
		}
	}
	if copied != "https://img.example.invalid/c.png?x=1" {
		t.Fatalf("copied %q", copied)
	}
}

// TestLinksOnlyWebAndMailAreLive: file:, smb:, javascript: and custom
// schemes become text showing their target; web and mail links stay links
// and ask, showing the full address, before anything opens.
func TestLinksOnlyWebAndMailAreLive(t *testing.T) {
	h := newHarness(t, true)
	var opened []string
	h.ui(func() { h.u.openURL = func(u *url.URL) error { opened = append(opened, u.String()); return nil } })
	src := "[docs](https://learn.microsoft.com/azure/) [mail](mailto:a@example.invalid) " +
		"[passwd](file:///etc/passwd) [share](smb://server/share) [js](javascript:alert(1)) [app](ms-settings:privacy)"
	rt := safeRichText(src, h.u.transcript.links())
	var live []*widget.Hyperlink
	var text strings.Builder
	h.ui(func() {
		w := test.NewWindow(rt)
		defer w.Close()
		for _, o := range test.LaidOutObjects(rt) {
			if l, ok := o.(*widget.Hyperlink); ok {
				live = append(live, l)
			}
		}
		for _, s := range rt.Segments {
			text.WriteString(s.Textual())
		}
	})
	if len(live) != 2 || live[0].Text != "docs" || live[1].Text != "mail" {
		t.Fatalf("live links %d", len(live))
	}
	for _, dead := range []string{"passwd <file:///etc/passwd>", "share <smb://server/share>", "js <javascript:alert(1)>", "app <ms-settings:privacy>"} {
		if !strings.Contains(text.String(), dead) {
			t.Errorf("%q is not shown as text in %q", dead, text.String())
		}
	}
	h.ui(func() { tapText(live[0]) })
	if len(opened) != 0 {
		t.Fatal("a link opened without asking")
	}
	h.ui(func() {
		d := h.u.openLinkDialog
		if d == nil {
			t.Fatal("no confirmation before opening")
		}
		found := false
		for _, o := range test.LaidOutObjects(h.u.win.Canvas().Overlays().Top()) {
			if l, ok := o.(*widget.Label); ok && l.Text == "https://learn.microsoft.com/azure/" {
				found = true
			}
		}
		if !found {
			t.Fatal("the confirmation does not show the full address")
		}
		d.Confirm()
	})
	if len(opened) != 1 || opened[0] != "https://learn.microsoft.com/azure/" {
		t.Fatalf("opened %v", opened)
	}
}

func TestRawHTMLStaysText(t *testing.T) {
	rt := safeRichText("Use <b>bold</b> here.\n\n<script>alert(1)</script>\n\n<img src=\"http://x.invalid/a.png\">", noLinks())
	var text strings.Builder
	for _, s := range rt.Segments {
		text.WriteString(s.Textual())
	}
	for _, want := range []string{"<b>bold</b>", "<script>alert(1)</script>", `<img src="http://x.invalid/a.png">`} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("%q not shown in %q", want, text.String())
		}
	}
}

func FuzzParseBlocks(f *testing.F) {
	for _, s := range []string{"", "# h", "|a|\n|-|\n|1|", "```\ncode", "- [ ] x\n\n> q", "| a | b |\n|---|\n| 1 |", "<script>alert(1)</script>", "![x](/dev/zero)", "[![i](a)](b)", "<div>\n![x](y)\n</div>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, b := range parseBlocks(s) {
			if b.kind == blockTable && !strings.Contains(b.text, "|") {
				t.Fatalf("table block without a pipe: %q", b.text)
			}
			walkSegments(safeRichText(b.text, noLinks()).Segments, func(seg widget.RichTextSegment) {
				if _, ok := seg.(*widget.ImageSegment); ok {
					t.Fatal("an image segment survived")
				}
			})
		}
	})
}

// walkSegments calls f for every segment, nested ones included.
func walkSegments(segs []widget.RichTextSegment, f func(widget.RichTextSegment)) {
	for _, s := range segs {
		f(s)
		switch t := s.(type) {
		case *widget.ParagraphSegment:
			walkSegments(t.Texts, f)
		case *widget.ListSegment:
			walkSegments(t.Items, f)
		case *widget.TableSegment:
			for _, c := range t.Headers {
				walkSegments(c, f)
			}
			for _, r := range t.Rows {
				for _, c := range r {
					walkSegments(c, f)
				}
			}
		}
	}
}

// tapText taps a hyperlink on its text (a tap beside the text is ignored).
func tapText(h *widget.Hyperlink) {
	test.TapAt(h, fyne.NewPos(h.Size().Width/2, h.Size().Height/2))
}

var streamTexts = []string{
	"# Title\n\nSome *text* and a list:\n\n- one\n- two\n  continued\n\n```go\nfmt.Println(\"hi\")\n```\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n| x | **y** |\n\nAfter.\n",
	"Setext heading\n===\n\nparagraph that\ngoes on\n\n---\n\n> quote\n> more\n\n1. first\n2. second\n\n   indented para in item\n\n    code block\n    more code\n\ntail",
	"- [ ] task\n- [x] done\n\n~~~\nfence with tildes\n~~~\n\nname | value\n--- | ---\nrow | 1\n\n<div>\nraw html\n</div>\n\nend ![img](http://x.invalid/a.png) [link](https://example.invalid)",
	"```\nunclosed fence\nstill code\n",
	"para\n| not | a table\n|---|---|\n| now | it is |\n",
}

// TestStreamParseMatchesFullParse feeds texts in chunks of many sizes to
// the streaming parser: at every step it must give what parsing the whole
// text so far gives.
func TestStreamParseMatchesFullParse(t *testing.T) {
	for ti, text := range streamTexts {
		for _, step := range []int{1, 2, 3, 7, 16, 50} {
			sp := &streamParse{tail: -1}
			for end := step; ; end += step {
				if end > len(text) {
					end = len(text)
				}
				got, want := streamingBlocks(sp.extend(text[:end])), parseBlocks(text[:end])
				if !equalBlocks(got, want) {
					t.Fatalf("text %d, step %d, at %d:\ngot  %+v\nwant %+v", ti, step, end, got, want)
				}
				if end == len(text) {
					break
				}
			}
		}
	}
}

func equalBlocks(a, b []block) bool { return slices.Equal(a, b) }

func FuzzStreamParse(f *testing.F) {
	for _, s := range streamTexts {
		f.Add(s, uint8(5))
	}
	f.Fuzz(func(t *testing.T, s string, step uint8) {
		if strings.Contains(s, "]:") || step == 0 {
			// A link reference definition changes earlier text: the
			// full parse after streaming puts that right.
			return
		}
		sp := &streamParse{tail: -1}
		for end := int(step); ; end += int(step) {
			if end > len(s) {
				end = len(s)
			}
			if got, want := streamingBlocks(sp.extend(s[:end])), parseBlocks(s[:end]); !equalBlocks(got, want) {
				t.Fatalf("at %d: got %+v want %+v", end, got, want)
			}
			if end == len(s) {
				break
			}
		}
	})
}

// TestStreamingBlocksKeepTheirHead: while an answer streams, appending text
// changes only the last block, so the transcript redraws only that one.
func TestStreamingBlocksKeepTheirHead(t *testing.T) {
	text := streamTexts[0] + "\n" + streamTexts[1]
	sp := &streamParse{tail: -1}
	var prev []block
	for end := 1; end <= len(text); end++ {
		cur := streamingBlocks(sp.extend(text[:end]))
		// Every block before the previous last one is unchanged.
		for i := 0; i+1 < len(prev) && i < len(cur); i++ {
			if cur[i] != prev[i] && i < len(prev)-1 {
				t.Fatalf("at %d block %d changed: %+v -> %+v", end, i, prev[i], cur[i])
			}
		}
		prev = cur
	}
	if len(prev) < 8 {
		t.Fatalf("only %d blocks for a long answer", len(prev))
	}
}

// TestLineBreaksAreKept: a hard line break in an answer (two spaces or a
// backslash at a line's end) breaks the line, where Fyne's reader glued
// the words either side ("hard breaknext"); the user's own lines stay
// lines, as typed, outside code as in it.
func TestLineBreaksAreKept(t *testing.T) {
	for _, c := range []struct {
		src   string
		lines bool
		want  string
	}{
		{"hard break  \nnext", false, "hard break\nnext"},
		{"back\\\nslash", false, "back\nslash"},
		{"soft\nbreak", false, "soft break"},
		{"first line\nsecond line\nthird", true, "first line\nsecond line\nthird"},
		{"- one\n  more of one\n- two", true, "one\nmore of one"},
	} {
		if got := plainText(markdownSegments(c.src, linkActions{}, c.lines)); !strings.Contains(got, c.want) {
			t.Errorf("%q (lines %v): %q, want it to hold %q", c.src, c.lines, got, c.want)
		}
	}
	// No mark is left to be drawn as a glyph, in a task item either.
	for _, src := range []string{"- [ ] a task\n  on two lines", "[a\nlink](https://example.com)", "x  \ny", "![an image\nof two lines](https://example.com/a.png)"} {
		for _, seg := range markdownSegments(src, linkActions{}, true) {
			if strings.ContainsRune(seg.Textual(), '\u2028') {
				t.Errorf("%q draws a mark: %q", src, seg.Textual())
			}
		}
	}
	// The user's messages are shown as typed: plain text, no markdown.
	h := newHarness(t, true)
	typed := "line one\nline two\nint x = a*b*c; // 2*3*4\n__init__ and # not a heading\n- not a list\n\n```\ncode one\n```"
	h.send(typed)
	h.ui(func() {
		p := h.u.transcript.parsedFor(0)
		if len(p.blocks) != 1 || p.blocks[0].kind != blockPlain {
			t.Fatalf("the user's blocks: %+v", p.blocks)
		}
		if got := plainText(blockSegments(p.blocks[0], linkActions{})); got != typed {
			t.Fatalf("the user's text shows as %q, typed %q", got, typed)
		}
		if a := h.u.transcript.parsedFor(1); len(a.blocks) > 0 && a.blocks[0].kind == blockPlain {
			t.Fatal("an answer is shown as plain text")
		}
	})
}

// TestLongUserTextShowsAsTyped: a message of the user's longer than a
// piece is drawn in pieces that, one under the other, are the text as
// typed: blank lines where they were (a cut at a paragraph break dropped
// them), lines broken only where they were.
func TestLongUserTextShowsAsTyped(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 9000; i++ {
		fmt.Fprintf(&b, "Paragraph %d, a line of it.\nAnd its second line, somewhat longer than the first one.\n\n", i)
	}
	typed := strings.TrimRight(b.String(), "\n")
	blocks := messageBlocks(typed, true)
	if len(blocks) < 4 {
		t.Fatalf("%d pieces", len(blocks))
	}
	var lines []string
	for _, bl := range blocks {
		if bl.kind != blockPlain || len(bl.text) > pieceBytes {
			t.Fatalf("a piece of %d bytes, kind %v", len(bl.text), bl.kind)
		}
		lines = append(lines, bl.text)
	}
	// Drawn one under the other: each piece's lines follow the last line
	// of the piece before.
	if got := strings.Join(lines, "\n"); got != typed {
		t.Fatalf("drawn:\n%q\ntyped:\n%q", got[:200], typed[:200])
	}
}
