package app

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2/dialog"

	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/settings"
)

// shutdownTimeout bounds how long quitting may take: stopping the answer,
// writing what is queued and closing the database.
const shutdownTimeout = 2 * time.Second

// historyWaitAtQuit bounds how long quitting waits for the history to
// open (it checks a large file first, or waits for another program that
// holds it), so that the chat on screen is saved.
const historyWaitAtQuit = 10 * time.Second

// historyPoll is how often the window looks for changes to the history
// made elsewhere (a cheap PRAGMA on an open connection).
const historyPoll = time.Second

// ShowAndRun opens the window, runs the app's event loop and, when the loop
// ends by any path, finishes the shutdown (see quit and Close).
func (u *UI) ShowAndRun() {
	u.Show()
	// The tray once the session bus says the desktop shows one: it then
	// sets what the close button does (until then, it quits).
	u.startTray()
	u.fyneApp.Run()
	close(u.ran)
	u.keepDraftAfterLoop()
	// Fyne's own SIGINT/SIGTERM handler, and the tray's monitor window when
	// the session ends, end the loop without any hook of ours (the tray
	// menu's Quit is ours, see setTray): whatever started the quit, it
	// ends here.
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	_ = u.Close(ctx)
}

// keepDraftAfterLoop keeps the text in the message box, its chat and its
// files for the next start, however the loop ended: quit (which kept it
// already, in case the loop does not end), Fyne's own SIGINT/SIGTERM
// handler, or the session ending. The loop has ended, but what the bridge
// hands Fyne now runs on the caller's goroutine: the bridge is shut, and a
// batch still being applied waited for, before the widgets are read.
func (u *UI) keepDraftAfterLoop() {
	u.bridge.shut()
	u.bridge.applyMu.Lock()
	seq, d := u.currentDraft()
	u.bridge.applyMu.Unlock()
	u.keepDraftForGood(seq, d)
}

// currentDraft is what the message box holds, with its chat and files,
// numbered in the order taken; call it on the UI thread.
func (u *UI) currentDraft() (uint64, settings.Draft) {
	u.draftSeq++
	chat := u.conv.ID
	if chat == "" && u.resumeSet {
		chat = u.resume // put back, its chat not shown yet (see reopen)
	}
	return u.draftSeq, settings.Draft{Text: u.input.Text, Chat: chat, Files: u.draft.files()}
}

// putBackDraft puts the draft of the last quit, or of a window that ended
// without quitting (Config.Live), back in the message box: its chat is the
// one reopened (see reopen), its files are read again once the window is
// shown (those that cannot be are named). Once it is in this window's live
// file, the files it came from are cleared (off the UI thread; the kept
// one unless a quit has written a newer one): a crash before then finds it
// again.
func (u *UI) putBackDraft() {
	var d settings.Draft
	var rec *settings.DraftFound
	if u.cfg.Live != nil {
		rec = u.cfg.Live.Recover(u.cfg.Draft)
		d = rec.Draft
	} else {
		d = u.cfg.Draft.Load()
	}
	if u.cfg.PasteDir != "" {
		go clearPasted(u.cfg.PasteDir, u.cfg.Started, d.Files)
	}
	if d.Empty() {
		if rec != nil {
			go rec.Taken()
		}
		return
	}
	u.input.SetText(d.Text)
	u.caretAtEnd()
	u.resume, u.resumeSet = d.Chat, true
	u.draftFiles = d.Files // read once the window is up (Show)
	u.draftSeq++
	seq := u.draftSeq
	// The kept file is this window's to clear (and to remove at a quit with
	// nothing in the box) only if its draft is the one put back.
	u.draftOwned = rec == nil || rec.Kept
	// A snapshot newer than the clearing below, with the chat and files:
	// kept if the window must end before its loop can be read.
	u.draftSeq++
	u.draftSnap.Store(&draftSnapshot{u.draftSeq, d})
	u.liveChat = d.Chat
	go func() {
		if rec != nil {
			if err := u.cfg.Live.Save(seq, d); err != nil {
				rec.Leave() // where it came from keeps it
				return
			}
			if rec.Kept {
				u.keepDraft(seq, settings.Draft{})
			}
			rec.Taken()
			return
		}
		u.keepDraft(seq, settings.Draft{})
	}()
}

// liveDraftPause is how soon after a change the live draft is written: at
// most once in that time while typing goes on.
const liveDraftPause = time.Second

