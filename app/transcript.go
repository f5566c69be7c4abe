package app

import (
	"image/color"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
)

// row is one message on screen. Rows are recycled by the list, so a row
// keeps references to its parts instead of rebuilding them.
type row struct {
	root    *fyne.Container
	header  *widget.Label
	outside *widget.Label
	body    *fyne.Container
	spinner *widget.Activity
	badge   *widget.Label
	action  *widget.Button
	copyB   *widget.Button
	editB   *widget.Button
	regenB  *widget.Button
	deleteB *widget.Button
	overlay *canvas.Rectangle

	id      int
	gen     int
	content string
	status  chat.Status
	blocks  []block
}

// rowWidget lets the list hand a row back to us in UpdateItem without a
// lookup table (the list makes throw-away rows to measure its template).
type rowWidget struct {
	widget.BaseWidget
	r *row
}

func newRowWidget(r *row) *rowWidget {
	w := &rowWidget{r: r}
	w.ExtendBaseWidget(w)
	return w
}

// CreateRenderer draws the row's content.
func (w *rowWidget) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(w.r.root) }

// transcript is the virtualised message list: only rows on screen exist,
// heights are measured per message and width and cached.
type transcript struct {
	ui      *UI
	list    *widget.List
	parsed  map[int]parsedEntry
	heights map[int]heightEntry
	measure *row
	// onScreen maps a message to the row showing it, if the list made one.
	onScreen map[int]*row

	// generation changes when the message list is replaced, so recycled
	// rows rebuild even if index and text happen to match.
	generation int

	follow     bool
	lastOffset float32
}

type parsedEntry struct {
	content   string
	blocks    []block
	streaming bool
	stream    *streamParse // while streaming
}

type heightEntry struct {
	width   float32
	content int // len(content), a cheap change marker with status
	status  chat.Status
	outside bool
	h       float32
}

func newTranscript(u *UI) *transcript {
	t := &transcript{ui: u, onScreen: map[int]*row{}, parsed: map[int]parsedEntry{}, heights: map[int]heightEntry{}, follow: true}
	t.list = widget.NewList(
		func() int { return len(u.msgs) },
		func() fyne.CanvasObject { return newRowWidget(t.newRow()) },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			w, ok := o.(*rowWidget)
			if !ok || id >= len(u.msgs) {
				return
			}
			r := w.r
			if r.id >= 0 && t.onScreen[r.id] == r {
				delete(t.onScreen, r.id)
			}
			t.fill(r, id)
			t.onScreen[id] = r
			t.checkHeight(id, r)
		},
	)
	t.list.OnSelected = func(id widget.ListItemID) { t.list.Unselect(id) }
	t.measure = t.newRow()
	return t
}

func (t *transcript) newRow() *row {
	r := &row{id: -1}
	r.header = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.outside = widget.NewLabelWithStyle("not sent — outside the context window", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	r.outside.Importance = widget.LowImportance
	r.outside.Hide()
	r.body = container.NewVBox()
	r.spinner = widget.NewActivity()
	r.spinner.Hide()
	r.badge = widget.NewLabel("")
	r.badge.Wrapping = fyne.TextWrapWord
	r.badge.Importance = widget.WarningImportance
	r.action = widget.NewButton("", nil)
	r.action.Importance = widget.HighImportance
	r.copyB = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() { t.ui.copyMessage(r.id) })
	r.editB = widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { t.ui.editMessage(r.id) })
	r.regenB = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() { t.ui.regenerate() })
	r.deleteB = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { t.ui.deleteMessage(r.id) })
	for _, b := range []*widget.Button{r.copyB, r.editB, r.regenB, r.deleteB} {
		b.Importance = widget.LowImportance
	}
	actions := container.NewHBox(r.copyB, r.editB, r.regenB, r.deleteB)
	head := container.NewBorder(nil, nil, container.NewHBox(r.header, r.spinner), actions, r.outside)
	status := container.NewBorder(nil, nil, nil, r.action, r.badge)
	r.overlay = canvas.NewRectangle(color.Transparent)
	r.overlay.Hide()
	content := container.NewVBox(head, r.body, status)
	r.root = container.NewStack(content, r.overlay)
	return r
}

