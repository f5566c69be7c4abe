package export

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/yuin/goldmark"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func fixture() *chat.Conversation {
	t0 := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	return &chat.Conversation{ID: "0123456789abcdef", System: "You are a helpful assistant.",
		Messages: []*chat.Message{
			{Role: chat.User, Content: "Compare encodings, please — été 🚀 日本語 <script>alert('x')</script>", Time: t0, Status: chat.Complete},
			{Role: chat.Assistant, Time: t0.Add(time.Minute), Status: chat.Complete, FinishReason: "stop", Model: "gpt-4o-2024-11-20",
				Usage:   &chat.Usage{PromptTokens: 40, CompletionTokens: 60, TotalTokens: 100},
				Content: "## Encodings\n\n| Model | Encoding |\n|---|---|\n| gpt-4o | o200k_base |\n| gpt-4 | cl100k_base |\n\n```go\nfmt.Println(\"<b>hi</b>\")\n```\n\n<script>alert('model')</script> stays visible.\n\nSee [a link](javascript:alert(1))."},
			{Role: chat.User, Content: "Tell me a violent story", Time: t0.Add(2 * time.Minute), Status: chat.Complete},
			{Role: chat.Assistant, Content: "Here is the story:", Time: t0.Add(3 * time.Minute), Status: chat.Filtered, FinishReason: "content_filter",
				Filter: chat.FilterResults{"violence": {Filtered: true, Severity: "medium"}, "hate": {Severity: "safe"}}},
			{Role: chat.User, Content: "Another?", Time: t0.Add(4 * time.Minute), Status: chat.Complete},
			{Role: chat.Assistant, Content: "Once upon a", Time: t0.Add(5 * time.Minute), Status: chat.Interrupted, Error: "the connection to Azure OpenAI was cut: try again"},
		}}
}

func TestGoldenExports(t *testing.T) {
	now = func() time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }
	defer func() { now = time.Now }()
	for _, f := range Formats {
		got, err := Render(fixture(), f)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", "conversation."+string(f))
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./chat/export -update)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from %s", f, path)
		}
	}
}

func TestHTMLEscapesModelOutput(t *testing.T) {
	b, _ := Render(fixture(), HTML)
	s := string(b)
	if strings.Contains(s, "<script>") || strings.Contains(s, `href="javascript`) {
		t.Fatal("script or javascript: link survived in the HTML export")
	}
	for _, want := range []string{"<table>", "<pre><code class=\"language-go\">", "&lt;b&gt;hi&lt;/b&gt;", "violence (medium)", "interrupted", "日本語", "&lt;script&gt;alert(&#39;model&#39;)&lt;/script&gt; stays visible"} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	b, _ := Render(fixture(), JSON)
	conv, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	orig := fixture()
	if conv.System != orig.System || len(conv.Messages) != len(orig.Messages) {
		t.Fatalf("%+v", conv)
	}
	for i, m := range conv.Messages {
		o := orig.Messages[i]
		if m.Content != o.Content || m.Status != o.Status || m.Role != o.Role || !m.Time.Equal(o.Time) {
			t.Fatalf("message %d: %+v vs %+v", i, m, o)
		}
	}
	if !conv.Messages[3].Filter["violence"].Filtered || conv.Messages[1].Usage.TotalTokens != 100 {
		t.Fatal("metadata lost")
	}
}

func TestParseGuideArray(t *testing.T) {
	conv, err := Parse([]byte(`[
	 {"role": "system", "content": "You are a helpful assistant."},
	 {"role": "system", "name": "example_user", "content": "New synergies"},
	 {"role": "system", "name": "example_assistant", "content": "Working together"},
	 {"role": "user", "content": "Who founded Microsoft?"},
	 {"role": "assistant", "content": "Bill Gates and Paul Allen."}
	]`))
	if err != nil {
		t.Fatal(err)
	}
	if conv.System != "You are a helpful assistant." || len(conv.Examples) != 1 || len(conv.Messages) != 2 || conv.Messages[1].Status != chat.Complete {
		t.Fatalf("%+v", conv)
	}
}

