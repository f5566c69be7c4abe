package app

import (
	"cmp"
	"fmt"
	"maps"
	"strings"
	"time"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat"
)

// apply runs on the UI thread with a batch of events.
func (u *UI) apply(items []any) {
	dirty := map[int]bool{}
	relist := false
	var ended []chat.Message
	for _, it := range items {
		switch e := it.(type) {
		case func():
			e()
		case chat.Reloaded:
			u.endPreview()
			u.setMessages(e.Messages, e.Others)
			u.showUsage(openedUsageStatus(u.msgs, u.others))
			relist = true
		case chat.MessageAdded:
			if e.Index == len(u.msgs) {
				u.msgs = append(u.msgs, e.Message)
			} else if e.Index < len(u.msgs) {
				u.msgs[e.Index] = e.Message
			}
			relist = true
		case chat.TextDelta:
			if e.Index < len(u.msgs) {
				// The controller's text, shared: no copy of the answer here.
				u.msgs[e.Index].Content = e.Content
				delete(u.waitNote, e.Index)
				u.textAt = time.Now() // (noteStall)
				dirty[e.Index] = true
			}
		case chat.Finished:
			if e.Index < len(u.msgs) {
				u.msgs[e.Index] = e.Message
				delete(u.waitNote, e.Index)
				dirty[e.Index] = true
				ended = append(ended, e.Message)
				if m := e.Message; m.Role == chat.Assistant && m.Usage == nil && m.Sendable() {
					// An answer (not a request that failed, nor one
					// being continued) that came without usage: not
					// the usage of the answer before.
					u.showUsage(noUsageStatus(u.msgs, u.others))
				}
			}
		case chat.UsageReported:
			u.showUsage(usageStatus(u.msgs, u.others, e.Index, e.Usage))
		case chat.ErrorReported:
			u.onError(e)
		case chat.BudgetChanged:
			// Rows change only when messages move in or out of the window;
			// a count after each pause in typing usually moves none.
			if u.onBudget(e.Budget) {
				relist = true
			}
		case chat.Waiting:
			u.startCountdown(e)
			dirty[e.Index] = true
		case chat.ModelLearned:
			u.store.Learn(e.Endpoint, e.Deployment, e.Model)
		case chat.APILearned:
			u.store.LearnAPI(e.Endpoint, e.Deployment, string(e.API))
		case chat.ConversationSaved:
			u.trace("conversation saved")
			if u.conv.ID == "" {
				u.conv.ID = e.ID
			}
			u.side.reload()
		case chat.StorageFailed:
			path := ""
			if u.history != nil {
				path = u.history.Path()
			}
			u.banner.failed(e.Err, path)
		case chat.StorageRecovered:
			u.banner.recovered()
		case chat.Busy:
			u.setBusy(e.Busy)
			if n := len(u.msgs); n > 0 {
				dirty[n-1] = true // its actions (endingTurn)
			}
			if u.cfg.Answering != nil {
				u.cfg.Answering(e.Busy)
			}
			if !e.Busy {
				u.trace("turn ended") // the next Enter sends
				// After this batch: the turn's last events applied first.
				u.bridge.push(u.answerEnded)
			}
			if !e.Busy {
				// The answer and the learnt model change the meter.
				u.ctl.CheckWith(u.input.Text, u.draft.attachments())
			}
		}
	}
	if relist {
		u.transcript.relist()
		u.updateTitle()
		if u.tracePending > 0 && len(u.msgs) == u.tracePending && u.cfg.Trace != nil {
			u.tracePending = 0
			u.cfg.Trace(fmt.Sprintf("conversation shown (%d messages)", len(u.msgs)), time.Since(u.cfg.Started))
		}
	}
	for id := range dirty {
		u.transcript.refreshRow(id)
	}
	// Traced once the ended answers are laid out, as they are drawn next.
	for _, m := range ended {
		u.trace(fmt.Sprintf("answer %s (%d bytes)", m.Status, len(m.Content)))
	}
}

// trace reports an event to make bench (AZCHAT_TRACE=1): what happened and
// sizes, never content.
func (u *UI) trace(event string) {
	if u.cfg.Trace != nil {
		u.cfg.Trace(event, time.Since(u.cfg.Started))
	}
}

// usageText is the status bar's line for the last answer's usage, with
// the cached and reasoning parts when the API reported any.
func usageText(us chat.Usage) string { return "Last answer: " + tokenSum(us) }

// tokenSum is an answer's usage as a sum ("1,234 prompt (1,000 cached) +
// 56 completion = 1,290 tokens"), the parts the service reported only.
func tokenSum(us chat.Usage) string {
	prompt := num(us.PromptTokens) + " prompt"
	if us.CachedPromptTokens > 0 {
		prompt += " (" + num(us.CachedPromptTokens) + " cached)"
	}
	completion := num(us.CompletionTokens) + " completion"
	if us.ReasoningTokens > 0 {
		completion += " (" + num(us.ReasoningTokens) + " reasoning)"
	}
	total := us.TotalTokens
	if total == 0 {
		total = us.PromptTokens + us.CompletionTokens // a service that left it out
	}
	return fmt.Sprintf("%s + %s = %s tokens", prompt, completion, num(total))
}

