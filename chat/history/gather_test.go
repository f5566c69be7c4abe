package history

import (
	"os"
	"path/filepath"
	"strings"
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

func strayFiles(t *testing.T, path string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	var m []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), strayPrefix) {
			m = append(m, e.Name())
		}
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
	if m := strayFiles(t, path); len(m) != 0 {
		t.Fatalf("left behind: %v", m)
	}
	// The next start has nothing to gather.
	s.Close()
	if s2 := openMoving(t, old, path); s2.Gathered.Chats != 0 || len(questions(t, s2)) != 2 {
		t.Fatalf("gathered again: %+v", s2.Gathered)
	}
}

// TestGatheringNeverReplacesNorRevives: the old place holds the history
// as it was moved (Windows could not remove it) and an older azchat wrote
// to it since. What it held at the move is not taken again: not a chat
// deleted since, not an earlier state of one; a chat written to there
// since is added as a copy beside the one it began as, once; a chat
// written to in both, with nothing new there, adds nothing.
func TestGatheringNeverReplacesNorRevives(t *testing.T) {
	old, path := movePaths(t)
	const movedAt = 1_700_000_450_000
	historyWith(t, path, 1_700_000_500_000, chatOf("kept", "continued here since"), chatOf("later", "asked before the move"), chatOf("same", "asked before the move too"))
	writeMovedAt(filepath.Dir(path), time.UnixMilli(movedAt))
	historyWith(t, old, 1_700_000_400_000, chatOf("kept", "as it was at the move"), chatOf("deleted", "deleted since the move"))
	later := chatOf("later", "asked before the move")
	later.Messages = append(later.Messages, &chat.Message{Role: chat.User, Content: "asked in the older azchat", Status: chat.Complete, Time: time.UnixMilli(1_700_000_600_000)})
	historyWith(t, old, 1_700_000_600_000, later, chatOf("same", "asked before the move too"))

	s := openMoving(t, old, path)
	q := questions(t, s)
	if q["continued here since"] != "kept" || q["asked before the move too"] != "same" || q["as it was at the move"] != "" || q["deleted since the move"] != "" || len(mustList(t, s)) != 4 {
		t.Fatalf("chats after gathering: %v", q)
	}
	var copyID string
	for _, sm := range mustList(t, s) {
		if sm.ID != "later" && strings.HasPrefix(sm.ID, "later-") {
			copyID = sm.ID
			if !strings.HasSuffix(sm.Title, "(older azchat)") {
				t.Fatalf("the copy is not told apart: %q", sm.Title)
			}
		}
	}
	c, err := s.Load(copyID)
	if err != nil || len(c.Messages) != 3 || c.Messages[2].Content != "asked in the older azchat" || s.Gathered.Chats != 1 {
		t.Fatalf("the copy: %+v %v, gathered %+v", c, err, s.Gathered)
	}
	if c, _ := s.Load("later"); len(c.Messages) != 2 {
		t.Fatal("the chat the copy began as was changed")
	}
}

// TestGatheringTwiceAddsNothing: a stray history gathered once and found
// again (a start that stopped before removing it, a file Windows would not
// let go) adds nothing more, copies included.
func TestGatheringTwiceAddsNothing(t *testing.T) {
	old, path := movePaths(t)
	historyWith(t, path, 1_700_000_500_000, chatOf("both", "asked here"))
	stray := filepath.Join(filepath.Dir(path), strayPrefix+"20261201-100000.000000000.db")
	historyWith(t, stray, 1_700_000_600_000, chatOf("both", "asked there"), chatOf("new", "only there"))
	keep, err := os.ReadFile(stray)
	if err != nil {
		t.Fatal(err)
	}
	s := openMoving(t, old, path)
	if s.Gathered.Chats != 2 || len(questions(t, s)) != 3 {
		t.Fatalf("first: %+v %v", s.Gathered, questions(t, s))
	}
	s.Close()
	if err := os.WriteFile(stray, keep, 0o600); err != nil {
		t.Fatal(err)
	}
	s = openMoving(t, old, path)
	if q := questions(t, s); s.Gathered.Chats != 0 || len(q) != 3 {
		t.Fatalf("again: %+v %v", s.Gathered, q)
	}
}

func mustList(t *testing.T, s *Store) []Summary {
	t.Helper()
	list, err := s.List(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	return list
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
	if m := strayFiles(t, path); len(m) != 0 {
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
	if s.Gathered.Chats != 0 || !exists(old) || len(strayFiles(t, path)) != 0 {
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
	if len(aside) != 1 || exists(old) || len(s.Gathered.SetAside) != 1 || s.Gathered.SetAside[0] != aside[0] {
		t.Fatalf("not set aside, or not said: %v, %+v", aside, s.Gathered)
	}
	// One found damaged in the history folder (moved there by a start
	// that stopped) likewise.
	s.Close()
	stray := filepath.Join(filepath.Dir(path), strayPrefix+"20261201-100000.000000000.db")
	if err := os.WriteFile(stray, []byte("this is not a database, but long enough to look like one's first page"), 0o600); err != nil {
		t.Fatal(err)
	}
	s = openMoving(t, old, path)
	if len(s.Gathered.SetAside) != 1 || !strings.HasPrefix(s.Gathered.SetAside[0], stray+".damaged-") || exists(stray) {
		t.Fatalf("the damaged stray: %+v", s.Gathered)
	}
}

// TestGatheringInAFolderNamedLikeAPattern: the settings folder's name
// holds characters file patterns use; its stray history is gathered.
func TestGatheringInAFolderNamedLikeAPattern(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a[1]*?")
	old, path := filepath.Join(dir, "history.db"), filepath.Join(dir, "history", "history.db")
	historyWith(t, path, 1_700_000_500_000, chatOf("mine", "kept question"))
	historyWith(t, old, 1_700_000_600_000, chatOf("theirs", "asked in the older azchat"))
	s := openMoving(t, old, path)
	if q := questions(t, s); len(q) != 2 || s.Gathered.Chats != 1 || len(strayFiles(t, path)) != 0 {
		t.Fatalf("chats %v, gathered %+v", q, s.Gathered)
	}
}
