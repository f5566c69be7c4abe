package app

import (
	"image/color"
	"slices"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
)

// A message longer than splitBytes is shown as several list items of
// about partBytes each, so the list virtualises it like any other rows:
// only the parts on screen have widgets, and a streaming answer lays out
// its last part only. Shorter messages (nearly all) are one item. A part
// holds several blocks (long text is cut into pieces of pieceBytes), each
// its own widget, wrapped once: a part can be larger than a piece, and
// every list item a stream scrolls past unseen costs the list a refresh
// to give it a height, so fewer, larger parts cost less.
const (
	splitBytes = 16 << 10
	partBytes  = 8 << 10
)

// item is one row of the list: part part of message msg.
type item struct {
	msg, part int
	last      bool // the message's last part, which shows its status
}

// transcript is the virtualised message list: only rows on screen exist,
// heights are measured per item and width and cached.
type transcript struct {
	ui      *UI
	list    *widget.List
	parsed  map[int]parsedEntry
	heights map[int]heightEntry
	// empty is the size of a row with no message (emptyRowSize).
	empty struct {
		key  [2]float32
		size fyne.Size
	}
	// onScreen maps a list item to the row showing it, if the list made one.
	onScreen map[int]*row

	items []item
	first []int // the first item of each message

	// generation changes when the message list is replaced, so recycled
	// rows rebuild even if index and text happen to match, and when the
	// theme's colours change (restyle).
	generation int
	// style is the theme colours the rows were built in (restyle), and
	// styles counts its changes.
	style  [4]color.NRGBA
	styles int

	follow     bool
	lastOffset float32
	// passing is set while relist refreshes the list on its way to the
	// end; passed, once a row was left unfilled then.
	passing, passed bool
	thumbs          thumbs
}

type parsedEntry struct {
	content   string
	blocks    []block
	parts     [][]block // blocks by list item, for a message over splitBytes
	streaming bool
	stream    *streamParse // while streaming
}

// heightEntry is a measured item; the rest of its fields tell whether what
// was measured is still what the item shows.
type heightEntry struct {
	width   float32
	msg     int
	blocks  []block
	status  chat.Status
	outside bool
	first   bool
	last    bool
	// reasoning is the reasoning summary shown open above the answer
	// (first part only), "" when closed or absent; files is filesKey.
	reasoning string
	files     string
	// usage is the answer's usage line (last part only); ending, whether
	// its actions wait for the turn to end (endingTurn, last part only).
	usage  string
	ending bool
	// newest: the message is the chat's last (last part only), which
	// alone shows Continue or Retry (onNewestOnly).
	newest bool
	h      float32
	// estimated: h is a guess from the text (the item was not on screen).
	estimated bool
}

func newTranscript(u *UI) *transcript {
	t := &transcript{ui: u, onScreen: map[int]*row{}, parsed: map[int]parsedEntry{}, heights: map[int]heightEntry{}, follow: true}
	t.list = widget.NewList(
		func() int { return len(t.items) },
		func() fyne.CanvasObject { return t.newRowWidget() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			w, ok := o.(*rowWidget)
			if !ok || i >= len(t.items) {
				return
			}
			r := w.row()
			if r.item >= 0 && t.onScreen[r.item] == r {
				delete(t.onScreen, r.item)
			}
			if t.passing && !t.shows(r, i) {
				r.item = -1 // filled whole when it is next shown
				t.passed = true
				return
			}
			t.fill(r, i)
			t.onScreen[i] = r
			t.checkHeight(i, r)
		},
	)
	// Every message opens with its own separator (row.sep): the list's
	// would also fall between the parts of a long message.
	t.list.HideSeparators = true
	t.list.OnSelected = func(id widget.ListItemID) { t.list.Unselect(id) }
	return t
}

