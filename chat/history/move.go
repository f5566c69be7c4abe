package history

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
// The move copies (moveDatabase): the database at path is never a file
// another program may still have open under the old name, whose log that
// program would keep beside the old name. A history another program holds
// (an older azchat still running) stays where it is and is opened there;
// the next start moves it. A damaged one is set aside where it is and a
// new history begun at path. Any other failure leaves the history where it
// is, opened there. Programs moving at once take turns (moveLock).
//
// A history an older azchat began at oldPath after the move is gathered
// into the one at path (gatherStray; Store.Gathered says so).
func OpenMoving(oldPath, path string) (*Store, error) {
	if exists(path) {
		return openGathering(oldPath, path)
	}
	if !exists(oldPath) {
		return Open(path)
	}
	if fi, err := os.Lstat(oldPath); err == nil && !fi.Mode().IsRegular() {
		return Open(oldPath) // a link the user made: theirs to move
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return Open(oldPath)
	}
	unlock, err := moveLock(filepath.Join(filepath.Dir(path), ".move-lock"))
	if err != nil {
		return nil, err
	}
	// Held until the database is open where it is: an open connection
	// keeps the next mover out (it cannot leave WAL mode), but only once
	// it is made.
	defer unlock()
	if exists(path) || !exists(oldPath) {
		return Open(path) // another azchat moved it while this one waited
	}
	if refuseNewer(oldPath) != nil {
		return Open(oldPath) // which says so; a newer azchat moves its own
	}
	began := time.Now()
	err = moveDatabase(oldPath, path)
	if err == nil {
		writeMovedAt(filepath.Dir(path), began)
		return Open(path)
	}
	if damaged(err) {
		return freshAfter(oldPath, path, err, Open)
	}
	return Open(oldPath)
}

// openGathering opens the history at path and gathers into it one an
// older azchat began at oldPath, if there is one.
func openGathering(oldPath, path string) (*Store, error) {
	if !exists(oldPath) && len(strays(filepath.Dir(path))) == 0 {
		return Open(path)
	}
	unlock, err := moveLock(filepath.Join(filepath.Dir(path), ".move-lock"))
	if err != nil {
		return Open(path) // gathered at a later start
	}
	defer unlock()
	s, err := Open(path)
	if err != nil {
		return nil, err
	}
	s.gatherStray(oldPath)
	return s, nil
}

// errNotMoved says why moveDatabase left a database where it was.
var errNotMoved = errors.New("history not moved")

// moveDatabase moves the database at from to to, by copying it while it
// holds SQLite's exclusive lock on it, then removing it. A program that
// opens from meanwhile (an older azchat starting) waits for the lock and
// then has the removed file, not the one at to: what it writes is lost,
// but it cannot write into the moved history with a log of its own beside
// the old name, which would corrupt it.
//
// First SQLite folds the write-ahead log into the database and leaves WAL
// mode: it can only while no other program has the database open, and
// fails at once otherwise (the database stays where it is, this start).
// A damaged database is reported as SQLite's error (see damaged).
func moveDatabase(from, to string) error {
	if err := copyLocked(from, to); err != nil {
		return err
	}
	// Where an open file cannot be removed (Windows), once the lock is
	// let go; if that fails too, both are whole and to is the one opened.
	if exists(from) && os.Remove(from) == nil {
		syncDir(filepath.Dir(from))
	}
	return nil
}

// copyLocked is moveDatabase's work under SQLite's lock.
func copyLocked(from, to string) (err error) {
	for _, ext := range []string{"-wal", "-journal", "-shm"} {
		if exists(to + ext) { // SQLite would read it as the moved database's
			return fmt.Errorf("%w: %s%s is there without its database", errNotMoved, filepath.Base(to), ext)
		}
	}
	u := url.URL{Path: filepath.ToSlash(from)}
	db, err := sql.Open("sqlite", "file:"+u.EscapedPath()+"?mode=rw&_pragma=busy_timeout(250)")
	if err != nil {
		return fmt.Errorf("%w: %v", errNotMoved, err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("%w: %v", errNotMoved, err)
	}
	defer conn.Close()
	var mode string
	if err := conn.QueryRowContext(ctx, "PRAGMA journal_mode=DELETE").Scan(&mode); err != nil {
		if damaged(err) {
			return err
		}
		return fmt.Errorf("%w: %v", errNotMoved, err)
	}
	if mode != "delete" {
		return fmt.Errorf("%w: still in %s mode (another program has it open)", errNotMoved, mode)
	}
	// The exclusive lock, held to the end: no program reads or writes the
	// database while it is copied and removed.
	if _, err := conn.ExecContext(ctx, "BEGIN EXCLUSIVE"); err != nil {
		return fmt.Errorf("%w: %v", errNotMoved, err)
	}
	defer func() { _, _ = conn.ExecContext(ctx, "ROLLBACK") }()
	if exists(from+"-wal") || exists(from+"-journal") {
		return fmt.Errorf("%w: a log or journal is still beside %s", errNotMoved, filepath.Base(from))
	}
	if fi, err := os.Stat(from); err == nil {
		if free, ok := freeSpace(filepath.Dir(to)); ok && free < fi.Size()+fi.Size()/10+(64<<20) {
			// Not tried: it would fail at its end, at every start.
			return fmt.Errorf("%w: %d MB free for a history of %d MB", errNotMoved, free>>20, fi.Size()>>20)
		}
	}
	tmp := to + ".moving"
	_ = os.Remove(tmp) // a start that stopped midway: movers take turns, none copies now
	if err := copySynced(from, tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("%w: %v", errNotMoved, err)
	}
	// A link, not a rename: it never replaces a history at to. Where the
	// file system has no links, a rename (movers take turns, see moveLock).
	if err = os.Link(tmp, to); err != nil && !errors.Is(err, fs.ErrExist) && !exists(to) {
		err = os.Rename(tmp, to)
	}
	_ = os.Remove(tmp)
	if err != nil {
		return fmt.Errorf("%w: %v", errNotMoved, err)
	}
	syncDir(filepath.Dir(to))
	// Removed while locked where the system allows it (Unix): a program
	// waiting for the lock then has a file no one else opens.
	if os.Remove(from) == nil {
		syncDir(filepath.Dir(from))
	}
	return nil
}

// copySynced copies from to a new file to, on disk before it returns, and
// reads it back: a copy that differs is an error.
func copySynced(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	want := sha256.New()
	_, err = io.Copy(io.MultiWriter(out, want), in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	back, err := os.Open(to)
	if err != nil {
		return err
	}
	defer back.Close()
	got := sha256.New()
	if _, err := io.Copy(got, back); err != nil {
		return err
	}
	if string(got.Sum(nil)) != string(want.Sum(nil)) {
		return errors.New("the copy differs from the database")
	}
	return nil
}

// syncDir makes a rename or removal in dir durable (where the system
// allows a folder to be synced).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// moveLockWait bounds the wait for another azchat's move (a copy of a
// large history with its images takes a while): past it, the history is
// not opened, as a program that cannot take turns could open it midway.
var moveLockWait = time.Minute

// errMoveBusy is moveLock's wait running out.
var errMoveBusy = errors.New("another azchat is moving the history to its new folder: try again in a moment")
