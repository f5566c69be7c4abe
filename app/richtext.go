package app

import (
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat/markdown"
)

// linkActions is what a click in a message may do: copy text (code blocks,
// image addresses) and open a web or mail link after showing its target.
type linkActions struct {
	copy func(string)
	open func(*url.URL)
	// code, if set, returns what the Copy of code block j (an index into
	// the blocks rendered) copies: the whole code block when the block is
	// a piece of one cut into pieces (over giantBytes), else piece, its
	// own text.
	code func(j int, piece string) string
	// scroll, if set, scrolls the transcript: a table hands it the mouse
	// wheel's vertical turns (tableview.go).
	scroll func(*fyne.ScrollEvent)
}

// renderBlocks builds the widgets of a message body.
func renderBlocks(blocks []block, act linkActions) []fyne.CanvasObject {
	return renderMarked(blocks, act, nil, false)
}

// renderMarked is renderBlocks with find's matches highlighted as mk says
// (nil: none).
func renderMarked(blocks []block, act linkActions, mk *marks, joinFirst bool) []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, 0, len(blocks))
	for j, b := range blocks {
		segs := mk.apply(j, blockSegments(b, act))
		switch b.kind {
		case blockCode:
			// A rich text rather than a label (which draws one the same
			// way), so that find can highlight words inside the code.
			code := newWrappedText(segs...)
			code.Wrapping = fyne.TextWrapBreak
			bg := newThemedRect(theme.ColorNameInputBackground, "", theme.SizeNameInputRadius)
			if b.cont && (j > 0 || joinFirst) {
				// A later piece of a long code block: its first piece
				// has the language and the Copy, which copies it all.
				// Its background starts where the text of the piece
				// before ends (bodyLayout lays it over that piece's
				// bottom padding), and covers none of it.
				code.joined = true
				top := container.New(layout.NewCustomPaddedLayout(theme.InnerPadding(), 0, 0, 0), bg)
				out = append(out, container.NewStack(top, code))
				continue
			}
			text, at := b.text, j
			// A word, no icon: Fyne colours, parses and rasterizes a
			// button's SVG icon each time it is refreshed, which was a
			// third of the time a 20 KB answer with 36 code blocks took to
			// build and lay out (BenchmarkRenderMarkdownAnswer: 38 ms,
			// 24 without), each time its row was filled again.
			copyB := widget.NewButton("Copy", func() {
				whole := text
				if act.code != nil {
					whole = act.code(at, text)
				}
				act.copy(whole)
			})
			copyB.Importance = widget.LowImportance
			// The language in the placeholder's grey, as dimLabel's
			// (Fyne's low-importance grey is all but invisible here),
			// regular, not italic: an answer with code would otherwise
			// load the italic face (about 9 MB, 10–15 ms) for its labels.
			lang := widget.NewRichText(&widget.TextSegment{Text: b.lang, Style: langStyle})
			out = append(out, container.NewStack(bg, container.NewBorder(container.NewBorder(nil, nil, lang, copyB), nil, nil, nil, code)))
		case blockPlain:
			var t *wrappedText
			if seg, ok := onlySegment(segs).(*widget.TextSegment); ok && seg.Style == widget.RichTextStyleInline {
				// No match of find in it: lines broken by azchat.
				t = newPlainText(b.text)
			} else {
				t = newWrappedText(segs...)
			}
			t.joined = b.cont
			out = append(out, t)
		default:
			out = append(out, newWrappedText(withTableViews(segs, act.scroll)...))
		}
	}
	return out
}

// onlySegment is segs' one segment, nil when there are more or none.
func onlySegment(segs []widget.RichTextSegment) widget.RichTextSegment {
	if len(segs) != 1 {
		return nil
	}
	return segs[0]
}

// blockSegments is the rich text a block is drawn with. Find searches the
// same segments (findText), so what it counts is what the rows show.
func blockSegments(b block, act linkActions) []widget.RichTextSegment {
	switch b.kind {
	case blockCode:
		return []widget.RichTextSegment{&widget.TextSegment{Style: codeStyle, Text: drawableTabs(b.text)}}
	case blockPlain:
		// Shown as it is: no markdown, so nothing in it can load or open anything.
		return []widget.RichTextSegment{&widget.TextSegment{Style: widget.RichTextStyleInline, Text: drawableTabs(b.text)}}
	}
	return markdownSegments(b.text, act, false)
}

// langStyle is how a code block's language is drawn above it.
var langStyle = widget.RichTextStyle{ColorName: dimTextColor, Inline: true, SizeName: theme.SizeNameText}

// codeStyle is how a label draws monospace text.
var codeStyle = widget.RichTextStyle{ColorName: theme.ColorNameForeground, Inline: true, SizeName: theme.SizeNameText, TextStyle: fyne.TextStyle{Monospace: true}}

