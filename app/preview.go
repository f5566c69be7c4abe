package app

import (
	"fmt"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
)

// previewMessages is how many of a long chat's newest messages the window
// draws while it reads the rest: more than the tallest screen shows (a
// message's row is at least about 60 units tall).
const previewMessages = 40

// preview is the state of the rows while they are a preview
// (history.Preview) of the chat being reopened: the controller does not
// hold that chat yet, so nothing may act on the rows: a message's index on
// screen is not its index in the chat.
type preview struct {
	// on is set from showPreview until the whole chat (or another) is
	// shown: the controller's Reloaded event ends it.
	on bool
	// id is the chat previewed, and title its title as the window shows
	// it ("" when the preview cannot tell).
	id, title string
	// before is the ID of the empty chat the preview was drawn over,
	// shown again when the whole chat cannot be read.
	before string
	// sendWhenLoaded: Enter was pressed meanwhile; the message is sent
	// into the chat once it is whole on screen, and stays in the input
	// if another chat is shown instead.
	sendWhenLoaded bool
}

// showPreview draws the newest messages of the chat being reopened. Only
// over an empty chat with nothing waiting to be sent (the caller checks).
func (u *UI) showPreview(p *history.Preview) {
	c := p.Conversation
	title := c.Title
	if title == "" {
		title = chat.TitleFrom([]chat.Message{{Role: chat.User, Content: p.FirstQuestion}}, titleRunes)
	}
	u.preview = preview{on: true, id: c.ID, title: title, before: u.conv.ID}
	u.conv = chat.Conversation{ID: c.ID, Title: c.Title, System: c.System, Examples: c.Examples, Overrides: c.Overrides}
	u.highlight = -1
	// The usage line sums the whole chat: it is told with the rest.
	u.setMessages(p.Messages, nil)
	u.usage.SetText("")
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

// dropPreview shows again the empty chat a preview was drawn over, when
// the whole chat could not be read.
func (u *UI) dropPreview(id string) {
	if !u.preview.on || u.conv.ID != id {
		return
	}
	// As New chat makes one: the profile's system message and examples
	// (none before the first connection, which then sets them).
	empty := &chat.Conversation{ID: u.preview.before, System: u.conn.Profile.Gen.SystemPrompt, Examples: u.conn.Profile.Gen.Examples}
	u.preview.sendWhenLoaded = false
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
