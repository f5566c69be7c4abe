package export

import (
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
)

// TestImportBoundsUsage: a crafted file's usage counts are read within
// 0..2^40 (the smallest int once crashed the window at every start: it
// formats counts with a sign).
func TestImportBoundsUsage(t *testing.T) {
	min64, max64 := strconv.FormatInt(math.MinInt64, 10), strconv.FormatInt(math.MaxInt64, 10)
	conv, err := Parse([]byte(`[{"role":"user","content":"hi"},{"role":"assistant","content":"ok","usage":{"prompt_tokens":` + min64 +
		`,"completion_tokens":` + max64 + `,"total_tokens":-5,"cached_prompt_tokens":7,"reasoning_tokens":-1}}]`))
	if err != nil {
		t.Fatal(err)
	}
	u := conv.Messages[1].Usage
	if u == nil || u.PromptTokens != 0 || u.CompletionTokens != 1<<40 || u.TotalTokens != 0 || u.CachedPromptTokens != 7 || u.ReasoningTokens != 0 {
		t.Fatalf("usage %+v", u)
	}
}

// TestImportRefusesTooManyMessages: within the size limit a file of
// empty messages holds millions; past MaxImportMessages it is refused as
// it is read (lowered here).
func TestImportRefusesTooManyMessages(t *testing.T) {
	defer func(n int) { maxMessages = n }(maxMessages)
	maxMessages = 10
	file := func(n int) []byte {
		return []byte("[" + strings.TrimSuffix(strings.Repeat(`{"role":"user","content":""},`, n), ",") + "]")
	}
	if conv, err := Parse(file(10)); err != nil || len(conv.Messages) != 10 {
		t.Fatalf("10 messages: %v", err)
	}
	if _, err := Parse(file(11)); err == nil || !strings.Contains(err.Error(), "more than 200000 messages") {
		t.Fatalf("11 messages: %v", err)
	}
}

// TestImportOfALongChainOfParents: an export of every branch is checked
// for circles in its parents, now in one walk per message shared by all
// (walking each message's chain to the root took seconds for this chain
// of 30,000 and hours for a million): the chain imports, and a circle at
// its far end is still found.
func TestImportOfALongChainOfParents(t *testing.T) {
	const n = 30_000
	var b strings.Builder
	b.WriteString(`{"messages":[`)
	for i := 1; i <= n; i++ {
		role := "user"
		if i%2 == 0 {
			role = "assistant"
		}
		if i > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"role":%q,"content":"m","node":%d,"parent":%d}`, role, i, i-1)
	}
	b.WriteString(`]}`)
	conv, err := Parse([]byte(b.String()))
	if err != nil || len(conv.Messages) != n || conv.Messages[n-1].Node != n {
		t.Fatalf("a chain of %d: %v", n, err)
	}
	// The same with a circle far down the chain: refused.
	circle := strings.Replace(b.String(), `"node":3,"parent":2`, fmt.Sprintf(`"node":3,"parent":%d`, n), 1)
	if _, err := Parse([]byte(circle)); err == nil || !strings.Contains(err.Error(), "circle") {
		t.Fatalf("a circle: %v", err)
	}
}

// TestImportKeepsTitlesOnOneLine: a title goes to the window manager's
// title bar and to one-line sidebar rows: control characters and line
// breaks become spaces, and it is cut at MaxTitleRunes.
func TestImportKeepsTitlesOnOneLine(t *testing.T) {
	conv, err := Parse([]byte(`{"title":"first\nsecond\u001b]0;x\u0007 ` + strings.Repeat("t", 500) + `","messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if r := []rune(conv.Title); len(r) != chat.MaxTitleRunes || !strings.HasPrefix(conv.Title, "first second ]0;x ttt") || strings.ContainsAny(conv.Title, "\n\x1b\x07") {
		t.Fatalf("title %q (%d runes)", conv.Title, len(r))
	}
}

