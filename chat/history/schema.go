package history

import (
	"context"
	"errors"
	"fmt"
	"syscall"

	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// migrations are applied in order; PRAGMA user_version counts the applied ones.
var migrations = []string{
	`CREATE TABLE conversations (
		id         TEXT PRIMARY KEY,
		title      TEXT NOT NULL DEFAULT '',
		first_line TEXT NOT NULL DEFAULT '',
		system     TEXT NOT NULL DEFAULT '',
		examples   TEXT NOT NULL DEFAULT '[]',
		created    INTEGER NOT NULL,
		updated    INTEGER NOT NULL
	);
	CREATE INDEX conversations_updated ON conversations(updated DESC);
	CREATE TABLE messages (
		id              INTEGER PRIMARY KEY,
		conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
		seq             INTEGER NOT NULL,
		role            TEXT NOT NULL,
		name            TEXT NOT NULL DEFAULT '',
		content         TEXT NOT NULL,
		time            INTEGER NOT NULL,
		status          TEXT NOT NULL,
		finish_reason   TEXT NOT NULL DEFAULT '',
		prompt_filter   TEXT,
		filter          TEXT,
		usage           TEXT,
		model           TEXT NOT NULL DEFAULT '',
		error           TEXT NOT NULL DEFAULT '',
		token_encoding  TEXT NOT NULL DEFAULT '',
		token_count     INTEGER NOT NULL DEFAULT 0,
		UNIQUE (conversation_id, seq)
	);
	CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
	CREATE TRIGGER messages_ai AFTER INSERT ON messages BEGIN
		INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
	END;
	CREATE TRIGGER messages_ad AFTER DELETE ON messages BEGIN
		INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
	END;
	CREATE TRIGGER messages_au AFTER UPDATE OF content ON messages BEGIN
		INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
		INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
	END;`,
	// 2: per-conversation generation settings.
	`ALTER TABLE conversations ADD COLUMN overrides TEXT NOT NULL DEFAULT '{}';`,
	// 3: a failure's kind and action, as the error map decided them; and
	// the search index follows answers only once they are no longer
	// streaming, so a checkpoint (twice a second) does not re-index the
	// whole answer each time. Rows a crash left "streaming" are what Load
	// already shows them as: interrupted.
	`ALTER TABLE messages ADD COLUMN error_kind TEXT NOT NULL DEFAULT '';
	ALTER TABLE messages ADD COLUMN action TEXT NOT NULL DEFAULT '';
	DROP TRIGGER messages_ai;
	DROP TRIGGER messages_ad;
	DROP TRIGGER messages_au;
	UPDATE messages SET status = 'interrupted' WHERE status = 'streaming';
	CREATE TRIGGER messages_ai AFTER INSERT ON messages WHEN new.status != 'streaming' BEGIN
		INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
	END;
	CREATE TRIGGER messages_ad AFTER DELETE ON messages WHEN old.status != 'streaming' BEGIN
		INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
	END;
	CREATE TRIGGER messages_au AFTER UPDATE OF content, status ON messages BEGIN
		INSERT INTO messages_fts(messages_fts, rowid, content) SELECT 'delete', old.id, old.content WHERE old.status != 'streaming';
		INSERT INTO messages_fts(rowid, content) SELECT new.id, new.content WHERE new.status != 'streaming';
	END;`,
	// 4: the reasoning summary the Responses API returns with an answer.
	`ALTER TABLE messages ADD COLUMN reasoning TEXT NOT NULL DEFAULT '';`,
	// 5: attachments. An image is stored once however many messages send
	// it, keyed by its SHA-256, and goes when the last of them does (see
	// dropUnusedImages, which the index keeps cheap). A text file is
	// small and stays in its attachment row.
	`CREATE TABLE images (
		sha256 TEXT PRIMARY KEY,
		mime   TEXT NOT NULL,
		width  INTEGER NOT NULL,
		height INTEGER NOT NULL,
		data   BLOB NOT NULL
	);
	CREATE TABLE attachments (
		message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
		ord        INTEGER NOT NULL,
		kind       TEXT NOT NULL,
		name       TEXT NOT NULL,
		detail     TEXT NOT NULL DEFAULT '',
		image      TEXT REFERENCES images(sha256),
		text       TEXT NOT NULL DEFAULT '',
		lang       TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (message_id, ord)
	);
	CREATE INDEX attachments_image ON attachments(image);`,
	// 6: branches. Messages form a tree: seq numbers a message within its
	// conversation (no longer its place on a path), parent_seq is the seq
	// of the message it answers or follows (NULL for the first), and the
	// conversation's active_leaf is the seq of the last message of the
	// path on screen. A linear history becomes the one path it was, each
	// message following the one before it (a gap in seq, left by a write
	// that failed, does not cut the line).
	`ALTER TABLE messages ADD COLUMN parent_seq INTEGER;
	UPDATE messages SET parent_seq = (SELECT max(p.seq) FROM messages p
		WHERE p.conversation_id = messages.conversation_id AND p.seq < messages.seq);
	ALTER TABLE conversations ADD COLUMN active_leaf INTEGER;
	UPDATE conversations SET active_leaf = (SELECT max(seq) FROM messages m WHERE m.conversation_id = conversations.id);`,
	// 7: what each answer cost. The profile and deployment that answered
	// and the profile's prices then (JSON of chat.Prices, NULL when none
	// were set), so a cost never changes when the settings do. Answers
	// from before keep '' (reported as "unknown") and no prices.
	`ALTER TABLE messages ADD COLUMN profile TEXT NOT NULL DEFAULT '';
	ALTER TABLE messages ADD COLUMN deployment TEXT NOT NULL DEFAULT '';
	ALTER TABLE messages ADD COLUMN prices TEXT;`,
	// 8: the text of attached files is searched too (a long paste is
	// attached as a file: what was pasted could not be found again). The
	// index refers to each row by its id, which the table is rebuilt to
	// have: an implicit rowid may change (VACUUM renumbers it), and the
	// index would then point at other rows. An image's row has no text,
	// and indexes none.
	`CREATE TABLE attachments_new (
		id         INTEGER PRIMARY KEY,
		message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
		ord        INTEGER NOT NULL,
		kind       TEXT NOT NULL,
		name       TEXT NOT NULL,
		detail     TEXT NOT NULL DEFAULT '',
		image      TEXT REFERENCES images(sha256),
		text       TEXT NOT NULL DEFAULT '',
		lang       TEXT NOT NULL DEFAULT '',
		UNIQUE (message_id, ord)
	);
	INSERT INTO attachments_new(message_id, ord, kind, name, detail, image, text, lang)
		SELECT message_id, ord, kind, name, detail, CASE WHEN image IN (SELECT sha256 FROM images) THEN image END, text, lang
		FROM attachments ORDER BY message_id, ord;
	DROP TABLE attachments;
	ALTER TABLE attachments_new RENAME TO attachments;
	CREATE INDEX attachments_image ON attachments(image);
	CREATE VIRTUAL TABLE attachments_fts USING fts5(text, content='attachments', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
	INSERT INTO attachments_fts(attachments_fts) VALUES ('rebuild');
	CREATE TRIGGER attachments_ai AFTER INSERT ON attachments BEGIN
		INSERT INTO attachments_fts(rowid, text) VALUES (new.id, new.text);
	END;
	CREATE TRIGGER attachments_ad AFTER DELETE ON attachments BEGIN
		INSERT INTO attachments_fts(attachments_fts, rowid, text) VALUES ('delete', old.id, old.text);
	END;
	CREATE TRIGGER attachments_au AFTER UPDATE OF text ON attachments BEGIN
		INSERT INTO attachments_fts(attachments_fts, rowid, text) VALUES ('delete', old.id, old.text);
		INSERT INTO attachments_fts(rowid, text) VALUES (new.id, new.text);
	END;`,
}

// NewerSchemaError says the database was written by a newer azchat: it is
// left exactly as it is, and this build does not use it.
type NewerSchemaError struct {
	Path    string
	Version int // the schema the file has
	Known   int // the newest schema this build knows
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("this history was written by a newer azchat (schema %d, this one knows %d); update azchat to use it — %s is left untouched", e.Version, e.Known, e.Path)
}

// errIntegrity is a failed integrity check: the file opened but is damaged.
var errIntegrity = errors.New("integrity check failed")

// damaged reports whether err means the file itself is not a usable
// database. Busy, locked, permission, disk-full and I/O errors do not: the
// file may be fine, and setting it aside would hide the user's history.
func damaged(err error) bool {
	if errors.Is(err, errIntegrity) {
		return true
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return true
		}
	}
	return false
}

