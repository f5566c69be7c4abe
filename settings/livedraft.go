package settings

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
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
// pauses: a crash or a kill loses at most the last moment of typing, where
// the draft kept at quit (DraftFile) lost everything typed since the
// window opened. The window holds a lock on <id>.lock while it runs; the
// file of a window that ended without quitting has a free lock, and the
// next start puts its text back (Recover). A quit removes the file once
// the draft is kept in DraftFile.
type LiveDraft struct {
	dir, path string

	mu     sync.Mutex
	unlock func()
	done   uint64 // the newest draft written (Save's seq)
	last   Draft  // what the file holds
	closed bool
	failed string // the last error written, said once
	stale  bool   // a write failed: last is not what the file holds
}

// LiveDir is the folder of the live drafts in the app's folder appDir (in
// StateDir, which Fyne does not watch).
func LiveDir(appDir string) string { return filepath.Join(StateDir(appDir), "live") }

// OpenLiveDraft starts this window's live draft in dir. It returns nil,
// saying why on stderr, where no lock can be held (no folder, a file
// system without locks): the draft is then kept at quit only.
func OpenLiveDraft(dir string) *LiveDraft {
	err := os.MkdirAll(dir, 0o700)
	var path string
	var unlock func()
	for try := 0; err == nil && try < 3; try++ {
		path, unlock, err = newLiveFile(dir)
		if !errors.Is(err, filelock.ErrHeld) {
			break // a name another start removed as it was taken: another name
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "azchat: text being typed is kept at quit only (not after a crash):", err)
		return nil
	}
	return &LiveDraft{dir: dir, path: path, unlock: unlock}
}

// newLiveFile names a window's live file in dir and takes its lock.
func newLiveFile(dir string) (path string, unlock func(), err error) {
	name := filepath.Join(dir, randomName())
	unlock, err = filelock.TryLock(name + ".lock")
	if err != nil {
		_ = os.Remove(name + ".lock") // made for nothing (no locks here)
		return "", nil, err
	}
	return name + ".json", unlock, nil
}

// lockOf is the lock file of the live file at path.
func lockOf(path string) string { return strings.TrimSuffix(path, ".json") + ".lock" }

// Save writes draft seq (numbered in the order the window took them) from
// any goroutine, unless a newer one was written, the file already holds
// it, or the window has quit. An empty draft removes the file. A failure
// is said once on stderr (until another one), and returned.
func (l *LiveDraft) Save(seq uint64, d Draft) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || seq <= l.done {
		return nil
	}
	l.done = seq
	if !l.stale && sameDraft(d, l.last) {
		return nil
	}
	err := l.write(d)
	if err != nil && errors.Is(err, fs.ErrNotExist) {
		// The folder was removed while the window ran.
		if os.MkdirAll(l.dir, 0o700) == nil {
			err = l.write(d)
		}
	}
	if err != nil {
		if msg := err.Error(); msg != l.failed {
			l.failed = msg
			fmt.Fprintln(os.Stderr, "azchat: text being typed could not be written for after a crash:", err)
		}
		l.stale = true // the next change is written again
		return err
	}
	l.failed, l.last, l.stale = "", d, false
	return nil
}