// fill shows message id in r, rebuilding the body only when the text changed.
func (t *transcript) fill(r *row, id int) {
	m := t.ui.msgs[id]
	prev := r.id
	r.id = id
	who := "You"
	switch m.Role {
	case chat.Assistant:
		who = "Assistant"
	case chat.System:
		who = "System"
	}
	h := who
	if !m.Time.IsZero() {
		h += " · " + m.Time.Local().Format("15:04")
	}
	if m.Role == chat.Assistant && m.Model != "" {
		h += " · " + m.Model
	}
	r.header.SetText(h)
	outside := t.ui.outside[id]
	if outside {
		r.outside.Show()
		r.overlay.FillColor = dimColor(t.ui.fyneApp)
		r.overlay.Show()
	} else if id == t.ui.highlight {
		// The message a search opened.
		r.outside.Hide()
		r.overlay.FillColor = highlightColor(t.ui.fyneApp)
		r.overlay.Show()
	} else {
		r.outside.Hide()
		r.overlay.Hide()
	}
	if m.Status == chat.Streaming {
		r.spinner.Show()
		r.spinner.Start()
	} else {
		r.spinner.Stop()
		r.spinner.Hide()
	}
	if r.content != m.Content || prev != id || r.gen != t.generation || len(r.body.Objects) == 0 || r.status != m.Status {
		blocks := t.blocks(id, m.Content, m.Status == chat.Streaming)
		// While an answer streams only its last block changes: keep the
		// widgets of the blocks before it, so a redraw costs the tail only.
		keep := 0
		if prev == id && r.gen == t.generation && len(r.body.Objects) == len(r.blocks) {
			for keep < len(blocks) && keep < len(r.blocks) && sameBlock(blocks[keep], r.blocks[keep]) {
				keep++
			}
		}
		r.gen = t.generation
		objs := append(r.body.Objects[:keep:keep], renderBlocks(blocks[keep:], t.links())...)
		r.blocks = blocks
		r.body.Objects = objs
		r.body.Refresh()
		r.content = m.Content
	}
	r.status = m.Status
	badge, label, action := badgeFor(m, t.ui.waitNote[id])
	r.badge.SetText(badge)
	if badge == "" {
		r.badge.Hide()
	} else {
		r.badge.Show()
	}
	if label == "" {
		r.action.Hide()
	} else {
		r.action.SetText(label)
		r.action.OnTapped = func() { t.ui.runAction(action, id) }
		r.action.Show()
	}
	last := id == len(t.ui.msgs)-1
	r.editB.Hidden = m.Role != chat.User
	r.regenB.Hidden = !(m.Role == chat.Assistant && last && m.Status != chat.Streaming)
	r.deleteB.Hidden = m.Status == chat.Streaming
	r.copyB.Hidden = m.Content == ""
}

func sameBlock(a, b block) bool { return a == b }

// blocks parses a message's markdown once per distinct content.
// While a message streams, only its last top-level block is parsed again
// (streamParse); once it has ended, it is parsed whole, once.
func (t *transcript) blocks(id int, content string, streaming bool) []block {
	if p, ok := t.parsed[id]; ok && p.content == content && p.streaming == streaming {
		return p.blocks
	}
	var b []block
	if streaming {
		sp := t.parsed[id].stream
		if sp == nil {
			sp = &streamParse{tail: -1}
		}
		b = streamingBlocks(sp.extend(content))
		t.parsed[id] = parsedEntry{content: content, blocks: b, streaming: true, stream: sp}
		return b
	}
	b = parseBlocks(content)
	t.parsed[id] = parsedEntry{content: content, blocks: b}
	return b
}

// checkHeight measures the row at the list's width and tells the list when
// the height changed (fyne-io/fyne#3834: rows of one list differ in height).
func (t *transcript) checkHeight(id int, r *row) {
	w := t.rowWidth()
	m := t.ui.msgs[id]
	e, ok := t.heights[id]
	if ok && e.width == w && e.content == len(m.Content) && e.status == m.Status && e.outside == t.ui.outside[id] {
		return
	}
	h := measureHeight(r.root, w)
	t.heights[id] = heightEntry{width: w, content: len(m.Content), status: m.Status, outside: t.ui.outside[id], h: h}
	if !ok || e.h != h {
		t.list.SetItemHeight(id, h)
	}
}

