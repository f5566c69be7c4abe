package history

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/export"
)

// reimport renders conv as the JSON export (every branch, or the path on
// screen) and reads it back as a file would be.
func reimport(t *testing.T, conv *chat.Conversation, branches bool) *chat.Conversation {
	t.Helper()
	var data []byte
	var err error
	if branches {
		data, err = export.RenderAllBranches(conv)
	} else {
		data, err = export.Render(conv, export.JSON)
	}
	if err != nil {
		t.Fatal(err)
	}
	back, err := export.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

func answered(id string) *chat.Conversation {
	now := time.UnixMilli(time.Now().UnixMilli())
	return &chat.Conversation{ID: id, System: "Be brief.", Messages: []*chat.Message{
		{Role: chat.User, Content: "the question", Time: now, Status: chat.Complete,
			Attachments: []chat.Attachment{{Kind: chat.TextAttachment, Name: "notes.txt", Text: "some notes"}}},
		{Role: chat.Assistant, Content: "the answer", Time: now, Status: chat.Complete, Usage: &chat.Usage{PromptTokens: 10, CompletionTokens: 3, TotalTokens: 13}},
		{Role: chat.User, Content: "and then?", Time: now, Status: chat.Complete},
		{Role: chat.Assistant, Content: "then more", Time: now, Status: chat.Complete, Usage: &chat.Usage{PromptTokens: 20, CompletionTokens: 2, TotalTokens: 22}},
	}}
}

func chats(t *testing.T, s *Store) int {
	t.Helper()
	list, err := s.List(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

func usageCount(t *testing.T, s *Store) int {
	t.Helper()
	us, err := s.Usage(time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return len(us)
}

// TestImportOfAChatsOwnExportAddsNothing: an export of a chat the history
// has, imported, is found (also once the chat went on); nothing is added
// and its answers are not counted twice.
func TestImportOfAChatsOwnExportAddsNothing(t *testing.T) {
	s := openTemp(t)
	id := chat.NewConversationID()
	conv := answered(id)
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	file := reimport(t, load(t, s, id), false)
	got, err := s.Import(file)
	if err != nil || !got.Already || got.ID != id {
		t.Fatalf("import of the chat's own export: %+v %v", got, err)
	}
	// Gone on since: the last answer continued, a new question.
	later := load(t, s, id)
	later.Messages[3].Content += " and the rest"
	later.Messages = append(later.Messages, &chat.Message{Role: chat.User, Content: "thanks", Time: time.Now(), Status: chat.Complete})
	if err := s.ReplaceAll(later); err != nil {
		t.Fatal(err)
	}
	if got, err = s.Import(reimport(t, conv, false)); err != nil || !got.Already || got.ID != id {
		t.Fatalf("import of an older export: %+v %v", got, err)
	}
	if n := chats(t, s); n != 1 {
		t.Fatalf("%d chats after importing exports of the one chat", n)
	}
	if n := usageCount(t, s); n != 2 {
		t.Fatalf("%d answers counted, want the chat's 2", n)
	}
	if got := load(t, s, id); len(got.Messages) != 5 || got.Messages[3].Content != "then more and the rest" {
		t.Fatalf("the chat was changed: %q", contents(got.Messages))
	}
}

// TestImportingAFileTwiceMakesOneChat: a chat from elsewhere keeps its ID,
// so the same file imported again is found.
func TestImportingAFileTwiceMakesOneChat(t *testing.T) {
	s := openTemp(t)
	file := answered(chat.NewConversationID())
	first, err := s.Import(reimport(t, file, false))
	if err != nil || first.Already || first.ID != file.ID {
		t.Fatalf("first import: %+v %v", first, err)
	}
	second, err := s.Import(reimport(t, file, false))
	if err != nil || !second.Already || second.ID != file.ID {
		t.Fatalf("second import: %+v %v", second, err)
	}
	if n, u := chats(t, s), usageCount(t, s); n != 1 || u != 2 {
		t.Fatalf("%d chats, %d answers counted after importing one file twice", n, u)
	}
	// A guide-style array has no ID: each import is a chat.
	for range 2 {
		arr, err := export.Parse([]byte(`[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]`))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.Import(arr); err != nil || got.Already || !chat.IsConversationID(got.ID) {
			t.Fatalf("array import: %+v %v", got, err)
		}
	}
	if n := chats(t, s); n != 3 {
		t.Fatalf("%d chats, want the file's and two arrays", n)
	}
}

// TestImportOfAChangedExportIsANewChat: a question edited in the file (or
// the chat changed since its export) makes a chat of its own; the chat of
// its ID is left as it is, and answers the two share count once.
func TestImportOfAChangedExportIsANewChat(t *testing.T) {
	s := openTemp(t)
	id := chat.NewConversationID()
	if err := s.ReplaceAll(answered(id)); err != nil {
		t.Fatal(err)
	}
	file := reimport(t, load(t, s, id), false)
	file.Messages[2].Content = "and then, said differently?"
	file.Messages[3].Content = "a different answer"
	got, err := s.Import(file)
	if err != nil || got.Already || got.ID == id || !chat.IsConversationID(got.ID) {
		t.Fatalf("import of a changed export: %+v %v", got, err)
	}
	if n := chats(t, s); n != 2 {
		t.Fatalf("%d chats", n)
	}
	if orig := load(t, s, id); contents(orig.Messages) != "the question|the answer|and then?|then more" {
		t.Fatalf("the original changed: %q", contents(orig.Messages))
	}
	copied := load(t, s, got.ID)
	if contents(copied.Messages) != "the question|the answer|and then, said differently?|a different answer" {
		t.Fatalf("the copy: %q", contents(copied.Messages))
	}
	// Told apart from its original in the list (both were "the question").
	if orig := load(t, s, id); orig.Title != "" || copied.Title != "the question (imported copy)" {
		t.Fatalf("titles: original %q, copy %q", orig.Title, copied.Title)
	}
	// The shared answer was paid for in the original; the other one only
	// here (the original no longer has it, or never did).
	if copied.Messages[1].Usage != nil || copied.Messages[3].Usage == nil {
		t.Fatalf("usage of the copy's answers: %v, %v", copied.Messages[1].Usage, copied.Messages[3].Usage)
	}
	if n := usageCount(t, s); n != 3 {
		t.Fatalf("%d answers counted, want 3", n)
	}
	// The same changed file again is found where the first import put it.
	again := reimport(t, load(t, s, id), false)
	again.Messages[2].Content = "and then, said differently?"
	again.Messages[3].Content = "a different answer"
	if got2, err := s.Import(again); err != nil || !got2.Already || got2.ID != got.ID || got2.Chat == nil {
		t.Fatalf("the changed file imported again: %+v %v (first: %s)", got2, err, got.ID)
	}
	if n, u := chats(t, s), usageCount(t, s); n != 2 || u != 3 {
		t.Fatalf("%d chats, %d answers counted after importing the changed file twice", n, u)
	}
	// Its files are part of a message: a different file is a change.
	file = reimport(t, load(t, s, id), false)
	file.Messages[0].Attachments[0].Text = "other notes"
	if got, err := s.Import(file); err != nil || got.Already {
		t.Fatalf("a changed file: %+v %v", got, err)
	}
	// And so is the system message.
	file = reimport(t, load(t, s, id), false)
	file.System = "Be thorough."
	if got, err := s.Import(file); err != nil || got.Already {
		t.Fatalf("a changed system message: %+v %v", got, err)
	}
}

// TestImportOfEveryBranch: an export of every version is found when the
// chat holds each of them, and is a chat of its own when it holds one the
// chat lost (a deleted answer).
func TestImportOfEveryBranch(t *testing.T) {
	s := openTemp(t)
	id := chat.NewConversationID()
	now := time.UnixMilli(time.Now().UnixMilli())
	msg := func(node, parent int64, role chat.Role, text string) *chat.Message {
		return &chat.Message{Node: node, Parent: parent, Role: role, Content: text, Time: now, Status: chat.Complete}
	}
	conv := &chat.Conversation{ID: id, Messages: []*chat.Message{msg(1, 0, chat.User, "q"), msg(3, 1, chat.Assistant, "second")},
		Others: []*chat.Message{msg(2, 1, chat.Assistant, "first")}}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	tree := reimport(t, load(t, s, id), true)
	if got, err := s.Import(tree); err != nil || !got.Already {
		t.Fatalf("every branch: %+v %v", got, err)
	}
	// The first answer deleted in the chat: the file holds more.
	kept := load(t, s, id)
	kept.Others = nil
	if err := s.ReplaceAll(kept); err != nil {
		t.Fatal(err)
	}
	got, err := s.Import(reimport(t, conv, true))
	if err != nil || got.Already || got.ID == id {
		t.Fatalf("a tree the chat lost a branch of: %+v %v", got, err)
	}
	if c := load(t, s, got.ID); len(c.All()) != 3 {
		t.Fatalf("the imported tree has %d messages", len(c.All()))
	}
}

// TestImportNeverTakesAnIDItShouldNot: an ID azchat does not make is not
// kept, and a file naming a chat it is not never replaces it.
func TestImportNeverTakesAnIDItShouldNot(t *testing.T) {
	s := openTemp(t)
	id := chat.NewConversationID()
	if err := s.ReplaceAll(answered(id)); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`"../../x"`, `"ABCDEF0123456789"`, `12`, `{"a":1}`, `"` + strings.Repeat("a", 200) + `"`, `""`} {
		conv, err := export.Parse([]byte(`{"format":"azchat.conversation","version":1,"id":` + bad + `,"title":"t","messages":[{"role":"user","content":"x"}]}`))
		if err != nil {
			t.Fatalf("id %s: %v", bad, err)
		}
		got, err := s.Import(conv)
		if err != nil || got.Already || !chat.IsConversationID(got.ID) || got.ID == id {
			t.Fatalf("id %s: %+v %v", bad, got, err)
		}
	}
	// Given straight to Import (not through the parser) too.
	if got, err := s.Import(&chat.Conversation{ID: "../" + id, Messages: []*chat.Message{{Role: chat.User, Content: "x", Status: chat.Complete}}}); err != nil || got.Already || !chat.IsConversationID(got.ID) {
		t.Fatalf("a path as the ID: %+v %v", got, err)
	}
	conv, err := export.Parse([]byte(`{"format":"azchat.conversation","version":1,"id":"` + id + `","title":"t","messages":[{"role":"user","content":"not this chat"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Import(conv)
	if err != nil || got.Already || got.ID == id {
		t.Fatalf("a file naming another chat's ID: %+v %v", got, err)
	}
	if orig := load(t, s, id); contents(orig.Messages) != "the question|the answer|and then?|then more" {
		t.Fatalf("the chat of that ID changed: %q", contents(orig.Messages))
	}
}

// TestImportFindsTheVersionThatGoesOn: two identical versions of an answer,
// the chat going on under the second: its export is found (the first
// identical version alone does not hold the rest).
func TestImportFindsTheVersionThatGoesOn(t *testing.T) {
	s := openTemp(t)
	id := chat.NewConversationID()
	now := time.UnixMilli(time.Now().UnixMilli())
	msg := func(node, parent int64, role chat.Role, text string) *chat.Message {
		return &chat.Message{Node: node, Parent: parent, Role: role, Content: text, Time: now, Status: chat.Complete}
	}
	// On screen the version that ends there; the chat goes on under the
	// other.
	conv := &chat.Conversation{ID: id, Messages: []*chat.Message{msg(1, 0, chat.User, "q"), msg(2, 1, chat.Assistant, "same")},
		Others: []*chat.Message{msg(3, 1, chat.Assistant, "same"), msg(4, 3, chat.User, "next")}}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	for _, branches := range []bool{false, true} {
		if got, err := s.Import(reimport(t, load(t, s, id), branches)); err != nil || !got.Already || got.ID != id {
			t.Fatalf("every branch %v: %+v %v", branches, got, err)
		}
	}
	if n := chats(t, s); n != 1 {
		t.Fatalf("%d chats", n)
	}
}

// TestImportOfAnAnswerContinuedSince: a file exported while an answer was
// cut short, and the chat changed since (the answer continued, a question
// edited): the copy does not count that answer again.
func TestImportOfAnAnswerContinuedSince(t *testing.T) {
	s := openTemp(t)
	id := chat.NewConversationID()
	conv := answered(id)
	conv.Messages[1].Status, conv.Messages[1].FinishReason = chat.Truncated, "length"
	conv.Messages[3].Status = chat.Complete
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	file := reimport(t, load(t, s, id), false)
	later := load(t, s, id)
	later.Messages[1].Content += ", continued"
	later.Messages[1].Status = chat.Complete
	later.Messages[2].Content = "edited"
	if err := s.ReplaceAll(later); err != nil {
		t.Fatal(err)
	}
	got, err := s.Import(file)
	if err != nil || got.Already {
		t.Fatalf("import: %+v %v", got, err)
	}
	copied := load(t, s, got.ID)
	if copied.Messages[1].Usage != nil || copied.Messages[3].Usage != nil {
		t.Fatalf("the copy counts answers the chat has: %v, %v", copied.Messages[1].Usage, copied.Messages[3].Usage)
	}
	// A complete answer that merely starts like one of the chat's is its own.
	other := answered(chat.NewConversationID())
	if err := s.ReplaceAll(other); err != nil {
		t.Fatal(err)
	}
	short := reimport(t, other, false)
	short.Messages[1].Content = "the"
	short.Messages[2].Content = "changed"
	if got, err := s.Import(short); err != nil || got.Already || load(t, s, got.ID).Messages[1].Usage == nil {
		t.Fatalf("a complete answer \"the\" lost its usage: %+v %v", got, err)
	}
}

// TestANewChatNeverReplacesOne: a chat written as new under an ID the
// history has (another process took it a moment before) is refused, and
// the chat there is left as it is.
func TestANewChatNeverReplacesOne(t *testing.T) {
	s := openTemp(t)
	id := chat.NewConversationID()
	if err := s.ReplaceAll(answered(id)); err != nil {
		t.Fatal(err)
	}
	other := &chat.Conversation{ID: id, Messages: []*chat.Message{{Role: chat.User, Content: "not this chat", Status: chat.Complete}}}
	if err := s.replaceAll(other, true, nil); !errors.Is(err, errTaken) {
		t.Fatalf("writing a new chat over one: %v", err)
	}
	if got := load(t, s, id); contents(got.Messages) != "the question|the answer|and then?|then more" {
		t.Fatalf("the chat changed: %q", contents(got.Messages))
	}
}

// TestImportCopiesStayFindable: a copy of a copy keeps an ID import finds
// again (each copy's ID grew by nine characters, past what is kept), and
// two answers alike in text but each paid for are both counted.
func TestImportCopiesStayFindable(t *testing.T) {
	s := openTemp(t)
	id := chat.NewConversationID()
	if err := s.ReplaceAll(answered(id)); err != nil {
		t.Fatal(err)
	}
	current := id
	for i := range 8 {
		file := reimport(t, load(t, s, current), false)
		file.Messages[2].Content = fmt.Sprintf("changed %d", i)
		got, err := s.Import(file)
		if err != nil || got.Already || !chat.IsConversationID(got.ID) {
			t.Fatalf("copy %d: %+v %v", i, got, err)
		}
		again := reimport(t, load(t, s, got.ID), false)
		if back, err := s.Import(again); err != nil || !back.Already || back.ID != got.ID {
			t.Fatalf("copy %d imported again: %+v %v", i, back, err)
		}
		current = got.ID
	}
	// The same words, paid for twice: the copy's answer is its own.
	yes := answered(chat.NewConversationID())
	yes.Messages[1].Content, yes.Messages[3].Content = "Yes.", "Yes."
	yes.Messages[3].Usage = &chat.Usage{PromptTokens: 99, CompletionTokens: 2, TotalTokens: 101}
	if err := s.ReplaceAll(yes); err != nil {
		t.Fatal(err)
	}
	file := reimport(t, load(t, s, yes.ID), false)
	file.Messages[0].Content = "another question"
	file.Messages = file.Messages[:2]
	file.Messages[1].Usage = &chat.Usage{PromptTokens: 5, CompletionTokens: 2, TotalTokens: 7}
	got, err := s.Import(file)
	if err != nil || got.Already || load(t, s, got.ID).Messages[1].Usage == nil {
		t.Fatalf("an answer alike in words lost its usage: %+v %v", got, err)
	}
}
