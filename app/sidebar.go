package app

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
)

// sidebar lists saved conversations newest first, or search hits while
// the search box has text. Every database call runs on a goroutine and
// comes back through the bridge.
type sidebar struct {
	u      *UI
	root   fyne.CanvasObject
	search *searchEntry
	list   *chatList
	// none says a search found nothing (an empty list said nothing).
	none *dimLabel

	items []sideItem
	timer *time.Timer
	runs  int // runs started: only the newest one's result is shown
	// stopRun gives up the run before (a search over a large history
	// takes a while; its result would not be shown).
	stopRun context.CancelFunc
	listed  int // results shown (tests)
	// listedQuery is the search the items listed are for ("" for the
	// chats); toListPending: Down or Enter came before its results.
	listedQuery   string
	toListPending bool
	marked        string // the chat whose row UpdateItem marked last (markShown)
	// tall are the rows fitRows made two lines tall, of twoLines; the
	// others are oneLine.
	tall              map[int]bool
	oneLine, twoLines float32
	// followingDays: the dates are drawn again as the day changes
	// (followDays).
	followingDays bool
	// toMarked: the row of the chat shown is to be scrolled to.
	toMarked bool
}

type sideItem struct {
	id      string
	title   string
	snippet string
	node    int64  // the message a search hit, 0 otherwise
	query   string // the search that found it
	// when is the chat's last change, or when a hit's message was written.
	when time.Time
}

func newSidebar(u *UI) *sidebar {
	s := &sidebar{u: u}
	s.search = newSearchEntry()
	s.search.SetPlaceHolder("Search all chats (" + shortcutMod() + "K)")
	s.search.OnChanged = s.searchChanged
	s.search.toList, s.search.onEsc = s.toList, s.escSearch
	s.list = &chatList{onEsc: u.stop}
	s.list.Length = func() int { return len(s.items) }
	s.list.CreateItem = s.newRow
	s.list.UpdateItem = s.fillRow
	s.list.ExtendBaseWidget(s.list)
	s.list.OnSelected = func(id widget.ListItemID) {
		if id < len(s.items) {
			s.open(s.items[id])
		}
		// Nothing stays selected: each click opens its row's chat (the
		// row of the chat shown is marked in UpdateItem).
		s.list.UnselectAll()
		// The message box, not the list (which a click focuses), gets
		// the keys: the next message is typed at once, and Esc stops an
		// answer.
		if s.list.keyed {
			// Opened by Space, whose character the window delivers
			// after the key: to the message box, were it focused now
			// (it typed a space there).
			u.focusSoon(u.input)
		} else if c := u.win.Canvas(); c != nil {
			c.Focus(u.input)
		}
	}
	newChat := widget.NewButtonWithIcon("New chat", theme.ContentAddIcon(), u.newChat)
	s.none = newDimLabel("")
	s.none.Wrapping = fyne.TextWrapWord
	s.none.Hide()
	// The list after the box above it in the objects, as on screen: Tab
	// goes New chat, search, chats (NewBorder puts the middle first).
	top := container.NewVBox(newChat, s.search, s.none)
	s.root = container.New(layout.NewBorderLayout(top, nil, nil, nil), top, s.list)
	return s
}

// chatList is the sidebar's list of chats. A click gives it the keys
// (Fyne focuses a list as its row is tapped; the row is unselected at
// once, see OnSelected): Esc then stops an answer, as it does anywhere
// outside a field.
type chatList struct {
	widget.List
	onEsc func()
	// keyed is set while a key (Space or Enter) opens a chat.
	keyed bool
}

// TypedKey stops an answer on Esc; Enter opens the chat highlighted, as
// Space does; other keys move in the list.
func (l *chatList) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		if l.onEsc != nil {
			l.onEsc()
			return
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		k = &fyne.KeyEvent{Name: fyne.KeySpace, Physical: k.Physical}
	}
	l.keyed = k.Name == fyne.KeySpace
	l.List.TypedKey(k)
	l.keyed = false
}

// markShown marks the row of the chat shown, when another is shown than
// the one marked (the window's title follows the same changes).
func (s *sidebar) markShown() {
	if s == nil || s.marked == s.u.conv.ID {
		return
	}
	s.marked = s.u.conv.ID
	s.list.Refresh()
	s.toMarked = true
	s.scrollToMarked()
}

// scrollToMarked brings the row of the chat shown into view, once after
// it is marked (when the list has it: an imported chat is listed by its
// date, maybe far down), not at each reload (the list would jump back
// while the user looks through it).
func (s *sidebar) scrollToMarked() {
	if !s.toMarked {
		return
	}
	for i, it := range s.items {
		if it.id == s.marked {
			s.toMarked = false
			s.list.ScrollTo(i)
			return
		}
	}
}

// maxSearchChats is how many chats a search lists.
const maxSearchChats = 100

// reload refreshes the list (or the search) from the database.
func (s *sidebar) reload() { s.run(s.search.Text) }

