package history

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/tokens"
)

// branchedChat is a conversation of 40 messages on its active path, with
// another version of an answer near the end (the path shown runs through
// the older one), attachments and what answered on messages both inside
// and outside the newest five, and an answer cut off mid-stream at the end.
func branchedChat() *chat.Conversation {
	now := time.UnixMilli(1_700_000_000_000)
	conv := &chat.Conversation{ID: "long", Title: "A long chat", System: "Be brief.",
		Examples: []chat.Example{{User: "hi", Assistant: "hello"}}}
	var prev int64
	add := func(role chat.Role, text string) *chat.Message {
		m := &chat.Message{Node: prev + 1, Parent: prev, Role: role, Content: text, Time: now, Status: chat.Complete}
		prev = m.Node
		conv.Messages = append(conv.Messages, m)
		return m
	}
	for i := 0; i < 36; i++ {
		role := chat.User
		if i%2 == 1 {
			role = chat.Assistant
		}
		m := add(role, fmt.Sprintf("message %d", i))
		if i == 2 {
			m.Attachments = []chat.Attachment{pic("old", 4, 3, chat.DetailLow)}
		}
		if i == 3 {
			m.Profile, m.Deployment, m.Prices = "Work", "gpt-4o", chat.Prices{Input: price(2.5)}
		}
	}
	q := add(chat.User, "a question with files")
	q.Attachments = []chat.Attachment{pic("new", 8, 6, chat.DetailHigh), textFile()}
	q.SetCachedCost(tokens.O200K, 42)
	a1 := add(chat.Assistant, "the first answer")
	a1.Profile, a1.Deployment, a1.Prices = "Home", "o4-mini", chat.Prices{Output: price(4.4)}
	a1.Usage = &chat.Usage{PromptTokens: 50, CompletionTokens: 7, TotalTokens: 57}
	add(chat.User, "a follow-up")
	cut := add(chat.Assistant, "an answer cut off")
	cut.Status = chat.Streaming
	// A second answer to the question, newer than the first (so Load
	// would follow it, were the active leaf not stored), and its own
	// follow-up.
	a2 := &chat.Message{Node: prev + 1, Parent: q.Node, Role: chat.Assistant, Content: "the second answer", Time: now, Status: chat.Complete}
	f2 := &chat.Message{Node: prev + 2, Parent: a2.Node, Role: chat.User, Content: "on the second", Time: now, Status: chat.Complete}
	conv.Others = []*chat.Message{a2, f2}
	return conv
}

// TestPreviewIsTheEndOfWhatLoadGives: the preview's messages are the last
// ones of the path Load gives (the stored active branch, a missing parent
// mended, attachments, what answered, token counts, an interrupted answer),
// field for field, and only those.
func TestPreviewIsTheEndOfWhatLoadGives(t *testing.T) {
	s := openTemp(t)
	if err := s.ReplaceAll(branchedChat()); err != nil {
		t.Fatal(err)
	}
	// A parent a failed write never stored: its child follows the message
	// stored before it (message 33, seq 33, follows seq 32).
	if _, err := s.db.Exec(`UPDATE messages SET parent_seq = 999 WHERE conversation_id = 'long' AND seq = 33`); err != nil {
		t.Fatal(err)
	}
	full := load(t, s, "long")
	if len(full.Messages) != 40 || full.Messages[37].Content != "the first answer" || full.Messages[37].Branches != 2 {
		t.Fatalf("Load: %d messages, the 38th %q of %d versions", len(full.Messages), full.Messages[37].Content, full.Messages[37].Branches)
	}
	for _, n := range []int{1, 5, 8, 39} {
		p, err := s.Preview("long", n)
		if err != nil {
			t.Fatal(err)
		}
		if p == nil || p.Total != 40 || len(p.Messages) != n {
			t.Fatalf("Preview(%d): %+v", n, p)
		}
		for i, got := range p.Messages {
			want := *full.Messages[40-n+i]
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("Preview(%d), message %d:\n got %+v\nwant %+v", n, 40-n+i, got, want)
			}
		}
		if p.FirstQuestion != "message 0" {
			t.Fatalf("Preview(%d)'s first question %q", n, p.FirstQuestion)
		}
		c := p.Conversation
		if c.ID != "long" || c.Title != "A long chat" || c.System != "Be brief." || !reflect.DeepEqual(c.Examples, full.Examples) || len(c.Messages) != 0 {
			t.Fatalf("Preview(%d)'s conversation: %+v", n, c)
		}
	}
	p, _ := s.Preview("long", 5)
	if m := p.Messages[4]; m.Status != chat.Interrupted || m.Action != chat.ActionRetry {
		t.Fatalf("the answer cut off is %s (%s)", m.Status, m.Action)
	}
	if q := p.Messages[1]; len(q.Attachments) != 2 || string(q.Attachments[0].Data) != "new" {
		t.Fatalf("the question's attachments: %+v", q.Attachments)
	}
	if p.Messages[2].Deployment != "o4-mini" || p.Messages[2].Branch != 1 || p.Messages[2].Branches != 2 {
		t.Fatalf("the first answer: %+v", p.Messages[2])
	}
}

