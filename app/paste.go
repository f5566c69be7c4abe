package app

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/export"
)

// pasteAsFileBytes is the size from which a paste goes into a text file
// attached to the message rather than into the message box: Fyne's entry
// lays its whole text out on the UI thread, and 200 KB pasted froze the
// window for seconds (and Select All on it for 15 s).
const pasteAsFileBytes = 32 << 10

// pasteLong attaches text, pasted into the message box, as a text file
// when it is long (Config.PasteDir holds the file, so that the draft keeps
// it at quit and after a crash, as it keeps files attached from disk), and
// reports whether it did; a shorter paste goes into the box.
func (u *UI) pasteLong(text string) bool {
	limit := pasteAsFileBytes
	if u.pasteBytes > 0 {
		limit = u.pasteBytes
	}
	if u.cfg.PasteDir == "" || len(text) < limit {
		return false
	}
	if len(text) > chat.MaxTextFileBytes {
		// Refused before it is written: not a file the user never named
		// left behind, refused under that name.
		u.inform("Not pasted", fmt.Sprintf("The pasted text (%s) is longer than a message can carry (%s): attach it as a file in parts, or paste less.",
			chat.FormatSize(int64(len(text))), chat.FormatSize(int64(chat.MaxTextFileBytes))))
		return true
	}
	if it := u.draft.holding(chat.Attachment{Kind: chat.TextAttachment, Text: text}); it != nil {
		// Pasted again: said so, with no second file written (its name,
		// one the user never chose, meant nothing to them).
		u.note("That text is attached already, as " + it.att.Name)
		return true
	}
	dir := u.cfg.PasteDir
	// Counted as a file being read from now: Enter pressed before it is
	// attached waits for it (as for files dropped), rather than sending
	// the message without it.
	u.draft.reading++
	go func() {
		path, err := writePasted(dir, text)
		u.bridge.push(func() {
			if err != nil {
				u.draft.reading--
				u.draft.sendWhenRead = false // the message waits for the user
				u.inform("Not pasted", "The pasted text ("+chat.FormatSize(int64(len(text)))+") is too long for the message box, and could not be kept as a file to attach: "+err.Error())
				return
			}
			u.draft.add([]fyne.URI{storage.NewFileURI(path)}) // counted as read from here
			u.draft.reading--
			u.note("Pasted "+chat.FormatSize(int64(len(text)))+" as the attached "+filepath.Base(path)+" (too long for the message box)",
				"Pasted "+chat.FormatSize(int64(len(text)))+" as an attached file")
		})
	}()
	return true
}

// writePasted writes text to a new file in dir (0600), named for the time
// and made unique (two pastes in one second).
func writePasted(dir, text string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	var id [3]byte
	_, _ = rand.Read(id[:])
	path := filepath.Join(dir, "pasted-"+time.Now().Format("20060102-150405")+"-"+hex.EncodeToString(id[:])+".txt")
	return path, export.WriteFile(path, []byte(text))
}

// pastedKept is how long a pasted file not attached to the draft put back
// is kept: a draft left by another window's crash, kept for a later start
// (settings.LiveDraft.Recover), may still hold it. A message sent holds
// its text in the history.
const pastedKept = 24 * time.Hour

// clearPasted removes the pasted files in dir that are older than this
// start by pastedKept and not attached to the draft put back (keep).
func clearPasted(dir string, started time.Time, keep []string) {
	names, _ := filepath.Glob(filepath.Join(dir, "pasted-*.txt"))
	for _, p := range names {
		fi, err := os.Lstat(p)
		if err != nil || !fi.ModTime().Before(started.Add(-pastedKept)) || slices.Contains(keep, p) {
			continue
		}
		_ = os.Remove(p)
	}
}
