package chat_test

import (
	"errors"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

func contents(msgs []*chat.Message) []string {
	var out []string
	for _, m := range msgs {
		out = append(out, m.Content)
	}
	return out
}

// Regenerate keeps the answer it replaces as another version; the
// switcher moves between them and the request uses the path on screen.
func TestRegenerateKeepsTheOldAnswer(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Reply = func(msgs []map[string]any) string { return "answer " + string(rune('A'+len(r.srv.Requests())-1)) }
	r.send(t, "question")
	if err := r.ctl.Regenerate(); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	conv := r.ctl.Conversation()
	if got := contents(conv.Messages); len(got) != 2 || got[1] != "answer B" {
		t.Fatalf("path = %q", got)
	}
	if len(conv.Others) != 1 || conv.Others[0].Content != "answer A" {
		t.Fatalf("others = %q", contents(conv.Others))
	}
	a := conv.Messages[1]
	if a.Branch != 2 || a.Branches != 2 || a.Parent != conv.Messages[0].Node {
		t.Fatalf("new answer: version %d of %d, parent %d (question %d)", a.Branch, a.Branches, a.Parent, conv.Messages[0].Node)
	}
	if err := r.ctl.SwitchBranch(1, -1); err != nil {
		t.Fatal(err)
	}
	conv = r.ctl.Conversation()
	if conv.Messages[1].Content != "answer A" || conv.Messages[1].Branch != 1 {
		t.Fatalf("after ‹: %q version %d", contents(conv.Messages), conv.Messages[1].Branch)
	}
	if err := r.ctl.SwitchBranch(1, -1); !errors.Is(err, chat.ErrNoBranch) {
		t.Fatalf("before the first version: %v", err)
	}
	// The next question follows the version on screen.
	r.send(t, "follow-up")
	reqs := r.srv.Requests()
	msgs := reqs[len(reqs)-1].Body["messages"].([]any)
	if got := msgs[1].(map[string]any)["content"]; got != "answer A" {
		t.Fatalf("the request used %q, not the version on screen", got)
	}
}

// Edit & resend keeps the edited message and what followed it as a
// branch; switching back shows the old question with its old answer.
func TestEditKeepsTheOldBranch(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.send(t, "first question")
	r.send(t, "second question")
	if err := r.ctl.Edit(2, "second, edited"); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	conv := r.ctl.Conversation()
	if len(conv.Messages) != 4 || conv.Messages[2].Content != "second, edited" || conv.Messages[2].Branches != 2 {
		t.Fatalf("path = %q", contents(conv.Messages))
	}
	if err := r.ctl.SwitchBranch(2, -1); err != nil {
		t.Fatal(err)
	}
	conv = r.ctl.Conversation()
	if len(conv.Messages) != 4 || conv.Messages[2].Content != "second question" || conv.Messages[3].Parent != conv.Messages[2].Node {
		t.Fatalf("old branch = %q", contents(conv.Messages))
	}
	if len(conv.Others) != 2 {
		t.Fatalf("the edited branch is not kept: %q", contents(conv.Others))
	}
}

// Fork copies the path up to a message into a new conversation.
func TestForkCopiesThePath(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	// A prompt tiktoken counted: the stand-in reports usage for it.
	r.ctl.SetSystem("You are a helpful assistant.", nil)
	r.send(t, "Who were the founders of Microsoft?")
	r.send(t, "two")
	orig := r.ctl.Conversation()
	fork, err := r.ctl.Fork(1)
	if err != nil {
		t.Fatal(err)
	}
	if fork.ID == orig.ID || len(fork.Messages) != 2 || fork.Messages[1].Content != orig.Messages[1].Content || len(fork.Others) != 0 {
		t.Fatalf("fork = %q (id %s vs %s)", contents(fork.Messages), fork.ID, orig.ID)
	}
	if r.ctl.ConversationID() != fork.ID {
		t.Fatal("the fork is not the open conversation")
	}
	if fork.Messages[0].Node != 1 || fork.Messages[1].Parent != 1 {
		t.Fatalf("fork nodes: %d, parent %d", fork.Messages[0].Node, fork.Messages[1].Parent)
	}
	// Its answers were paid for in the original: not counted again.
	if orig.Messages[1].Usage == nil || fork.Messages[1].Usage != nil {
		t.Fatalf("usage: original %v, fork %v", orig.Messages[1].Usage, fork.Messages[1].Usage)
	}
	// Told apart from the original in the chat list, titled or not.
	if orig.Title != "" || fork.Title != "Who were the founders of Microsoft? (fork)" {
		t.Fatalf("titles: original %q, fork %q", orig.Title, fork.Title)
	}
	// A chat renamed is forked under its new name (it was forked under
	// its first question's); another chat's rename changes nothing here.
	r.ctl.SetTitle("some-other-chat", "Other")
	r.ctl.SetTitle(fork.ID, "Founders")
	again, err := r.ctl.Fork(0)
	if err != nil {
		t.Fatal(err)
	}
	if again.Title != "Founders (fork)" {
		t.Fatalf("a fork of the renamed chat is titled %q", again.Title)
	}
}

// Deleting a message keeps the path joined: its child follows its parent.
func TestDeleteJoinsThePath(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.send(t, "one")
	r.send(t, "two")
	if err := r.ctl.Delete(1); err != nil {
		t.Fatal(err)
	}
	conv := r.ctl.Conversation()
	if len(conv.Messages) != 3 || conv.Messages[1].Parent != conv.Messages[0].Node {
		t.Fatalf("after delete: %q, parent %d", contents(conv.Messages), conv.Messages[1].Parent)
	}
}

func TestActivateFindsTheBranch(t *testing.T) {
	q := &chat.Message{Node: 1, Role: chat.User, Content: "q"}
	a1 := &chat.Message{Node: 2, Parent: 1, Role: chat.Assistant, Content: "a1"}
	f1 := &chat.Message{Node: 3, Parent: 2, Role: chat.User, Content: "f1"}
	a2 := &chat.Message{Node: 4, Parent: 1, Role: chat.Assistant, Content: "a2"}
	conv := &chat.Conversation{Messages: []*chat.Message{q, a2}, Others: []*chat.Message{a1, f1}}
	if i := conv.Activate(3); i != 2 || len(conv.Messages) != 3 || conv.Messages[1] != a1 || len(conv.Others) != 1 || conv.Others[0] != a2 {
		t.Fatalf("activate 3: index %d, path %q, others %q", i, contents(conv.Messages), contents(conv.Others))
	}
	if i := conv.Activate(9); i != -1 {
		t.Fatalf("no node 9, got %d", i)
	}
	if i := conv.Activate(4); i != 1 || conv.ActiveLeaf() != 4 {
		t.Fatalf("activate 4: %d, leaf %d", i, conv.ActiveLeaf())
	}
}

// Deleting a version deletes what followed it too, and the path follows
// the other version; deleting a message with no other versions keeps
// its line joined.
func TestDeleteAVersion(t *testing.T) {
	q := &chat.Message{Node: 1, Role: chat.User, Content: "q", Status: chat.Complete}
	a1 := &chat.Message{Node: 2, Parent: 1, Role: chat.Assistant, Content: "a1", Status: chat.Complete}
	a2 := &chat.Message{Node: 3, Parent: 1, Role: chat.Assistant, Content: "a2", Status: chat.Complete}
	u2 := &chat.Message{Node: 4, Parent: 3, Role: chat.User, Content: "after a2", Status: chat.Complete}
	r := newRig(t, chat.Options{}, nil)
	if err := r.ctl.SetConversation(&chat.Conversation{Messages: []*chat.Message{q, a2, u2}, Others: []*chat.Message{a1}}); err != nil {
		t.Fatal(err)
	}
	if err := r.ctl.Delete(1); err != nil {
		t.Fatal(err)
	}
	conv := r.ctl.Conversation()
	if got := contents(conv.Messages); len(got) != 2 || got[1] != "a1" || len(conv.Others) != 0 || conv.Messages[1].Branches != 1 {
		t.Fatalf("after deleting version a2: path %q, others %q", got, contents(conv.Others))
	}
}

func TestUsagePlus(t *testing.T) {
	a := chat.Usage{PromptTokens: 100, CompletionTokens: 50, TotalTokens: 150, CachedPromptTokens: 20, ReasoningTokens: 10}
	b := chat.Usage{PromptTokens: 160, CompletionTokens: 40, TotalTokens: 200, CachedPromptTokens: 100, ReasoningTokens: 0}
	if got := a.Plus(b); got != (chat.Usage{PromptTokens: 260, CompletionTokens: 90, TotalTokens: 350, CachedPromptTokens: 120, ReasoningTokens: 10}) {
		t.Fatalf("plus = %+v", got)
	}
}

// TestRetryAfterAFailedRegenerateAnswersTheQuestion: a regenerated answer
// that failed is dropped, and the version before it comes back on the
// path; Retry then put the new answer under that old answer (sending it
// as part of the request) instead of beside it, as another version.
func TestRetryAfterAFailedRegenerateAnswersTheQuestion(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{Reply: "answer A"})
	r.send(t, "question")
	r.srv.Script(fakeazure.Behaviour{Status: 400, Body: []byte(`{"error":{"code":"invalid_request_error","message":"bad"}}`)})
	if err := r.ctl.Regenerate(); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	if conv := r.ctl.Conversation(); conv.Messages[len(conv.Messages)-1].Status != chat.Failed {
		t.Fatalf("the regenerated answer did not fail: %q", contents(conv.Messages))
	}
	r.srv.Script(fakeazure.Behaviour{Reply: "answer C"})
	if err := r.ctl.Retry(); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	conv := r.ctl.Conversation()
	if got := contents(conv.Messages); len(got) != 2 || got[1] != "answer C" {
		t.Fatalf("path = %q", got)
	}
	a := conv.Messages[1]
	if a.Parent != conv.Messages[0].Node || a.Branch != 2 || a.Branches != 2 || len(conv.Others) != 1 || conv.Others[0].Content != "answer A" {
		t.Fatalf("new answer: parent %d (question %d), version %d of %d, others %q", a.Parent, conv.Messages[0].Node, a.Branch, a.Branches, contents(conv.Others))
	}
	reqs := r.srv.Requests()
	if msgs := reqs[len(reqs)-1].Body["messages"].([]any); len(msgs) != 1 {
		t.Fatalf("the retry sent %d messages, want the question alone", len(msgs))
	}
}