// num writes n with thousands separators (1,234), as chat.FormatInt.
func num(n int) string { return chat.FormatInt(int64(n)) }

// onBudget shows a budget on the meter and reports whether the messages
// left outside the window changed.
func (u *UI) onBudget(b chat.Budget) bool {
	u.budget = b
	// The model may have changed (learnt from an answer, or in settings):
	// the image button and the chips' costs follow it.
	u.draft.modelChanged()
	outside := make(map[int]bool, len(b.Omitted))
	if !u.previewing() {
		// (A preview's rows are not the controller's messages, which
		// the budget counts: none is marked until the chat is whole.)
		for _, i := range b.Omitted {
			outside[i] = true
		}
	}
	changed := !maps.Equal(outside, u.outside)
	u.outside = outside
	est := ""
	if b.Estimate {
		est = " (estimate)"
	}
	was, wasColor := u.meter.Text, u.meter.color
	// In a narrow window the count alone, which leaves the connection's
	// state room beside it (statusLayout): at 640 pixels the meter hid it.
	full := fmt.Sprintf("%s / %s tokens, %s reserved for the reply%s", num(b.Used), num(b.Window), num(b.Reserve), est)
	u.meter.color = theme.ColorNameForeground
	if b.Used > b.Available() {
		u.meter.color = theme.ColorNameError
	}
	if full != was || u.meter.color != wasColor {
		u.meter.setTexts(full, fmt.Sprintf("%s / %s tokens%s", num(b.Used), num(b.Window), est))
	}
	if u.statusBar != nil && len(full) != len(was) {
		// The bar places the meter at its width: a longer text (another
		// profile's window, "(estimate)") was drawn over the usage.
		u.statusBar.Refresh()
	}
	return changed
}

// giveBack puts text (a message not sent, a question to rephrase) in the
// input, before what is being written there: it was dropped, or replaced
// it, when the box held any. Text given back already is not added again.
// The cursor goes to the end, where the user was typing.
func (u *UI) giveBack(text string) {
	switch typed := u.input.Text; {
	case text == "" || typed == text || strings.HasPrefix(typed, text+"\n\n"):
		return
	case strings.TrimSpace(typed) == "":
		u.input.SetText(text)
	default:
		u.input.SetText(text + "\n\n" + typed)
	}
	// Past the last row: the entry puts it at the end of the last one it
	// draws (its rows are wrapped ones, not lines).
	u.input.CursorRow, u.input.CursorColumn = len(u.input.Text)+1, 0
	u.input.Refresh()
}

func (u *UI) onError(e chat.ErrorReported) {
	if e.Index >= 0 {
		return // the row shows it, with its action
	}
	// Nothing was added: give the text back so nothing typed is lost.
	u.giveBack(e.Text)
	u.draft.restore(e.Attachments)
	switch e.Err.Action {
	case chat.ActionOpenSettings:
		dialog.ShowConfirm("Check settings", e.Err.Reason+"\n\nOpen settings now?", func(ok bool) {
			if ok {
				u.showSettings()
			}
		}, u.win)
	case chat.ActionNewChat:
		dialog.ShowConfirm("Start a new chat?", e.Err.Reason, func(ok bool) {
			if ok {
				u.newChat()
			}
		}, u.win)
	default:
		u.inform("Message not sent", e.Err.Reason)
	}
}

// startCountdown shows "retrying in Ns" on the row and ticks it down.
func (u *UI) startCountdown(w chat.Waiting) {
	deadline := time.Now().Add(w.Wait)
	note := func() string {
		left := time.Until(deadline).Round(time.Second)
		if left < 0 {
			left = 0
		}
		// What happened, not the advice to try again while azchat does.
		return fmt.Sprintf("%s — retrying in %s (attempt %d).", capitalize(cmp.Or(w.Err.Fact, w.Err.Reason)), left, w.Attempt)
	}
	u.waitNote[w.Index] = note()
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for range t.C {
			done := !time.Now().Before(deadline)
			u.bridge.push(func() {
				if _, ok := u.waitNote[w.Index]; ok {
					u.waitNote[w.Index] = note()
					u.transcript.refreshRow(w.Index)
				}
			})
			if done {
				return
			}
		}
	}()
}

func (u *UI) setBusy(b bool) {
	if b && !u.busy {
		u.textAt = time.Time{}
		u.stallStop = make(chan struct{})
		u.watchStall(u.stallStop)
	} else if !b && u.stallStop != nil {
		close(u.stallStop)
		u.stallStop = nil
	}
	u.busy = b
	if b {
		u.sendB.SetText("Stop")
		u.sendB.SetIcon(theme.MediaStopIcon())
		u.sendB.Importance = widget.DangerImportance
	} else {
		u.sendB.SetText("Send")
		u.sendB.SetIcon(theme.MailSendIcon())
		u.sendB.Importance = widget.HighImportance
		u.win.Canvas().Focus(u.input)
	}
	u.sendB.Refresh()
}