// scheduleLiveDraft writes the live draft (Config.Live) liveDraftPause
// from now, as the message box, its files and its chat are then; call it
// on the UI thread when one of them changes. Taken on the UI thread
// (through the bridge, which takes nothing once the loop has ended),
// written off it.
func (u *UI) scheduleLiveDraft() {
	if u.cfg.Live == nil || u.quitting {
		return
	}
	if u.input.Text == "" && len(u.draft.files()) == 0 {
		// Sent (or cleared): at once, or a crash in the next second,
		// while the answer starts, would put the sent text back.
		u.saveLiveDraft()
		return
	}
	if u.liveTimer != nil {
		return
	}
	pause := liveDraftPause
	if u.livePause > 0 {
		pause = u.livePause
	}
	u.liveTimer = time.AfterFunc(pause, func() {
		u.bridge.push(func() {
			u.liveTimer = nil
			if u.quitting {
				return
			}
			u.saveLiveDraft()
		})
	})
}

// saveLiveDraft writes the live draft as it is now, off the UI thread (a
// failure is said by Save); call it on the UI thread.
func (u *UI) saveLiveDraft() {
	seq, d := u.currentDraft()
	u.liveChat = d.Chat
	go func() { _ = u.cfg.Live.Save(seq, d) }()
}

// draftSnapshot is the draft as it was when the message box or its files
// last changed, for KeepDraftSnapshot.
type draftSnapshot struct {
	seq uint64
	d   settings.Draft
}

// noteDraft takes a snapshot of the draft; call it on the UI thread when
// the message box or its files change.
func (u *UI) noteDraft() {
	seq, d := u.currentDraft()
	u.draftSnap.Store(&draftSnapshot{seq, d})
}

// KeepDraftSnapshot writes the draft as it was when the message box last
// changed, from any goroutine: for a process ending while the UI thread is
// stuck (a signal whose loop never ends), when the widgets cannot be read.
// A draft written later by quit or the loop's end is not replaced.
func (u *UI) KeepDraftSnapshot() {
	if s := u.draftSnap.Load(); s != nil {
		u.keepDraftForGood(s.seq, s.d)
	}
}

// keepDraftForGood is keepDraft as the window ends: once the draft is
// kept, the live draft (Config.Live) goes. Left, it would be a second and
// older copy, which the next start would not put back over the kept one
// but would keep for the start after.
func (u *UI) keepDraftForGood(seq uint64, d settings.Draft) {
	if u.keepDraft(seq, d) && u.cfg.Live != nil {
		u.cfg.Live.Close()
	}
}

// keepDraft writes draft seq for the next start (Config.Draft), off the UI
// thread, unless one taken later was written already (quit's and the
// loop's end may come in either order). An empty draft removes only a
// file this window wrote: another azchat's is left alone. It reports
// false when the draft could not be written.
func (u *UI) keepDraft(seq uint64, d settings.Draft) bool {
	if u.cfg.Draft == nil {
		return false
	}
	u.draftMu.Lock()
	defer u.draftMu.Unlock()
	if seq <= u.draftDone {
		return u.draftKept // as the newer one went
	}
	if d.Empty() && !u.draftOwned {
		return true
	}
	u.draftDone = seq
	if err := u.cfg.Draft.Save(d); err != nil {
		fmt.Fprintln(os.Stderr, "azchat: the text in the message box could not be kept:", err)
		u.draftKept = false
		return false
	}
	u.draftOwned = !d.Empty()
	u.draftKept = true
	return true
}

// quit is the one way out of the window: File → Quit, Ctrl+Q/Cmd+Q, the
// tray's Quit and the close button (unless azchat keeps running in the
// tray) come here, on the UI thread. The window stays up while the
// answer is stopped and saved and the database is closed (at most
// shutdownTimeout), then the app quits. If a chat can still not be written
// (the disk is full), the user is asked before it is given up.
func (u *UI) quit() {
	if u.quitting {
		return
	}
	u.quitting = true
	s := u.win.Canvas().Size()
	u.store.SetWindowSize(s.Width, s.Height)
	// What is being written (or waits to be sent while connecting) is
	// there at the next start.
	seq, draft := u.currentDraft()
	u.stopTimers()
	u.connLabel.SetText("Saving…")
	go func() {
		u.keepDraftForGood(seq, draft)
		u.ctl.Stop()
		// A chat begun before the history opened is saved as it opens
		// (attachHistory): quitting first lost it.
		if u.cfg.OpenHistory != nil {
			select {
			case <-u.historyReady:
			case <-time.After(historyWaitAtQuit):
			}
			u.ctl.Stop() // anything begun meanwhile
		}
		u.ctl.Wait()
		if err := u.ctl.SaveNow(); err != nil {
			u.bridge.push(func() { u.askQuitUnsaved(err) })
			return
		}
		u.finishQuit()
	}()
}

// finishQuit closes the controller and the database, then the app; it runs
// off the UI thread.
func (u *UI) finishQuit() {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	_ = u.ctl.Close(ctx)
	// Queued behind every event the stop produced.
	if !u.bridge.push(func() { u.fyneApp.Quit() }) {
		u.fyneApp.Quit()
	}
	if u.cfg.Exit != nil {
		go u.exitIfStuck()
	}
}

