package history

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/azchat/azchat/internal/testwait"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/internal/fakeazure"
)

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func sample() *chat.Conversation {
	yes := true
	return &chat.Conversation{ID: "c1", System: "Be brief.", Examples: []chat.Example{{User: "hi", Assistant: "hello"}},
		Messages: []*chat.Message{
			{Role: chat.User, Content: "Wer hat Microsoft gegründet? 🚀", Time: time.UnixMilli(1_700_000_000_000), Status: chat.Complete},
			{Role: chat.Assistant, Content: "Bill Gates and Paul Allen.", Time: time.UnixMilli(1_700_000_001_000), Status: chat.Filtered,
				FinishReason: "content_filter", Model: "gpt-4o-2024-11-20", Usage: &chat.Usage{PromptTokens: 10, CompletionTokens: 7, TotalTokens: 17},
				Filter:       chat.FilterResults{"violence": {Filtered: true, Severity: "medium"}},
				PromptFilter: chat.FilterResults{"jailbreak": {Filtered: false, Detected: &yes}}},
		}}
}

func TestRoundTripKeepsEverything(t *testing.T) {
	s := openTemp(t)
	conv := sample()
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	got, err := s.Load("c1")
	if err != nil {
		t.Fatal(err)
	}
	if got.System != "Be brief." || len(got.Examples) != 1 || len(got.Messages) != 2 {
		t.Fatalf("%+v", got)
	}
	a := got.Messages[1]
	if a.Status != chat.Filtered || a.FinishReason != "content_filter" || a.Usage.TotalTokens != 17 ||
		!a.Filter["violence"].Filtered || a.PromptFilter["jailbreak"].Detected == nil || a.Model != "gpt-4o-2024-11-20" ||
		!a.Time.Equal(time.UnixMilli(1_700_000_001_000)) {
		t.Fatalf("answer %+v", a)
	}
	if got.Messages[0].Content != "Wer hat Microsoft gegründet? 🚀" {
		t.Fatal("text changed")
	}
	list, _ := s.List(10, 0)
	if len(list) != 1 || list[0].Title != "Wer hat Microsoft gegründet? 🚀" || list[0].Messages != 2 {
		t.Fatalf("list %+v", list)
	}
	if err := s.Rename("c1", "Founders"); err != nil {
		t.Fatal(err)
	}
	if list, _ = s.List(10, 0); list[0].Title != "Founders" {
		t.Fatal("rename not listed")
	}
	if err := s.Delete("c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load("c1"); err != ErrNotFound {
		t.Fatalf("after delete: %v", err)
	}
	if hits, _ := s.Search("Microsoft", 10); len(hits) != 0 {
		t.Fatal("deleted messages still searchable")
	}
}

func TestSearch(t *testing.T) {
	s := openTemp(t)
	_ = s.ReplaceAll(sample())
	other := &chat.Conversation{ID: "c2", Messages: []*chat.Message{{Role: chat.User, Content: "Tell me about Azure OpenAI quotas", Status: chat.Complete}}}
	_ = s.ReplaceAll(other)
	for q, want := range map[string]string{"gegrundet": "c1", "quot": "c2", `"AND" (`: "", "Microsoft Allen": ""} {
		hits, err := s.Search(q, 10)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if want == "" {
			continue
		}
		if len(hits) != 1 || hits[0].ConversationID != want || len(hits[0].Matches) == 0 {
			t.Fatalf("%q: %+v", q, hits)
		}
	}
	hits, _ := s.Search("Paul", 10)
	if len(hits) != 1 || hits[0].Node != 2 {
		t.Fatalf("hit index: %+v", hits)
	}
}

func TestDamagedDatabaseIsSetAside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "history.db")
	junk := []byte(strings.Repeat("this is not a database ", 400))
	if err := os.WriteFile(path, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Recovered == "" || s.RecoveredErr == nil {
		t.Fatal("damage not reported")
	}
	kept, err := os.ReadFile(s.Recovered)
	if err != nil || string(kept) != string(junk) {
		t.Fatal("the damaged file was not kept as it was")
	}
	if err := s.ReplaceAll(sample()); err != nil {
		t.Fatal("fresh database unusable:", err)
	}
}

