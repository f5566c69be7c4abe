package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/azchat/azchat/chat"
)

// An azchat from before the move (OpenMoving) run after it finds no
// history at the old name and begins a new one there: its chats would be
// left where this azchat never looks. At each start such a stray history
// is moved into the history folder under a name of its own (strayPrefix,
// by moveDatabase: folded, locked, copied, read back), then its chats are
// added to the history and the file removed. A start that stops midway
// finds the moved file next time and goes on; a chat already added is
// not added twice.

// strayPrefix names a stray history moved into the history folder, not
// yet gathered.
const strayPrefix = "stray-"

// Gathered says what OpenMoving added to the history from a history an
// older azchat kept at the old place after the move.
type Gathered struct {
	From  string // the old place
	Chats int    // how many chats were added
}

// gatherStray adds to s the chats of a history at oldPath and of any left
// in s's folder by a start that stopped midway. It runs under the movers'
// lock (OpenMoving). What cannot be gathered now (another program holds
// it, a newer azchat's, a disk without room) is left for the next start;
// a damaged stray history is set aside where it is.
func (s *Store) gatherStray(oldPath string) {
	dir := filepath.Dir(s.path)
	if fi, err := os.Lstat(oldPath); err == nil && fi.Mode().IsRegular() && refuseNewer(oldPath) == nil {
		to := filepath.Join(dir, fmt.Sprintf("%s%s.db", strayPrefix, time.Now().Format("20060102-150405.000000000")))
		if err := moveDatabase(oldPath, to); err != nil && damaged(err) {
			_, _ = setAside(oldPath, err)
		}
	}
	names, _ := filepath.Glob(filepath.Join(dir, strayPrefix+"*.db"))
	for _, name := range names {
		n, err := s.gatherFrom(name)
		if n > 0 {
			s.Gathered.From = filepath.Dir(oldPath)
			s.Gathered.Chats += n
		}
		if err == nil {
			for _, ext := range []string{"", "-wal", "-shm"} {
				_ = os.Remove(name + ext)
			}
		} else if damaged(err) {
			_, _ = setAside(name, err)
		}
	}
}

// gatherFrom adds the chats of the history at path to s, each in its own
// transaction, with the times it had there; it returns how many it added.
// A chat s has already is added again only if it was written to later at
// path, and then as a copy: nothing in s is replaced.
func (s *Store) gatherFrom(path string) (int, error) {
	if refuseNewer(path) != nil {
		return 0, errNotMoved
	}
	from, err := open(path)
	if err != nil {
		return 0, err
	}
	defer from.Close()
	list, err := from.List(0, 0)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, sm := range list {
		conv, err := from.Load(sm.ID)
		if err != nil {
			return added, err
		}
		var created, updated int64
		if err := from.db.QueryRow(`SELECT created, updated FROM conversations WHERE id = ?`, sm.ID).Scan(&created, &updated); err != nil {
			return added, err
		}
		var haveUpdated int64
		err = s.db.QueryRow(`SELECT updated FROM conversations WHERE id = ?`, conv.ID).Scan(&haveUpdated)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return added, err
		case updated <= haveUpdated:
			// The same chat, added by a start that stopped midway, or an
			// earlier state of it (a moved history Windows could not
			// remove, its copy since written to).
			continue
		default:
			// Written to at the old place after it was moved: kept as a
			// copy beside the chat it began as.
			conv.ID = chat.NewConversationID()
		}
		if err := s.addWithTimes(conv, created, updated); err != nil {
			return added, err
		}
		added++
	}
	return added, nil
}

// addWithTimes writes conv, a chat not in s, as ReplaceAll does but with
// the title and times it had where it was kept.
func (s *Store) addWithTimes(conv *chat.Conversation, created, updated int64) error {
	return s.replaceAll(conv, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE conversations SET title = ?, created = ?, updated = ? WHERE id = ?`,
			strings.TrimSpace(conv.Title), created, updated, conv.ID)
		return err
	})
}
