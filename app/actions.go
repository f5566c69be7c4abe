package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
)

// doubleClick is how soon after Send a tap on the button (Stop by then)
// is the second click of a double-click, not a Stop.
const doubleClick = 500 * time.Millisecond

func (u *UI) sendOrStop() {
	if u.busy {
		if u.now().Sub(u.sentAt) < doubleClick {
			return // a double-click on Send stopped the answer it sent
		}
		u.stop()
		return
	}
	u.sentAt = u.now()
	u.send()
}

func (u *UI) send() {
	text := u.input.Text
	atts := u.draft.attachments()
	if u.draft.reading > 0 {
		// Files are still being read: send as soon as they are, into
		// this chat.
		u.draft.sendWhenRead, u.draft.readChat = true, u.conv.ID
		return
	}
	if strings.TrimSpace(text) == "" && len(atts) == 0 {
		return
	}
	if u.connectPending() {
		// The profile and its key are still being read (the keychain
		// answers a moment after the window is up, longer on a busy
		// machine; or a profile was just chosen, or settings saved):
		// send once they are, rather than fail the answer with "not
		// connected" or send it with the profile of before. The text
		// stays in the input meanwhile.
		u.sendWhenConnected, u.waitChat = true, u.conv.ID
		u.connLabel.SetText("Connecting…")
		return
	}
	if !u.connOK && u.keyUnread && !u.quitting {
		// The key was there but could not be read (the keychain locked,
		// its unlock cancelled): read it again, the unlock asked again,
		// and send once connected. Settings would only ask the same.
		u.sendWhenConnected, u.waitChat = true, u.conv.ID
		if u.cfg.Secrets != nil {
			u.cfg.Secrets.AskAgain()
		}
		u.reconnect()
		u.connLabel.SetText("Connecting…")
		return
	}
	if !u.canSend() {
		// No connection (none saved, a key the keychain does not have,
		// an address that is not one): the settings say what is missing,
		// and the message stays in the input.
		return
	}
	if u.previewing() {
		// The chat's older messages are still being read (a moment):
		// send once the chat is whole on screen. The text stays in the
		// input meanwhile.
		u.preview.sendWhenLoaded = true
		return
	}
	// Whether a turn is running is the controller's to say: the window
	// hears that the last one ended a moment after it did, and Enter
	// pressed then must send. While one runs, SendWith refuses (ErrBusy)
	// and the text stays in the input.
	if err := u.ctl.SendWith(text, atts); err != nil {
		if !errors.Is(err, chat.ErrBusy) {
			u.inform("Message not sent", err.Error())
		}
		return
	}
	u.input.SetText("")
	u.draft.clear()
	u.followNew()
	u.win.Canvas().Focus(u.input)
}

// followNew makes the transcript follow the answer a turn just started
// (a message sent, regenerated, edited and resent, retried or continued)
// to its end, wherever the reader had scrolled: after Regenerate the new
// answer streamed below the list's end, out of view.
func (u *UI) followNew() {
	u.transcript.follow = true
	u.transcript.lastOffset = 0
}

// stopWaitDefault is how long Stop (or Esc) waits on the UI thread for the
// controller's stopped answer, which takes it a millisecond or a few; past
// it the answer comes through the bridge's queue, as everything else does.
const stopWaitDefault = 50 * time.Millisecond

// stop ends the turn in flight. The stopped answer is applied here, before
// the loop draws the frame this click or key press came in: through the
// bridge's queue it came a frame later, and under a fast stream a frame
// costs tens of milliseconds to draw. (The button turns back to Send when
// the turn ends, once the answer is on disk.)
func (u *UI) stop() {
	if u.ctl.StopWithin(u.stopWait) {
		u.bridge.flushNow()
	}
}

