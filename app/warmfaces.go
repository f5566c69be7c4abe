package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
)

// Fyne loads a font face the first time text of its style is measured,
// parsing the theme's font and, for each style again, Fyne's emoji font:
// 10–15 ms a style on the build machine. Opening a chat whose last answers
// held a code block drew its first rows while two faces loaded (monospace
// for the code, and italic for its language label, which is regular since),
// a third of the time from opening it to rows on screen. So while a
// conversation loads, the window looks at the text of its last messages,
// and the UI thread, idle while the database is read, loads the faces they
// are drawn with. Only those: each face holds about 10 MB.

// warmTail is how many of a conversation's last messages decide which
// faces to load early, and warmBytes how much of their text (the newest):
// more than a window shows, little enough to be read before Load ends (a
// 2 MB answer's markdown takes longer to parse than the whole history).
const (
	warmTail  = 40
	warmBytes = 64 << 10
)

// loadConversation reads conversation id from h; call it off the UI
// thread. Meanwhile the faces its last messages use are loaded on the UI
// thread, ahead of the rows that need them. The load lasts (Config.Loading)
// until the caller calls loaded on the UI thread once it has shown the
// conversation (or the read's error), or loading(false) when it shows
// nothing. With preview set, a long conversation's newest messages are
// read first and handed to it on the UI thread (history.Preview); laying
// them out loads the faces they use, so they are not read a second time
// for that.
func (u *UI) loadConversation(h *history.Store, id string, preview func(*history.Preview)) (*chat.Conversation, error) {
	u.loading(true)
	previewed := false
	if preview != nil {
		// No preview when it cannot be read: Load then says why, if the
		// trouble lasts.
		if p, err := h.Preview(id, previewMessages); err == nil && p != nil {
			u.bridge.push(func() { preview(p) })
			previewed = true
		}
	}
	if !previewed {
		go func() {
			tail, err := h.Tail(id, warmTail)
			if err != nil {
				return // Load reports the trouble, if it lasts
			}
			if styles := faceStyles(newestText(tail, warmBytes)); len(styles) > 0 {
				u.bridge.push(func() { u.warm(styles) })
			}
		}()
	}
	if u.cfg.loadGate != nil && previewed {
		u.cfg.loadGate()
	}
	return h.Load(id)
}

// newestText keeps of texts (newest first) the newest budget bytes: whole
// texts while they fit, then the end of the next one from a line start
// (the end of a long answer is what its last rows draw), and nothing
// older. Empty texts (a picture alone, an answer stopped before its first
// word) are passed over. A cut inside a code block parses code lines as
// markdown, which may load a face the rows do not draw: only memory.
func newestText(texts []string, budget int) []string {
	var out []string
	for _, t := range texts {
		if t == "" {
			continue
		}
		if len(t) <= budget {
			out = append(out, t)
			budget -= len(t)
			continue
		}
		cut := len(t) - budget
		if nl := strings.IndexByte(t[cut:], '\n'); nl >= 0 {
			// One line longer than what is left is skipped whole.
			if rest := t[cut+nl+1:]; rest != "" {
				out = append(out, rest)
			}
		}
		break
	}
	return out
}

// warmFaces loads the font faces of styles, as measuring text does. Fyne's
// font caches may only be used on the UI thread.
func warmFaces(styles []fyne.TextStyle) {
	size := theme.TextSize()
	for _, s := range styles {
		fyne.MeasureText("M", size, s)
	}
}

// faceStyles lists the text styles, other than the plain one, that
// drawing messages with these texts measures (see renderMarked and row):
// markdown's own (bold, italic, monospace), and a code block's: its
// monospace text and the bold label of its Copy button. Each style is
// listed once. It builds no widget, so it may run off the UI thread.
func faceStyles(texts []string) []fyne.TextStyle {
	seen := map[fyne.TextStyle]bool{}
	var out []fyne.TextStyle
	add := func(s fyne.TextStyle) {
		if s != (fyne.TextStyle{}) && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, text := range texts {
		for _, b := range parseBlocks(text) {
			switch b.kind {
			case blockCode:
				add(codeStyle.TextStyle)
				add(fyne.TextStyle{Bold: true})
			case blockPlain:
			default:
				segmentStyles(markdownSegments(b.text, linkActions{}, false), false, add)
			}
		}
	}
	return out
}

// segmentStyles calls add with the text style of every segment in segs,
// nested ones included; bold is set in table header cells, which Fyne
// draws bold on top of their own style.
func segmentStyles(segs []widget.RichTextSegment, bold bool, add func(fyne.TextStyle)) {
	for _, s := range segs {
		switch s := s.(type) {
		case *widget.TextSegment:
			st := s.Style.TextStyle
			st.Bold = st.Bold || bold
			add(st)
		case *widget.HyperlinkSegment:
			add(s.TextStyle) // links, and image chips (italic; see imageChip)
		case *widget.CodeBlockSegment:
			add(codeStyle.TextStyle)
		case *widget.ListSegment:
			add(fyne.TextStyle{Bold: true}) // Fyne draws bullets and numbers bold
			segmentStyles(s.Items, false, add)
		case *widget.ParagraphSegment:
			segmentStyles(s.Texts, false, add)
		case *widget.TableSegment:
			for _, cell := range s.Headers {
				segmentStyles(cell, true, add)
			}
			for _, row := range s.Rows {
				for _, cell := range row {
					segmentStyles(cell, false, add)
				}
			}
		}
	}
}

// loading tells Config.Loading, if set, that a load starts or ends.
func (u *UI) loading(on bool) {
	u.holdHint(on)
	if u.cfg.Loading != nil {
		u.cfg.Loading(on)
	}
}

// loaded ends a load once what is queued now has been applied: call it on
// the UI thread right after showing the conversation, whose rows reach the
// list through the bridge (the controller's Reloaded event).
func (u *UI) loaded() {
	if !u.bridge.push(func() { u.loading(false) }) {
		u.loading(false) // the window is closing: nothing more is applied
	}
}
