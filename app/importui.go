package app

import (
	"cmp"
	"errors"
	"io/fs"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/export"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/settings"
)

// showImport reads a JSON export or a guide-style message array into a new chat.
func (u *UI) showImport() {
	open := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		u.rememberFolder(settings.FolderImport, filepath.Dir(path))
		u.importPath(path)
	}, u.win)
	open.SetFilter(regularFiles{names: storage.NewExtensionFileFilter([]string{".json"})})
	showFileDialog(u.win, open, u.importDir)
}

// importPath reads the file at path off the UI thread, then asks whether
// to import the chat it holds, naming it: Fyne's file dialog opens a
// folder on a click and takes the second click of a double-click for a
// double-click on the file drawn there once the folder is open, which was
// imported unasked.
func (u *UI) importPath(path string) {
	go func() {
		conv, err := parseImport(path)
		u.bridge.push(func() {
			if err != nil {
				u.notImported(path, err)
				return
			}
			u.askImport(path, conv)
		})
	}()
}

// notImported says why the file at path was not imported.
func (u *UI) notImported(path string, err error) {
	// Bounded: Fyne measures and wraps a dialog's whole text on the UI thread.
	u.inform("Not imported", chat.OneLine(filepath.Base(path)+": "+err.Error(), 1000))
}

// askImport asks whether to import conv, read from path; Enter imports.
func (u *UI) askImport(path string, conv *chat.Conversation) {
	title := chat.OneLine(cmp.Or(conv.Title, conv.AutoTitle(titleRunes), "Untitled chat"), chat.MaxTitleRunes)
	count := chat.FormatInt(int64(len(conv.All()))) + " messages"
	if len(conv.All()) == 1 {
		count = "1 message"
	}
	msg := "“" + title + "”, " + count + ", from " + chat.OneLine(filepath.Base(path), 100) + "."
	c := dialog.NewConfirm("Import this chat?", msg, func(ok bool) {
		u.importQuestion = nil
		if ok {
			u.storeImport(path, conv)
		}
	}, u.win)
	c.SetConfirmText("Import")
	u.importQuestion = c
	showEnterable(u.win, c, c.Confirm)
}

// storeImport adds conv, read from path, to the history off the UI thread
// and opens the chat that holds it.
func (u *UI) storeImport(path string, conv *chat.Conversation) {
	h := u.history // read here: the UI thread sets it
	go func() {
		conv, already, err := storeImported(conv, h)
		u.bridge.push(func() {
			if err != nil {
				u.notImported(path, err)
				return
			}
			name := chat.OneLine(filepath.Base(path), 100)
			switch {
			case already && conv.ID == u.ctl.ConversationID():
				// Not read again over the chat on screen, which may hold
				// more than the history does yet.
				u.noteChat("Already in your history: " + name + " is the chat on screen (nothing imported)")
				return
			case u.busy || u.ctl.Busy():
				// The answer being written keeps the window; the chat is
				// in the list.
				u.side.reload()
				if already {
					u.note("Already in your history: "+name+" is the chat “"+chat.OneLine(cmp.Or(conv.Title, conv.AutoTitle(titleRunes), "New chat"), chat.MaxTitleRunes)+"” in the list (nothing imported)",
						"Already in your history (nothing imported)")
				} else {
					u.note("Imported " + name + ": open it from the list once the answer ends")
				}
				return
			}
			u.beginOpen()
			u.showConversation(conv, -1)
			u.side.reload()
			if already {
				u.noteChat("Already in your history: " + name + " is this chat (nothing imported)")
				return
			}
			u.noteChat("Imported " + name)
		})
	}()
}

// parseImport reads the chat in the file at path.
func parseImport(path string) (*chat.Conversation, error) {
	// Read as a stream: images are decoded from their data URLs as they
	// come, without holding the whole file as well.
	conv, err := export.ParseFile(path)
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return nil, pe.Err // the reason; the dialog names the file
	}
	return conv, err
}

// storeImported stores conv, read from a file (h's Import; without a
// history, it only gets an ID of its own).
func storeImported(conv *chat.Conversation, h *history.Store) (_ *chat.Conversation, already bool, err error) {
	if h == nil {
		conv.ID = chat.NewConversationID()
		return conv, false, nil
	}
	got, err := h.Import(conv)
	if err != nil || !got.Already {
		return conv, false, err
	}
	return got.Chat, true, nil
}
