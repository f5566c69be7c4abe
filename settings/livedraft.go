package settings

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/azchat/azchat/chat/export"
	"github.com/azchat/azchat/internal/filelock"
)

// LiveDraft keeps the text being written in a window in a file of its own
// while the window runs (state/live/<id>.json), rewritten as typing
// pauses: a crash, a kill or a power cut loses at most the last moment of
// typing, where the draft kept at quit (DraftFile) lost everything typed
// since the window opened. The window holds a lock on <id>.lock while it
// runs; the file of a window that ended without quitting has a free lock,
// and the next start puts its text back (Recover). A quit removes the file
// (the draft is kept in DraftFile then).
type LiveDraft struct {
	dir, path string

	mu     sync.Mutex
	unlock func()
	done   uint64 // the newest draft written (Save's seq)
	last   Draft  // what the file holds
	closed bool
}

// LiveDir is the folder of the live drafts in the app's folder appDir (in
// StateDir, which Fyne does not watch).
func LiveDir(appDir string) string { return filepath.Join(StateDir(appDir), "live") }

// OpenLiveDraft starts this window's live draft in dir. It returns nil
// where no lock can be held (no folder, a file system without locks): the
// draft is then kept at quit only.
func OpenLiveDraft(dir string) *LiveDraft {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil
	}
	path, unlock, err := newLiveFile(dir)
	if err != nil {
		return nil
	}
	return &LiveDraft{dir: dir, path: path, unlock: unlock}
}

// newLiveFile names a window's live file in dir and takes its lock.
func newLiveFile(dir string) (path string, unlock func(), err error) {
	var id [8]byte
	_, _ = rand.Read(id[:])
	name := hex.EncodeToString(id[:])
	unlock, err = filelock.TryLock(filepath.Join(dir, name+".lock"))
	if err != nil {
		return "", nil, err
	}
	return filepath.Join(dir, name+".json"), unlock, nil
}

// Save writes draft seq (numbered in the order the window took them) from
// any goroutine, unless a newer one was written, the file already holds
// it, or the window has quit. An empty draft removes the file.
func (l *LiveDraft) Save(seq uint64, d Draft) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || seq <= l.done {
		return nil
	}
	l.done = seq
	if sameDraft(d, l.last) {
		return nil
	}
	if d.Empty() {
		if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		l.last = Draft{}
		return nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if err := export.WriteFile(l.path, b); err != nil {
		return err
	}
	l.last = d
	return nil
}

// Close ends the live draft at quit, once the draft is kept in DraftFile:
// its file and lock go, and later saves do nothing.
func (l *LiveDraft) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return
	}
	l.closed = true
	_ = os.Remove(l.path)
	_ = os.Remove(strings.TrimSuffix(l.path, ".json") + ".lock")
	l.unlock()
}

// abandon lets go of the lock and leaves the file, as a crash does (tests).
func (l *LiveDraft) abandon() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	l.unlock()
}

// DraftFound is the draft to put back at start (Recover).
type DraftFound struct {
	Draft Draft
	// Kept: it is the draft kept at the last quit (or the same text),
	// which the window clears once it is back in the box.
	Kept bool
	// taken: the live files it came from, with the same text, to remove
	// once the draft is in this window's own file (Taken).
	taken []string
	free  []func()
}

// Recover picks the draft to put back at start: the newest of the one
// kept at the last quit and those of windows that ended without quitting
// (live files whose lock is free). Files of windows still running are left
// alone. Call Taken once the draft is in the box and saved in this
// window's live file; a crash before then finds it again. Other drafts
// left by crashes (rare: several windows ended at once) stay for the
// starts after this one, each putting one back.
func (l *LiveDraft) Recover(kept *DraftFile) *DraftFound {
	type found struct {
		d    Draft
		at   time.Time
		path string
		free func()
		kept bool
	}
	var all []*found
	if kept != nil {
		if d, at := kept.loadTimed(); !d.Empty() {
			all = append(all, &found{d: d, at: at, kept: true})
		}
	}
	names, _ := filepath.Glob(filepath.Join(l.dir, "*.json"))
	for _, p := range names {
		if p == l.path {
			continue
		}
		free, err := filelock.TryLock(strings.TrimSuffix(p, ".json") + ".lock")
		if err != nil {
			continue // a window still running, or a lock not to be had
		}
		d, at := (&DraftFile{path: p}).loadTimed()
		all = append(all, &found{d: d, at: at, path: p, free: free})
	}
	// Locks of windows that ended before writing a draft.
	locks, _ := filepath.Glob(filepath.Join(l.dir, "*.lock"))
	for _, p := range locks {
		if _, err := os.Stat(strings.TrimSuffix(p, ".lock") + ".json"); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if free, err := filelock.TryLock(p); err == nil {
			_ = os.Remove(p)
			free()
		}
	}
	r := &DraftFound{}
	var best *found
	for _, f := range all {
		if !f.d.Empty() && (best == nil || f.at.After(best.at)) {
			best = f
		}
	}
	for _, f := range all {
		// Taken with it: its own file, and those holding the same text (a
		// window ended by a signal whose loop did not end has both its
		// kept and its live draft) or nothing.
		take := best != nil && sameDraft(f.d, best.d) || f.d.Empty()
		switch {
		case f.kept:
			r.Kept = r.Kept || take
		case take:
			r.taken = append(r.taken, f.path)
			r.free = append(r.free, f.free)
		default:
			f.free()
		}
	}
	if best != nil {
		r.Draft = best.d
	}
	return r
}

// Taken removes the live files the draft came from (see Recover).
func (r *DraftFound) Taken() {
	for i, p := range r.taken {
		_ = os.Remove(p)
		_ = os.Remove(strings.TrimSuffix(p, ".json") + ".lock")
		r.free[i]()
	}
	r.taken, r.free = nil, nil
}

// loadTimed is Load with the time the file was written (zero when none).
func (f *DraftFile) loadTimed() (Draft, time.Time) {
	fi, err := os.Stat(f.path)
	if err != nil {
		return Draft{}, time.Time{}
	}
	return f.Load(), fi.ModTime()
}

func sameDraft(a, b Draft) bool {
	return a.Text == b.Text && a.Chat == b.Chat && slices.Equal(a.Files, b.Files)
}