// rebuild lays out the list items of message from and every message
// after it, and reports whether the number of items changed.
func (t *transcript) rebuild(from int) bool {
	msgs := t.ui.msgs
	from = min(from, len(t.first))
	n := len(t.items)
	if from < len(t.first) {
		t.items, t.first = t.items[:t.first[from]], t.first[:from]
	}
	for id := from; id < len(msgs); id++ {
		t.first = append(t.first, len(t.items))
		parts := 1
		if len(msgs[id].Content) > splitBytes {
			parts = max(1, len(t.parsedFor(id).parts))
		}
		for p := 0; p < parts; p++ {
			t.items = append(t.items, item{msg: id, part: p, last: p == parts-1})
		}
	}
	return len(t.items) != n
}

// firstItem is the list item where message id begins.
func (t *transcript) firstItem(id int) int {
	if id < 0 || id >= len(t.first) {
		return -1
	}
	return t.first[id]
}

// lastItem is the list item where message id ends.
func (t *transcript) lastItem(id int) int {
	if id < 0 || id >= len(t.first) {
		return -1
	}
	if id+1 < len(t.first) {
		return t.first[id+1] - 1
	}
	return len(t.items) - 1
}

// scrollTo shows the beginning of message id.
func (t *transcript) scrollTo(id int) {
	if i := t.firstItem(id); i >= 0 {
		t.list.ScrollTo(i)
	}
}

// partBlocks is what list item it shows.
func (t *transcript) partBlocks(it item) []block {
	p := t.parsedFor(it.msg)
	if p.parts == nil {
		return p.blocks
	}
	if it.part < len(p.parts) {
		return p.parts[it.part]
	}
	return nil
}

// blockOffset is where the blocks row r shows start among its message's
// blocks (its list item's part follows the parts before it). It can change
// when an answer ends and the full parse groups its blocks anew (where
// goldmark turned a paragraph the stream had already cut, streamParse).
func (t *transcript) blockOffset(r *row) int {
	if r.item < 0 || r.item >= len(t.items) {
		return 0
	}
	it := t.items[r.item]
	p := t.parsedFor(it.msg)
	n := 0
	for i := 0; i < it.part && i < len(p.parts); i++ {
		n += len(p.parts[i])
	}
	return n
}

// parsedFor parses a message's markdown once per distinct content.
// While a message streams, only its last top-level block is parsed again
// (streamParse); once it has ended, it is parsed whole, once.
func (t *transcript) parsedFor(id int) parsedEntry {
	m := t.ui.msgs[id]
	streaming := m.Status == chat.Streaming
	p, ok := t.parsed[id]
	if ok && p.content == m.Content && p.streaming == streaming {
		return p
	}
	var b []block
	var sp *streamParse
	if streaming {
		sp = p.stream
		if sp == nil {
			sp = &streamParse{tail: -1}
		}
		b = streamingBlocks(sp.extend(m.Content))
	} else {
		b = messageBlocks(m.Content, m.Role == chat.User)
	}
	p = parsedEntry{content: m.Content, blocks: b, streaming: streaming, stream: sp}
	if len(m.Content) > splitBytes {
		p.parts = groupBlocks(b)
	}
	t.parsed[id] = p
	return p
}

// groupBlocks gathers blocks into parts: a part ends once it holds
// partBytes. Cut from the start, and a growing block staying in its part,
// parts only ever grow as text streams in: a part followed by another is
// final, and no height shrinks under a reader following the end (the full
// parse when the answer ends gives the same blocks, but where goldmark
// turned a paragraph the stream had already cut: see streamParse).
func groupBlocks(blocks []block) [][]block {
	var parts [][]block
	start, size := 0, 0
	for i, b := range blocks {
		if i > start && size >= partBytes {
			parts = append(parts, blocks[start:i:i])
			start, size = i, 0
		}
		size += len(b.text)
	}
	return append(parts, blocks[start:len(blocks):len(blocks)])
}

// checkHeight measures the row at the list's width and tells the list when
// the height changed (fyne-io/fyne#3834: rows of one list differ in height).
func (t *transcript) checkHeight(i int, r *row) {
	w := t.rowWidth()
	it := t.items[i]
	e, ok := t.heights[i]
	now := t.heightKey(it, w, r.blocks)
	if ok && e.same(now) {
		return
	}
	now.h = measureHeight(r.root, w)
	t.heights[i] = now
	if !ok || e.h != now.h {
		t.list.SetItemHeight(i, now.h)
	}
}