func measureHeight(o fyne.CanvasObject, w float32) float32 {
	o.Resize(fyne.NewSize(w, o.MinSize().Height))
	h := o.MinSize().Height
	// Wrapped text reports its height for the width it was last laid out
	// at; one more pass settles it (fyne-io/fyne#5585).
	o.Resize(fyne.NewSize(w, h))
	return o.MinSize().Height
}

func (t *transcript) rowWidth() float32 {
	w := t.list.Size().Width - theme.ScrollBarSize() - 2*theme.Padding()
	if w < 200 {
		w = 200
	}
	return w
}

// refreshRow redraws one message (the streaming one) and follows the end
// of the transcript unless the user scrolled away.
func (t *transcript) refreshRow(id int) {
	if id < 0 || id >= len(t.ui.msgs) {
		return
	}
	t.list.RefreshItem(id)
	if r, ok := t.onScreen[id]; !ok || r.id != id {
		// A row not on screen is not filled by the list: measure it here,
		// so its height is right when it scrolls into view.
		t.fill(t.measure, id)
		t.checkHeight(id, t.measure)
	}
	t.followEnd()
}

func (t *transcript) followEnd() {
	if !t.follow {
		return
	}
	if off := t.list.GetScrollOffset(); off+1 < t.lastOffset {
		t.follow = false // the user scrolled up
		return
	}
	t.list.ScrollToBottom()
	t.lastOffset = t.list.GetScrollOffset()
}

// reset forgets per-message caches after the list changed as a whole.
func (t *transcript) reset() {
	t.parsed = map[int]parsedEntry{}
	t.heights = map[int]heightEntry{}
	t.onScreen = map[int]*row{}
	t.generation++
	t.list.Refresh()
}

func dimColor(a fyne.App) color.Color {
	bg := a.Settings().Theme().Color(theme.ColorNameBackground, a.Settings().ThemeVariant())
	r, g, b, _ := bg.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 140}
}

func highlightColor(a fyne.App) color.Color {
	c := a.Settings().Theme().Color(theme.ColorNamePrimary, a.Settings().ThemeVariant())
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 40}
}

// badgeFor returns the status line of a message and its action.
func badgeFor(m chat.Message, wait string) (text, label string, action chat.Action) {
	switch m.Status {
	case chat.Streaming:
		if wait != "" {
			return wait, "", ""
		}
		return "", "", ""
	case chat.Stopped:
		return "Stopped — the answer was cut short when you pressed Stop.", "Regenerate", chat.ActionRetry
	case chat.Interrupted:
		t := "Interrupted — the answer ended before it finished."
		if m.Error != "" {
			t += " " + capitalize(m.Error) + "."
		}
		return t, "Retry", chat.ActionRetry
	case chat.Truncated:
		return "Cut by the reply limit (finish_reason: length).", "Continue", actionContinue
	case chat.Filtered:
		cats := m.Filter.Triggered()
		t := "Filtered by Azure's content filter"
		if len(cats) > 0 {
			t += ": " + strings.Join(cats, ", ")
		}
		return t + ".", "", ""
	case chat.Failed:
		if wait != "" {
			return wait, "", ""
		}
		return "Failed — " + capitalize(m.Error) + ".", labelFor(m), actionFor(m)
	}
	return "", "", ""
}

// actionContinue is the UI's own action for truncated answers.
const actionContinue chat.Action = "continue"

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// actionFor is the button a failed message offers: the action the error
// map chose, stored with the message. Messages from before azchat kept it
// (and imports) offer Retry, which produces a fresh, typed error.
func actionFor(m chat.Message) chat.Action {
	if m.Action != "" && m.Action != chat.ActionWait {
		return m.Action
	}
	return chat.ActionRetry
}

func labelFor(m chat.Message) string {
	switch actionFor(m) {
	case chat.ActionOpenSettings:
		return "Open settings"
	case chat.ActionEdit:
		return "Edit message"
	case chat.ActionNewChat:
		return "New chat"
	}
	return "Retry"
}
