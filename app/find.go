package app

import (
	"fmt"
	"image/color"
	"strings"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"

	"github.com/azchat/azchat/chat"
)

// finder is find in this chat (Ctrl+F): a bar above the input whose words
// are highlighted in the rendered text of the messages, code included,
// with "n of m" and a current match the transcript scrolls to. It also
// highlights the words of the history search that opened a conversation,
// in the message found (sidebar.go).
//
// The search runs over the messages' texts on a goroutine (rendering the
// markdown of a long chat to learn what it shows costs a parse per message,
// cached), and comes back through the bridge; only rows on screen are
// drawn again. An answer is not searched while it streams, so its rows keep
// their fast path; the matches are computed again once it has ended.
type finder struct {
	u      *UI
	bar    *fyne.Container
	entry  *findEntry
	count  *dimLabel
	prevB  *tipButton
	nextB  *tipButton
	closeB *tipButton

	// What the rows are drawn with, changed on the UI thread only.
	words   needles
	key     string // words as typed, part of every row's key
	matches []match
	hits    map[int]bool // the messages that hold a match
	cur     int          // matches[cur] is the current match; -1: none
	// side are the words of the history search that opened message
	// sideMsg, highlighted while the bar is closed.
	side    needles
	sideKey string
	sideMsg int

	// seq numbers searches: a newer one stops the older, whose results
	// are dropped. sig is what the latest search was run over.
	seq   atomic.Int64
	sig   []msgSig
	texts textCache
	// wg counts the searches running (tests wait for them).
	wg sync.WaitGroup
}

// match is the k-th match in block block of message msg.
type match struct{ msg, block, k int }

// before orders matches in reading order.
func (m match) before(o match) bool {
	if m.msg != o.msg {
		return m.msg < o.msg
	}
	if m.block != o.block {
		return m.block < o.block
	}
	return m.k < o.k
}

// msgSig is what tells that a message changed since it was searched.
type msgSig struct {
	status chat.Status
	n      int
	gen    int
}

func newFinder(u *UI) *finder {
	f := &finder{u: u, cur: -1, sideMsg: -1}
	f.entry = newFindEntry()
	f.entry.OnChanged = func(string) { f.search(true) }
	f.entry.onNext, f.entry.onPrev, f.entry.onClose = f.next, f.prev, f.close
	f.count = newDimLabel("")
	f.prevB = newTipButton(u.tips, theme.MoveUpIcon(), "Previous match (Shift+Enter)", f.prev)
	f.nextB = newTipButton(u.tips, theme.MoveDownIcon(), "Next match (Enter)", f.next)
	f.closeB = newTipButton(u.tips, theme.CancelIcon(), "Close (Esc)", f.close)
	// The count keeps one width, whatever it says: the entry beside it
	// jumped as "No matches" became "1 of 2".
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(max(newDimLabel("No matches").MinSize().Width, newDimLabel("8888 of 8888").MinSize().Width), 0))
	f.bar = container.NewBorder(nil, nil, nil, container.NewHBox(container.NewStack(room, f.count), f.prevB, f.nextB, f.closeB), f.entry)
	f.bar.Hide()
	return f
}

// openFind shows the find bar (Ctrl+F).
func (u *UI) openFind() { u.find.open() }

// open shows the bar with its entry focused; the words it had are
// selected, so typing replaces them and Enter goes on from where it was.
func (f *finder) open() {
	f.clearSide()
	f.bar.Show()
	f.u.win.Canvas().Focus(f.entry)
	if f.entry.Text != "" {
		f.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
		f.search(true)
	}
}

// close hides the bar, removes every highlight and gives the focus back
// to the message box.
func (f *finder) close() {
	f.seq.Add(1) // a search still running is dropped
	f.clearSide()
	f.show(needles{}, "", nil, false)
	f.sig = nil
	f.texts.clear()
	f.bar.Hide()
	f.u.tips.hide()
	f.u.win.Canvas().Focus(f.u.input)
}

// showWords highlights the words of a history search (query) in message
// id of the conversation it opened; id -1 clears them.
func (f *finder) showWords(query string, id int) {
	f.clearSide()
	if id < 0 || strings.TrimSpace(query) == "" {
		return
	}
	if f.bar.Visible() {
		f.close() // the bar's words would hide the search's
	}
	// The NUL keeps the key apart from any the bar's text could make.
	f.side, f.sideKey, f.sideMsg = newNeedles(strings.Fields(query), true), "\x00side:"+query, id
	f.redraw(map[int]bool{id: true})
}