// heightKey is what the height of item it depends on: its blocks, and for
// the first and last part of a message the header and status around them.
func (t *transcript) heightKey(it item, w float32, blocks []block) heightEntry {
	e := heightEntry{width: w, msg: it.msg, blocks: blocks, first: it.part == 0, last: it.last}
	if e.first || e.last {
		e.status, e.outside = t.ui.msgs[it.msg].Status, t.ui.outside[it.msg]
	}
	if m := t.ui.msgs[it.msg]; e.last && m.Role == chat.Assistant && m.Status != chat.Streaming {
		e.usage = answerCostLine(m)
		e.ending = t.endingTurn(it.msg)
	}
	if e.last {
		e.newest = it.msg == len(t.ui.msgs)-1
	}
	if e.first && t.ui.openReasoning[it.msg] {
		e.reasoning = shownReasoning(t.ui.msgs[it.msg].Reasoning)
	}
	if e.first {
		e.files = t.filesKey(it.msg)
	}
	return e
}

// estimateHeight gives list item i a height from the length of its text,
// until it is shown and measured.
func (t *transcript) estimateHeight(i int) {
	it := t.items[i]
	w := t.rowWidth()
	blocks := t.partBlocks(it)
	size := theme.TextSize()
	perLine := max(1, int(w/(size*0.55))) // an average character is about half as wide as the text is high
	lines := 0
	for _, b := range blocks {
		for rest, more := b.text, true; more; {
			var l string
			l, rest, more = strings.Cut(rest, "\n")
			lines += 1 + utf8.RuneCountInString(l)/perLine
		}
		if !b.cont {
			lines++ // the padding between blocks (a piece continues the one before)
		}
	}
	if it.part == 0 || it.last {
		lines += 2 // header, status
	}
	if it.part == 0 && len(t.ui.msgs[it.msg].Attachments) > 0 {
		lines += int((thumbSide+8)/(size+theme.LineSpacing())) + len(t.ui.msgs[it.msg].Attachments)
	}
	e := t.heightKey(it, w, blocks)
	e.estimated = true
	e.h = float32(lines) * (size + theme.LineSpacing())
	prev, ok := t.heights[i]
	t.heights[i] = e
	if !ok || prev.h != e.h {
		t.list.SetItemHeight(i, e.h)
	}
}

// same reports whether two measures are of the same content at one width
// (an estimate is never the same as a measure).
func (e heightEntry) same(o heightEntry) bool {
	return !e.estimated && !o.estimated && e.sameContent(o)
}

// sameContent reports whether two measures or estimates are of the same
// content at one width.
func (e heightEntry) sameContent(o heightEntry) bool {
	return e.width == o.width && e.msg == o.msg && e.status == o.status && e.outside == o.outside &&
		e.first == o.first && e.last == o.last && e.reasoning == o.reasoning && e.files == o.files && e.usage == o.usage && e.ending == o.ending && e.newest == o.newest && slices.Equal(e.blocks, o.blocks)
}

func measureHeight(o fyne.CanvasObject, w float32) float32 {
	o.Resize(fyne.NewSize(w, o.MinSize().Height))
	h := o.MinSize().Height
	// Wrapped text reports its height for the width it was last laid out
	// at; one more pass settles it (fyne-io/fyne#5585).
	o.Resize(fyne.NewSize(w, h))
	return o.MinSize().Height
}

// rowWidth is the width the list gives its items, the whole of its own
// (its scroll bar floats over them). Rows are measured at exactly this
// width: at any other, the list's layout would wrap their text again.
func (t *transcript) rowWidth() float32 {
	if w := t.list.Size().Width; w > 0 {
		return w
	}
	return 200 // not laid out yet
}

