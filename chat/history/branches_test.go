package history

import (
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
)

// A history written by the release before branches (schema 5, messages in
// a line) opens as one path: every message, in order, each following the
// one before, the last one active.
func TestMigrationOfALinearHistoryToATree(t *testing.T) {
	stmts := []string{`INSERT INTO conversations(id, created, updated) VALUES ('lin', 0, 0)`}
	texts := []string{"q1", "a1", "q2", "a2", "q3"}
	for i, text := range texts {
		role := "user"
		if i%2 == 1 {
			role = "assistant"
		}
		stmts = append(stmts, `INSERT INTO messages(conversation_id, seq, role, content, time, status) VALUES ('lin', `+string(rune('0'+i))+`, '`+role+`', '`+text+`', 0, 'complete')`)
	}
	path := oldHistory(t, 5, stmts...)
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

// A history as the release before branches wrote it (schema 5: a usage,
// an image, a second chat), with a gap in one chat's seq (a write that
// failed): after the migration every message is on its chat's path, in
// order, and the chat goes on.
func TestMigrationOfARealHistory(t *testing.T) {
	path := oldHistory(t, 5,
		`INSERT INTO conversations(id, created, updated) VALUES ('a', 0, 0), ('b', 0, 1)`,
		`INSERT INTO messages(conversation_id, seq, role, content, time, status) VALUES ('a', 0, 'user', 'look at this', 0, 'complete')`,
		`INSERT INTO messages(conversation_id, seq, role, content, time, status, usage) VALUES ('a', 1, 'assistant', 'a screenshot', 0, 'complete', '{"prompt_tokens":100,"completion_tokens":5,"total_tokens":105}')`,
		`INSERT INTO images(sha256, mime, width, height, data) VALUES ('abc', 'image/png', 4, 3, x'89504e47')`,
		`INSERT INTO attachments(message_id, ord, kind, name, detail, image) SELECT id, 0, 'image', 'shot.png', 'low', 'abc' FROM messages WHERE conversation_id = 'a' AND seq = 0`,
		`INSERT INTO messages(conversation_id, seq, role, content, time, status) VALUES ('b', 0, 'user', 'b1', 0, 'complete')`,
		`INSERT INTO messages(conversation_id, seq, role, content, time, status) VALUES ('b', 2, 'user', 'b3', 0, 'complete')`,
	)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := load(t, s, "a")
	if contents(got.Messages) != "look at this|a screenshot" || len(got.Messages[0].Attachments) != 1 || got.Messages[1].Usage == nil || got.Messages[1].Usage.PromptTokens != 100 {
		t.Fatalf("chat a after migration: %q", contents(got.Messages))
	}
	gb := load(t, s, "b")
	if contents(gb.Messages) != "b1|b3" || gb.Messages[1].Parent != gb.Messages[0].Node || len(gb.Others) != 0 {
		t.Fatalf("chat b (with a gap) after migration: %q, others %d", contents(gb.Messages), len(gb.Others))
	}
	if v := count(t, s, `SELECT active_leaf FROM conversations WHERE id = 'a'`); v != 1 {
		t.Fatalf("active leaf (seq) %d, want 1", v)
	}
	// The chat goes on: a new message follows the last one.
	now := time.UnixMilli(time.Now().UnixMilli())
	next := &chat.Message{Node: got.Messages[1].Node + 1, Parent: got.Messages[1].Node, Role: chat.User, Content: "and now?", Time: now, Status: chat.Complete}
	if err := s.SaveMessage(&chat.Conversation{ID: "a", Leaf: next.Node}, 2, *next); err != nil {
		t.Fatal(err)
	}
	if again := load(t, s, "a"); contents(again.Messages) != "look at this|a screenshot|and now?" {
		t.Fatalf("after a new message: %q", contents(again.Messages))
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
