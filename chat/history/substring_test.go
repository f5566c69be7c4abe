package history

import (
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
)

// marked is a hit's snippet with its matches in brackets.
func marked(h Hit) string {
	var b strings.Builder
	at := 0
	for _, m := range h.Matches {
		b.WriteString(h.Snippet[at:m.Start] + "[" + h.Snippet[m.Start:m.End] + "]")
		at = m.End
	}
	return b.String() + h.Snippet[at:]
}

// TestSearchFindsWordsInsideSpacelessText: Chinese, Japanese and Thai are
// written without spaces, and the index holds a whole run as one word: a
// word inside one ("テスト" in "日本語のテスト") is found, in messages and
// in files, alone or with words the index finds, and marked in the
// snippet (it was "not found", where Find in the chat found it); a word
// written with a separate voicing mark is the same word.
func TestSearchFindsWordsInsideSpacelessText(t *testing.T) {
	s := openTemp(t)
	jp := &chat.Conversation{ID: "jp", Messages: []*chat.Message{userMsg("日本語のテストです。quota を確認して"), answer("はい、テストの結果です。")}}
	th := &chat.Conversation{ID: "th", Messages: []*chat.Message{userMsg("สวัสดีชาวโลก"), answer("ok")}}
	file := chat.Attachment{Kind: chat.TextAttachment, Name: "名簿.txt", Text: "名前\t東京都新宿区\n"}
	cn := &chat.Conversation{ID: "cn", Messages: []*chat.Message{userMsg("看看这个文件", file), answer("好的")}}
	latin := &chat.Conversation{ID: "en", Messages: []*chat.Message{userMsg("quota please"), answer("the quota is fine")}}
	// A file name as macOS writes it: が as か and a voicing mark.
	mac := &chat.Conversation{ID: "mac", Messages: []*chat.Message{userMsg("see か\u3099いこく.txt"), answer("ok")}}
	for _, c := range []*chat.Conversation{jp, th, cn, latin, mac} {
		if err := s.ReplaceAll(c); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		query, want, snippet string
	}{
		{"テスト", "jp", "[テスト]"},
		{"ชาวโลก", "th", "สวัสดี[ชาวโลก]"},
		{"新宿", "cn", "[新宿]"},
		// With a word the index finds: both must be there.
		{"quota テスト", "jp", "[テスト]"},
		// Composed or not, the same word.
		{"がいこく", "mac", "[か\u3099いこく]"},
		{"か\u3099いこく", "mac", "[か\u3099いこく]"},
	} {
		hits, err := s.Search(c.query, 10)
		if err != nil || len(hits) != 1 || hits[0].ConversationID != c.want {
			t.Fatalf("%q: hits %+v, %v", c.query, hits, err)
		}
		if got := marked(hits[0]); !strings.Contains(got, c.snippet) {
			t.Errorf("%q: snippet %q, want %q marked", c.query, got, c.snippet)
		}
	}
	if hits, _ := s.Search("新宿", 10); hits[0].File != "名簿.txt" {
		t.Fatalf("a hit in a file does not name it: %+v", hits[0])
	}
	// Each chat once, its newest matching message.
	if hits, _ := s.Search("テスト", 10); len(hits) != 1 || hits[0].Node != 2 {
		t.Fatalf("テスト is in two messages of one chat: %+v", hits)
	}
	// Nothing where the words are not all there.
	for _, q := range []string{"テスト flamingo", "ロンドン"} {
		if hits, err := s.Search(q, 10); err != nil || len(hits) != 0 {
			t.Fatalf("%q: %+v %v", q, hits, err)
		}
	}
}

func TestTextSnippetCutsAroundTheMatch(t *testing.T) {
	text := strings.Repeat("前", 100) + "テスト" + strings.Repeat("後", 100)
	h := Hit{}
	h.Snippet, h.Matches = textSnippet(text, splitQuery("テスト"))
	want := "…" + strings.Repeat("前", snippetBefore) + "[テスト]" + strings.Repeat("後", snippetRunes-snippetBefore-3) + "…"
	if got := marked(h); got != want {
		t.Fatalf("snippet %q, want %q", got, want)
	}
	// A Latin word with it is marked ignoring case.
	h.Snippet, h.Matches = textSnippet("Quota の テスト", splitQuery("quota テスト"))
	if got := marked(h); got != "[Quota] の [テスト]" {
		t.Fatalf("snippet %q", got)
	}
}