// relist lays out every item again after messages were added, replaced or
// marked, and redraws the list.
func (t *transcript) relist() {
	follow := t.following()
	t.rebuild(0)
	// Following, the rows the refresh lays out at the old offset (on
	// opening a chat, its first ones) are scrolled away at once: those not
	// already showing their item are left unfilled and unmeasured.
	// Measuring rows is what a refresh costs (each new height refreshes the
	// list again), and the list cannot scroll to its new end before a
	// refresh has sized it.
	t.passing = follow
	t.list.Refresh()
	t.passing = false
	if follow {
		t.toEnd()
		if t.passed {
			// Fill the rows left unfilled that are still on screen (toEnd
			// sets up only rows that were not there before).
			t.passed = false
			t.list.Refresh()
			// Their measured heights may have moved the end.
			t.toEnd()
		}
	}
	t.ui.find.changed() // matches move with the messages
	t.ui.updateHint()
}

// refreshRow redraws one message (the streaming one) and follows the end
// of the transcript unless the user scrolled away. Only its items whose
// blocks changed are drawn or measured again.
func (t *transcript) refreshRow(id int) {
	if id < 0 || id >= len(t.ui.msgs) {
		return
	}
	// Whether the reader is at the end is decided before the message
	// changes: a height that changes under the list moves its offset.
	follow := t.following()
	if t.rebuild(id) {
		t.list.Refresh()
	}
	// While it streams, from the last part back: parts are cut from the
	// start, so once one before the last is unchanged, so is every part
	// before it. Once it has ended, the full parse may have changed any
	// part: those off screen are measured again when they are shown.
	streaming := t.ui.msgs[id].Status == chat.Streaming
	for i := t.lastItem(id); i >= 0 && t.items[i].msg == id; i-- {
		it := t.items[i]
		if e, ok := t.heights[i]; ok && !it.last && e.sameContent(t.heightKey(it, e.width, t.partBlocks(it))) {
			if streaming {
				break
			}
			continue
		}
		if r, ok := t.onScreen[i]; ok && r.item == i {
			t.list.RefreshItem(i)
			continue
		}
		// A row not on screen is not filled by the list, and laying it out
		// here would cost as much as the text that arrived (a fast stream
		// can bring a hundred kilobytes between two redraws): it gets a
		// height estimated from its text, measured when it is shown.
		t.estimateHeight(i)
	}
	if follow {
		t.toEnd()
	}
	t.ui.find.changed() // an answer that ended is searched
}

// toggleReasoning opens or closes an answer's reasoning summary; the row
// is filled and measured again.
func (t *transcript) toggleReasoning(id int) {
	if id < 0 || id >= len(t.ui.msgs) {
		return
	}
	t.ui.openReasoning[id] = !t.ui.openReasoning[id]
	if i := t.firstItem(id); i >= 0 {
		t.list.RefreshItem(i)
	}
}

// following reports whether the transcript follows its end, which it does
// until the reader scrolls up from where toEnd left it.
func (t *transcript) following() bool {
	if t.follow && t.list.GetScrollOffset()+1 < t.lastOffset {
		t.follow = false // the user scrolled up
	}
	return t.follow
}

// scrolled scrolls the transcript as a turn of the mouse wheel over it
// does (Fyne's scroll container moves its offset by the turn's DY).
func (t *transcript) scrolled(ev *fyne.ScrollEvent) {
	t.list.ScrollToOffset(t.list.GetScrollOffset() - ev.Scrolled.DY)
}

// toEnd shows the end of the transcript.
func (t *transcript) toEnd() {
	t.list.ScrollToBottom()
	t.lastOffset = t.list.GetScrollOffset()
}

// reset forgets per-message caches after the list changed as a whole. It
// does not refresh the list: its callers (chat.Reloaded, in apply, and
// showPreview) relist next, and a refresh here would lay out the old
// offset's rows once more.
func (t *transcript) reset() {
	t.parsed = map[int]parsedEntry{}
	t.heights = map[int]heightEntry{}
	t.onScreen = map[int]*row{}
	t.items, t.first = nil, nil
	t.generation++
	t.rebuild(0)
}