// The crash test: a child process streams an answer into the database and
// is killed with SIGKILL mid-stream; the question and the partial answer
// must be there, the answer marked interrupted.
func TestKillMidStreamKeepsPartialAnswer(t *testing.T) {
	if os.Getenv("AZCHAT_CRASH_CHILD") != "" {
		crashChild(t)
		return
	}
	srv := &fakeazure.Server{APIKey: "k"}
	srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("partial answer words ", 600), TokensPerSecond: 100})
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "history.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillMidStreamKeepsPartialAnswer$")
	cmd.Env = append(os.Environ(), "AZCHAT_CRASH_CHILD=1", "AZCHAT_CRASH_DB="+path, "AZCHAT_CRASH_URL="+srv.BaseURL())
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for a checkpoint with some text, then kill without warning.
	var partial int
	testwait.Poll(20*time.Second, func() bool {
		s, err := open(path)
		if err != nil {
			return false
		}
		conv, err := s.Load("crash")
		s.Close()
		if err == nil && len(conv.Messages) == 2 && len(conv.Messages[1].Content) > 50 {
			partial = len(conv.Messages[1].Content)
			return true
		}
		return false
	})
	_ = cmd.Process.Signal(syscall.SIGKILL)
	_ = cmd.Wait()
	if partial == 0 {
		t.Fatal("no checkpoint appeared before the kill")
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conv, err := s.Load("crash")
	if err != nil {
		t.Fatal(err)
	}
	if len(conv.Messages) != 2 || conv.Messages[0].Content != "tell me a long story" {
		t.Fatalf("question lost: %+v", conv.Messages)
	}
	a := conv.Messages[1]
	if a.Status != chat.Interrupted || len(a.Content) < partial || !strings.HasPrefix(a.Content, "partial answer") {
		t.Fatalf("partial answer: status %s, %d bytes", a.Status, len(a.Content))
	}
}