func (s *sidebar) schedule(q string) {
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(200*time.Millisecond, func() {
		s.u.bridge.push(func() {
			// Not a search the box no longer holds: its timer may have
			// fired just before the box changed (cleared, a chat
			// deleted), and it would list hits under an empty box.
			if q == s.search.Text {
				s.run(q)
			}
		})
	})
}

func (s *sidebar) run(q string) {
	h := s.u.history
	if h == nil {
		return
	}
	s.runs++
	run := s.runs
	if s.stopRun != nil {
		s.stopRun()
	}
	ctx, stop := context.WithCancel(context.Background())
	s.stopRun = stop
	go func() {
		defer stop()
		var items []sideItem
		var err error
		if strings.TrimSpace(q) == "" {
			var list []history.Summary
			list, err = h.List(0, 0)
			for _, c := range list {
				items = append(items, sideItem{id: c.ID, title: chat.OneLine(c.Title, chat.MaxTitleRunes), when: c.Updated})
			}
		} else {
			var hits []history.Hit
			// One row a chat, its best match: the list is of chats (the
			// words are highlighted in the chat opened).
			hits, err = h.SearchContext(ctx, q, maxSearchChats)
			for _, hit := range hits {
				snippet := snippetLine(hit)
				if hit.File != "" {
					// Found in a file attached to the message, not in its
					// text: named after the words found, which the narrow
					// list shows first.
					snippet += " (in " + chat.OneLine(hit.File, 40) + ")"
				}
				items = append(items, sideItem{id: hit.ConversationID, title: chat.OneLine(hit.Title, chat.MaxTitleRunes), snippet: snippet, node: hit.Node, query: q, when: hit.Time})
			}
		}
		s.u.bridge.push(func() {
			if run != s.runs || q != s.search.Text {
				// A newer search or reload is on its way (or the box
				// holds another search now): this result, read earlier,
				// may be older than one already shown.
				return
			}
			if err != nil {
				s.none.Hide() // it was about another search
				s.u.connLabel.SetText("History unavailable: " + err.Error())
				return
			}
			s.items = items
			if strings.TrimSpace(q) != "" && len(items) == 0 {
				s.none.SetText("No chat has “" + chat.OneLine(strings.TrimSpace(q), 60) + "” in its messages or files.")
				s.none.Show()
			} else {
				s.none.Hide()
			}
			s.fitRows()
			s.listed++
			s.listedQuery = q
			s.list.Refresh()
			s.scrollToMarked()
			if s.toListPending {
				// Down or Enter came before these results (see toList).
				s.toListPending = false
				if s.u.win.Canvas().Focused() == fyne.Focusable(s.search) {
					s.toList()
				}
			}
		})
	}()
}

// open shows the chat of a sidebar item; a search hit opens at the message
// found. A long chat's newest messages are drawn first (showPreview), then
// the whole of it; a hit is drawn whole at once (it may be far from the
// end). Only the chat asked for last is shown: clicking through the list,
// the chats read slowly come back after the one clicked last.
func (s *sidebar) open(it sideItem) {
	u := s.u
	if it.id == u.ctl.ConversationID() && it.node == 0 && !u.previewing() {
		u.beginOpen()
		return // the chat shown, its answer going on
	}
	if u.busy || u.ctl.Busy() {
		what := "open the other chat"
		if it.id == u.ctl.ConversationID() {
			what = "show the message found" // a hit in the chat being answered
		}
		u.stopFirst(what, func() { s.open(it) })
		return
	}
	if it.id == u.conv.ID && it.node == 0 {
		switch {
		case !u.previewing():
			// The chat shown: a chat clicked before, still being read,
			// is not shown over it.
			u.beginOpen()
			return
		case u.openCurrent(u.preview.open):
			return // its own read goes on
		}
		// Its preview, with another chat clicked since: read it again.
	}
	if it.node > 0 && it.id == u.ctl.ConversationID() && !u.previewing() {
		// A hit in the chat the controller holds: its copy in memory is
		// the newest (a write may be queued, or have failed and wait for
		// Retry), and the history's would replace it.
		u.beginOpen()
		conv := u.conversationNow()
		u.showHit(conv, conv.Activate(it.node), it.query)
		return
	}
	open := u.beginOpen()
	h := u.history
	if u.cfg.Trace != nil {
		u.cfg.Trace("opening a conversation from the sidebar", time.Since(u.cfg.Started))
	}
	var preview func(*history.Preview)
	if it.node == 0 {
		preview = func(p *history.Preview) {
			if u.openCurrent(open) && u.previewable() {
				u.showPreview(p, open)
			}
		}
	}
	go func() {
		conv, err := u.loadConversation(h, it.id, preview)
		index := -1
		if err == nil && it.node > 0 {
			// The branch that holds the message found becomes the one shown.
			index = conv.Activate(it.node)
		}
		shown := u.bridge.push(func() {
			defer u.loaded()
			if !u.openCurrent(open) {
				return // another chat was asked for since
			}
			if err != nil {
				// A preview on screen is an older opening's (its read
				// was left for this one) or this one's.
				if u.previewing() {
					u.dropPreview(u.conv.ID)
				}
				u.showError(fmt.Errorf("the conversation could not be opened: %w", err))
				return
			}
			if u.ctl.Busy() {
				// An answer began in the chat on screen meanwhile (so no
				// preview was drawn): it stays.
				return
			}
			if it.node > 0 {
				u.showHit(conv, index, it.query)
				return
			}
			u.showOverPreview(conv, -1)
			u.tracePending = len(conv.Messages)
		})
		if !shown {
			u.loading(false) // the window is closing
		}
	}()
}