func (f *finder) clearSide() {
	if f.sideMsg >= 0 {
		id := f.sideMsg
		f.side, f.sideKey, f.sideMsg = needles{}, "", -1
		f.redraw(map[int]bool{id: true})
	}
}

// search looks for the bar's text in the messages on a goroutine; scroll
// says whether the transcript then shows the current match (the user
// typed), or stays where the reader is (an answer ended).
func (f *finder) search(scroll bool) {
	seq := f.seq.Add(1)
	text := f.entry.Text
	f.sig = f.signature()
	if strings.TrimSpace(text) == "" {
		f.show(needles{}, "", nil, false)
		return
	}
	words := newNeedles([]string{text}, false)
	msgs := make([]string, len(f.u.msgs))
	user := make([]bool, len(f.u.msgs))
	for i, m := range f.u.msgs {
		if m.Status != chat.Streaming {
			msgs[i], user[i] = m.Content, m.Role == chat.User
		}
	}
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		var found []match
		for id, content := range msgs {
			if f.seq.Load() != seq {
				return // a newer search is on its way
			}
			for b, runs := range f.texts.get(id, content, user[id]) {
				k := 0
				for _, run := range runs {
					for range words.findAll(run) {
						found = append(found, match{msg: id, block: b, k: k})
						k++
					}
				}
			}
		}
		f.u.bridge.push(func() {
			if f.seq.Load() == seq {
				f.show(words, text, found, scroll)
			}
		})
	}()
}

// show makes found the matches rows are drawn with, keeps the current
// match where it was (the first match from there on), and draws again the
// rows whose highlights changed.
func (f *finder) show(words needles, key string, found []match, scroll bool) {
	dirty := f.hits
	if dirty == nil {
		dirty = map[int]bool{}
	}
	hits := map[int]bool{}
	for _, m := range found {
		hits[m.msg], dirty[m.msg] = true, true
	}
	cur := -1
	if len(found) > 0 {
		cur = 0
		if f.cur >= 0 {
			from := f.matches[f.cur]
			for i, m := range found {
				if !m.before(from) {
					cur = i
					break
				}
			}
		}
	}
	f.words, f.key, f.matches, f.hits, f.cur = words, key, found, hits, cur
	f.showCount()
	f.redraw(dirty)
	if scroll {
		f.scrollToCurrent()
	}
}

func (f *finder) showCount() {
	switch {
	case f.key == "":
		f.count.SetText("")
	case len(f.matches) == 0:
		f.count.SetText("No matches")
	default:
		f.count.SetText(fmt.Sprintf("%d of %d", f.cur+1, len(f.matches)))
	}
}

// next makes the next match current (Enter), after the last the first.
func (f *finder) next() { f.step(1) }

// prev makes the previous match current (Shift+Enter).
func (f *finder) prev() { f.step(-1) }

func (f *finder) step(d int) {
	n := len(f.matches)
	if n == 0 {
		return
	}
	old := f.matches[f.cur].msg
	f.cur = (f.cur + d + n) % n
	f.showCount()
	f.redraw(map[int]bool{old: true, f.matches[f.cur].msg: true})
	f.scrollToCurrent()
}

// changed searches again when the messages changed since the last search
// (an answer ended, a message was added, another chat opened). The
// transcript calls it after every change, so it costs a glance at each
// message's status and length.
func (f *finder) changed() {
	if f == nil || !f.bar.Visible() || f.entry.Text == "" {
		return
	}
	same := len(f.sig) == len(f.u.msgs)
	for i := 0; same && i < len(f.u.msgs); i++ {
		same = f.sig[i] == f.sigOf(i)
	}
	if !same {
		f.search(false)
	}
}

func (f *finder) signature() []msgSig {
	sig := make([]msgSig, len(f.u.msgs))
	for i := range f.u.msgs {
		sig[i] = f.sigOf(i)
	}
	return sig
}

// sigOf is message i's signature. A streaming answer's length is left
// out: it is not searched until it ends, and every batch of text would
// start a search for nothing.
func (f *finder) sigOf(i int) msgSig {
	m := f.u.msgs[i]
	s := msgSig{status: m.Status, gen: f.u.transcript.generation}
	if m.Status != chat.Streaming {
		s.n = len(m.Content)
	}
	return s
}

