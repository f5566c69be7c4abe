package app

import (
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
)

// TestDeleteMessageSaysWhatGoes: deleting a message with other versions
// deletes that version of the conversation after it; the question said
// only that the message would be removed.
func TestDeleteMessageSaysWhatGoes(t *testing.T) {
	path := []chat.Message{{Role: chat.User, Branches: 1}, {Role: chat.Assistant, Branches: 3}, {Role: chat.User, Branches: 1}, {Role: chat.Assistant, Branches: 1}}
	for id, want := range map[int][]string{
		0: {"the messages before and after it stay"},
		1: {"This version of the message is deleted, with the 2 messages after it", "The other versions of this message stay"},
		3: {"the messages before and after it stay"},
	} {
		got := deleteMessageText(path, id)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("message %d: %q, want %q in it", id, got, w)
			}
		}
	}
	path[1].Branches = 2
	if got := deleteMessageText(path[:2], 1); !strings.Contains(got, "This version of the message is deleted (and") || !strings.Contains(got, "The other version of this message stays") {
		t.Errorf("last of two versions: %q", got)
	}
}