// shareText points a kept plain widget's text, equal to b's, at b's
// string. A piece of a giant paragraph gets bytes of its own with each
// parse (kept), so a widget drawn before holds another copy of the same
// text, one parse older: the piece's copy is then the only one kept.
// (Code and markdown widgets hold copies the parse made.)
func shareText(o fyne.CanvasObject, b block) {
	if b.kind != blockPlain {
		return
	}
	if rt, ok := o.(*wrappedText); ok && rt.plain {
		if rt.text == b.text {
			rt.text = b.text
		}
		return
	}
	if rt, ok := o.(*wrappedText); ok && len(rt.Segments) == 1 {
		if seg, ok := rt.Segments[0].(*widget.TextSegment); ok && seg.Text == b.text {
			seg.Text = b.text
		}
	}
}

// updateBlock shows block b in o, the widget renderBlocks made for old,
// when both are text of the same kind, and reports whether it could.
func updateBlock(o fyne.CanvasObject, old, b block, act linkActions) bool {
	rt, ok := o.(*wrappedText)
	if !ok || old.kind != b.kind || old.cont != b.cont {
		return false
	}
	switch b.kind {
	case blockPlain:
		if rt.plain {
			rt.setPlain(b.text)
			return true
		}
		seg, ok := onlySegment(rt.Segments).(*widget.TextSegment)
		if !ok {
			return false
		}
		seg.Text = drawableTabs(b.text)
	case blockMarkdown:
		rt.Segments = withTableViews(markdownSegments(b.text, act, false), act.scroll)
	default:
		return false
	}
	rt.Refresh()
	return true
}

// safeRichText renders untrusted markdown with Fyne's reader, then rewrites
// what the reader made before anything is drawn: Fyne would fetch image
// URLs (no timeout, on the UI thread) and read image paths as files, and
// its links open any scheme through the OS. Images become chips that
// describe where they point (a click copies the address); only http,
// https and mailto links stay live, and they ask before opening.
func safeRichText(src string, act linkActions) *wrappedText {
	return newWrappedText(markdownSegments(src, act, false)...)
}

// markdownSegments is what safeRichText draws; lines: each line of a
// paragraph ends where it was written, not only at a hard break
// (markdown.MarkBreaks). It builds no widget, so find may call it off the
// UI thread.
func markdownSegments(src string, act linkActions, lines bool) []widget.RichTextSegment {
	src, images := markdown.Prepare(markdown.MarkBreaks(src, lines))
	for i := range images {
		images[i].Alt = oneLineMarks(images[i].Alt) // a chip is one line
	}
	parsed := widget.NewRichTextFromMarkdown(src)
	imgs := &imageIndex{imgs: images}
	return withDrawableTabs(fallbackSegments(safeSegments(parsed.Segments, imgs, act), false))
}

// safeSegments returns segs with every image and link made safe, walking
// into paragraphs, lists and table cells. A segment type it does not know
// becomes its text, so a new kind of segment in a later Fyne cannot load
// anything unseen.
func safeSegments(segs []widget.RichTextSegment, imgs *imageIndex, act linkActions) []widget.RichTextSegment {
	out := make([]widget.RichTextSegment, 0, len(segs))
	for _, s := range segs {
		switch t := s.(type) {
		case *widget.ImageSegment:
			out = append(out, imageChip(imgs.take(t.Source), act))
		case *widget.HyperlinkSegment:
			t.Text = oneLineMarks(t.Text) // a link is one piece of text
			out = append(out, safeLink(t, act))
		case *widget.ParagraphSegment:
			t.Texts = safeSegments(t.Texts, imgs, act)
			out = append(out, t)
		case *widget.ListSegment:
			t.Items = safeSegments(t.Items, imgs, act)
			out = append(out, t)
		case *widget.TableSegment:
			t.Headers = safeCells(t.Headers, imgs, act)
			for i := range t.Rows {
				t.Rows[i] = safeCells(t.Rows[i], imgs, act)
			}
			out = append(out, t)
		case *widget.TextSegment:
			// A line break markdown.MarkBreaks marked: Fyne's reader
			// dropped it, or made it the space after the mark.
			t.Text = replaceMarks(t.Text, "\n")
			out = append(out, t)
		case *widget.CheckBoxSegment:
			t.Text = oneLineMarks(t.Text)
			out = append(out, t)
		case *widget.SeparatorSegment, *widget.CodeBlockSegment:
			out = append(out, t)
		default:
			out = append(out, &widget.TextSegment{Style: widget.RichTextStyleInline, Text: s.Textual()})
		}
	}
	return out
}

// oneLineMarks is s with markdown.MarkBreaks' marks as spaces, for what
// is drawn on one line (a link, a task item's text).
func oneLineMarks(s string) string { return replaceMarks(s, " ") }

// replaceMarks is s with each of markdown.MarkBreaks' marks, and the space
// Fyne's reader may have put after it, replaced by with.
func replaceMarks(s, with string) string {
	if !strings.ContainsRune(s, markdown.LineMark) {
		return s
	}
	mark := string(markdown.LineMark)
	return strings.ReplaceAll(strings.ReplaceAll(s, mark+" ", with), mark, with)
}

func safeCells(cells [][]widget.RichTextSegment, imgs *imageIndex, act linkActions) [][]widget.RichTextSegment {
	for i := range cells {
		cells[i] = safeSegments(cells[i], imgs, act)
	}
	return cells
}