// A path no longer than the preview gives none: Load is as quick.
func TestNoPreviewOfAShortChat(t *testing.T) {
	s := openTemp(t)
	if err := s.ReplaceAll(branchedChat()); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{40, 41, 1000} {
		if p, err := s.Preview("long", n); err != nil || p != nil {
			t.Fatalf("Preview(%d) of a 40-message path: %+v, %v", n, p, err)
		}
	}
	if _, err := s.Preview("nothing", 5); err != ErrNotFound {
		t.Fatalf("an unknown chat: %v", err)
	}
}

// BenchmarkPreview10000 is BenchmarkLoad10000's chat, previewed as the window does (40 messages).
func BenchmarkPreview10000(b *testing.B) {
	s := bigChat(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if p, err := s.Preview("big", 40); err != nil || len(p.Messages) != 40 {
			b.Fatal(err)
		}
	}
}

// The preview follows Load on trees Load mends or reads oddly: no active
// leaf stored, one in the middle of the path (the newest answers below it
// are followed), one that is not there, a missing parent that moves a
// branch under another message, and a cycle an import left.
func TestPreviewFollowsLoadOnOddTrees(t *testing.T) {
	for _, c := range []struct{ name, sql string }{
		{"no active leaf", `UPDATE conversations SET active_leaf = NULL`},
		{"a leaf in the middle", `UPDATE conversations SET active_leaf = 36`},
		{"a leaf not there", `UPDATE conversations SET active_leaf = 999`},
		{"a branch moved by a missing parent", `UPDATE messages SET parent_seq = 999 WHERE seq = 40`},
		{"a cycle", `UPDATE messages SET parent_seq = 39 WHERE seq = 30`},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := openTemp(t)
			if err := s.ReplaceAll(branchedChat()); err != nil {
				t.Fatal(err)
			}
			if _, err := s.db.Exec(c.sql); err != nil {
				t.Fatal(err)
			}
			full := load(t, s, "long")
			for _, n := range []int{1, 5, len(full.Messages) - 1} {
				p, err := s.Preview("long", n)
				if err != nil || p == nil || p.Total != len(full.Messages) {
					t.Fatalf("Preview(%d): %+v %v (Load's path: %d)", n, p, err, len(full.Messages))
				}
				for i, got := range p.Messages {
					if want := *full.Messages[len(full.Messages)-n+i]; !reflect.DeepEqual(got, want) {
						t.Fatalf("Preview(%d), message %d:\n got %+v\nwant %+v", n, i, got, want)
					}
				}
			}
		})
	}
}

// parseShape reads the shape text in seq order, whatever order SQLite
// joined it in, and refuses a text that is not one.
func TestParseShape(t *testing.T) {
	got, err := parseShape("2,1;0,;1,0;10,2")
	if err != nil {
		t.Fatal(err)
	}
	want := [][2]int64{{1, 0}, {2, 1}, {3, 2}, {11, 3}}
	if len(got) != len(want) {
		t.Fatalf("%d messages", len(got))
	}
	for i, m := range got {
		if m.Node != want[i][0] || m.Parent != want[i][1] {
			t.Fatalf("message %d: node %d parent %d, want %v", i, m.Node, m.Parent, want[i])
		}
	}
	if got, err := parseShape(""); err != nil || got != nil {
		t.Fatalf("no messages: %v %v", got, err)
	}
	for _, bad := range []string{"1", "a,1", "1,b", "1,2;"} {
		if _, err := parseShape(bad); err == nil {
			t.Fatalf("%q read", bad)
		}
	}
}
