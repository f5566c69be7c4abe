package settings

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
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

	// The live draft (SaveLive) of this process: its file is
	// draft-<id>.json, and draft-<id>.lock is locked while the process
	// runs (a process that ends, however, lets go of its locks: a lock
	// that can be taken tells a crashed window's draft, whatever process
	// numbers the machine hands out after a reboot).
	mu     sync.Mutex
	id     string
	unlock func()
}

// NewDraftFile keeps the draft at path (it need not exist yet).
func NewDraftFile(path string) *DraftFile {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return &DraftFile{path: path, id: hex.EncodeToString(b)}
}

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

// Save keeps d, the draft left at the end, for the next start (an empty d
// removes it); then this process's live draft goes: written first, the
// text is on disk throughout.
func (f *DraftFile) Save(d Draft) error {
	if err := f.write(f.path, d); err != nil {
		return err
	}
	return f.DropLive()
}

// ClearKept removes the draft kept at the end (it was put back), leaving
// the live drafts.
func (f *DraftFile) ClearKept() error { return f.write(f.path, Draft{}) }

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
// its own, beside the draft kept at the end: another azchat running
// meanwhile neither takes nor replaces nor removes it, and one that
// crashed leaves it for the next start (TakeCrashed).

func (f *DraftFile) livePath(id string) string {
	return filepath.Join(filepath.Dir(f.path), "draft-"+id+".json")
}

func (f *DraftFile) lockPath(id string) string {
	return filepath.Join(filepath.Dir(f.path), "draft-"+id+".lock")
}

// own locks this process's live draft's lock file, once; call with f.mu.
func (f *DraftFile) own() {
	if f.unlock != nil {
		return
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return
	}
	unlock, held, _ := tryLock(f.lockPath(f.id))
	if held {
		f.unlock = unlock
	}
}

// SaveLive keeps d as this process's live draft (an empty d removes it).
func (f *DraftFile) SaveLive(d Draft) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !d.Empty() {
		f.own()
	}
	return f.write(f.livePath(f.id), d)
}

// DropLive removes this process's live draft (at the end, whatever is
// kept), and lets go of its lock.
func (f *DraftFile) DropLive() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := f.write(f.livePath(f.id), Draft{})
	if f.unlock != nil {
		f.unlock()
		f.unlock = nil
		_ = os.Remove(f.lockPath(f.id))
	}
	return err
}

// TakeCrashed returns the newest live draft a process no longer running
// left (it crashed, or was killed), and makes it this process's live
// draft (moved, never copied: two starts cannot both take it). ok is
// false when there is none. Where locks tell nothing (a file system
// without them), none is taken.
func (f *DraftFile) TakeCrashed() (d Draft, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	dir := filepath.Dir(f.path)
	entries, _ := os.ReadDir(dir)
	type found struct {
		id     string
		at     time.Time
		unlock func()
	}
	var dead []found
	defer func() {
		for _, c := range dead {
			c.unlock()
		}
	}()
	for _, e := range entries {
		rest, prefixed := strings.CutPrefix(e.Name(), "draft-")
		id, suffixed := strings.CutSuffix(rest, ".json")
		if !prefixed || !suffixed || id == "" || id == f.id {
			continue // not a live draft (draft.json, a lock), or this one's
		}
		unlock, held, known := tryLock(f.lockPath(id))
		if !known || !held {
			continue // its window runs (or nothing can be told)
		}
		fi, err := e.Info()
		if err != nil {
			unlock()
			continue
		}
		dead = append(dead, found{id, fi.ModTime(), unlock})
	}
	sort.Slice(dead, func(i, j int) bool { return dead[i].at.After(dead[j].at) })
	for _, c := range dead {
		b, err := os.ReadFile(f.livePath(c.id))
		if err != nil || json.Unmarshal(b, &d) != nil || d.Empty() {
			continue // unreadable: the next, older one
		}
		f.own()
		if f.unlock == nil || os.Rename(f.livePath(c.id), f.livePath(f.id)) != nil {
			return Draft{}, false
		}
		_ = os.Remove(f.lockPath(c.id))
		return d, true
	}
	return Draft{}, false
}
