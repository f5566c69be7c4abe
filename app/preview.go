package app

import (
	"fmt"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
)

// previewMessages is how many of a long chat's newest messages the window
// draws before it reads the whole chat: more than the tallest screen shows
// (a message's row is at least about 60 units tall).
const previewMessages = 40

// preview is the state of the rows while they are a preview
// (history.Preview) of a long chat being opened (reopened at start, or
// opened from the sidebar): the controller does not hold that chat yet
// (it holds the chat shown before), so nothing may act on the rows: a
// message's index on screen is not its index in the chat.
type preview struct {
	// on is set from showPreview until the whole chat (or another) is
	// shown: the controller's Reloaded event ends it.
	on bool
	// id is the chat previewed, and title its automatic title (its first
	// question; "" when the preview cannot tell), shown while it has no
	// title of its own.
	id, title string
	// before is the ID of the chat on screen before the preview (of the
	// first, when one preview replaced another); an empty chat is shown
	// again with that ID when the whole chat cannot be read and the
	// controller holds no chat (see dropPreview).
	before string
	// sendWhenLoaded: Enter was pressed meanwhile; the message is sent
	// into the chat once it is whole on screen, and stays in the input
	// if another chat is shown instead.
	sendWhenLoaded bool
	// open is the number (beginOpen) of the opening that drew it.
	open uint64
	// renamed: the chat was given a title meanwhile (conv.Title), which
	// the whole chat, read before, may not have yet.
	renamed bool
	// beforeTitle is the title of the chat on screen before, shown
	// again with it (see dropPreview): renames reach the window, not the
	// controller.
	beforeTitle string
}

// reopen shows the most recent chat, where the user left off, if the window
// still shows the empty chat it started with once that chat is read (see
// blank) and no chat was asked for since open (see beginOpen). A long
// chat's newest messages are drawn first (showPreview), then the whole of
// it. It reads the history: call it on a goroutine.
func (u *UI) reopen(h *history.Store, open uint64) {
	id, err := h.LatestID()
	if u.resumeSet {
		// The draft in the box was written in this chat: it is the one
		// to come back to, if it was saved (not a new chat).
		id, err = u.resume, nil
		if ok, herr := h.Has(id); herr != nil || !ok {
			return
		}
	}
	if err != nil || id == "" {
		return
	}
	if u.cfg.Trace != nil {
		u.cfg.Trace("opening the last conversation", time.Since(u.cfg.Started))
	}
	drawn := false // set and read on the UI thread
	conv, err := u.loadConversation(h, id, func(p *history.Preview) {
		if u.openCurrent(open) && u.blank() {
			u.showPreview(p, open)
			drawn = true
		}
	})
	if err != nil {
		// Nothing is reopened (the history's trouble, if it lasts, shows
		// when it is next written); the empty chat again if a preview
		// was drawn.
		if !u.bridge.push(func() {
			if drawn && u.openCurrent(open) {
				u.dropPreview(id)
			}
			u.loaded()
		}) {
			u.loading(false) // the window is closing
		}
		return
	}
	shown := u.bridge.push(func() {
		// Over its own preview, still up (no other chat, nor New chat,
		// shown over it since), or, without one, over the empty chat.
		if !u.openCurrent(open) {
			// Another chat was asked for meanwhile (it may still be on
			// its way, over the preview).
		} else if drawn && u.previewing() && u.conv.ID == u.preview.id || !drawn && u.blank() {
			u.showOverPreview(conv, -1)
			u.tracePending = len(conv.Messages)
		}
		u.loaded()
	})
	if !shown {
		u.loading(false) // the window is closing
	}
}

// blank reports whether the window shows the empty chat it started with,
// in the window and in the controller (which hears of a send before the
// window does), and nothing written waits to be sent into it: the last
// chat may be reopened over it.
func (u *UI) blank() bool {
	return len(u.msgs) == 0 && u.previewable() && u.ctl.Empty()
}

// beginOpen numbers a chat the user asks for (see UI.opens); call it on
// the UI thread as the request is made, and openCurrent(n) when the chat
// is read to know whether it is still the one asked for.
func (u *UI) beginOpen() uint64 {
	u.dropNote() // "Imported …", "Exported …": said of the chat being left
	u.opens++
	return u.opens
}

// openCurrent reports whether open, from beginOpen, is still the newest
// chat asked for.
func (u *UI) openCurrent(open uint64) bool { return u.opens == open }

