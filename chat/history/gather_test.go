package history

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
)

// chatOf is a one-question chat.
func chatOf(id, question string) *chat.Conversation {
	return &chat.Conversation{ID: id, Messages: []*chat.Message{
		{Role: chat.User, Content: question, Time: time.UnixMilli(1_700_000_000_000), Status: chat.Complete},
		{Role: chat.Assistant, Content: "answer to " + question, Time: time.UnixMilli(1_700_000_001_000), Status: chat.Complete},
	}}
}

// historyWith makes a history at path holding convs, each updated at the
// time given (Unix milliseconds), and closes it.
func historyWith(t *testing.T, path string, updated int64, convs ...*chat.Conversation) {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range convs {
		if err := s.ReplaceAll(c); err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.Exec(`UPDATE conversations SET updated = ?, created = ? WHERE id = ?`, updated, updated-1000, c.ID); err != nil {
			t.Fatal(err)
		}
	}
}

func questions(t *testing.T, s *Store) map[string]string {
	t.Helper()
	list, err := s.List(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, sm := range list {
		c, err := s.Load(sm.ID)
		if err != nil || len(c.Messages) == 0 {
			t.Fatalf("%s: %+v %v", sm.ID, c, err)
		}
		out[c.Messages[0].Content] = sm.ID
	}
	return out
}

func strays(t *testing.T, path string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(filepath.Dir(path), strayPrefix+"*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestOpenMovingGathersAnOlderAzchatsNewHistory: an azchat from before
// the move, run after it, began a new history at the old place. Its chats
// are added to the moved history, with their times and images, the moved
// history's own are kept as they were, and the old file is gone.
func TestOpenMovingGathersAnOlderAzchatsNewHistory(t *testing.T) {
	old, path := movePaths(t)
	historyWith(t, path, 1_700_000_500_000, chatOf("mine", "kept question"))
	withImage := chatOf("theirs", "question asked in the older azchat")
	withImage.Messages[0].Attachments = []chat.Attachment{pic("pixels", 4, 3, chat.DetailAuto)}
	historyWith(t, old, 1_700_000_900_000, withImage)

	s := openMoving(t, old, path)
	if s.Path() != path || s.Gathered.Chats != 1 || s.Gathered.From != filepath.Dir(old) {
		t.Fatalf("opened %s, gathered %+v", s.Path(), s.Gathered)
	}
	q := questions(t, s)
	if q["kept question"] != "mine" || q["question asked in the older azchat"] != "theirs" || len(q) != 2 {
		t.Fatalf("chats after gathering: %v", q)
	}
	list, _ := s.List(0, 0)
	if list[0].ID != "theirs" || list[0].Updated.UnixMilli() != 1_700_000_900_000 {
		t.Fatalf("the gathered chat lost its time: %+v", list)
	}
	c, _ := s.Load("theirs")
	if a := c.Messages[0].Attachments; len(a) != 1 || string(a[0].Data) != "pixels" {
		t.Fatalf("the gathered chat lost its image: %+v", a)
	}
	gone(t, old, old+"-wal", old+"-shm")
	if m := strays(t, path); len(m) != 0 {
		t.Fatalf("left behind: %v", m)
	}
	// The next start has nothing to gather.
	s.Close()
	if s2 := openMoving(t, old, path); s2.Gathered.Chats != 0 || len(questions(t, s2)) != 2 {
		t.Fatalf("gathered again: %+v", s2.Gathered)
	}
}

// TestGatheringNeverReplacesAChat: a chat in both (a moved history
// Windows could not remove, the moved copy written to since) is added
// again only if it was written to later at the old place, as a copy;
// the moved history's chat is never replaced.
func TestGatheringNeverReplacesAChat(t *testing.T) {
	old, path := movePaths(t)
	historyWith(t, path, 1_700_000_500_000, chatOf("same", "newer here"), chatOf("later", "earlier here"))
	historyWith(t, old, 1_700_000_400_000, chatOf("same", "older there"))
	o, err := Open(old)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.ReplaceAll(chatOf("later", "written to there after the move")); err != nil {
		t.Fatal(err)
	}
	if _, err := o.db.Exec(`UPDATE conversations SET updated = ? WHERE id = 'later'`, 1_700_000_600_000); err != nil {
		t.Fatal(err)
	}
	o.Close()

	s := openMoving(t, old, path)
	q := questions(t, s)
	if q["newer here"] != "same" || q["earlier here"] != "later" || q["older there"] != "" || len(q) != 3 {
		t.Fatalf("chats after gathering: %v", q)
	}
	if id := q["written to there after the move"]; id == "" || id == "later" || s.Gathered.Chats != 1 {
		t.Fatalf("the later chat from the old place: id %q, gathered %+v", id, s.Gathered)
	}
}

// TestGatheringGoesOnAfterAStop: a start that stopped midway left the
// stray history in the history folder, some of its chats added. The next
// start adds the rest, none twice.
func TestGatheringGoesOnAfterAStop(t *testing.T) {
	old, path := movePaths(t)
	historyWith(t, path, 1_700_000_500_000, chatOf("a", "added before the stop"))
	stray := filepath.Join(filepath.Dir(path), strayPrefix+"20261201-100000.000000000.db")
	historyWith(t, stray, 1_700_000_500_000, chatOf("a", "added before the stop"), chatOf("b", "not yet added"))

	s := openMoving(t, old, path)
	q := questions(t, s)
	if q["added before the stop"] != "a" || q["not yet added"] != "b" || len(q) != 2 || s.Gathered.Chats != 1 {
		t.Fatalf("chats %v, gathered %+v", q, s.Gathered)
	}
	if m := strays(t, path); len(m) != 0 {
		t.Fatalf("left behind: %v", m)
	}
}

// TestGatheringLeavesAHistoryAnotherProgramHolds: the older azchat is
// still running on the old place's history: it is left to it, and
// gathered at the first start after it ends.
func TestGatheringLeavesAHistoryAnotherProgramHolds(t *testing.T) {
	old, path := movePaths(t)
	historyWith(t, path, 1_700_000_500_000, chatOf("mine", "kept question"))
	withSample(t, old).Close()
	release := holdHistory(t, old)
	s := openMoving(t, old, path)
	if s.Gathered.Chats != 0 || !exists(old) || len(strays(t, path)) != 0 {
		t.Fatalf("took a history another program holds: %+v", s.Gathered)
	}
	s.Close()
	release()
	s = openMoving(t, old, path)
	if s.Gathered.Chats != 1 {
		t.Fatalf("not gathered once the holder ended: %+v", s.Gathered)
	}
	mustHaveSample(t, s)
}

// TestGatheringSetsADamagedHistoryAside: a damaged stray history is set
// aside where it is; the moved history opens as it was.
func TestGatheringSetsADamagedHistoryAside(t *testing.T) {
	old, path := movePaths(t)
	historyWith(t, path, 1_700_000_500_000, chatOf("mine", "kept question"))
	if err := os.WriteFile(old, []byte("this is not a database, but long enough to look like one's first page"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := openMoving(t, old, path)
	if q := questions(t, s); len(q) != 1 || s.Gathered.Chats != 0 {
		t.Fatalf("chats %v, gathered %+v", q, s.Gathered)
	}
	aside, _ := filepath.Glob(old + ".damaged-*")
	if len(aside) != 1 || exists(old) {
		t.Fatalf("not set aside: %v", aside)
	}
}