func crashChild(t *testing.T) {
	s, err := Open(os.Getenv("AZCHAT_CRASH_DB"))
	if err != nil {
		t.Fatal(err)
	}
	client, err := azure.New(azure.Config{BaseURL: os.Getenv("AZCHAT_CRASH_URL"), APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	ctl := chat.NewController(client, chat.Options{Deployment: "d"}, nil)
	ctl.SetPersister(s)
	_ = ctl.SetConversation(&chat.Conversation{ID: "crash"})
	if err := ctl.Send("tell me a long story"); err != nil {
		t.Fatal(err)
	}
	ctl.Wait()
	t.Fatal("the stream should have been killed before it ended")
}

func TestControllerPersistsEveryChange(t *testing.T) {
	s := openTemp(t)
	srv := &fakeazure.Server{APIKey: "k"}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client, _ := azure.New(azure.Config{BaseURL: srv.BaseURL(), APIKey: "k"})
	ctl := chat.NewController(client, chat.Options{Deployment: "d"}, nil)
	ctl.SetPersister(s)
	for _, q := range []string{"one", "two"} {
		_ = ctl.Send(q)
		ctl.Wait()
	}
	id := ctl.Conversation().ID
	_ = ctl.Edit(0, "uno")
	ctl.Wait()
	_ = ctl.Delete(1)
	_ = ctl.Send("tres")
	ctl.Wait()
	got, err := s.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	want := ctl.Conversation()
	if len(got.Messages) != len(want.Messages) {
		t.Fatalf("stored %d messages, controller has %d", len(got.Messages), len(want.Messages))
	}
	for i := range want.Messages {
		if got.Messages[i].Content != want.Messages[i].Content || got.Messages[i].Status != want.Messages[i].Status {
			t.Fatalf("message %d: stored %+v, want %+v", i, got.Messages[i], want.Messages[i])
		}
	}
}

func BenchmarkList10000(b *testing.B) {
	s := openTemp(b)
	tx, _ := s.db.Begin()
	for i := 0; i < 10000; i++ {
		_, _ = tx.Exec(`INSERT INTO conversations(id, first_line, created, updated) VALUES (?, ?, ?, ?)`, fmt.Sprint(i), fmt.Sprintf("conversation %d", i), i, i)
	}
	_ = tx.Commit()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if l, err := s.List(0, 0); err != nil || len(l) != 10000 {
			b.Fatal(err, len(l))
		}
	}
}

// BenchmarkSearch searches N messages in chats of 100 for the best 100
// chats; AZCHAT_BENCH_MESSAGES sets N
// (make bench uses 1,000,000; the default keeps go test -bench quick).
func BenchmarkSearch(b *testing.B) {
	s := searchBenchStore(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if hits, err := s.Search("quota keych", 100); err != nil || len(hits) == 0 {
			b.Fatal(err, len(hits))
		}
	}
}

// BenchmarkSearchSpaceless searches the same messages for a Japanese word,
// which the index cannot find inside a run of Japanese text: every
// message's text is read (one in a thousand holds it).
func BenchmarkSearchSpaceless(b *testing.B) {
	s := searchBenchStore(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if hits, err := s.Search("テスト", 100); err != nil || len(hits) == 0 {
			b.Fatal(err, len(hits))
		}
	}
}

// searchBenchStore is a history of N messages (AZCHAT_BENCH_MESSAGES,
// 100,000 by default) in chats of 100.
func searchBenchStore(b *testing.B) *Store {
	n := 100_000
	if v := os.Getenv("AZCHAT_BENCH_MESSAGES"); v != "" {
		fmt.Sscan(v, &n)
	}
	s := openTemp(b)
	words := strings.Fields("azure openai token budget stream deployment endpoint quota model filter content keychain export window")
	tx, _ := s.db.Begin()
	// Chats of 100 messages each; the sidebar lists up to 100 of them.
	for i := 0; i < n; i++ {
		c := fmt.Sprintf("c%d", i/100)
		if i%100 == 0 {
			_, _ = tx.Exec(`INSERT INTO conversations(id, created, updated) VALUES (?, 0, 0)`, c)
		}
		text := fmt.Sprintf("%s %s %s message %d", words[i%len(words)], words[(i/7)%len(words)], words[(i/13)%len(words)], i)
		if i%1000 == 0 {
			text += " 日本語のテストです"
		}
		_, _ = tx.Exec(`INSERT INTO messages(conversation_id, seq, role, content, time, status) VALUES (?, ?, 'user', ?, 0, 'complete')`, c, i%100, text)
	}
	_ = tx.Commit()
	return s
}

func TestOverridesPersist(t *testing.T) {
	s := openTemp(t)
	conv := sample()
	hot := 0.9
	conv.Overrides = chat.Overrides{Temperature: &hot, Window: 8000}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Load(conv.ID)
	if got.Overrides.Temperature == nil || *got.Overrides.Temperature != 0.9 || got.Overrides.Window != 8000 {
		t.Fatalf("overrides %+v", got.Overrides)
	}
}

// bigChat stores "big", a chat of 10,000 short messages, in a new history.
func bigChat(b *testing.B) *Store {
	s := openTemp(b)
	conv := &chat.Conversation{ID: "big"}
	for i := 0; i < 10000; i++ {
		role := chat.User
		if i%2 == 1 {
			role = chat.Assistant
		}
		conv.Messages = append(conv.Messages, &chat.Message{Role: role, Content: fmt.Sprintf("message %d with **markdown** and some words", i), Status: chat.Complete})
	}
	if err := s.ReplaceAll(conv); err != nil {
		b.Fatal(err)
	}
	return s
}

func BenchmarkLoad10000(b *testing.B) {
	s := bigChat(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if c, err := s.Load("big"); err != nil || len(c.Messages) != 10000 {
			b.Fatal(err)
		}
	}
}

// TestProgramsOpeningAFreshHistoryAtOnce: several openers creating the
// same new database at the same moment (the window and a CLI command) all
// succeed, and none sets the file aside.
func TestProgramsOpeningAFreshHistoryAtOnce(t *testing.T) {
	for round := 0; round < 10; round++ {
		path := filepath.Join(t.TempDir(), "history.db")
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := Open(path)
				if err != nil {
					errs <- err
					return
				}
				if s.Recovered != "" {
					errs <- fmt.Errorf("set aside as %s", s.Recovered)
				}
				s.Close()
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("round %d: %v", round, err)
		}
	}
}

