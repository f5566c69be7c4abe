package history

import (
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// OpenMoving opens the history database at path, first moving there the
// one an earlier azchat kept at oldPath when path holds none yet.
//
// azchat moved its history out of the folder of Fyne's preferences.json:
// Fyne watches that folder and, on any change in it, reloads its file and
// writes it back in place (with an fsync) on the UI thread. Each history
// write while an answer streamed did so: preferences.json saw 12 to 18
// writes during one 400 KB answer, each a moment a crash could leave it
// empty; 1 with the history in a folder of its own.
//
// The move is of one file: SQLite first folds the write-ahead log into the
// database and leaves WAL mode (it can only while no other program has the
// database open), then the file is renamed. A history another program
// holds (an older azchat still running) stays where it is and is opened
// there; the next start moves it. A history azchat cannot move for any
// other reason (damaged, unreadable) is opened where it is too, so Open
// reports it as before. Programs moving at once take turns (moveLock), and
// one never renames over a history already at path.
func OpenMoving(oldPath, path string) (*Store, error) {
	if exists(path) || !exists(oldPath) {
		return Open(path)
	}
	if fi, err := os.Lstat(oldPath); err == nil && !fi.Mode().IsRegular() {
		return Open(oldPath) // a link the user made: theirs to move
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create the history folder: %w", err)
	}
	unlock := moveLock(filepath.Join(filepath.Dir(path), ".move-lock"))
	defer unlock()
	// Held until the database is open where it is: an open connection
	// keeps the next mover out (it cannot leave WAL mode), but only once
	// it is made.
	if exists(path) || !exists(oldPath) {
		return Open(path) // another azchat moved it while this one waited
	}
	if moveDatabase(oldPath, path) == nil {
		return Open(path)
	}
	return Open(oldPath)
}

// errNotMoved says why moveDatabase left a database where it was.
var errNotMoved = errors.New("history not moved")

// moveDatabase renames the database at from to to, as one file. Its
// connection neither creates from (mode=rw) nor waits long for a program
// holding it: that program keeps it where it is, for this start.
func moveDatabase(from, to string) error {
	u := url.URL{Path: filepath.ToSlash(from)}
	db, err := sql.Open("sqlite", "file:"+u.EscapedPath()+"?mode=rw&_pragma=busy_timeout(250)")
	if err != nil {
		return err
	}
	var mode string
	err = db.QueryRow("PRAGMA journal_mode=DELETE").Scan(&mode)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return fmt.Errorf("%w: %v", errNotMoved, err)
	case mode != "delete":
		return fmt.Errorf("%w: still in %s mode (another program has it open)", errNotMoved, mode)
	}
	// Out of WAL mode with its last connection closed, a database is its
	// one file; a log or journal beside it would be needed with it.
	for _, ext := range []string{"-wal", "-journal"} {
		if exists(from + ext) {
			return fmt.Errorf("%w: %s%s is still there", errNotMoved, filepath.Base(from), ext)
		}
	}
	if exists(to) { // only where moveLock cannot keep movers apart
		return fmt.Errorf("%w: %s exists", errNotMoved, to)
	}
	if err := os.Rename(from, to); err != nil {
		return fmt.Errorf("%w: %v", errNotMoved, err)
	}
	// The WAL index of the mode just left, if SQLite kept it: nothing
	// reads it without the database beside it.
	_ = os.Remove(from + "-shm")
	return nil
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// moveLockWait bounds the wait for another azchat's move: one that never
// lets go (stopped in a debugger) does not keep the history closed.
var moveLockWait = 15 * time.Second
