package history

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
)

// A history written by the release before branches (schema 5, messages in
// a line) opens as one path: every message, in order, each following the
// one before, the last one active.
func TestMigrationOfALinearHistoryToATree(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations[:5] {
		if _, err := db.Exec(m); err != nil {
			t.Fatal(err)
		}
	}
	stmts := []string{`PRAGMA user_version = 5`, `INSERT INTO conversations(id, created, updated) VALUES ('lin', 0, 0)`}
	texts := []string{"q1", "a1", "q2", "a2", "q3"}
	for i, text := range texts {
		role := "user"
		if i%2 == 1 {
			role = "assistant"
		}
		stmts = append(stmts, `INSERT INTO messages(conversation_id, seq, role, content, time, status) VALUES ('lin', `+string(rune('0'+i))+`, '`+role+`', '`+text+`', 0, 'complete')`)
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conv := load(t, s, "lin")
	if len(conv.Messages) != len(texts) || len(conv.Others) != 0 {
		t.Fatalf("%d messages on the path, %d elsewhere", len(conv.Messages), len(conv.Others))
	}
	for i, m := range conv.Messages {
		if m.Content != texts[i] || m.Node != int64(i+1) || m.Parent != int64(i) || m.Branches != 1 {
			t.Fatalf("message %d: %q node %d parent %d branches %d", i, m.Content, m.Node, m.Parent, m.Branches)
		}
	}
	if hits, err := s.Search("q2", 10); err != nil || len(hits) != 1 || hits[0].Node != 3 {
		t.Fatalf("search after migration: %+v %v", hits, err)
	}
}

// Every branch is saved, with the path on screen; a search hit in another
// branch opens that branch.
func TestTreeRoundTrip(t *testing.T) {
	s := openTemp(t)
	now := time.UnixMilli(time.Now().UnixMilli())
	msg := func(node, parent int64, role chat.Role, text string) *chat.Message {
		return &chat.Message{Node: node, Parent: parent, Role: role, Content: text, Time: now, Status: chat.Complete}
	}
	q := msg(1, 0, chat.User, "the question")
	a1 := msg(2, 1, chat.Assistant, "first zebra answer")
	a2 := msg(3, 1, chat.Assistant, "second answer")
	f := msg(4, 3, chat.User, "a follow-up")
	conv := &chat.Conversation{ID: "t", Messages: []*chat.Message{q, a2, f}, Others: []*chat.Message{a1}}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	got := load(t, s, "t")
	if contents(got.Messages) != "the question|second answer|a follow-up" || len(got.Others) != 1 || got.Others[0].Content != "first zebra answer" {
		t.Fatalf("path %q, others %d", contents(got.Messages), len(got.Others))
	}
	if got.Messages[1].Branch != 2 || got.Messages[1].Branches != 2 {
		t.Fatalf("the answer is version %d of %d", got.Messages[1].Branch, got.Messages[1].Branches)
	}
	// The other answer on screen: saved as the active path.
	got.Activate(2)
	if err := s.ReplaceAll(got); err != nil {
		t.Fatal(err)
	}
	again := load(t, s, "t")
	if contents(again.Messages) != "the question|first zebra answer" || len(again.Others) != 2 {
		t.Fatalf("after switching: %q", contents(again.Messages))
	}
	hits, err := s.Search("zebra", 10)
	if err != nil || len(hits) != 1 || hits[0].Node != 2 {
		t.Fatalf("search: %+v %v", hits, err)
	}
	// A checkpoint of a new answer on the path keeps the others.
	a3 := msg(5, 1, chat.Assistant, "third")
	again.Messages = append(again.Messages[:1], a3)
	again.Others = append(again.Others, a1)
	if err := s.SaveMessage(&chat.Conversation{ID: "t", Leaf: 5}, 1, *a3); err != nil {
		t.Fatal(err)
	}
	last := load(t, s, "t")
	if contents(last.Messages) != "the question|third" || last.Messages[1].Branches != 3 {
		t.Fatalf("after a new answer: %q, %d versions", contents(last.Messages), last.Messages[1].Branches)
	}
}

func contents(msgs []*chat.Message) string {
	out := ""
	for i, m := range msgs {
		if i > 0 {
			out += "|"
		}
		out += m.Content
	}
	return out
}
