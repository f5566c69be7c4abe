package history

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/testwait"
)

func fileSnapshot(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sampleAtVersion is a history holding sample() whose schema version is
// then set to v.
func sampleAtVersion(t *testing.T, v int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.ReplaceAll(sample()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestNewerSchemaIsRefusedAndUntouched: a history written by a newer azchat
// is not "damaged": it is left exactly as it is and the error says to update.
func TestNewerSchemaIsRefusedAndUntouched(t *testing.T) {
	path := sampleAtVersion(t, 99)
	before := fileSnapshot(t, path)
	_, err := Open(path)
	var newer *NewerSchemaError
	if !errors.As(err, &newer) || newer.Version != 99 || !strings.Contains(err.Error(), "newer azchat (schema 99") || !strings.Contains(err.Error(), "update azchat") {
		t.Fatalf("Open of a newer schema: %v", err)
	}
	if !bytes.Equal(before, fileSnapshot(t, path)) {
		t.Fatal("the newer database was changed")
	}
	matches, _ := filepath.Glob(path + ".damaged-*")
	if len(matches) != 0 {
		t.Fatalf("set aside as damaged: %v", matches)
	}
}

// TestNewerSchemaThisSQLiteCannotReadIsUntouched: a newer azchat may
// bring a newer SQLite and write a table this one cannot parse, which
// SQLite reports as a malformed (corrupt) schema. The version is read
// before anything parses the schema: the file is refused as newer, not
// set aside as damaged.
func TestNewerSchemaThisSQLiteCannotReadIsUntouched(t *testing.T) {
	path := sampleAtVersion(t, 99)
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"PRAGMA writable_schema = ON",
		"INSERT INTO sqlite_master VALUES ('table', 'later', 'later', 0, 'CREATE TABLE later (a INTEGER) WITH SYNTAX FROM THE FUTURE')",
		"PRAGMA writable_schema = OFF",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()
	before := fileSnapshot(t, path)
	_, err = Open(path)
	var newer *NewerSchemaError
	if !errors.As(err, &newer) || newer.Version != 99 {
		t.Fatalf("Open of a newer schema this SQLite cannot parse: %v", err)
	}
	if !bytes.Equal(before, fileSnapshot(t, path)) {
		t.Fatal("the newer database was changed")
	}
	if matches, _ := filepath.Glob(path + ".damaged-*"); len(matches) != 0 {
		t.Fatalf("set aside as damaged: %v", matches)
	}
}

// TestBusyDatabaseIsNotSetAside: another process holding the write lock
// (say, a migration in progress) makes Open fail, never moves the file.
func TestBusyDatabaseIsNotSetAside(t *testing.T) {
	// An older schema, so Open must take the write lock to migrate.
	path := sampleAtVersion(t, 1)
	other, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetMaxOpenConns(1)
	if _, err := other.Exec("BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = other.Exec("ROLLBACK") }()
	if _, err := Open(path); err == nil || damaged(err) {
		t.Fatalf("Open of a locked database: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal("the locked database was moved:", err)
	}
	if matches, _ := filepath.Glob(path + ".damaged-*"); len(matches) != 0 {
		t.Fatalf("set aside as damaged: %v", matches)
	}
}

// TestConcurrentOpensMigrateOnce: the window and a CLI command starting at
// the same moment on a new file both succeed, and the schema is whole.
func TestConcurrentOpensMigrateOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	var wg sync.WaitGroup
	errs := make([]error, 4)
	stores := make([]*Store, 4)
	for i := range errs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			stores[i], errs[i] = Open(path)
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer stores[i].Close()
		if stores[i].Recovered != "" {
			t.Fatalf("open %d set the file aside", i)
		}
	}
	var v int
	if err := stores[0].db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != len(migrations) {
		t.Fatalf("user_version %d %v", v, err)
	}
	if err := stores[1].ReplaceAll(sample()); err != nil {
		t.Fatal(err)
	}
}

// TestPathIsEscapedForSQLite: "?", "#" and "%" in folder names are part of
// the path, not of SQLite's URI syntax.
func TestPathIsEscapedForSQLite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "odd?name#x%41 y")
	path := filepath.Join(dir, "history.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.ReplaceAll(sample()); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("the database is not at %s: %v", path, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Fatalf("files were created elsewhere: %v", entries)
	}
}

// TestSearchIndexFollowsFinishedAnswers: a streaming answer is indexed once,
// when it finishes (checkpoints do not re-index it); later changes and the
// delete keep the index exact.
func TestSearchIndexFollowsFinishedAnswers(t *testing.T) {
	s := openTemp(t)
	conv := &chat.Conversation{ID: "s1", Messages: []*chat.Message{{Role: chat.User, Content: "question", Status: chat.Complete}}}
	hits := func(q string) int {
		t.Helper()
		h, err := s.Search(q, 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(h)
	}
	answer := chat.Message{Role: chat.Assistant, Content: "zebra", Status: chat.Streaming}
	for _, text := range []string{"zebra", "zebra giraffe"} {
		answer.Content = text
		if err := s.SaveMessage(conv, 1, answer); err != nil {
			t.Fatal(err)
		}
	}
	if hits("giraffe") != 0 || hits("zebra") != 0 {
		t.Fatal("a streaming checkpoint was indexed")
	}
	answer.Content, answer.Status = "zebra giraffe okapi", chat.Complete
	if err := s.SaveMessage(conv, 1, answer); err != nil {
		t.Fatal(err)
	}
	if hits("okapi") != 1 || hits("zebra") != 1 {
		t.Fatal("the finished answer is not searchable")
	}
	answer.Content = "edited text"
	if err := s.SaveMessage(conv, 1, answer); err != nil {
		t.Fatal(err)
	}
	if hits("okapi") != 0 || hits("edited") != 1 {
		t.Fatal("the index kept the old text of an edited answer")
	}
	if err := s.Delete("s1"); err != nil {
		t.Fatal(err)
	}
	if hits("edited") != 0 || hits("question") != 0 {
		t.Fatal("deleted messages are still found")
	}
	// FTS5 compares its index with the messages table itself.
	if _, err := s.db.Exec(`INSERT INTO messages_fts(messages_fts, rank) VALUES('integrity-check', 1)`); err != nil {
		t.Fatalf("full-text index integrity: %v", err)
	}
}

// TestMigrationKeepsOldStreamingRowsSearchable: a schema-2 file with a row a
// crash left "streaming" opens with that row interrupted and searchable.
func TestMigrationKeepsOldStreamingRowsSearchable(t *testing.T) {
	path := oldHistory(t, 2,
		`INSERT INTO conversations(id, created, updated) VALUES ('old', 0, 0)`,
		`INSERT INTO messages(conversation_id, seq, role, content, time, status) VALUES ('old', 0, 'user', 'ancient question', 0, 'complete')`,
		`INSERT INTO messages(conversation_id, seq, role, content, time, status) VALUES ('old', 1, 'assistant', 'half an answer about walruses', 0, 'streaming')`,
	)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	h, err := s.Search("walruses", 10)
	if err != nil || len(h) != 1 {
		t.Fatalf("search after migration: %v %v", h, err)
	}
	conv, err := s.Load("old")
	if err != nil || conv.Messages[1].Status != chat.Interrupted {
		t.Fatalf("old streaming row: %+v %v", conv, err)
	}
}

// TestWatchReportsOnlyOtherWriters: the window's own saves (many a second
// while an answer streams) are not reported; an import by another process
// is.
func TestWatchReportsOnlyOtherWriters(t *testing.T) {
	s := openTemp(t)
	var calls atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var readies atomic.Int32
	go s.Watch(ctx, 5*time.Millisecond, func() { readies.Add(1) }, func() { calls.Add(1) })
	testwait.Until(t, 5*time.Second, "the watch to start", func() bool { return readies.Load() > 0 })
	for i := 0; i < 20; i++ {
		c := sample()
		c.ID = fmt.Sprintf("own-%d", i)
		if err := s.ReplaceAll(c); err != nil {
			t.Fatal(err)
		}
	}
	// Several polls after the writes pass without a report.
	s.watchMu.Lock()
	after := s.watchPolls
	s.watchMu.Unlock()
	testwait.Until(t, 5*time.Second, "three more polls", func() bool {
		s.watchMu.Lock()
		defer s.watchMu.Unlock()
		return s.watchPolls >= after+3
	})
	if n := calls.Load(); n != 0 {
		t.Fatalf("%d reports for the store's own writes", n)
	}
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := other.ReplaceAll(sample()); err != nil {
		t.Fatal(err)
	}
	testwait.Until(t, 5*time.Second, "a report of the other writer", func() bool { return calls.Load() > 0 })
	if n := readies.Load(); n != 1 {
		t.Fatalf("ready called %d times", n)
	}
}

// TestWatchIsReadyEvenWhenItCannotStart: a watch that cannot start (its
// context already ended) still says so, so whoever waits for it to read
// the chat list reads it.
func TestWatchIsReadyEvenWhenItCannotStart(t *testing.T) {
	s := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var readies, changes atomic.Int32
	var done atomic.Bool
	go func() {
		s.Watch(ctx, time.Millisecond, func() { readies.Add(1) }, func() { changes.Add(1) })
		done.Store(true)
	}()
	testwait.Until(t, 10*time.Second, "Watch to return after its context ended", done.Load)
	if n := readies.Load(); n != 1 {
		t.Fatalf("ready called %d times", n)
	}
	if n := changes.Load(); n != 0 {
		t.Fatalf("%d changes reported by a watch that never started", n)
	}
}

// Close ends a running Watch (whose own context never ends) and returns
// only once it has let go of its connection; a Watch started after Close
// does not start.
func TestCloseEndsTheWatchFirst(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	var ready atomic.Int32
	ended := make(chan struct{})
	go func() {
		s.Watch(context.Background(), 5*time.Millisecond, func() { ready.Add(1) }, func() {})
		close(ended)
	}()
	testwait.Until(t, 5*time.Second, "the watch to start", func() bool { return ready.Load() > 0 })
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s.watchMu.Lock()
	held := s.watchConn != nil
	s.watchMu.Unlock()
	if held {
		t.Fatal("Close returned while the watch still held its connection")
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the watch runs on after Close")
	}
	done := make(chan struct{})
	go func() {
		s.Watch(context.Background(), 5*time.Millisecond, func() { ready.Add(1) }, func() {})
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a watch started after Close runs")
	}
	if ready.Load() != 2 {
		t.Fatalf("ready called %d times, want once per watch", ready.Load())
	}
}

// TestAdviceFitsTheTrouble: the "not saved" banner said to free space
// whatever the cause (a read-only disk, another program holding the file).
func TestAdviceFitsTheTrouble(t *testing.T) {
	for err, want := range map[error]string{
		fmt.Errorf("write: %w", syscall.ENOSPC): "Free some space in /data",
		fmt.Errorf("write: %w", syscall.EROFS):  "Make /data writable",
		errors.New("something else"):            "",
	} {
		if got := Advice(err, "/data"); !strings.HasPrefix(got, want) || (want == "" && got != "") {
			t.Errorf("%v: %q, want %q…", err, got, want)
		}
	}
	// A real database held by another connection: busy.
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hold, err := sql.Open("sqlite", dsn(path)+"&_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close()
	tx, err := hold.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("INSERT INTO conversations(id, title, created, updated) VALUES ('x', '', 0, 0)"); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, werr := other.Exec("INSERT INTO conversations(id, title, created, updated) VALUES ('y', '', 0, 0)")
	if werr == nil || Trouble(werr) != Busy || !strings.HasPrefix(Advice(werr, "/data"), "Close the other program") {
		t.Fatalf("a held database: %v (%v)", werr, Trouble(werr))
	}
}

// TestHasKnowsChatsWithoutMessages: a chat given its own settings before
// its first message is in the history (the draft kept at quit reopens it).
func TestHasKnowsChatsWithoutMessages(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.ReplaceAll(&chat.Conversation{ID: "settings-only", System: "be brief"}); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{"settings-only": true, "never-saved": false} {
		if ok, err := s.Has(id); err != nil || ok != want {
			t.Errorf("Has(%q) = %v %v, want %v", id, ok, err, want)
		}
	}
}
