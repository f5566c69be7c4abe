package history

import (
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/testwait"
)

// updatedOf is conversation id's date as the chat list has it.
func updatedOf(t *testing.T, s *Store, id string) time.Time {
	t.Helper()
	list, err := s.List(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.ID == id {
			return c.Updated
		}
	}
	t.Fatalf("%s is not listed", id)
	return time.Time{}
}

// TestShowingAVersionKeepsTheDate: another version shown (the only
// change, the path on screen) leaves the chat's date, and its place in
// the list, as they were; a change to its messages dates it now.
func TestShowingAVersionKeepsTheDate(t *testing.T) {
	s := openTemp(t)
	at := time.UnixMilli(time.Now().UnixMilli())
	msg := func(node, parent int64, role chat.Role, text string) *chat.Message {
		return &chat.Message{Node: node, Parent: parent, Role: role, Content: text, Time: at, Status: chat.Complete}
	}
	conv := &chat.Conversation{ID: "v", Messages: []*chat.Message{msg(1, 0, chat.User, "q"), msg(3, 1, chat.Assistant, "second")},
		Others: []*chat.Message{msg(2, 1, chat.Assistant, "first")}}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	dated := updatedOf(t, s, "v")
	// A date written again would differ (it is in milliseconds).
	testwait.Until(t, 5*time.Second, "the clock to pass the chat's date", func() bool { return time.Now().UnixMilli() > dated.UnixMilli() })
	got := load(t, s, "v")
	got.Activate(2)
	if err := s.ReplaceAll(got); err != nil {
		t.Fatal(err)
	}
	if again := load(t, s, "v"); contents(again.Messages) != "q|first" {
		t.Fatalf("the version shown was not saved: %q", contents(again.Messages))
	}
	if d := updatedOf(t, s, "v"); !d.Equal(dated) {
		t.Fatalf("showing a version dated the chat %v, was %v", d, dated)
	}
	// A message deleted is a change.
	got.Messages = got.Messages[:1]
	got.Others = nil
	if err := s.ReplaceAll(got); err != nil {
		t.Fatal(err)
	}
	if d := updatedOf(t, s, "v"); !d.After(dated) {
		t.Fatalf("a message deleted left the date at %v", d)
	}
}

// TestAnImportIsDatedByItsMessages: an imported chat is dated by its
// newest message (it was dated by the import), not by a time after now.
func TestAnImportIsDatedByItsMessages(t *testing.T) {
	s := openTemp(t)
	first, last := time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC), time.Date(2024, 6, 1, 9, 5, 0, 0, time.UTC)
	conv := &chat.Conversation{ID: "old", Messages: []*chat.Message{
		{Role: chat.User, Content: "an old question", Time: first, Status: chat.Complete},
		{Role: chat.Assistant, Content: "an old answer", Time: last, Status: chat.Complete},
	}}
	im, err := s.Import(conv)
	if err != nil {
		t.Fatal(err)
	}
	if d := updatedOf(t, s, im.ID); !d.Equal(last) {
		t.Fatalf("imported chat dated %v, want %v", d, last)
	}
	var created int64
	if err := s.db.QueryRow(`SELECT created FROM conversations WHERE id = ?`, im.ID).Scan(&created); err != nil || created != first.UnixMilli() {
		t.Fatalf("created %d (%v), want %d", created, err, first.UnixMilli())
	}
	// Times ahead of this machine's clock: dated by the import.
	ahead := time.Now().Add(48 * time.Hour)
	before := time.Now()
	future := &chat.Conversation{ID: "ahead", Messages: []*chat.Message{{Role: chat.User, Content: "from a clock ahead", Time: ahead, Status: chat.Complete}}}
	im, err = s.Import(future)
	if err != nil {
		t.Fatal(err)
	}
	if d := updatedOf(t, s, im.ID); d.Before(before.Add(-time.Second)) || d.After(time.Now()) {
		t.Fatalf("a chat from a clock ahead is dated %v", d)
	}
}

// TestHitsAreDatedByTheirMessage: a search hit carries when the message
// found was written (the answer, a second after the question): the
// sidebar dates a hit by it; so does a hit found by scanning the texts.
func TestHitsAreDatedByTheirMessage(t *testing.T) {
	s := openTemp(t)
	if err := s.ReplaceAll(sample()); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search("Paul", 10)
	if err != nil || len(hits) != 1 || !hits[0].Time.Equal(time.UnixMilli(1_700_000_001_000)) {
		t.Fatalf("hits %+v %v", hits, err)
	}
	// A word inside a run of Japanese, which no index holds.
	jp := &chat.Conversation{ID: "jp", Messages: []*chat.Message{{Role: chat.User, Content: "日本語のテストです", Time: time.UnixMilli(1_600_000_000_000), Status: chat.Complete}}}
	if err := s.ReplaceAll(jp); err != nil {
		t.Fatal(err)
	}
	if hits, _ = s.Search("テスト", 10); len(hits) != 1 || !hits[0].Time.Equal(time.UnixMilli(1_600_000_000_000)) {
		t.Fatalf("scanned hit: %+v", hits)
	}
}