func (u *UI) runAction(a chat.Action, id int) {
	if onNewestOnly(a) && (u.previewing() || !u.canSend()) {
		// Nothing acts on a preview's rows (app/preview.go); canSend
		// says why nothing can be sent now.
		return
	}
	var err error
	switch a {
	case actionContinue:
		if err = u.ctl.Continue(); err == nil {
			u.followNew()
		}
	case chat.ActionRetry, chat.ActionWait:
		if err = u.ctl.Retry(); err == nil {
			u.followNew()
		}
	case chat.ActionOpenSettings:
		u.showSettings()
	case chat.ActionEdit:
		// The prompt was refused: put the question back to be rephrased,
		// with its files (an image refused can then be taken off; a
		// message that was only an image would give back nothing).
		for i := id; i >= 0; i-- {
			if i < len(u.msgs) && u.msgs[i].Role == chat.User {
				u.giveBack(u.msgs[i].Content)
				u.draft.restore(u.msgs[i].Attachments)
				u.win.Canvas().Focus(u.input)
				break
			}
		}
	case chat.ActionNewChat:
		u.newChat()
	}
	if err != nil && !errors.Is(err, chat.ErrBusy) {
		u.inform("azchat", err.Error())
	}
}

func (u *UI) copyText(s string) {
	u.fyneApp.Clipboard().SetContent(s)
	u.noteChat("Copied") // a click on Copy otherwise showed nothing
}

func (u *UI) copyMessage(id int) {
	if id >= 0 && id < len(u.msgs) {
		u.copyText(u.msgs[id].Content)
	}
}

func (u *UI) copyLastAnswer() {
	for i := len(u.msgs) - 1; i >= 0; i-- {
		if u.msgs[i].Role == chat.Assistant && u.msgs[i].Content != "" {
			u.copyText(u.msgs[i].Content)
			return
		}
	}
}

func (u *UI) editMessage(id int) {
	if u.previewing() || !u.canSend() {
		return // (as runAction; checked before the text is edited)
	}
	if id < 0 || id >= len(u.msgs) || u.msgs[id].Role != chat.User {
		return
	}
	u.editMessageText(id, u.msgs[id].Content)
}

// editMessageText opens edit & resend for message id with text in it.
func (u *UI) editMessageText(id int, text string) {
	entry := newEscEntry(u.win, true)
	entry.SetText(text)
	entry.SetMinRowsVisible(6)
	chatID := u.ctl.ConversationID()
	d := dialog.NewForm("Edit and resend", "Resend", "Cancel", []*widget.FormItem{widget.NewFormItem("", entry)}, func(ok bool) {
		if !ok {
			return
		}
		if u.chatChanged(chatID) {
			// Another chat is shown now (one clicked in the sidebar just
			// before came): message id is not the one edited. The text
			// is kept in the input (after what is there already), where
			// it can be sent or dropped.
			if strings.TrimSpace(u.input.Text) == "" {
				u.input.SetText(entry.Text)
			} else {
				u.input.SetText(u.input.Text + "\n\n" + entry.Text)
			}
			return
		}
		// Settings were saved meanwhile (a menu reaches them over the
		// dialog): the edit opens again, its text kept, to be resent
		// once connected; without a connection, under the settings.
		if u.connectPending() {
			u.connLabel.SetText("Connecting…")
			u.editMessageText(id, entry.Text)
			return
		}
		if !u.connOK {
			u.editMessageText(id, entry.Text)
			u.showSettings()
			return
		}
		if err := u.ctl.Edit(id, entry.Text); err != nil {
			u.inform("Not resent", err.Error())
			return
		}
		u.followNew()
	}, u.win)
	entry.onCtrlEnter = d.Submit // Enter breaks the line, as in the message box's Shift+Enter
	d.Resize(fyne.NewSize(560, 320))
	showEscapable(u.win, d)
	u.win.Canvas().Focus(entry) // typed into at once, at the end of the text
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyPageDown})
}

// chatChanged reports whether the chat a dialog was opened on (the
// controller's then, chatID) is no longer the one shown: a message index
// taken then means nothing now.
func (u *UI) chatChanged(chatID string) bool {
	return u.previewing() || u.ctl.ConversationID() != chatID
}

