package history

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/azchat/azchat/chat"
)

// An azchat from before the move (OpenMoving) run after it finds no
// history at the old name and begins a new one there: its chats would be
// left where this azchat never looks. At each start such a stray history
// is moved into the history folder under a name of its own (strayPrefix,
// by moveDatabase: folded, locked, copied, read back), then its chats are
// added to the history and the file removed. Gathering again what was
// gathered adds nothing (a start that stopped midway, a file Windows
// would not let go): see gatherFrom.

// strayPrefix names a stray history moved into the history folder, not
// yet gathered.
const strayPrefix = "stray-"

// movedAtFile, in the history folder, holds when the history was moved
// there (Unix milliseconds): what a stray history holds from before is
// what the history held then (a moved one Windows could not remove).
const movedAtFile = ".moved-at"

// Gathered says what OpenMoving added to the history from a history an
// older azchat kept at the old place after the move.
type Gathered struct {
	From  string // the old place
	Chats int    // how many chats were added
	// SetAside names the stray histories found damaged, kept there.
	SetAside []string
}

// strayError is a failure reading a stray history (not the history it is
// gathered into, whose damage is not the stray's).
type strayError struct{ err error }

func (e *strayError) Error() string { return e.err.Error() }
func (e *strayError) Unwrap() error { return e.err }

// strays lists the stray histories in dir. (Not filepath.Glob: the
// folder's own name may hold [, * or ?.)
func strays(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var out []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, strayPrefix) && strings.HasSuffix(n, ".db") && e.Type().IsRegular() {
			out = append(out, filepath.Join(dir, n))
		}
	}
	return out
}

// gatherStray adds to s the chats of a history at oldPath and of any left
// in s's folder by a start that stopped midway. It runs under the movers'
// lock (OpenMoving). What cannot be gathered now (another program holds
// it, a newer azchat's, a disk without room, the history's own failure)
// is left for the next start; a damaged stray history is set aside where
// it is, and named in s.Gathered.
func (s *Store) gatherStray(oldPath string) {
	dir := filepath.Dir(s.path)
	if fi, err := os.Lstat(oldPath); err == nil && fi.Mode().IsRegular() && refuseNewer(oldPath) == nil {
		to := filepath.Join(dir, fmt.Sprintf("%s%s.db", strayPrefix, time.Now().Format("20060102-150405.000000000")))
		if err := moveDatabase(oldPath, to); err != nil && damaged(err) {
			s.setStrayAside(oldPath, err)
		}
	}
	movedAt := readMovedAt(dir)
	for _, name := range strays(dir) {
		n, err := s.gatherFrom(name, movedAt)
		if n > 0 {
			s.Gathered.From = filepath.Dir(oldPath)
			s.Gathered.Chats += n
		}
		var stray *strayError
		switch {
		case err == nil:
			for _, ext := range []string{"", "-wal", "-shm"} {
				_ = os.Remove(name + ext)
			}
		case errors.As(err, &stray) && damaged(err):
			s.setStrayAside(name, err)
		default:
			return // left for the next start
		}
	}
}

func (s *Store) setStrayAside(path string, err error) {
	if aside, aerr := setAside(path, err); aerr == nil {
		s.Gathered.SetAside = append(s.Gathered.SetAside, aside)
	}
}

// writeMovedAt records in dir that the history was moved there at t.
func writeMovedAt(dir string, t time.Time) {
	_ = os.WriteFile(filepath.Join(dir, movedAtFile), []byte(strconv.FormatInt(t.UnixMilli(), 10)), 0o600)
}

// readMovedAt is when the history was moved into dir (Unix ms), 0 when
// not known (moved by an azchat that did not record it).
func readMovedAt(dir string) int64 {
	b, err := os.ReadFile(filepath.Join(dir, movedAtFile))
	if err != nil {
		return 0
	}
	t, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return t
}

// gatherFrom adds the chats of the history at path to s, each in its own
// transaction, with the times it had there; it returns how many it added.
// Nothing in s is replaced or added twice:
//   - a chat not written to since the move (movedAt) is what s had then:
//     one s no longer has was deleted since;
//   - a chat s has is added only if it holds messages s's does not, as a
//     copy (its ID made from the chat's and its time, so found again);
//   - otherwise it is added with its ID.
func (s *Store) gatherFrom(path string, movedAt int64) (int, error) {
	if err := refuseNewer(path); err != nil {
		return 0, &strayError{err}
	}
	from, err := open(path)
	if err != nil {
		return 0, &strayError{err}
	}
	defer from.Close()
	list, err := from.List(0, 0)
	if err != nil {
		return 0, &strayError{err}
	}
	added := 0
	for _, sm := range list {
		conv, err := from.Load(sm.ID)
		if err != nil {
			return added, &strayError{err}
		}
		var created, updated int64
		if err := from.db.QueryRow(`SELECT created, updated FROM conversations WHERE id = ?`, sm.ID).Scan(&created, &updated); err != nil {
			return added, &strayError{err}
		}
		if updated <= movedAt {
			continue
		}
		have, err := s.Load(conv.ID)
		switch {
		case errors.Is(err, ErrNotFound):
		case err != nil:
			return added, err
		case !holdsMore(conv, have):
			continue
		default:
			sum := sha256.Sum256([]byte(fmt.Sprintf("%s|%d", conv.ID, updated)))
			conv.ID = fmt.Sprintf("%s-%x", conv.ID, sum[:4])
			if ok, err := s.Has(conv.ID); err != nil || ok {
				if err != nil {
					return added, err
				}
				continue
			}
			conv.Title = conv.AutoTitle(80) + " (older azchat)"
		}
		if err := s.addWithTimes(conv, created, updated); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}

// holdsMore reports whether stray holds a message have does not: one
// have has under the same number with the same role holds it, or its
// text and more (an answer continued since).
func holdsMore(stray, have *chat.Conversation) bool {
	byNode := map[int64]*chat.Message{}
	for _, m := range have.All() {
		byNode[m.Node] = m
	}
	for _, m := range stray.All() {
		h, ok := byNode[m.Node]
		if !ok || h.Role != m.Role || !strings.HasPrefix(h.Content, m.Content) || len(h.Attachments) != len(m.Attachments) {
			return true
		}
	}
	return false
}

// addWithTimes writes conv, a chat not in s, as ReplaceAll does but with
// the title and times it had where it was kept.
func (s *Store) addWithTimes(conv *chat.Conversation, created, updated int64) error {
	return s.replaceAll(conv, false, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE conversations SET title = ?, created = ?, updated = ? WHERE id = ?`,
			strings.TrimSpace(conv.Title), created, updated, conv.ID)
		return err
	})
}