// TestSearchMatchesAreTypedSpans: a hit says where its matches are, so
// guillemets in the chat's own text (French, Russian) are text, not marks.
func TestSearchMatchesAreTypedSpans(t *testing.T) {
	s := openTemp(t)
	text := "Il a dit « bonjour » et « au revoir », puis le Bonjour suivant."
	conv := &chat.Conversation{ID: "fr", Messages: []*chat.Message{{Role: chat.User, Content: text, Status: chat.Complete}}}
	if err := s.ReplaceAll(conv); err != nil {
		t.Fatal(err)
	}
	hits, err := s.Search("bonjour", 10)
	if err != nil || len(hits) != 1 {
		t.Fatalf("%+v, %v", hits, err)
	}
	h := hits[0]
	if h.Snippet != text {
		t.Fatalf("snippet %q, want the message's text unchanged", h.Snippet)
	}
	var got []string
	for _, m := range h.Matches {
		got = append(got, h.Snippet[m.Start:m.End])
	}
	if strings.Join(got, ",") != "bonjour,Bonjour" {
		t.Fatalf("matches %q", got)
	}
}

func TestParseSnippetDropsUnpairedMarks(t *testing.T) {
	for marked, want := range map[string]string{
		"a \x01b\x02 c":        "a [b] c",
		"\x02a \x01b\x01c\x02": "a [bc]",
		"a \x01b":              "a b",
		"\x01\x02a":            "a",
	} {
		text, spans := parseSnippet(marked)
		var b strings.Builder
		at := 0
		for _, m := range spans {
			b.WriteString(text[at:m.Start] + "[" + text[m.Start:m.End] + "]")
			at = m.End
		}
		b.WriteString(text[at:])
		if b.String() != want {
			t.Errorf("%q: %q, want %q", marked, b.String(), want)
		}
	}
}

// TestSearchListsEveryChatOnce: a chat whose many messages match better
// than another chat's one does not crowd it out of the list, and each chat
// comes once, with its best-matching message.
func TestSearchListsEveryChatOnce(t *testing.T) {
	s := openTemp(t)
	crowd := &chat.Conversation{ID: "crowd", Title: "Zebras"}
	for i := 0; i < 30; i++ {
		text := "zebra zebra"
		if i == 17 {
			text = "zebra zebra zebra" // the best of them
		}
		crowd.Messages = append(crowd.Messages, &chat.Message{Role: chat.User, Content: text, Status: chat.Complete})
	}
	lone := &chat.Conversation{ID: "lone", Title: "Safari", Messages: []*chat.Message{
		{Role: chat.User, Content: "We saw lions, elephants, giraffes and, far off at the water hole, one zebra drinking.", Status: chat.Complete},
	}}
	for _, c := range []*chat.Conversation{crowd, lone} {
		if err := s.ReplaceAll(c); err != nil {
			t.Fatal(err)
		}
	}
	hits, err := s.Search("zebra", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 2 || hits[0].ConversationID != "crowd" || hits[1].ConversationID != "lone" {
		t.Fatalf("want crowd then lone, once each: %+v", hits)
	}
	if hits[0].Node != 18 || hits[0].Snippet != "zebra zebra zebra" || len(hits[0].Matches) != 3 {
		t.Fatalf("crowd's best message: %+v", hits[0])
	}
	if hits[1].Node != 1 || !strings.Contains(hits[1].Snippet, "zebra drinking") {
		t.Fatalf("lone's snippet: %+v", hits[1])
	}
	// The limit counts chats.
	if one, err := s.Search("zebra", 1); err != nil || len(one) != 1 || one[0].ConversationID != "crowd" {
		t.Fatalf("limit 1: %+v %v", one, err)
	}
}

// TestSearchGivesUpWhenItsContextEnds: a search typed past (its context
// ended) returns the context's error and no hits, and the store serves
// the next one.
func TestSearchGivesUpWhenItsContextEnds(t *testing.T) {
	s := openTemp(t)
	if err := s.ReplaceAll(&chat.Conversation{ID: "z", Messages: []*chat.Message{{Role: chat.User, Content: "one zebra", Status: chat.Complete}}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if hits, err := s.SearchContext(ctx, "zebra", 10); !errors.Is(err, context.Canceled) || hits != nil {
		t.Fatalf("ended search: %+v %v", hits, err)
	}
	if hits, err := s.SearchContext(context.Background(), "zebra", 10); err != nil || len(hits) != 1 {
		t.Fatalf("the next search: %+v %v", hits, err)
	}
}