func TestParseErrorsSayWhere(t *testing.T) {
	cases := map[string]string{
		"": "empty",
		"[\n  {\"role\": \"user\",\n  \"content\": }\n]": "line 3",
		`[{"role":"user"}]`: `message 1 has no "content"`,
		`[{"content":"x"}]`: `message 1 has no "role"`,
		`[{"role":"user","content":"a"},{"role":"bot","content":"b"}]`: `message 2: role must be`,
		`{"title":"x"}`:                       `no "messages"`,
		`"just a string"`:                     "expected",
		`[]`:                                  "no messages",
		`[{"role":"user","content":1}]`:       "message 1",
		"# Who founded Microsoft?\n\n**You**": `not a JSON file (it begins "# Who founded Microsoft?")`,
		"<!DOCTYPE html><html>":               "not Markdown, HTML or text exports",
		// Files that are not text are named, not quoted as boxes.
		"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR": "not a JSON file (it is a PNG image)",
		"%PDF-1.7\n%\xe2\xe3\xcf\xd3":         "not a JSON file (it is a PDF document)",
		"\x7fELF\x02\x01\x01\x00\x00\x00":     "not a JSON file (it is binary data, not text)",
		"\xff\xfe[\x00{\x00":                  "it is UTF-16 text (save it as UTF-8",
	}
	for in, want := range cases {
		_, err := Parse([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: err %v, want %q", in, err, want)
		}
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.md")
	if err := WriteFile(p, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("two")); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	entries, _ := os.ReadDir(dir)
	if string(b) != "two" || len(entries) != 1 {
		t.Fatalf("content %q, %d files", b, len(entries))
	}
	if n := FileName(fixture(), Markdown); !strings.HasPrefix(n, "compare-encodings-please") || !strings.HasSuffix(n, "-012345.md") {
		t.Fatalf("file name %q", n)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`[]`, `[{"role":"user","content":"hi"}]`, `{"messages":[{"role":"assistant","content":"x","status":"filtered"}]}`, `{`, `[{"role":"system","name":"example_assistant","content":"a"}]`,
		`[{"role":"user","content":"x","parts":[{"type":"image_url","image_url":{"url":"data:image/gif;base64,R0lGODlhAQABAAAAACwAAAAAAQABAAA=","detail":"low"},"name":"a.gif"},{"type":"text","text":"File: a.go\n` + "```go\\nx\\n```" + `","name":"a.go"}]}]`,
		`[{"role":"user","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBO"}}]}]`,
		`[{"role":"user","content":"x","parts":[{"type":"image_url","image_url":"https://example.invalid/a.png"}]}]`} {
		f.Add([]byte(s))
	}
	if b, err := Render(attachmentFixture(f), JSON); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		conv, err := Parse(data)
		if err == nil && conv == nil {
			t.Fatal("nil conversation without error")
		}
		if err != nil {
			return
		}
		// What was imported exports and imports again, the same.
		b, err := Render(conv, JSON)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse(b)
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		if len(back.Messages) != len(conv.Messages) || back.System != conv.System || len(back.Examples) != len(conv.Examples) {
			t.Fatalf("round trip changed the conversation:\n%s", b)
		}
		for i, m := range back.Messages {
			if m.Content != conv.Messages[i].Content || !reflect.DeepEqual(m.Attachments, conv.Messages[i].Attachments) {
				t.Fatalf("message %d changed:\n%+v\n%+v", i+1, m, conv.Messages[i])
			}
		}
	})
}

// TestExportsKeepTheUsersLines: the user's message keeps a line per line
// typed in the HTML and Markdown exports (a browser or a Markdown viewer
// joined them), and in HTML is shown as typed, not read as Markdown (as in
// the window); an answer's soft line breaks stay soft.
func TestExportsKeepTheUsersLines(t *testing.T) {
	conv := &chat.Conversation{ID: "c", Messages: []*chat.Message{
		{Role: chat.User, Content: "first line\nsecond line\n# not a heading, a*b*c <b>", Status: chat.Complete},
		{Role: chat.Assistant, Content: "an answer\nwrapped", Status: chat.Complete},
	}}
	h, err := Render(conv, HTML)
	if err != nil || !strings.Contains(string(h), `<p class="typed">first line`+"\n"+`second line`+"\n"+`# not a heading, a*b*c &lt;b&gt;</p>`) ||
		strings.Contains(string(h), "<h1>not") || strings.Contains(string(h), "an answer<br") {
		t.Fatalf("HTML: %v\n%s", err, h)
	}
	m, err := Render(conv, Markdown)
	if err != nil || !strings.Contains(string(m), "first line\\\nsecond line") || strings.Contains(string(m), "an answer\\") {
		t.Fatalf("Markdown: %v\n%s", err, m)
	}
}