// TestImportGivesUntimedMessagesOneTime: a message without a time took the
// time of each write of the chat, so it changed at every rewrite; it now
// keeps the time it was imported.
func TestImportGivesUntimedMessagesOneTime(t *testing.T) {
	before := time.Now().Add(-time.Second)
	conv, err := Parse([]byte(`[{"role":"user","content":"q"},{"role":"assistant","content":"a","time":"2024-05-01T10:00:00Z"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if q := conv.Messages[0].Time; q.Before(before) || q.After(time.Now()) {
		t.Fatalf("untimed message: %v", q)
	}
	if a := conv.Messages[1].Time; !a.Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("timed message: %v", a)
	}
}

// TestExportSaysAnAnswerWasStillBeingWritten: exported while it streamed,
// an answer's text was cut with nothing to say so.
func TestExportSaysAnAnswerWasStillBeingWritten(t *testing.T) {
	conv := &chat.Conversation{ID: "c", Messages: []*chat.Message{
		{Role: chat.User, Content: "q", Status: chat.Complete},
		{Role: chat.Assistant, Content: "the first half", Status: chat.Streaming},
	}}
	for _, f := range []Format{Markdown, Text, HTML} {
		b, err := Render(conv, f)
		if err != nil || !strings.Contains(string(b), "still being written when exported") {
			t.Errorf("%v: %v\n%s", f, err, b)
		}
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestImportRefusesAHugeValueAsItReadsIt: one string (or a value skipped)
// larger than any message or image is refused with its place once the
// limit is passed, not read whole first (a 1 GB string took three times
// that in memory); values up to the limit are imported.
func TestImportRefusesAHugeValueAsItReadsIt(t *testing.T) {
	defer func(n int64) { maxValueBytes = n }(maxValueBytes)
	maxValueBytes = 256 << 10
	for name, doc := range map[string]string{
		"content": `[{"role": "user", "content": "hello"},` + "\n" + `{"role": "assistant", "content": "` + strings.Repeat("x", 8<<20) + `"}]`,
		"skipped": `[{"role": "user", "content": "hello",` + "\n" + `"junk": [` + strings.Repeat("1,", 4<<20) + `1]}]`,
	} {
		t.Run(name, func(t *testing.T) {
			r := &countingReader{r: strings.NewReader(doc)}
			_, err := ParseReader(r)
			if err == nil || !strings.Contains(err.Error(), "the value at line 2, column ") || !strings.Contains(err.Error(), "more than any message") {
				t.Fatalf("error %v", err)
			}
			if r.n > 4*maxValueBytes {
				t.Fatalf("read %d KB of a %d KB file before refusing a value over %d KB", r.n>>10, len(doc)>>10, maxValueBytes>>10)
			}
		})
	}
	fits := `[{"role": "user", "content": "` + strings.Repeat("<", (256<<10)/6-64) + `"}]`
	fits = strings.ReplaceAll(fits, "<", `\u003c`)
	conv, err := Parse([]byte(fits))
	if err != nil || len(conv.Messages) != 1 || len(conv.Messages[0].Content) != (256<<10)/6-64 {
		t.Fatalf("a value within the limit: %v", err)
	}
}

// TestImportRefusalsQuoteTheFileBriefly: a refusal quotes what the file
// holds, and the window shows it in a dialog Fyne lays out whole on the UI
// thread (a role of 1 MB froze it for minutes): every quoted value is cut.
func TestImportRefusalsQuoteTheFileBriefly(t *testing.T) {
	huge := strings.Repeat("A", 1<<20)
	digits := strings.Repeat("9", 1<<20)
	for name, doc := range map[string]string{
		"role":         `[{"role": "` + huge + `", "content": "x"}]`,
		"role, images": `[{"role": "` + huge + `", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]}]`,
		"status":       `[{"role": "user", "content": "x", "status": "` + huge + `"}]`,
		"detail":       `[{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,` + base64.StdEncoding.EncodeToString(shotPNG(t)) + `", "detail": "` + huge + `"}}]}]`,
		"image name":   `[{"role": "user", "content": [{"type": "image_url", "name": "` + huge + `", "image_url": {"url": "https://example.invalid/a.png"}}]}]`,
		"number":       `[{"role": "user", "content": "x", "node": ` + digits + `}]`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(doc))
			if err == nil {
				t.Fatal("imported")
			}
			if len(err.Error()) > 1024 {
				t.Fatalf("the refusal is %d bytes long: %.200s…", len(err.Error()), err)
			}
		})
	}
}

// TestImportedFileNamesAreBounded: an imported file's name is cut to what
// a file system allows, on one line: the window draws it as the chat opens.
func TestImportedFileNamesAreBounded(t *testing.T) {
	name := strings.Repeat("n", 5<<20) + ".txt"
	doc := `[{"role": "user", "content": "x", "parts": [{"type": "text", "name": "` + name + `", "text": "File: a\n` + "```" + `\nhi\n` + "```" + `"}]}]`
	conv, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	atts := conv.Messages[0].Attachments
	if len(atts) != 1 || len([]rune(atts[0].Name)) > maxNameRunes || atts[0].Text != "hi" {
		t.Fatalf("attachments %d, name of %d runes", len(atts), len([]rune(atts[0].Name)))
	}
}
