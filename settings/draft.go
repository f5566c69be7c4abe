package settings

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/azchat/azchat/chat/export"
)

// Draft is what was left in the message box at quit: its text, the chat
// it was written in ("" for a new chat not saved yet), and the paths of
// the files attached to it (read again at the next start).
type Draft struct {
	Text  string   `json:"text"`
	Chat  string   `json:"chat"`
	Files []string `json:"files,omitempty"`
}

// Empty reports whether there is nothing to put back.
func (d Draft) Empty() bool { return d.Text == "" && len(d.Files) == 0 }

// DraftFile keeps the draft in a file of its own (state/draft.json in the
// app's folder), not in Fyne's preferences: the draft is written as the
// window's loop ends, when Fyne may no longer write its preferences (its
// last save can be skipped, a change is put off past the process's end).
// Not beside the preferences either: Fyne watches that folder, and any
// change in it makes Fyne reload and rewrite its preferences in place,
// which the process's end can cut short; a folder inside it is not
// watched. Each write is whole and atomic.
type DraftFile struct {
	path string
}

// NewDraftFile keeps the draft at path (it need not exist yet).
func NewDraftFile(path string) *DraftFile { return &DraftFile{path: path} }

// DraftPath is where the draft lives in the app's folder appDir. Its
// folder is made at start (StateDir), before Fyne watches appDir: made
// later, it would be a change in the folder Fyne watches.
func DraftPath(appDir string) string { return filepath.Join(StateDir(appDir), "draft.json") }

// StateDir is the folder inside the app's folder for what azchat writes
// as it runs or ends (the draft): Fyne does not watch it.
func StateDir(appDir string) string { return filepath.Join(appDir, "state") }

// Load reads the draft kept (the zero Draft when there is none, or the
// file cannot be read: a draft is not worth failing a start for).
func (f *DraftFile) Load() Draft {
	var d Draft
	b, err := os.ReadFile(f.path)
	if err != nil || json.Unmarshal(b, &d) != nil {
		return Draft{}
	}
	return d
}

// Save keeps d for the next start; an empty d removes the file.
func (f *DraftFile) Save(d Draft) error {
	if d.Empty() {
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return err
	}
	return export.WriteFile(f.path, b)
}