// wordsFor is what is highlighted in message id, and the key of that.
func (f *finder) wordsFor(id int) (needles, string) {
	if id < 0 || id >= len(f.u.msgs) || f.u.msgs[id].Status == chat.Streaming {
		return needles{}, ""
	}
	if f.hits[id] {
		return f.words, f.key
	}
	if id == f.sideMsg && id == f.u.highlight {
		return f.side, f.sideKey
	}
	return needles{}, ""
}

// rowKey is what find highlights in list item it, "" for nothing: a row
// whose key changed draws its body again.
func (f *finder) rowKey(it item) string {
	if f == nil {
		return ""
	}
	_, key := f.wordsFor(it.msg)
	if key == "" {
		return ""
	}
	if f.cur >= 0 {
		m := f.matches[f.cur]
		first, n := f.u.transcript.partRange(it)
		if m.msg == it.msg && m.block >= first && m.block < first+n {
			return fmt.Sprintf("%s\x00%d.%d", key, m.block, m.k)
		}
	}
	return key
}

// marksFor is what to highlight in the blocks of row r from block keep of
// its part on.
func (f *finder) marksFor(r *row, keep int) *marks {
	if f == nil || r.item < 0 || r.item >= len(f.u.transcript.items) {
		return nil
	}
	words, key := f.wordsFor(r.id)
	if key == "" {
		return nil
	}
	mk := &marks{words: words, cur: -1}
	if f.cur >= 0 && f.matches[f.cur].msg == r.id {
		first, _ := f.u.transcript.partRange(f.u.transcript.items[r.item])
		mk.cur, mk.curK = f.matches[f.cur].block-first-keep, f.matches[f.cur].k
	}
	return mk
}

// redraw draws the rows of messages ids again, those on screen now, the
// others when they are shown: their heights are measured again, as bold
// matches can wrap the text differently.
func (f *finder) redraw(ids map[int]bool) {
	t := f.u.transcript
	for id := range ids {
		last := t.lastItem(id)
		for i := t.firstItem(id); i >= 0 && i <= last; i++ {
			delete(t.heights, i)
			if r, ok := t.onScreen[i]; ok && r.item == i {
				t.list.RefreshItem(i)
			}
		}
	}
}

// partRange is where list item it's blocks are among its message's: the
// index of the first, and how many.
func (t *transcript) partRange(it item) (first, n int) {
	p := t.parsedFor(it.msg)
	if p.parts == nil {
		return 0, len(p.blocks)
	}
	for q := 0; q < it.part && q < len(p.parts); q++ {
		first += len(p.parts[q])
	}
	if it.part < len(p.parts) {
		n = len(p.parts[it.part])
	}
	return first, n
}

// itemOfBlock is the list item that shows block b of message id.
func (t *transcript) itemOfBlock(id, b int) int {
	i := t.firstItem(id)
	if i < 0 {
		return -1
	}
	for p := t.parsedFor(id); p.parts != nil && i < t.lastItem(id); i++ {
		if first, n := t.partRange(t.items[i]); b < first+n {
			break
		}
	}
	return i
}

// findEntry is the find bar's entry: Enter goes to the next match,
// Shift+Enter to the previous one, Esc closes the bar.
type findEntry struct {
	shiftEntry
	onNext, onPrev, onClose func()
}

func newFindEntry() *findEntry {
	e := &findEntry{}
	e.SetPlaceHolder("Find in this chat")
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey moves between matches on Enter and closes on Esc.
func (e *findEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.shift {
			e.onPrev()
		} else {
			e.onNext()
		}
		return
	case fyne.KeyEscape:
		e.onClose()
		return
	}
	e.Entry.TypedKey(k)
}

// withFind adds "Find in this chat…" (Ctrl+F) to the Edit menu. The menu
// item is what makes Ctrl+F work while the message box has the focus:
// the driver hands a shortcut to the focused entry, which drops the ones
// it does not know, and checks the main menu first.
func (u *UI) withFind(m *fyne.MainMenu) *fyne.MainMenu {
	for _, menu := range m.Items {
		if menu.Label == "Edit" {
			item := fyne.NewMenuItem("Find in this chat…", u.unlessDialog(u.openFind))
			item.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
			search := fyne.NewMenuItem("Search all chats", u.unlessDialog(func() { u.side.focusSearch() }))
			search.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyK, Modifier: fyne.KeyModifierShortcutDefault}
			menu.Items = append([]*fyne.MenuItem{item, search, fyne.NewMenuItemSeparator()}, menu.Items...)
		}
	}
	return m
}
