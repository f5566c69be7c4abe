package app

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/azchat/azchat/chat"
)

// scrollToCurrent shows the current match.
func (f *finder) scrollToCurrent() {
	if f.cur >= 0 {
		m := f.matches[f.cur]
		f.scrollToMatch(m.msg, m.block, f.words, m.k)
	}
}

// scrollToWords shows the first of the history search's words in the
// message it found (the message's start if they are not seen).
func (f *finder) scrollToWords() {
	id, t := f.sideMsg, f.u.transcript
	if id < 0 || id >= len(f.u.msgs) {
		return
	}
	for b, blk := range t.parsedFor(id).blocks {
		for _, run := range findText(blk) {
			if len(f.side.findAll(run)) > 0 {
				f.scrollToMatch(id, b, f.side, 0)
				return
			}
		}
	}
	f.scrollToMatch(id, 0, needles{}, -1)
}

// scrollToMatch shows match k of words in block b of message id (k < 0:
// the block's start): the list item that holds it and, as an item can be
// taller than the list (a message is one item up to splitBytes, a block
// up to a piece of 2 KB), the line of the match, with the block's start
// when both fit.
func (f *finder) scrollToMatch(id, b int, words needles, k int) {
	t := f.u.transcript
	i := t.itemOfBlock(id, b)
	if i < 0 {
		return
	}
	t.follow = false   // the reader goes to the match, not to the end
	t.list.ScrollTo(i) // fills and lays out the rows now on screen
	first, _ := t.partRange(t.items[i])
	r, ok := t.onScreen[i]
	if !ok || r.item != i || b-first < 0 || b-first >= len(r.body.Objects) {
		return
	}
	obj := r.body.Objects[b-first]
	d := f.u.fyneApp.Driver()
	top := d.AbsolutePositionForObject(t.list).Y
	y := d.AbsolutePositionForObject(obj).Y - top // the block's start
	line := theme.TextSize()
	dy := float32(0) // the match's line in the block
	if blocks := t.parsedFor(id).blocks; k >= 0 && b < len(blocks) {
		// The runs the search found the match in (kept), else the
		// block's alone: not a parse of the whole message here.
		m := f.u.msgs[id]
		var runs []string
		if kept, ok := f.texts.peek(id, m.Content, m.Role == chat.User); ok && b < len(kept) {
			runs = kept[b]
		} else {
			runs = findText(blocks[b])
		}
		dy = matchY(obj, blocks[b], runs, words, k)
	}
	h := t.list.Size().Height
	if y+dy >= 0 && y+dy+2*line <= h {
		return // in view
	}
	if dy+2*line <= h*2/3 {
		t.list.ScrollToOffset(t.list.GetScrollOffset() + y - theme.Padding()) // the block's start, the match under it
		return
	}
	t.list.ScrollToOffset(t.list.GetScrollOffset() + y + dy - h/3) // the match a third down the list
}

// matchY is where the line holding match k of words in blk (whose text
// runs find searched are runs) starts, below the top of obj, the widget
// drawn for blk. The lines of a code or plain
// block are measured: the text up to the match (and the rest of its word,
// which word wrap keeps on one line) is laid out at the width the block
// has. A markdown block is not one text: there the match's share of the
// block's text gives the place.
func matchY(obj fyne.CanvasObject, blk block, runs []string, words needles, k int) float32 {
	wt := textOf(obj)
	if wt == nil {
		return 0
	}
	at, total := -1, 0
	end := 0
	for _, run := range runs {
		if at < 0 {
			found := words.findAll(run)
			if k < len(found) {
				at, end = total+found[k][0], total+found[k][1]
			} else {
				k -= len(found)
			}
		}
		total += len(run)
	}
	if at < 0 || total == 0 {
		return 0
	}
	d := fyne.CurrentApp().Driver()
	textTop := d.AbsolutePositionForObject(wt).Y - d.AbsolutePositionForObject(obj).Y
	if (blk.kind != blockCode && blk.kind != blockPlain) || len(runs) != 1 {
		return textTop + wt.Size().Height*float32(at)/float32(total)
	}
	text := runs[0]
	if i := strings.IndexFunc(text[end:], unicode.IsSpace); i >= 0 {
		end += i
	} else {
		end = len(text)
	}
	style := codeStyle
	if blk.kind == blockPlain {
		style = widget.RichTextStyleInline
	}
	height := func(s string) float32 {
		rt := widget.NewRichText(&widget.TextSegment{Style: style, Text: s})
		rt.Wrapping = wt.Wrapping
		if wt.plain {
			rt.Wrapping = fyne.TextWrapWord // as its breaks were found (breakPlain)
		}
		rt.Resize(fyne.NewSize(wt.Size().Width, 0))
		return rt.MinSize().Height
	}
	// A text of n lines is n lines high with the spacing between them and
	// a padding above and below: its last line starts one line (and the
	// padding below) above its end.
	return textTop + height(text[:end]) - height("x") + theme.InnerPadding()
}

// textOf is the text widget of a block's widget: itself, or the code in
// a code block's box.
func textOf(o fyne.CanvasObject) *wrappedText {
	switch w := o.(type) {
	case *wrappedText:
		return w
	case *fyne.Container:
		for _, c := range w.Objects {
			if t := textOf(c); t != nil {
				return t
			}
		}
	}
	return nil
}