// quitGraceDefault is how long a quit waits for Fyne's loop to end once it
// asked it to. Fyne 2.8.1 can deadlock there: an input event being handed
// to the UI thread as the loop ends (the key release of Ctrl+Q) waits for a
// loop that no longer runs, and Run waits for that event. Seen under load
// in 1 of 12 quits: the window gone, the process left running, the
// database open. Normally the loop ends within a frame.
const quitGraceDefault = 3 * time.Second

// exitIfStuck waits for Fyne's loop to end (ShowAndRun closes ran); if it
// has not after quitGrace, it closes what Close closes and calls
// Config.Exit. It reports whether it did.
func (u *UI) exitIfStuck() bool {
	select {
	case <-u.ran:
		return false
	case <-time.After(u.quitGrace):
	}
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	_ = u.Close(ctx)
	// Text typed while it was saving: its loop cannot be read any more.
	u.KeepDraftSnapshot()
	u.cfg.Exit()
	return true
}

// askQuitUnsaved offers Retry or Quit anyway when a chat is still only in
// memory at quit time.
func (u *UI) askQuitUnsaved(err error) {
	u.quitting = false
	// The question needs the window, which may be hidden in the tray (the
	// tray's Quit works while it is).
	u.win.Show()
	u.win.RequestFocus()
	u.connLabel.SetText("Not saved")
	d := dialog.NewConfirm("Quit without saving?",
		"A chat could not be saved: "+history.Describe(err)+".\n\nFree some space and choose Retry, or quit and lose what was not saved.",
		func(retry bool) {
			if retry {
				u.quit()
				return
			}
			u.quitting = true
			go u.finishQuit()
		}, u.win)
	d.SetConfirmText("Retry")
	d.SetDismissText("Quit anyway")
	u.quitDialog = d
	d.Show()
}

// Close shuts the bridge (nothing touches the window after it), stops the
// answer in flight (saved as stopped with every word received), waits for
// the history writes and closes the database. Safe to call more than once,
// from any goroutine (signals); it returns when the database is closed or
// ctx ends.
func (u *UI) Close(ctx context.Context) error {
	u.stopWatch()
	// The bridge first, without waiting on Fyne's loop (it may be gone):
	// nothing may reach the widgets from now on.
	u.bridge.shut()
	u.lateHistory(ctx)
	return u.ctl.Close(ctx)
}

// lateHistory gives the controller the history if it was still opening
// when the window closed (a SIGTERM a moment after start): the chat begun
// meanwhile is saved into it, and the controller's Close closes it. It
// waits for the open while ctx lasts.
func (u *UI) lateHistory(ctx context.Context) {
	if u.cfg.OpenHistory == nil {
		return
	}
	select {
	case <-u.historyReady:
		return // attached (and closed by the controller's Close)
	default:
	}
	select {
	case o := <-u.historyOpened:
		select {
		case <-u.historyReady:
			// attachHistory ran as the window closed.
		default:
			// The controller's Close closes it, unless a quit closed the
			// controller first (which refuses it).
			if o.h != nil && !u.ctl.SetPersister(o.h) && u.ctl.Closed() {
				o.h.Close()
			}
		}
	case <-ctx.Done():
		// Given up: a history that opens later is closed as it opens.
		u.lateMu.Lock()
		u.lateGaveUp = true
		u.closeUnattached()
		u.lateMu.Unlock()
	}
}

// closeUnattached closes a history that opened after the window closed
// and that nothing took; call it with lateMu held.
func (u *UI) closeUnattached() {
	select {
	case o := <-u.historyOpened:
		if o.h != nil {
			o.h.Close()
		}
	default:
	}
}

func (u *UI) stopTimers() {
	if u.checkTimer != nil {
		u.checkTimer.Stop()
	}
	if u.side.timer != nil {
		u.side.timer.Stop()
	}
	if u.liveTimer != nil {
		u.liveTimer.Stop() // quit keeps the draft
		u.liveTimer = nil
	}
}

// caretAtEnd puts the message box's caret after its text: a draft put
// back is typed on where it ended (the caret was at its start). Fyne
// counts the caret's row on screen, wrapped: Show has the box's own
// PageDown put it at the end once it is laid out (caretToEnd); the row of
// the last line is the best guess before that, right for a draft that
// does not wrap.
func (u *UI) caretAtEnd() {
	e := u.input
	lines := strings.Split(e.Text, "\n")
	e.CursorRow = len(lines) - 1
	e.CursorColumn = utf8.RuneCountInString(lines[len(lines)-1])
	e.Refresh()
	u.caretToEnd = true
}
