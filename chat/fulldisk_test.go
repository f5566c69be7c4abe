package chat_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/internal/smalldisk"
	"github.com/azchat/azchat/internal/testwait"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
)

// diskRig is a controller saving into a history on a small tmpfs, dir.
func diskRig(t *testing.T) (*rig, *history.Store, string) {
	t.Helper()
	dir := t.TempDir()
	smalldisk.Mount(t, dir, "2m")
	h, err := history.Open(filepath.Join(dir, "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	r := newRig(t, chat.Options{}, nil)
	r.ctl.SetPersister(h)
	return r, h, dir
}

// TestFullDiskLosesNothing fills the disk that holds the history while a
// 100 KB answer streams, frees it afterwards, and quits: the history then
// holds the whole answer, complete. Meanwhile the user was told.
func TestFullDiskLosesNothing(t *testing.T) {
	r, h, dir := diskRig(t)
	path := h.Path()
	reply := strings.Repeat("every word matters ", 100_000/19+1)
	// Held after 20 events until the disk is full: the whole answer (a
	// fifth of a second flat out) could otherwise be saved before.
	gate := make(chan struct{})
	r.srv.Script(fakeazure.Behaviour{Reply: reply, TokensPerSecond: 4000, ChunkTokens: 20, Gate: gate, GateAfter: 20})
	if err := r.ctl.Send("a long answer"); err != nil {
		t.Fatal(err)
	}
	waitDeltas(t, r, 5)
	filler := smalldisk.Fill(t, dir)
	close(gate)
	r.ctl.Wait()
	conv := r.ctl.Conversation()
	if a := conv.Messages[1]; a.Status != chat.Complete || a.Content != reply {
		t.Fatalf("in memory: %s, %d of %d bytes", a.Status, len(a.Content), len(reply))
	}
	var failed bool
	for _, e := range r.rec.all() {
		if f, ok := e.(chat.StorageFailed); ok && strings.Contains(history.Describe(f.Err), "disk is full") {
			failed = true
		}
	}
	if !failed {
		t.Fatal("the user was not told that the disk is full")
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.ctl.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	again, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	saved, err := again.Load(conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.Messages) != 2 || saved.Messages[1].Status != chat.Complete || saved.Messages[1].Content != reply {
		t.Fatalf("saved %d messages; answer %s with %d of %d bytes", len(saved.Messages), saved.Messages[1].Status, len(saved.Messages[1].Content), len(reply))
	}
}

// TestRetrySaveAfterSpaceIsBack: Retry writes the chat as soon as there is
// room again, and says so.
func TestRetrySaveAfterSpaceIsBack(t *testing.T) {
	r, h, dir := diskRig(t)
	filler := smalldisk.Fill(t, dir)
	r.srv.Script(fakeazure.Behaviour{Reply: "short answer"})
	r.send(t, "hello")
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	r.ctl.RetrySave()
	testwait.Until(t, 10*time.Second, "StorageRecovered after Retry", func() bool {
		for _, e := range r.rec.all() {
			if _, ok := e.(chat.StorageRecovered); ok {
				return true
			}
		}
		return false
	})
	saved, err := h.Load(r.ctl.Conversation().ID)
	if err != nil || len(saved.Messages) != 2 || saved.Messages[1].Content != "short answer" {
		t.Fatalf("saved %+v %v", saved, err)
	}
}

// TestUnsavedChatSurvivesSwitchingChats: a chat a failed write left in
// memory is not lost when the user opens another one; Retry saves it, and
// only then is everything reported saved.
func TestUnsavedChatSurvivesSwitchingChats(t *testing.T) {
	r, h, dir := diskRig(t)
	filler := smalldisk.Fill(t, dir)
	r.srv.Script(fakeazure.Behaviour{Reply: "the answer to chat A"})
	r.send(t, "chat A")
	idA := r.ctl.ConversationID()
	if err := r.ctl.SetConversation(&chat.Conversation{ID: chat.NewConversationID()}); err != nil {
		t.Fatal(err)
	}
	r.ctl.Flush()
	if !r.ctl.Unsaved() {
		t.Fatal("chat A is not reported unsaved")
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := r.ctl.SaveNow(); err != nil {
		t.Fatalf("SaveNow: %v", err)
	}
	if r.ctl.Unsaved() {
		t.Fatal("still unsaved after a successful retry")
	}
	saved, err := h.Load(idA)
	if err != nil || len(saved.Messages) != 2 || saved.Messages[1].Content != "the answer to chat A" {
		t.Fatalf("chat A after switching and Retry: %+v %v", saved, err)
	}
}

// TestDeletedUnsavedChatStaysDeleted: a chat a failed write left in memory
// was written back by the next Retry (or quit) after the user deleted it.
func TestDeletedUnsavedChatStaysDeleted(t *testing.T) {
	r, h, dir := diskRig(t)
	r.srv.Script(fakeazure.Behaviour{Reply: "first answer"})
	r.send(t, "chat A")
	idA := r.ctl.ConversationID()
	filler := smalldisk.Fill(t, dir)
	r.srv.Script(fakeazure.Behaviour{Reply: "second answer"})
	r.send(t, "more of chat A")
	// The user deletes chat A, as the sidebar does it: another chat is
	// shown, the queued writes end, then the history's copy goes.
	if err := r.ctl.SetConversation(&chat.Conversation{ID: chat.NewConversationID()}); err != nil {
		t.Fatal(err)
	}
	r.ctl.Flush()
	if !r.ctl.Unsaved() {
		t.Fatal("chat A is not reported unsaved")
	}
	// A delete needs room too: while the disk is full it fails, and the
	// copy in memory stays, still unsaved.
	if err := r.ctl.Discard(idA, h.Delete); err == nil {
		t.Fatal("a delete on a full disk succeeded")
	}
	if !r.ctl.Unsaved() {
		t.Fatal("a failed delete dropped the copy in memory")
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := r.ctl.Discard(idA, h.Delete); err != nil {
		t.Fatal(err)
	}
	if r.ctl.Unsaved() {
		t.Fatal("the deleted chat is still waiting to be saved")
	}
	if err := r.ctl.SaveNow(); err != nil {
		t.Fatalf("SaveNow: %v", err)
	}
	if list, err := h.List(0, 0); err != nil || len(list) != 0 {
		t.Fatalf("after Retry the history lists %+v %v, want nothing", list, err)
	}
}

// TestReopeningTheHeldChatKeepsWhatIsUnsaved: the window may read the
// chat it holds from the history again (a search hit in it, its row
// clicked during another chat's preview); the history's copy replaced the
// one in memory, with the turns a failed write had left only there.
func TestReopeningTheHeldChatKeepsWhatIsUnsaved(t *testing.T) {
	r, h, dir := diskRig(t)
	r.srv.Script(fakeazure.Behaviour{Reply: "first answer"})
	r.send(t, "first question")
	id := r.ctl.ConversationID()
	filler := smalldisk.Fill(t, dir)
	r.srv.Script(fakeazure.Behaviour{Reply: "second answer"})
	r.send(t, "second question")
	r.ctl.Flush()
	onDisk, err := h.Load(id)
	if err != nil || len(onDisk.Messages) != 2 {
		t.Fatalf("the history holds %v %v, want the first turn", onDisk, err)
	}
	if err := r.ctl.SetConversation(onDisk); err != nil {
		t.Fatal(err)
	}
	if got := r.ctl.Conversation(); len(got.Messages) != 4 {
		t.Fatalf("after opening the history's copy the chat has %d messages, want 4", len(got.Messages))
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := r.ctl.SaveNow(); err != nil {
		t.Fatal(err)
	}
	if saved, err := h.Load(id); err != nil || len(saved.Messages) != 4 {
		t.Fatalf("saved after Retry: %v %v", saved, err)
	}
}