// imageIndex pairs Fyne's image segments, which keep only a URI, with the
// images as written (alt text and destination), matching on the URI Fyne
// derives from the destination.
type imageIndex struct {
	imgs []markdown.Image
	used []bool
}

func (x *imageIndex) take(src fyne.URI) markdown.Image {
	if x.used == nil {
		x.used = make([]bool, len(x.imgs))
	}
	want := ""
	if src != nil {
		want = src.String()
	}
	for i, img := range x.imgs {
		if !x.used[i] && uriString(img.Dest) == want {
			x.used[i] = true
			return img
		}
	}
	return markdown.Image{Dest: want}
}

// uriString is the URI Fyne's markdown reader makes of an image
// destination (a string operation: nothing is opened).
func uriString(dest string) string {
	u, err := storage.ParseURI(dest)
	if err != nil {
		u = storage.NewFileURI(dest)
	}
	return u.String()
}

// imageChip stands in for an image: its alt text and where it points. A
// click copies the address; nothing is fetched or read.
func imageChip(img markdown.Image, act linkActions) widget.RichTextSegment {
	label := "Image"
	if img.Alt != "" {
		label += " “" + img.Alt + "”"
	}
	label += " (" + markdown.Where(img.Dest) + ", not loaded)"
	dest := img.Dest
	return &widget.HyperlinkSegment{
		Alignment: fyne.TextAlignLeading,
		Text:      label,
		TextStyle: fyne.TextStyle{Italic: true},
		OnTapped:  func() { act.copy(dest) },
	}
}

// safeLink keeps a web or mail link live, opening only after its target is
// shown; any other link becomes plain text with its target beside it.
func safeLink(l *widget.HyperlinkSegment, act linkActions) widget.RichTextSegment {
	if markdown.LiveLink(l.URL) {
		u := l.URL
		l.OnTapped = func() { act.open(u) }
		return l
	}
	text := l.Text
	if l.URL != nil && l.URL.String() != "" && l.URL.String() != text {
		text += " <" + l.URL.String() + ">"
	}
	return &widget.TextSegment{Style: widget.RichTextStyleInline, Text: text}
}

// links is what message bodies may do in this window.
func (t *transcript) links() linkActions {
	return linkActions{copy: t.ui.copyText, open: t.ui.confirmOpen, scroll: t.scrolled}
}

// linksFor is links for the blocks row r renders from its block keep on:
// the Copy of a piece of a long code block copies the whole block, read
// from the message when it is clicked. Where the row's blocks start in the
// message is asked then too: it changes when an answer ends (the full
// parse groups its blocks into fewer), while the row keeps the widgets of
// blocks that stayed the same.
func (t *transcript) linksFor(r *row, keep int) linkActions {
	act := t.links()
	act.code = func(j int, piece string) string {
		id := r.id
		if id < 0 || id >= len(t.ui.msgs) || r.item < 0 {
			return piece
		}
		blocks := t.parsedFor(id).blocks
		g := t.blockOffset(r) + keep + j
		if g >= len(blocks) || blocks[g].kind != blockCode || blocks[g].text != piece {
			return piece // the row shows something else now
		}
		for g > 0 && blocks[g].cont {
			g-- // a later piece (at the top of a list item): its block starts before
		}
		if g+1 >= len(blocks) || blocks[g+1].kind != blockCode || !blocks[g+1].cont {
			return piece // not cut: the block is all there is
		}
		k := 0 // the code blocks before it
		for _, b := range blocks[:g] {
			if b.kind == blockCode && !b.cont {
				k++
			}
		}
		// While an answer streams, its blocks can count a fence that the
		// full parse puts inside a list; then the prefix check below fails
		// and the piece is copied alone, until the answer ends.
		return nthCodeBlock(t.ui.msgs[id].Content, k, blocks[g].text)
	}
	return act
}

// nthCodeBlock returns the code of markdown src's code block k (from 0),
// when it starts with piece, else piece.
func nthCodeBlock(src string, k int, piece string) string {
	pieces, _ := parsePieces(src, 0)
	for _, p := range pieces {
		if p.kind != blockCode {
			continue
		}
		if k == 0 {
			if strings.HasPrefix(p.text, piece) {
				return p.text
			}
			return piece
		}
		k--
	}
	return piece
}

// confirmOpen shows a link's full target before the OS opens it: link text
// written by a model can say anything, the address is what counts.
func (u *UI) confirmOpen(target *url.URL) {
	addr := widget.NewLabel(target.String())
	addr.Wrapping = fyne.TextWrapBreak
	addr.TextStyle = fyne.TextStyle{Monospace: true}
	msg := widget.NewLabel("This link opens in your browser or mail program:")
	d := dialog.NewCustomConfirm("Open link?", "Open", "Cancel", container.NewVBox(msg, addr), func(ok bool) {
		if ok {
			_ = u.openURL(target)
		}
	}, u.win)
	d.Resize(fyne.NewSize(480, 0))
	u.openLinkDialog = d
	showEscapable(u.win, d)
}