// switchBranch shows the previous (−1) or next (+1) version of message id.
func (u *UI) switchBranch(id, delta int) {
	if u.previewing() {
		return // nothing acts on a preview's rows (app/preview.go)
	}
	if err := u.ctl.SwitchBranch(id, delta); err != nil {
		if !errors.Is(err, chat.ErrNoBranch) {
			u.inform("azchat", switchRefused(err))
		}
		return
	}
	// Another path: the meter counts it with what is being written.
	u.ctl.CheckWith(u.input.Text, u.draft.attachments())
}

// fork copies the chat up to message id into a new chat and opens it.
func (u *UI) fork(id int) {
	if u.previewing() {
		return // nothing acts on a preview's rows (app/preview.go)
	}
	f, err := u.ctl.Fork(id)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, chat.ErrBusy) {
			msg = "An answer is being written: stop it or wait for it before forking."
		}
		u.inform("Not forked", msg)
		return
	}
	u.beginOpen()
	u.conv = chat.Conversation{ID: f.ID, Title: f.Title, System: f.System, Examples: f.Examples, Overrides: f.Overrides}
	u.highlight = -1
	u.title = ""
	u.updateTitle()
	u.ctl.CheckWith(u.input.Text, u.draft.attachments())
	u.win.Canvas().Focus(u.input)
}

// switchRefused says why another version cannot be shown now.
func switchRefused(err error) string {
	if errors.Is(err, chat.ErrBusy) {
		return "An answer is being written: stop it or wait for it before switching versions."
	}
	return err.Error()
}

func (u *UI) regenerate() {
	if u.previewing() || !u.canSend() {
		return // (as runAction)
	}
	err := u.ctl.Regenerate()
	if err == nil {
		u.followNew()
	} else if !errors.Is(err, chat.ErrBusy) {
		u.inform("azchat", err.Error())
	}
}

func (u *UI) deleteMessage(id int) {
	if u.previewing() {
		return // nothing acts on a preview's rows (app/preview.go)
	}
	chatID := u.ctl.ConversationID()
	c := dialog.NewConfirm("Delete message?", deleteMessageText(u.msgs, id), func(ok bool) {
		if ok && !u.chatChanged(chatID) {
			if err := u.ctl.Delete(id); err != nil {
				u.inform("Not deleted", err.Error())
				return
			}
			// Fewer messages: the meter counts what is left.
			u.ctl.CheckWith(u.input.Text, u.draft.attachments())
		}
	}, u.win)
	c.SetConfirmText("Delete")
	c.SetConfirmImportance(widget.DangerImportance)
	showEscapable(u.win, c)
}

// deleteMessageText says what deleting message id of msgs (the path on
// screen) removes: a message with other versions goes with that version
// of the conversation after it (chat.Controller.Delete).
func deleteMessageText(msgs []chat.Message, id int) string {
	if id < 0 || id >= len(msgs) {
		return ""
	}
	if msgs[id].Branches <= 1 {
		return "The message is removed from this conversation; the messages before and after it stay. This cannot be undone."
	}
	after := len(msgs) - id - 1
	what := "This version of the message is deleted"
	switch after {
	case 0:
	case 1:
		what += ", with the message after it"
	default:
		what += fmt.Sprintf(", with the %d messages after it", after)
	}
	others := "The other versions of this message stay."
	if msgs[id].Branches == 2 {
		others = "The other version of this message stays."
	}
	return what + " (and any versions of those). " + others + " This cannot be undone."
}

func (u *UI) newChat() {
	// A chat still being read (opened from the sidebar) is not shown
	// after this, even when the window already shows an empty chat.
	u.beginOpen()
	// The controller, not the last Busy event applied, knows whether an
	// answer is still being written.
	if u.ctl.Busy() {
		u.stopFirst("start a new chat", u.newChat)
		return
	}
	if len(u.msgs) == 0 {
		u.win.Canvas().Focus(u.input)
		return // already a new chat
	}
	u.showConversation(&chat.Conversation{ID: chat.NewConversationID(), System: u.conn.Profile.Gen.SystemPrompt, Examples: u.conn.Profile.Gen.Examples}, -1)
	u.showUsage(nil)
}

