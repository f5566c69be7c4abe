package app

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
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
}

// renderBlocks builds the widgets of a message body.
func renderBlocks(blocks []block, act linkActions) []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, 0, len(blocks))
	for _, b := range blocks {
		switch b.kind {
		case blockCode:
			code := widget.NewLabelWithStyle(b.text, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
			code.Wrapping = fyne.TextWrapBreak
			text := b.text
			copyB := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() { act.copy(text) })
			copyB.Importance = widget.LowImportance
			lang := widget.NewLabelWithStyle(b.lang, fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
			lang.Importance = widget.LowImportance
			bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
			bg.CornerRadius = theme.InputRadiusSize()
			out = append(out, container.NewStack(bg, container.NewBorder(container.NewBorder(nil, nil, lang, copyB), nil, nil, nil, code)))
		case blockPlain:
			// Shown as it is: no markdown, so nothing in it can load or open anything.
			out = append(out, newWrappedText(&widget.TextSegment{Style: widget.RichTextStyleInline, Text: b.text}))
		default:
			out = append(out, safeRichText(b.text, act))
		}
	}
	return out
}

// updateBlock shows block b in o, the widget renderBlocks made for old,
// when both are text of the same kind, and reports whether it could.
func updateBlock(o fyne.CanvasObject, old, b block, act linkActions) bool {
	rt, ok := o.(*wrappedText)
	if !ok || old.kind != b.kind {
		return false
	}
	switch b.kind {
	case blockPlain:
		seg, ok := rt.Segments[0].(*widget.TextSegment)
		if !ok || len(rt.Segments) != 1 {
			return false
		}
		seg.Text = b.text
	case blockMarkdown:
		rt.Segments = safeRichText(b.text, act).Segments
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
	src, images := markdown.Prepare(src)
	parsed := widget.NewRichTextFromMarkdown(src)
	imgs := &imageIndex{imgs: images}
	return newWrappedText(safeSegments(parsed.Segments, imgs, act)...)
}

// wrappedText is a word-wrapped RichText that wraps its text again only
// when its width changes. Fyne's RichText wraps on every resize, and a
// list sets a row's height several times per redraw while an answer
// grows: wrapping is most of what a redraw costs (the same lines at the
// same width break in the same places, whatever the height).
type wrappedText struct {
	widget.RichText
}

func newWrappedText(segs ...widget.RichTextSegment) *wrappedText {
	t := &wrappedText{}
	t.Segments = segs
	t.Wrapping = fyne.TextWrapWord
	t.Scroll = fyne.ScrollNone // as widget.NewRichText sets it
	t.ExtendBaseWidget(t)
	return t
}

// wrapAt wraps a new widget's text at width w, the width it will be
// shown at. Otherwise Fyne wraps it first at width zero (a word a line)
// when its size is first asked, then again when it is laid out.
func (t *wrappedText) wrapAt(w float32) {
	if t.Size().Width == 0 {
		t.BaseWidget.Resize(fyne.NewSize(w, 0))
	}
}

// Resize lays the lines out again without wrapping them when only the
// height changed.
func (t *wrappedText) Resize(size fyne.Size) {
	if size.Width == t.Size().Width {
		t.BaseWidget.Resize(size)
		return
	}
	t.RichText.Resize(size)
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
		case *widget.TextSegment, *widget.SeparatorSegment, *widget.CodeBlockSegment, *widget.CheckBoxSegment:
			out = append(out, t)
		default:
			out = append(out, &widget.TextSegment{Style: widget.RichTextStyleInline, Text: s.Textual()})
		}
	}
	return out
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
	return linkActions{copy: t.ui.copyText, open: t.ui.confirmOpen}
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
	d.Show()
}