// showHit shows conv, opened from a search hit at message index (-1 when
// the message is not on its path), with the words searched for
// highlighted in that message and scrolled to.
func (u *UI) showHit(conv *chat.Conversation, index int, query string) {
	u.showOverPreview(conv, index)
	u.tracePending = len(conv.Messages)
	u.find.showWords(query, index)
	if index >= 0 {
		u.transcript.follow = false
		// After the conversation's messages reach the list (they come
		// through the bridge too).
		u.bridge.push(u.find.scrollToWords)
	}
}

func (s *sidebar) rename(it sideItem) {
	e := newEscEntry(s.u.win, false)
	e.SetText(it.title)
	d := dialog.NewForm("Rename chat", "Rename", "Cancel", []*widget.FormItem{widget.NewFormItem("Title", e)}, func(ok bool) {
		if ok {
			s.renameTo(it.id, e.Text)
		}
		// The keys were left with the row's menu button.
		s.u.focusSoon(s.u.input)
	}, s.u.win)
	e.OnSubmitted = func(string) { d.Submit() } // Enter renames
	d.Resize(fyne.NewSize(440, 160))
	showEscapable(s.u.win, d)
	// Typed into at once, the title selected: what is typed replaces it.
	s.u.win.Canvas().Focus(e)
	e.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// renameTo gives chat id a title ("" for the automatic one): at once in
// the window's title if it is the chat on screen (or previewed: see
// showOverPreview), and in the history off the UI thread.
func (s *sidebar) renameTo(id, title string) {
	title = chat.OneLine(title, chat.MaxTitleRunes)
	s.u.ctl.SetTitle(id, title) // a fork made next is named after it
	if id == s.u.conv.ID {
		s.u.preview.renamed = s.u.previewing()
		s.u.conv.Title = title
		s.u.title = ""
		s.u.updateTitle()
	}
	go func() {
		err := s.u.history.Rename(id, title)
		s.u.bridge.push(func() {
			if err != nil {
				s.u.showError(err)
			}
			s.reload()
		})
	}()
}

func (s *sidebar) confirmDelete(it sideItem) {
	c := dialog.NewConfirm("Delete chat?", "\""+it.title+"\" and all its messages will be deleted. This cannot be undone.", func(ok bool) {
		if !ok {
			return
		}
		s.deleteChat(it.id)
	}, s.u.win)
	c.SetConfirmText("Delete")
	c.SetConfirmImportance(widget.DangerImportance)
	showEscapable(s.u.win, c)
}

// deleteChat removes a conversation from the history off the UI thread. An
// answer streaming into it is stopped first, and the delete waits behind
// every save already queued, so no late save brings the chat back.
func (s *sidebar) deleteChat(id string) {
	// The controller's conversation, not the last event applied, is what
	// an answer may still be saving into; a preview's chat (not yet the
	// controller's) is open too. Deleting the controller's chat while
	// another is previewed shows a new chat as well: the controller must
	// let go of the chat before it is deleted.
	open := id == s.u.ctl.ConversationID() || s.u.previewing() && id == s.u.preview.id
	if open && s.u.ctl.Busy() {
		s.u.ctl.Stop()
		go func() {
			s.u.ctl.Wait()
			s.u.bridge.push(func() { s.deleteChat(id) })
		}()
		return
	}
	if open {
		s.u.beginOpen()
		s.u.showConversation(&chat.Conversation{ID: chat.NewConversationID()}, -1)
	}
	go func() {
		// Behind every save queued (no late save brings the chat back),
		// and with the copy a failed write left in memory (nor does
		// Retry).
		err := s.u.ctl.Discard(id, s.u.history.Delete)
		s.u.bridge.push(func() {
			if err != nil {
				s.u.showError(err)
			}
			s.reload()
		})
	}()
}

func (u *UI) openFolder(dir string) {
	if err := u.fyneApp.OpenURL(&url.URL{Scheme: "file", Path: dir}); err != nil {
		u.inform("Folder", dir)
	}
}

// conversationNow is the open conversation as the controller has it.
func (u *UI) conversationNow() *chat.Conversation {
	c := u.ctl.Conversation()
	c.Title = u.conv.Title
	return c
}
