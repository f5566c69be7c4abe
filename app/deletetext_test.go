package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/dialog"
	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
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

// TestTheMeterCountsWhatADeleteLeaves: deleting a message recounts the
// meter at once (it showed the count from before until the next key).
func TestTheMeterCountsWhatADeleteLeaves(t *testing.T) {
	h := newHarness(t, true)
	h.srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("a rather long answer ", 30)})
	h.send("the first question")
	h.send("the second question")
	h.settle()
	var before int
	h.ui(func() { before = h.u.budget.Used })
	h.ui(func() {
		h.u.deleteMessage(len(h.u.msgs) - 1)
		escMu.Lock()
		list := escFor[h.u.win]
		escMu.Unlock()
		list[len(list)-1].d.(*dialog.ConfirmDialog).Confirm()
	})
	waitUntil(t, func() bool {
		var used int
		h.ui(func() { used = h.u.budget.Used })
		return used < before
	})
}