func (l *LiveDraft) write(d Draft) error {
	if d.Empty() {
		if err := os.Remove(l.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if _, err := os.Stat(l.dir); err != nil {
		return err // export's own message is about exports
	}
	return export.WriteFile(l.path, b)
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
	filelock.RemoveAndUnlock(lockOf(l.path), l.unlock)
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
	// which the window clears once it is in its live file.
	Kept bool
	// taken: the live files it came from, and those with the same text,
	// removed by Taken, and their locks; keptLock: the kept draft's.
	taken    []string
	locks    []func()
	keptLock func()
}

// Recover picks the draft to put back at start: the newest of the one
// kept at the last quit and those of windows that ended without quitting
// (live files whose lock is free). Files of windows still running are
// left alone, and so is what another window starting at the same moment
// is taking. Call Taken once the draft is in the box and saved in this
// window's live file (and the kept one cleared, if Kept), or Leave if it
// could not be saved: a crash before then finds it again. Other drafts
// (rare: several windows ended at once) wait in the live folder for the
// starts after this one, each putting one back; the kept draft among them
// is moved there, so that this window's quit does not write over it.
func (l *LiveDraft) Recover(kept *DraftFile) *DraftFound {
	r := &DraftFound{}
	type found struct {
		d    Draft
		at   time.Time
		path string // "" for the kept draft
		free func()
	}
	var all []*found
	if kept != nil {
		// Locked while it is taken: two windows starting at once do not
		// both put it back. (Quits write it without the lock.)
		if free, err := filelock.TryLock(kept.path + ".lock"); err == nil {
			if d, at := kept.loadTimed(); !d.Empty() {
				all = append(all, &found{d: d, at: at, free: free})
			} else {
				free()
			}
		}
	}
	l.clearLeftovers()
	names, _ := filepath.Glob(filepath.Join(l.dir, "*.json"))
	for _, p := range names {
		if p == l.path {
			continue
		}
		free, err := filelock.TryLock(lockOf(p))
		if err != nil {
			continue // a window still running, or a lock not to be had
		}
		d, at := (&DraftFile{path: p}).loadTimed()
		all = append(all, &found{d: d, at: at, path: p, free: free})
	}
	var best *found
	for _, f := range all {
		if !f.d.Empty() && (best == nil || f.at.After(best.at)) {
			best = f
		}
	}
	for _, f := range all {
		// Taken with it: its own file, those holding the same text (a
		// window ended by a signal whose loop did not end has both its
		// kept and its live draft), and those holding nothing.
		take := best != nil && sameDraft(f.d, best.d) || f.d.Empty()
		switch {
		case f.path == "" && take:
			r.Kept, r.keptLock = true, f.free
		case f.path == "":
			l.keepForLater(kept.path)
			f.free()
		case take:
			r.taken = append(r.taken, f.path)
			r.locks = append(r.locks, f.free)
		default:
			f.free()
		}
	}
	if best != nil {
		r.Draft = best.d
	}
	return r
}

// keepForLater moves the kept draft at path into the live folder, where a
// later start finds it (its lock free), out of the way of this window's
// quit, which writes the kept draft.
func (l *LiveDraft) keepForLater(path string) {
	_ = os.Rename(path, filepath.Join(l.dir, "kept-"+randomName()+".json"))
}

// randomName is a file name no other window picks.
func randomName() string {
	var id [8]byte
	_, _ = rand.Read(id[:])
	return hex.EncodeToString(id[:])
}

// clearLeftovers removes the locks of windows that ended before writing a
// draft, and the temporary files of writes a crash cut short.
func (l *LiveDraft) clearLeftovers() {
	locks, _ := filepath.Glob(filepath.Join(l.dir, "*.lock"))
	for _, p := range locks {
		if _, err := os.Stat(strings.TrimSuffix(p, ".lock") + ".json"); !errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if free, err := filelock.TryLock(p); err == nil {
			filelock.RemoveAndUnlock(p, free)
		}
	}
	// A write in progress lasts milliseconds: one an hour old was cut.
	temps, _ := filepath.Glob(filepath.Join(l.dir, ".*.json.tmp-*"))
	for _, p := range temps {
		if fi, err := os.Stat(p); err == nil && time.Since(fi.ModTime()) > time.Hour {
			_ = os.Remove(p)
		}
	}
}

// Taken removes the live files the draft came from and lets go of the
// locks Recover took.
func (r *DraftFound) Taken() {
	for i, p := range r.taken {
		_ = os.Remove(p)
		filelock.RemoveAndUnlock(lockOf(p), r.locks[i])
	}
	r.taken, r.locks = nil, nil
	r.Leave()
}

// Leave lets go of the locks Recover took, leaving the files as they are.
func (r *DraftFound) Leave() {
	for _, free := range r.locks {
		free()
	}
	if r.keptLock != nil {
		r.keptLock()
	}
	r.taken, r.locks, r.keptLock = nil, nil, nil
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