// previewable reports whether a chat being opened may be previewed over
// the one on screen: nothing is being answered or waits to be sent into
// it (the preview would take the screen from what the controller still
// works on, and the whole chat could then not be set: ErrBusy).
func (u *UI) previewable() bool {
	return !u.busy && !u.sendWhenConnected && !u.draft.sendWhenRead && !u.ctl.Busy()
}

// showPreview draws the newest messages of a chat being opened, over the
// one on screen (callers check blank or previewable first).
func (u *UI) showPreview(p *history.Preview, open uint64) {
	c := p.Conversation
	auto := chat.TitleFrom([]chat.Message{{Role: chat.User, Content: p.FirstQuestion}}, titleRunes)
	before, beforeTitle := u.conv.ID, u.conv.Title
	if u.preview.on {
		before, beforeTitle = u.preview.before, u.preview.beforeTitle
	}
	u.preview = preview{on: true, id: c.ID, title: auto, before: before, beforeTitle: beforeTitle, open: open}
	u.conv = chat.Conversation{ID: c.ID, Title: c.Title, System: c.System, Examples: c.Examples, Overrides: c.Overrides}
	u.highlight = -1
	// The usage line sums the whole chat: it is told with the rest.
	u.setMessages(p.Messages, nil)
	u.showUsage(nil)
	u.transcript.relist()
	u.updateTitle()
	if u.cfg.Trace != nil {
		u.cfg.Trace(fmt.Sprintf("conversation first shown (%d of %d messages)", len(p.Messages), p.Total), time.Since(u.cfg.Started))
	}
}

// endPreview is called as a Reloaded event replaces the rows: a message
// written over the preview is sent once the chat it was written in is
// whole on screen, after the rows this event brings.
func (u *UI) endPreview() {
	if !u.preview.on {
		return
	}
	send, id := u.preview.sendWhenLoaded, u.preview.id
	u.preview = preview{}
	// The whole chat (or another) shows its end, as the preview did, even
	// if the preview was scrolled: the same offset in the whole chat is
	// somewhere near its beginning.
	u.transcript.follow, u.transcript.lastOffset = true, 0
	// (showConversation has set conv already: another chat opened over
	// the preview leaves the message in the input.)
	if send && u.conv.ID == id {
		u.bridge.push(func() {
			if u.conv.ID == id && !u.quitting {
				u.send()
			}
		})
	}
}

// showOverPreview shows conv, read whole, in place of its own preview if
// one is up: a title given to the chat meanwhile (renamed in the sidebar)
// is kept, the history having been read before it.
func (u *UI) showOverPreview(conv *chat.Conversation, highlight int) {
	if u.previewing() && u.preview.id == conv.ID && u.preview.renamed {
		conv.Title = u.conv.Title
	}
	u.showConversation(conv, highlight)
}

// dropPreview shows again the chat a preview was drawn over, when the
// whole chat could not be read: the controller's chat, which it still
// holds, or, when that is empty, an empty chat as before.
func (u *UI) dropPreview(id string) {
	if !u.preview.on || u.conv.ID != id {
		return
	}
	// A message written over the preview was meant for that chat: it
	// stays in the input, whether it waited for the chat or for the
	// connection.
	u.preview.sendWhenLoaded, u.sendWhenConnected = false, false
	if !u.ctl.Empty() {
		c := u.ctl.Conversation()
		if c.ID == u.preview.before {
			c.Title = u.preview.beforeTitle
		}
		u.showConversation(c, -1)
		return
	}
	// As New chat makes one: the profile's system message and examples
	// (none before the first connection, which then sets them).
	empty := &chat.Conversation{ID: u.preview.before, System: u.conn.Profile.Gen.SystemPrompt, Examples: u.conn.Profile.Gen.Examples}
	u.showConversation(empty, -1)
}

// previewing reports whether the rows are a preview; then nothing may act
// on them.
func (u *UI) previewing() bool { return u.preview.on }

// setMessages replaces the rows' messages and forgets what was open or
// shown about the old ones.
func (u *UI) setMessages(msgs, others []chat.Message) {
	u.msgs = msgs
	u.others = others
	u.outside = map[int]bool{}
	u.openReasoning = map[int]bool{}
	u.openFiles = map[[2]int]bool{}
	u.waitNote = map[int]string{}
	u.transcript.reset()
}