// stopFirst asks before an answer being written is stopped for what the
// user asked (another chat: the window follows one chat at a time), and
// if so stops it and does then once it is saved, without holding the UI
// thread while the network and the disk finish.
func (u *UI) stopFirst(what string, then func()) {
	if u.stopQuestion != nil {
		return // asked already (Ctrl+N again under the question)
	}
	d := dialog.NewConfirm("Stop the answer?", "An answer is still being written. Stop it and "+what+"?\n\nWhat it wrote so far is kept.", func(ok bool) {
		u.stopQuestion, u.stopThen = nil, nil
		if !ok {
			return
		}
		u.ctl.Stop()
		go func() {
			u.ctl.Wait()
			u.bridge.push(then)
		}()
	}, u.win)
	d.SetConfirmText("Stop and " + what)
	d.SetDismissText("Keep writing")
	u.stopQuestion, u.stopThen = d, then
	showEnterable(u.win, d, d.Confirm)
}

// answerEnded takes down the "stop the answer?" question when the answer
// ends on its own while it is asked, and does what it was asked for.
func (u *UI) answerEnded() {
	q, then := u.stopQuestion, u.stopThen
	if q == nil {
		return
	}
	u.stopQuestion, u.stopThen = nil, nil
	q.Hide() // (its callback, told "no", finds nothing to do)
	if !u.quitting {
		then()
	}
}

// showConversation makes conv the open conversation; highlight is the
// message a search found, or -1.
func (u *UI) showConversation(conv *chat.Conversation, highlight int) {
	if err := u.ctl.SetConversation(conv); err != nil {
		return
	}
	u.conv = chat.Conversation{ID: conv.ID, Title: conv.Title, System: conv.System, Examples: conv.Examples, Overrides: conv.Overrides}
	u.highlight = highlight
	if highlight < 0 {
		// Opened at its end, its newest messages, whatever was scrolled or
		// found in the chat before (a search hit scrolls to its message).
		u.transcript.follow, u.transcript.lastOffset = true, 0
	}
	u.ctl.SetSystem(conv.System, conv.Examples)
	// Count after the rows are drawn: queued behind the Reloaded event, the
	// tokenizer's work does not compete with the first paint.
	u.bridge.push(func() { u.ctl.CheckWith(u.input.Text, u.draft.attachments()) }) // the draft goes with it
	u.title = ""
	u.updateTitle()
	u.win.Canvas().Focus(u.input)
}

// titleRunes is how long an automatic title may be.
const titleRunes = 48

// chatTitle is the conversation's title or its first question.
func chatTitle(c *chat.Conversation, msgs []chat.Message) string {
	if c.Title != "" {
		return chat.OneLine(c.Title, chat.MaxTitleRunes)
	}
	if t := chat.TitleFrom(msgs, titleRunes); t != "" {
		return t
	}
	return "New chat"
}

func (u *UI) updateTitle() {
	u.side.markShown()
	if u.conv.ID != u.liveChat {
		u.scheduleLiveDraft() // the draft's chat changed
	}
	t := chatTitle(&u.conv, u.msgs)
	if u.previewing() && u.conv.Title == "" {
		// Its first question is not on screen: the history's is.
		t = u.preview.title
	}
	if t == "" {
		u.win.SetTitle("azchat")
		u.title = ""
		return
	}
	if t != u.title {
		u.title = t
		u.win.SetTitle("azchat — " + t)
	}
}

// scheduleCheck recounts the token meter shortly after typing stops; the
// count runs on the controller's goroutine, never on the UI thread.
func (u *UI) scheduleCheck() {
	u.noteDraft()
	u.scheduleLiveDraft()
	if u.checkTimer != nil {
		u.checkTimer.Stop()
	}
	text := u.input.Text
	atts := u.draft.attachments()
	seq := u.checkSeq.Add(1)
	u.checkPending.Store(seq)
	u.checkTimer = time.AfterFunc(250*time.Millisecond, func() {
		u.ctl.CheckWith(text, atts)
		u.checkPending.CompareAndSwap(seq, 0)
	})
}
