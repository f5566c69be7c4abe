package history

import (
	"fmt"
	"slices"
	"testing"

	"github.com/azchat/azchat/chat"
)

// TestTailGivesTheLastMessagesNewestFirst: Tail reads only the conversation
// asked for, its last n messages by their order in it, newest first.
func TestTailGivesTheLastMessagesNewestFirst(t *testing.T) {
	s := openTemp(t)
	for _, id := range []string{"a", "b"} {
		conv := &chat.Conversation{ID: id}
		for i := 0; i < 5; i++ {
			conv.Messages = append(conv.Messages, &chat.Message{Role: chat.User, Content: fmt.Sprintf("%s%d", id, i), Status: chat.Complete})
		}
		if err := s.ReplaceAll(conv); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Tail("a", 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a4", "a3", "a2"}; !slices.Equal(got, want) {
		t.Fatalf("Tail(a, 3) = %q, want %q", got, want)
	}
	if got, err := s.Tail("a", 10); err != nil || len(got) != 5 {
		t.Fatalf("Tail(a, 10) = %q, %v; want all 5", got, err)
	}
	if got, err := s.Tail("missing", 3); err != nil || len(got) != 0 {
		t.Fatalf("Tail(missing) = %q, %v; want none", got, err)
	}
}
