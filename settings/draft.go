package settings

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/azchat/azchat/chat/export"
)

// Draft is what was left in the message box: its text, the chat it was
// written in ("" for a new chat not saved yet), and the paths of the files
// attached to it (read again at the next start).
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

// Save keeps d, the draft left at the end, for the next start; an empty d
// removes the file. This process's live draft (SaveLive) goes with it.
func (f *DraftFile) Save(d Draft) error {
	_ = os.Remove(f.livePath(os.Getpid()))
	return f.write(f.path, d)
}

// write writes d whole to path, or removes path for an empty d.
func (f *DraftFile) write(path string, d Draft) error {
	if d.Empty() {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
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
	return export.WriteFile(path, b)
}

// A window writes what its box holds as it types (SaveLive) to a file of
// its own, draft-<pid>.json beside the draft kept at the end: another
// azchat running meanwhile neither takes nor replaces nor removes it, and
// a process that crashed leaves it for the next start (TakeCrashed).

// livePath is process pid's live draft.
func (f *DraftFile) livePath(pid int) string {
	return filepath.Join(filepath.Dir(f.path), fmt.Sprintf("draft-%d.json", pid))
}

// SaveLive keeps d as this process's live draft (an empty d removes it).
func (f *DraftFile) SaveLive(d Draft) error {
	if !d.Empty() {
		if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
			return err
		}
	}
	return f.write(f.livePath(os.Getpid()), d)
}

// TakeCrashed returns the newest live draft a process no longer running
// left (it crashed, or was killed), and removes it: it is the caller's
// now. ok is false when there is none.
func (f *DraftFile) TakeCrashed() (d Draft, ok bool) {
	entries, _ := os.ReadDir(filepath.Dir(f.path))
	var newest string
	var at time.Time
	for _, e := range entries {
		var pid int
		if n, err := fmt.Sscanf(e.Name(), "draft-%d.json", &pid); n != 1 || err != nil || pid == os.Getpid() || ProcessAlive(pid) {
			continue
		}
		if fi, err := e.Info(); err == nil && (newest == "" || fi.ModTime().After(at)) {
			newest, at = filepath.Join(filepath.Dir(f.path), e.Name()), fi.ModTime()
		}
	}
	if newest == "" {
		return Draft{}, false
	}
	b, err := os.ReadFile(newest)
	if err != nil || json.Unmarshal(b, &d) != nil {
		_ = os.Remove(newest) // unreadable: nothing to put back
		return Draft{}, false
	}
	_ = os.Remove(newest)
	return d, !d.Empty()
}
