package history

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/tokens"
)

func pic(data string, w, h int, detail chat.Detail) chat.Attachment {
	sum := sha256.Sum256([]byte(data))
	return chat.Attachment{Kind: chat.ImageAttachment, Name: "pic-" + data + ".png", MIME: "image/png",
		Data: []byte(data), SHA256: hex.EncodeToString(sum[:]), Width: w, Height: h, Detail: detail}
}

func textFile() chat.Attachment {
	return chat.Attachment{Kind: chat.TextAttachment, Name: "main.go", Text: "package main\n\nfunc main() {}\n", Lang: "go"}
}

func userMsg(content string, atts ...chat.Attachment) *chat.Message {
	return &chat.Message{Role: chat.User, Content: content, Time: time.UnixMilli(1_700_000_000_000), Status: chat.Complete, Attachments: atts}
}

func answer(content string) *chat.Message {
	return &chat.Message{Role: chat.Assistant, Content: content, Time: time.UnixMilli(1_700_000_001_000), Status: chat.Complete}
}

func count(t *testing.T, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(query, err)
	}
	return n
}

func images(t *testing.T, s *Store) int { return count(t, s, `SELECT count(*) FROM images`) }

// countWrites records every insert and delete of images and attachments
// rows in a table of the test's own, to see what a save touched.
func countWrites(t *testing.T, s *Store) func(table string) int {
	t.Helper()
	for _, q := range []string{
		`CREATE TABLE writes (tbl TEXT NOT NULL)`,
		`CREATE TRIGGER images_ins AFTER INSERT ON images BEGIN INSERT INTO writes VALUES ('images'); END`,
		`CREATE TRIGGER images_del AFTER DELETE ON images BEGIN INSERT INTO writes VALUES ('images'); END`,
		`CREATE TRIGGER attachments_ins AFTER INSERT ON attachments BEGIN INSERT INTO writes VALUES ('attachments'); END`,
		`CREATE TRIGGER attachments_del AFTER DELETE ON attachments BEGIN INSERT INTO writes VALUES ('attachments'); END`,
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	return func(table string) int {
		return count(t, s, `SELECT count(*) FROM writes WHERE tbl = ?`, table)
	}
}

func load(t *testing.T, s *Store, id string) *chat.Conversation {
	t.Helper()
	conv, err := s.Load(id)
	if err != nil {
		t.Fatal(id, err)
	}
	return conv
}

func sameAttachments(t *testing.T, got, want []chat.Attachment) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d attachments, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if !bytes.Equal(g.Data, w.Data) {
			t.Fatalf("attachment %d: bytes %q, want %q", i, g.Data, w.Data)
		}
		g.Data, w.Data = nil, nil
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("attachment %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestAttachmentsRoundTrip(t *testing.T) {
	s := openTemp(t)
	a, b, f := pic("first", 640, 480, chat.DetailHigh), pic("second", 32, 16, chat.DetailLow), textFile()
	noKey := b
	noKey.SHA256 = "" // computed from the bytes
	m := userMsg("what is in these?", a, f, noKey)
	m.SetCachedCost(tokens.O200K, 42)
	conv := &chat.Conversation{ID: "c", Messages: []*chat.Message{m, answer("cats")}}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	got := load(t, s, "c")
	sameAttachments(t, got.Messages[0].Attachments, []chat.Attachment{a, f, b})
	if len(got.Messages[1].Attachments) != 0 {
		t.Fatal("the answer got attachments")
	}
	if n, ok := got.Messages[0].CachedCost(tokens.O200K); !ok || n != 42 {
		t.Fatalf("the cached token count was lost: %d %v", n, ok)
	}
	if got.Messages[0].Content != "what is in these?" {
		t.Fatal("text changed")
	}
	// SaveMessage stores them the same way.
	if err := s.SaveMessage(conv, 2, *userMsg("and this?", f, a)); err != nil {
		t.Fatal(err)
	}
	sameAttachments(t, load(t, s, "c").Messages[2].Attachments, []chat.Attachment{f, a})
	if images(t, s) != 2 {
		t.Fatalf("%d images stored, want 2", images(t, s))
	}
}

// TestImageIsStoredOnce: one image sent in two messages of two chats is one
// row, kept while any message uses it and gone with the last.
func TestImageIsStoredOnce(t *testing.T) {
	s := openTemp(t)
	img := pic("shared", 100, 100, chat.DetailAuto)
	one := &chat.Conversation{ID: "one", Messages: []*chat.Message{userMsg("a", img), answer("x"), userMsg("b", img)}}
	two := &chat.Conversation{ID: "two", Messages: []*chat.Message{userMsg("c", img), answer("y")}}
	for _, c := range []*chat.Conversation{one, two} {
		if err := s.ReplaceAll(c); err != nil {
			t.Fatal(err)
		}
	}
	if n := images(t, s); n != 1 {
		t.Fatalf("%d image rows, want 1", n)
	}
	// And held once in memory: both messages' attachments share the bytes.
	got := load(t, s, "one")
	a, b := got.Messages[0].Attachments[0].Data, got.Messages[2].Attachments[0].Data
	if len(a) == 0 || &a[0] != &b[0] {
		t.Fatal("the image sent twice is held twice")
	}
	if err := s.Delete("one"); err != nil {
		t.Fatal(err)
	}
	if n := images(t, s); n != 1 {
		t.Fatal("deleting one chat removed the image the other uses")
	}
	sameAttachments(t, load(t, s, "two").Messages[0].Attachments, []chat.Attachment{img})
	if n := count(t, s, `SELECT count(*) FROM attachments`); n != 1 {
		t.Fatalf("%d attachment rows after the delete, want 1", n)
	}
	two.Messages = two.Messages[1:] // the message with the image deleted
	if err := s.ReplaceAll(two); err != nil {
		t.Fatal(err)
	}
	if n := images(t, s); n != 0 {
		t.Fatal("the image outlived the last message using it")
	}
}

func TestDeletingTheLastChatRemovesItsImages(t *testing.T) {
	s := openTemp(t)
	conv := &chat.Conversation{ID: "c", Messages: []*chat.Message{userMsg("a", pic("p", 1, 1, ""), textFile())}}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("c"); err != nil {
		t.Fatal(err)
	}
	if images(t, s) != 0 || count(t, s, `SELECT count(*) FROM attachments`) != 0 {
		t.Fatal("Delete left image or attachment rows")
	}
}

// TestEditKeepsImage: ReplaceAll after an edit rewrites the message that
// still uses the image without deleting or writing the image again.
func TestEditKeepsImage(t *testing.T) {
	s := openTemp(t)
	img := pic("kept", 64, 64, chat.DetailLow)
	conv := &chat.Conversation{ID: "c", Messages: []*chat.Message{userMsg("describe", img), answer("a dog")}}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	writes := countWrites(t, s)
	conv.Messages = []*chat.Message{userMsg("describe it in French", img)}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	if n := writes("images"); n != 0 {
		t.Fatalf("the edit deleted or wrote the kept image (%d writes)", n)
	}
	got := load(t, s, "c")
	if got.Messages[0].Content != "describe it in French" {
		t.Fatal("edit lost")
	}
	sameAttachments(t, got.Messages[0].Attachments, []chat.Attachment{img})
}

// TestCheckpointsLeaveAttachmentsAlone: an answer saved over and over while
// it streams touches no attachment or image row.
func TestCheckpointsLeaveAttachmentsAlone(t *testing.T) {
	s := openTemp(t)
	img := pic("q", 10, 20, chat.DetailHigh)
	conv := &chat.Conversation{ID: "c", Messages: []*chat.Message{userMsg("q", img, textFile())}}
	if err := s.SaveMessage(conv, 0, *conv.Messages[0]); err != nil {
		t.Fatal(err)
	}
	writes := countWrites(t, s)
	a := answer("")
	a.Status = chat.Streaming
	for i := 0; i < 20; i++ {
		a.Content += "word "
		if err := s.SaveMessage(conv, 1, *a); err != nil {
			t.Fatal(err)
		}
	}
	a.Status = chat.Complete
	if err := s.SaveMessage(conv, 1, *a); err != nil {
		t.Fatal(err)
	}
	if writes("images")+writes("attachments") != 0 {
		t.Fatal("checkpoints wrote attachment or image rows")
	}
	got := load(t, s, "c")
	sameAttachments(t, got.Messages[0].Attachments, []chat.Attachment{img, textFile()})
	if len(got.Messages) != 2 || got.Messages[1].Content != a.Content {
		t.Fatalf("answer %+v", got.Messages)
	}
}

// TestResavedUserMessageDropsRemovedImage: saving a user message without
// an image it had removes the image nothing else uses.
func TestResavedUserMessageDropsRemovedImage(t *testing.T) {
	s := openTemp(t)
	a, b := pic("a", 1, 1, ""), pic("b", 2, 2, "")
	conv := &chat.Conversation{ID: "c", Messages: []*chat.Message{userMsg("q", a, b), userMsg("r", b)}}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveMessage(conv, 0, *userMsg("q")); err != nil {
		t.Fatal(err)
	}
	if n := images(t, s); n != 1 {
		t.Fatalf("%d images, want only b (still used by message 1)", n)
	}
	got := load(t, s, "c")
	if len(got.Messages[0].Attachments) != 0 {
		t.Fatal("attachments not removed")
	}
	sameAttachments(t, got.Messages[1].Attachments, []chat.Attachment{b})
}

// TestImageWithoutBytes: an image attachment without its bytes (read from
// an export) refers to the stored image when the history has it, and is
// kept without a picture otherwise; no empty blob is ever stored.
func TestImageWithoutBytes(t *testing.T) {
	s := openTemp(t)
	img := pic("real", 5, 5, chat.DetailLow)
	bare, unknown := img, pic("elsewhere", 1, 1, "")
	bare.Data, unknown.Data = nil, nil
	conv := &chat.Conversation{ID: "c", Messages: []*chat.Message{userMsg("a", img), userMsg("b", bare, unknown)}}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	got := load(t, s, "c").Messages[1].Attachments
	missing := chat.Attachment{Kind: chat.ImageAttachment, Name: unknown.Name}
	sameAttachments(t, got, []chat.Attachment{img, missing})
	if images(t, s) != 1 {
		t.Fatal("an image without bytes was stored")
	}
}

// TestMigrationFromSchema4 opens a history written at schema 4 (before
// attachments): it moves to 5 with its messages intact and takes
// attachments.
func TestMigrationFromSchema4(t *testing.T) {
	path := oldHistory(t, 4,
		`INSERT INTO conversations(id, created, updated) VALUES ('old', 0, 0)`,
		`INSERT INTO messages(conversation_id, seq, role, content, time, status, reasoning) VALUES ('old', 0, 'user', 'an old question', 0, 'complete', '')`,
		`INSERT INTO messages(conversation_id, seq, role, content, time, status, reasoning) VALUES ('old', 1, 'assistant', 'an old answer', 0, 'complete', 'thought')`,
	)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v := count(t, s, `PRAGMA user_version`); v != len(migrations) {
		t.Fatalf("schema %d after opening, want %d", v, len(migrations))
	}
	conv := load(t, s, "old")
	if len(conv.Messages) != 2 || conv.Messages[0].Content != "an old question" || conv.Messages[1].Reasoning != "thought" ||
		len(conv.Messages[0].Attachments) != 0 {
		t.Fatalf("old messages: %+v", conv.Messages)
	}
	if h, err := s.Search("question", 10); err != nil || len(h) != 1 {
		t.Fatalf("search after migration: %v %v", h, err)
	}
	img := pic("new", 3, 3, "")
	conv.Messages = append(conv.Messages, userMsg("now with a picture", img))
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	sameAttachments(t, load(t, s, "old").Messages[2].Attachments, []chat.Attachment{img})
}

func TestForeignKeysAreOn(t *testing.T) {
	s := openTemp(t)
	// More than one pooled connection: every one must enforce them, or
	// ON DELETE CASCADE would leave attachment rows behind.
	conns := make([]*sql.Conn, 3)
	for i := range conns {
		c, err := s.db.Conn(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns[i] = c
		var on int
		if err := c.QueryRowContext(t.Context(), `PRAGMA foreign_keys`).Scan(&on); err != nil || on != 1 {
			t.Fatalf("connection %d: foreign_keys = %d (%v)", i, on, err)
		}
	}
}

// TestSearchFindsTextInAttachedFiles: the text of a file attached to a
// message (a long paste is one) is found, named by the file; the chat is
// listed once, whether its message or its file holds the words; a file
// deleted with its message is no longer found.
func TestSearchFindsTextInAttachedFiles(t *testing.T) {
	s := openTemp(t)
	notes := chat.Attachment{Kind: chat.TextAttachment, Name: "notes.txt", Text: "line one\nthe pink flamingo stands on one leg\nline three"}
	conv := &chat.Conversation{ID: "files", Title: "Birds", Messages: []*chat.Message{
		userMsg("what is in this file?", notes, pic("photo", 10, 10, chat.DetailAuto)), answer("A bird."),
	}}
	other := &chat.Conversation{ID: "plain", Messages: []*chat.Message{userMsg("no birds here"), answer("none")}}
	for _, c := range []*chat.Conversation{conv, other} {
		if err := s.ReplaceAll(c); err != nil {
			t.Fatal(err)
		}
	}
	hits, err := s.Search("flamingo", 10)
	if err != nil || len(hits) != 1 {
		t.Fatalf("hits %+v %v", hits, err)
	}
	h := hits[0]
	if h.ConversationID != "files" || h.File != "notes.txt" || h.Node != 1 || !strings.Contains(h.Snippet, "pink flamingo stands") || len(h.Matches) != 1 ||
		!h.Time.Equal(time.UnixMilli(1_700_000_000_000)) {
		t.Fatalf("hit %+v", h)
	}
	if got := h.Snippet[h.Matches[0].Start:h.Matches[0].End]; got != "flamingo" {
		t.Fatalf("match %q", got)
	}
	// Words in the message and in its file: one row for the chat.
	conv.Messages[1].Content = "A flamingo."
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	if hits, err = s.Search("flamingo", 10); err != nil || len(hits) != 1 {
		t.Fatalf("hits in a message and a file: %+v %v", hits, err)
	}
	// The message with the file deleted: only the answer is found.
	conv.Messages = conv.Messages[1:]
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	if hits, err = s.Search("stands", 10); err != nil || len(hits) != 0 {
		t.Fatalf("a deleted file is found: %+v %v", hits, err)
	}
	ftsIntact(t, s) // the index no longer holds it either
}

// ftsIntact fails unless the files' index holds exactly what the table
// does (FTS5's own check).
func ftsIntact(t *testing.T, s *Store) {
	t.Helper()
	if _, err := s.db.Exec(`INSERT INTO attachments_fts(attachments_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Fatalf("the files' index does not match the files: %v", err)
	}
}

// TestAChatFoundInAFileIsListed: however many chats hold the words in a
// message, one that holds them only in a file (a pasted log) is listed.
func TestAChatFoundInAFileIsListed(t *testing.T) {
	s := openTemp(t)
	for i := range 10 {
		c := &chat.Conversation{ID: fmt.Sprintf("talk%d", i), Messages: []*chat.Message{userMsg("an error error error again"), answer("ok")}}
		if err := s.ReplaceAll(c); err != nil {
			t.Fatal(err)
		}
	}
	log := chat.Attachment{Kind: chat.TextAttachment, Name: "build.log", Text: "step 1\nerror: the linker failed\nstep 3"}
	if err := s.ReplaceAll(&chat.Conversation{ID: "pasted", Messages: []*chat.Message{userMsg("why?", log), answer("because")}}); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search("error", 5)
	if err != nil || len(hits) != 5 {
		t.Fatalf("hits %+v %v", hits, err)
	}
	if last := hits[4]; last.ConversationID != "pasted" || last.File != "build.log" || !strings.Contains(last.Snippet, "linker failed") {
		t.Fatalf("the chat found in a file is not listed: %+v", hits)
	}
	for _, h := range hits[:4] {
		if h.File != "" || !strings.HasPrefix(h.ConversationID, "talk") {
			t.Fatalf("hit %+v", h)
		}
	}
	// The chats listed for a message hold the words in files too, more
	// often: they do not take the room kept for the chat found in a file.
	for i := range 10 {
		c := load(t, s, fmt.Sprintf("talk%d", i))
		c.Messages[0].Attachments = []chat.Attachment{{Kind: chat.TextAttachment, Name: "notes.txt", Text: fmt.Sprintf("error error error error %d", i)}}
		if err := s.ReplaceAll(c); err != nil {
			t.Fatal(err)
		}
	}
	if hits, err = s.Search("error", 10); err != nil || len(hits) != 10 || hits[9].ConversationID != "pasted" {
		t.Fatalf("with files in the chats listed: %+v %v", hits, err)
	}
}

// TestMigration8IndexesFilesAttachedBefore: a history of schema 7 opens at
// the newest, and the files its messages had are found.
func TestMigration8IndexesFilesAttachedBefore(t *testing.T) {
	path := oldHistory(t, 7,
		`INSERT INTO conversations(id, created, updated, active_leaf) VALUES ('old', 0, 0, 0)`,
		`INSERT INTO messages(id, conversation_id, seq, parent_seq, role, content, time, status) VALUES (1, 'old', 0, NULL, 'user', 'see the log', 1000, 'complete')`,
		`INSERT INTO attachments(message_id, ord, kind, name, text) VALUES (1, 0, 'text', 'build.log', 'error: undefined reference to quux_init')`,
	)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hits, err := s.Search("quux_init", 10)
	if err != nil || len(hits) != 1 || hits[0].File != "build.log" || hits[0].ConversationID != "old" {
		t.Fatalf("hits %+v %v", hits, err)
	}
	ftsIntact(t, s)
	// The index refers to rows by an id VACUUM keeps (it renumbers an
	// implicit rowid where rows are missing): with a gap before the old
	// chat's file, a file deleted after VACUUM goes from the index too.
	gap := &chat.Conversation{ID: "gap", Messages: []*chat.Message{userMsg("files", chat.Attachment{Kind: chat.TextAttachment, Name: "a.txt", Text: "alpha"},
		chat.Attachment{Kind: chat.TextAttachment, Name: "b.txt", Text: "beta"})}}
	if err := s.ReplaceAll(gap); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`DELETE FROM attachments WHERE message_id = (SELECT id FROM messages WHERE conversation_id = 'old')`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`INSERT INTO attachments(message_id, ord, kind, name, text) SELECT id, 0, 'text', 'build.log', 'error: undefined reference to quux_init' FROM messages WHERE conversation_id = 'old'`); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("gap"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`VACUUM`); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete("old"); err != nil {
		t.Fatal(err)
	}
	ftsIntact(t, s)
	if hits, err := s.Search("quux_init", 10); err != nil || len(hits) != 0 {
		t.Fatalf("after the delete: %+v %v", hits, err)
	}
}