// TestMarkdownShowsTheUsersTextAsTyped: what the user typed (a message,
// the system message, an example) reads in a Markdown viewer as typed: no
// heading, emphasis, list, quote, code or link made of it, each line
// where it was, its indentation kept; the title too.
func TestMarkdownShowsTheUsersTextAsTyped(t *testing.T) {
	typed := "# Real heading?\na*b*c and __init__\n- not a list\n1. not numbered\n> not a quote\n    indented four\n`not code`\n[js](javascript:alert(1)) <b>tag</b>\n\nafter a blank line\rcr\r- cr list?\n```go\nfence never closed"
	conv := &chat.Conversation{Title: "# Title *x*", System: "Be **brief**.", Examples: []chat.Example{{User: "- q", Assistant: "1. a"}},
		Messages: []*chat.Message{{Role: chat.User, Content: typed, Status: chat.Complete},
			{Role: chat.Assistant, Content: "An answer with *emphasis*.", Status: chat.Complete}}}
	md, err := Render(conv, Markdown)
	if err != nil {
		t.Fatal(err)
	}
	var html bytes.Buffer
	if err := goldmark.Convert(md, &html); err != nil {
		t.Fatal(err)
	}
	got := html.String()
	for _, not := range []string{"<h1>Real", "<em>b</em>", "<strong>init", "<strong>brief", "<li>", "<blockquote>\n<p>not", "<pre><code>indented", "<code>not code", "<a href", "<b>tag"} {
		if strings.Contains(got, not) {
			t.Errorf("the typed text became %s:\n%s", not, got)
		}
	}
	for _, want := range []string{"<h1># Title *x*</h1>", "# Real heading?<br>", "a*b*c and __init__<br>", "- not a list<br>", "1. not numbered<br>",
		"&gt; not a quote<br>", "\u00a0\u00a0\u00a0\u00a0indented four<br>", "`not code`<br>", "[js](javascript:alert(1)) &lt;b&gt;tag&lt;/b&gt;</p>",
		"after a blank line<br>", "cr<br>", "- cr list?<br>", "```go<br>", "fence never closed</p>",
		// The answer after it is read as Markdown, not as code the
		// user's fence opened.
		"<p>An answer with <em>emphasis</em>.</p>", "Be **brief**.", "- q", "1. a"} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

// TestFileNameKeepsLettersOfAnyScript: a title's letters are kept in any
// script ("Ünïcödé" became "n-c-d", a title in Chinese only
// "conversation"), composed; and a copy imported beside its original gets
// a name of its own.
func TestFileNameKeepsLettersOfAnyScript(t *testing.T) {
	for _, c := range []struct{ title, id, want string }{
		{"Ünïcödé 🚀 — שלום", "9edc1de53f2717ff", "ünïcödé-שלום-9edc1d.md"},
		{"U\u0308ber Straße", "9edc1de53f2717ff", "über-straße-9edc1d.md"},
		{"日本語のテスト", "9edc1de53f2717ff", "日本語のテスト-9edc1d.md"},
		{"🚀🚀", "9edc1de53f2717ff", "conversation-9edc1d.md"},
		{"Ünïcödé", "9edc1de53f2717ff-d186d2ca", "ünïcödé-9edc1d-d186d2ca.md"},
		{strings.Repeat("word ", 30), "9edc1de53f2717ff", strings.Repeat("word-", 9) + "wor-9edc1d.md"}, // 48 characters
	} {
		conv := &chat.Conversation{ID: c.id, Title: c.title}
		if got := FileName(conv, Markdown); got != c.want {
			t.Errorf("%q (%s): %q, want %q", c.title, c.id, got, c.want)
		}
	}
}