func (s *Store) check() error {
	var res string
	if err := s.db.QueryRow("PRAGMA quick_check").Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("%w: %s", errIntegrity, res)
	}
	return nil
}

// migrate brings the schema up to date. Each step runs under BEGIN
// IMMEDIATE and re-reads the version inside the transaction, so two
// processes starting at once (the window and a CLI command) never apply a
// step twice.
func (s *Store) migrate() error {
	ctx := context.Background()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// Most opens find the schema current: check without a write lock, so
	// a read-only medium or a busy writer elsewhere does not stop export.
	var current int
	if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return err
	}
	if current > len(migrations) {
		return &NewerSchemaError{Path: s.path, Version: current, Known: len(migrations)}
	}
	if current == len(migrations) {
		return nil
	}
	for {
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			return err
		}
		var v int
		if err := conn.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			_, _ = conn.ExecContext(ctx, "ROLLBACK")
			return err
		}
		if v > len(migrations) {
			_, _ = conn.ExecContext(ctx, "ROLLBACK")
			return &NewerSchemaError{Path: s.path, Version: v, Known: len(migrations)}
		}
		if v == len(migrations) {
			_, err := conn.ExecContext(ctx, "COMMIT")
			return err
		}
		if _, err := conn.ExecContext(ctx, migrations[v]); err != nil {
			_, _ = conn.ExecContext(ctx, "ROLLBACK")
			return fmt.Errorf("migrate history to schema %d: %w", v+1, err)
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			_, _ = conn.ExecContext(ctx, "ROLLBACK")
			return err
		}
		if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
			_, _ = conn.ExecContext(ctx, "ROLLBACK")
			return err
		}
	}
}

