// Package history keeps conversations in an embedded SQLite database (pure
// Go, one file in the app's storage folder) with a full-text index over
// message text. Writes are small transactions so a crash loses at most the
// last half second of a streaming answer. A file SQLite calls corrupt is set
// aside, never deleted, and a fresh one takes its place; any other failure
// (a newer schema, busy, permissions) leaves the file as it is.
package history

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/tokens"
)

// Store is an open history database. It is safe for concurrent use; every
// method does disk work, so UI code calls it from a goroutine.
type Store struct {
	db   *sql.DB
	path string
	// Recovered is the path the damaged database was moved to, when Open
	// found the old file unreadable; "" otherwise.
	Recovered string
	// RecoveredErr says what was wrong with it.
	RecoveredErr error
	// Gathered says which chats OpenMoving added from a history an older
	// azchat began at the old place.
	Gathered Gathered

	// watch is Watch's connection and the data_version it last accounted
	// for, so the store's own commits are not reported as changes.
	watchMu    sync.Mutex
	watchConn  *sql.Conn
	watchKnown int64
	watchPolls int // polls done (tests wait on it)
	// closing ends a running Watch; Close waits for it (watchers) to let
	// go of its connection before the database closes: a connection
	// closed after the database touches its files after the store's.
	closing  chan struct{}
	closed   bool // under watchMu
	watchers sync.WaitGroup
}

// Open opens (or creates) the database at path. Only a file SQLite calls
// corrupt or not a database is renamed to "<path>.damaged-<time>" and
// replaced by a fresh one (Recovered and RecoveredErr say so); any other
// failure is returned with the file untouched, a newer schema as
// *NewerSchemaError.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create the history folder: %w", err)
	}
	s, err := open(path)
	if err == nil {
		return s, nil
	}
	if _, statErr := os.Stat(path); statErr != nil || !damaged(err) {
		return nil, err
	}
	return freshAfter(path, path, err, open)
}

// freshAfter sets the damaged database at damagedPath aside (err says
// what is wrong with it) and opens a fresh history at path with open,
// which reports where the damaged one went.
func freshAfter(damagedPath, path string, err error, open func(string) (*Store, error)) (*Store, error) {
	aside, aerr := setAside(damagedPath, err)
	if aerr != nil {
		return nil, aerr
	}
	s, err2 := open(path)
	if err2 != nil {
		return nil, err2
	}
	s.Recovered, s.RecoveredErr = aside, err
	return s, nil
}

// setAside renames the damaged database at path (err says what is wrong
// with it), and its log and index, to <path>.damaged-<time>; it returns
// that name, or the rename's failure.
func setAside(path string, err error) (string, error) {
	aside := fmt.Sprintf("%s.damaged-%s", path, time.Now().Format("20060102-150405"))
	if rerr := os.Rename(path, aside); rerr != nil {
		return "", fmt.Errorf("the history database is damaged (%v) and could not be set aside: %w", err, rerr)
	}
	for _, ext := range []string{"-wal", "-shm"} {
		if _, e := os.Stat(path + ext); e == nil {
			_ = os.Rename(path+ext, aside+ext)
		}
	}
	return aside, nil
}

// dsn makes SQLite's URI for path: the path is escaped, so a folder named
// with "?", "#" or "%" opens that file and not another.
func dsn(path string) string {
	u := url.URL{Path: filepath.ToSlash(path)}
	return "file:" + u.EscapedPath() + "?_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
}

// open opens the database again when another program was creating or
// migrating it at the same moment (the window and `azchat import` started
// together on a fresh history): SQLite then reports the schema changed
// under the reader (SQLITE_SCHEMA), or busy without waiting for the busy
// timeout (switching a new file to WAL, upgrading a read to a write).
//
// Retried for up to openRetries in all: a deadline rather than a count of
// attempts, as several programs migrating at once on a loaded machine may
// each take a while.
func open(path string) (*Store, error) {
	first := time.Now()
	for attempt := 1; ; attempt++ {
		start := time.Now()
		s, err := openOnce(path)
		if err == nil || !openRace(err, time.Since(start)) || time.Since(first) > openRetries {
			return s, err
		}
		time.Sleep(time.Duration(min(attempt, 8)) * 25 * time.Millisecond)
	}
}

// openRetries is how long open retries the races of openRace.
const openRetries = 10 * time.Second

// openRace reports the errors another program opening the same file at
// once can cause. A busy error after waiting the busy timeout is a program
// holding the database, not a race: it is reported, not retried.
func openRace(err error, took time.Duration) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_SCHEMA:
			return true
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			// Well below the 5 s busy timeout: an open that took that
			// long waited for a holder; one that took less hit a busy
			// SQLite does not wait on (however slow the open around it).
			return took < 4*time.Second
		}
	}
	return strings.Contains(err.Error(), "database schema has changed")
}

