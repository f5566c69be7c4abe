package app

import (
	"fmt"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
)

// stallNoteAfter is how long an answer may go without new text before its
// row says so: Azure can pause, and azchat waits for up to a minute of
// silence (the client's idle timeout) before it gives the answer up;
// until then nothing showed that the text had stopped coming.
var stallNoteAfter = 10 * time.Second

// watchStall checks once a second, while a turn runs (until stop is
// closed), whether the answer being written has gone silent.
func (u *UI) watchStall(stop <-chan struct{}) {
	go func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				if !u.bridge.push(u.noteStall) {
					return // the window is closing
				}
			}
		}
	}()
}

// noteStall says on the streaming answer's row how long no text has come,
// once that is stallNoteAfter; new text takes the note away (TextDelta).
func (u *UI) noteStall() {
	i := len(u.msgs) - 1
	if !u.busy || i < 0 || u.msgs[i].Status != chat.Streaming || u.msgs[i].Content == "" || u.textAt.IsZero() {
		return
	}
	silent := time.Since(u.textAt)
	if silent < stallNoteAfter {
		return
	}
	if note, ok := u.waitNote[i]; ok && note != u.stallNote {
		return // a retry's countdown
	}
	// The client's watchdog counts from any event (usage, filter
	// results), this note from the last text: the limit is said as such.
	u.stallNote = fmt.Sprintf("No new text from Azure for %d s: it may still go on; azchat gives the answer up once Azure has sent nothing at all for %d s (Stop ends it now, keeping the text).",
		int(silent.Seconds()), int(azure.DefaultIdleTimeout.Seconds()))
	u.waitNote[i] = u.stallNote
	u.transcript.refreshRow(i)
}