// WriteTrouble is why a write to the history failed, as far as the user
// can act on it.
type WriteTrouble int

// The troubles Trouble tells apart.
const (
	OtherTrouble WriteTrouble = iota
	DiskFull
	ReadOnly
	DiskError
	CannotOpen
	Busy
)

// Trouble classifies a failed write.
func Trouble(err error) WriteTrouble {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			return DiskFull
		case sqlite3.SQLITE_READONLY:
			return ReadOnly
		case sqlite3.SQLITE_IOERR:
			return DiskError
		case sqlite3.SQLITE_CANTOPEN:
			return CannotOpen
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return Busy
		}
	}
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return DiskFull
	case errors.Is(err, syscall.EROFS):
		return ReadOnly
	}
	return OtherTrouble
}

// Describe says in a few words why a write failed, for the message that
// tells the user their chat is not saved yet: the disk is full, read-only,
// failing, or the database is busy. Anything else keeps its own text.
func Describe(err error) string {
	switch Trouble(err) {
	case DiskFull:
		return "the disk is full"
	case ReadOnly:
		return "the disk or the history file is read-only"
	case DiskError:
		return "the disk reported an input/output error"
	case CannotOpen:
		return "the history file could not be opened"
	case Busy:
		return "another program is holding the history database"
	}
	return err.Error()
}

// Advice says what the user can do about a failed write to the history
// in folder dir ("" when there is nothing particular to say).
func Advice(err error, dir string) string {
	switch Trouble(err) {
	case DiskFull:
		return "Free some space in " + dir + "."
	case ReadOnly:
		return "Make " + dir + " writable (a disk mounted read-only, or files owned by another user)."
	case DiskError:
		return "Check the disk that holds " + dir + "; copy your history somewhere safe."
	case CannotOpen:
		return "Check that " + dir + " exists and belongs to you."
	case Busy:
		return "Close the other program using it (an `azchat import` or `export` still running), then Retry."
	}
	return ""
}