func openOnce(path string) (*Store, error) {
	// The version first, on a connection that parses no schema: a newer
	// azchat's schema may hold what this SQLite cannot parse, which it
	// reports as corrupt (the pragmas of dsn parse it as they connect),
	// and Open would set the file aside as damaged.
	if err := refuseNewer(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path, closing: make(chan struct{})}
	if err := s.check(); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// refuseNewer returns a *NewerSchemaError for a history written by a
// newer azchat, read without parsing its schema (no pragma but the
// version's, read-only). Any other trouble is left to the open that
// follows, which reports it (or sets a damaged file aside).
func refuseNewer(path string) error {
	if _, err := os.Stat(path); err != nil {
		return nil // a new history
	}
	u := url.URL{Path: filepath.ToSlash(path)}
	db, err := sql.Open("sqlite", "file:"+u.EscapedPath()+"?mode=ro")
	if err != nil {
		return nil
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v <= len(migrations) {
		return nil
	}
	return &NewerSchemaError{Path: path, Version: v, Known: len(migrations)}
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close ends a running Watch, waits for it to let go of its connection,
// and closes the database.
func (s *Store) Close() error {
	s.watchMu.Lock()
	if !s.closed {
		s.closed = true
		close(s.closing)
	}
	s.watchMu.Unlock()
	s.watchers.Wait()
	return s.db.Close()
}

func jsonOrNull(v any, empty bool) any {
	if empty {
		return nil
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// execer is what the writers need of a transaction (*sql.Tx).
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func upsertConversation(ctx context.Context, x execer, conv *chat.Conversation) error {
	ex, _ := json.Marshal(conv.Examples)
	if conv.Examples == nil {
		ex = []byte("[]")
	}
	now := time.Now().UnixMilli()
	ov, _ := json.Marshal(conv.Overrides)
	var leaf any // NULL: the newest message ends the path
	if l := conv.ActiveLeaf(); l > 0 {
		leaf = l - 1
	}
	_, err := x.ExecContext(ctx, `INSERT INTO conversations(id, title, first_line, system, examples, overrides, created, updated, active_leaf)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET first_line = excluded.first_line, system = excluded.system,
			examples = excluded.examples, overrides = excluded.overrides, updated = excluded.updated,
			active_leaf = excluded.active_leaf`,
		conv.ID, conv.Title, conv.AutoTitle(80), conv.System, string(ex), string(ov), now, now, leaf)
	return err
}

// seqOf is where a message is stored: its Node less one (seq counts from
// 0, as linear histories did), and its parent's seq, NULL for the first
// message. A message without a Node (a caller that numbers nothing) is
// stored at its index, following the one before it.
func seqOf(m *chat.Message, index int) (seq int64, parent any) {
	if m.Node == 0 {
		if index > 0 {
			return int64(index), int64(index - 1)
		}
		return int64(index), nil
	}
	if m.Parent > 0 {
		return m.Node - 1, m.Parent - 1
	}
	return m.Node - 1, nil
}

func upsertMessage(ctx context.Context, x execer, convID string, index int, m *chat.Message) error {
	seq, parent := seqOf(m, index)
	enc, n := "", 0
	for _, e := range []tokens.Encoding{tokens.O200K, tokens.CL100K} {
		if c, ok := m.CachedCost(e); ok {
			enc, n = string(e), c
		}
	}
	t := m.Time
	if t.IsZero() {
		t = time.Now()
	}
	var id int64
	err := x.QueryRowContext(ctx, `INSERT INTO messages(conversation_id, seq, role, name, content, time, status, finish_reason,
			prompt_filter, filter, usage, model, error, token_encoding, token_count, error_kind, action, reasoning, parent_seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(conversation_id, seq) DO UPDATE SET role = excluded.role, name = excluded.name, parent_seq = excluded.parent_seq,
			content = excluded.content, time = excluded.time, status = excluded.status,
			finish_reason = excluded.finish_reason, prompt_filter = excluded.prompt_filter,
			filter = excluded.filter, usage = excluded.usage, model = excluded.model, error = excluded.error,
			token_encoding = excluded.token_encoding, token_count = excluded.token_count,
			error_kind = excluded.error_kind, action = excluded.action, reasoning = excluded.reasoning
		RETURNING id`,
		convID, seq, string(m.Role), m.Name, m.Content, t.UnixMilli(), string(m.Status), m.FinishReason,
		jsonOrNull(m.PromptFilter, len(m.PromptFilter) == 0), jsonOrNull(m.Filter, len(m.Filter) == 0),
		jsonOrNull(m.Usage, m.Usage == nil), m.Model, m.Error, enc, n, string(m.ErrorKind), string(m.Action), m.Reasoning, parent).Scan(&id)
	if err != nil {
		return err
	}
	if err := saveStamp(ctx, x, id, m); err != nil {
		return err
	}
	// Answers are checkpointed twice a second while they stream and never
	// carry attachments: they skip the attachment rows entirely. A user
	// message is rewritten even without attachments, so removing the last
	// one from it is saved too.
	if len(m.Attachments) == 0 && m.Role != chat.User {
		return nil
	}
	return saveAttachments(ctx, x, id, m.Attachments)
}

// SaveMessage writes one message (inserting or updating it) and the
// conversation's metadata in one transaction. It implements chat.Persister.
func (s *Store) SaveMessage(conv *chat.Conversation, index int, m chat.Message) error {
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := upsertConversation(ctx, tx, conv); err != nil {
		return err
	}
	if err := upsertMessage(ctx, tx, conv.ID, index, &m); err != nil {
		return err
	}
	return s.own(tx.Commit)
}

// ReplaceAll rewrites a conversation's messages, every branch of it
// (after an edit, delete, regenerate or a switch of branch), numbering
// any message that has no Node yet (an import). It implements
// chat.Persister.
func (s *Store) ReplaceAll(conv *chat.Conversation) error {
	return s.replaceAll(conv, false, nil)
}

// errTaken says a chat meant to be new has an ID the history holds.
var errTaken = errors.New("the history has a chat with that ID")

// replaceAll is ReplaceAll, running also (if not nil) in its transaction
// once the messages are written. With fresh, conv must be new: a chat of
// its ID, even one written a moment before by another process, is left
// as it is and the error is errTaken.
func (s *Store) replaceAll(conv *chat.Conversation, fresh bool, also func(context.Context, *sql.Tx) error) error {
	conv.EnsureNodes()
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if fresh {
		// The row upsertConversation then completes (it sets the title
		// and creation time only when it inserts).
		now := time.Now().UnixMilli()
		res, err := tx.ExecContext(ctx, `INSERT INTO conversations(id, title, created, updated) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
			conv.ID, conv.Title, now, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return cmp.Or(err, errTaken)
		}
	}
	// A chat whose messages are the ones it had (another version shown,
	// or only its settings changed) keeps its date: viewing a version
	// moved it to the top of the list, dated now. The write lock first:
	// a read would start the transaction on a snapshot, and a write after
	// another connection's commit fails at once (SQLITE_BUSY_SNAPSHOT),
	// without the busy timeout.
	if _, err := tx.ExecContext(ctx, `UPDATE conversations SET updated = updated WHERE id = ?`, conv.ID); err != nil {
		return err
	}
	was, err := messagesSum(ctx, tx, conv.ID)
	if err != nil {
		return err
	}
	if err := upsertConversation(ctx, tx, conv); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE conversation_id = ?`, conv.ID); err != nil {
		return err
	}
	for i, m := range conv.All() {
		if err := upsertMessage(ctx, tx, conv.ID, i, m); err != nil {
			return err
		}
	}
	// Only now, with the kept messages back in, are the images nothing
	// uses any more known: a kept image's blob is never deleted and
	// written again.
	if err := dropUnusedImages(ctx, tx); err != nil {
		return err
	}
	if err := keepDate(ctx, tx, conv, was, fresh); err != nil {
		return err
	}
	if also != nil {
		if err := also(ctx, tx); err != nil {
			return err
		}
	}
	return s.own(tx.Commit)
}

// Summary is one conversation in the sidebar.
type Summary struct {
	ID       string
	Title    string
	Updated  time.Time
	Messages int
}

// List returns conversations newest first.
func (s *Store) List(limit, offset int) ([]Summary, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.db.Query(`SELECT id, CASE WHEN title != '' THEN title WHEN first_line != '' THEN first_line ELSE 'New chat' END,
			updated, (SELECT count(*) FROM messages WHERE conversation_id = c.id)
		FROM conversations c ORDER BY updated DESC LIMIT ? OFFSET ?`, limit, offset)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		var sm Summary
		var upd int64
		if err := rows.Scan(&sm.ID, &sm.Title, &upd, &sm.Messages); err != nil {
			return nil, err
		}
		sm.Updated = time.UnixMilli(upd)
		out = append(out, sm)
	}
	return out, rows.Err()
}

// Has reports whether conversation id is in the history (with or without
// messages).
func (s *Store) Has(id string) (bool, error) {
	var one int
	err := s.db.QueryRow(`SELECT 1 FROM conversations WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// LatestID returns the most recently updated conversation's ID, or "".
func (s *Store) LatestID() (string, error) {
	var id string
	err := s.db.QueryRow(`SELECT id FROM conversations ORDER BY updated DESC LIMIT 1`).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// Rename sets a conversation's title ("" returns to the automatic title).
func (s *Store) Rename(id, title string) error {
	return s.own(func() error {
		_, err := s.db.Exec(`UPDATE conversations SET title = ? WHERE id = ?`, strings.TrimSpace(title), id)
		return err
	})
}

// Delete removes a conversation, its messages and attachments, and the
// images no other message uses.
func (s *Store) Delete(id string) error {
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The messages and their attachment rows go by ON DELETE CASCADE
	// (dsn turns foreign keys on for every connection).
	if _, err := tx.ExecContext(ctx, `DELETE FROM conversations WHERE id = ?`, id); err != nil {
		return err
	}
	if err := dropUnusedImages(ctx, tx); err != nil {
		return err
	}
	return s.own(tx.Commit)
}
