package export

import (
	"errors"
	"time"

	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/markdown"
)

func TestWriteFileIsPrivateAndAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chat.md")
	if err := os.WriteFile(path, []byte("the earlier export"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", fi.Mode(), err)
	}
	// A write that cannot happen leaves the earlier file whole.
	if err := WriteFile(filepath.Join(path, "not-a-dir", "x.md"), []byte("y")); err == nil {
		t.Fatal("wrote below a file")
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Fatalf("content %q", b)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("left temporary files: %v", entries)
	}
}

func TestUniqueName(t *testing.T) {
	taken := map[string]bool{"notes.md": true}
	got := []string{UniqueName("notes.md", taken), UniqueName("Notes.md", taken), UniqueName("other.md", taken)}
	if strings.Join(got, ",") != "notes (2).md,Notes (3).md,other.md" {
		t.Fatalf("%v", got)
	}
}

func TestImportRefusesHugeFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(MaxImportSize + 1); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	if _, err := ParseFile(path); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1024 MB") {
		t.Fatalf("huge file parsed: %v", err)
	}
	// Streams are cut where they pass the limit (lowered here, so the test
	// holds no hundreds of megabytes).
	defer func(n int64) { importLimit = n }(importLimit)
	importLimit = 1 << 10
	huge := `[{"role":"user","content":"` + strings.Repeat("x", 2<<10) + `"}]`
	if _, err := ParseReader(strings.NewReader(huge)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("huge stream parsed: %v", err)
	}
	if _, err := Parse([]byte("[" + strings.Repeat("\n", 2<<10) + "]")); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("huge white space parsed: %v", err)
	}
	exact := `[{"role":"user","content":"` + strings.Repeat("x", 1<<10-30) + `"}]`
	if conv, err := ParseReader(strings.NewReader(exact)); len(exact) != 1<<10 || err != nil || len(conv.Messages) != 1 {
		t.Fatalf("a file of exactly the limit: %d bytes, %v", len(exact), err)
	}
}

// TestHTMLExportLoadsNoImages: images in the messages' text are links with
// their alt text; no <img> fetches anything when the file is opened (the
// user's own attachments are embedded: TestHTMLEmbedsAttachmentsOnly);
// the same in the Markdown export.
func TestHTMLExportLoadsNoImages(t *testing.T) {
	conv := fixture()
	conv.Messages[len(conv.Messages)-1].Content = "Chart: ![sales *Q3*](https://track.example.invalid/p.png?u=1) and ![local](/etc/passwd) and ![d](data:image/png;base64,AAAA)"
	b, err := Render(conv, HTML)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if strings.Contains(strings.ToLower(s), "<img") || strings.Contains(s, "img-src") {
		t.Fatalf("the HTML export can load images:\n%s", s)
	}
	for _, want := range []string{`href="https://track.example.invalid/p.png?u=1"`, "[image: sales Q3]", "[image: local — /etc/passwd]", "[image: d — data:image/png;base64,AAAA]"} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q", want)
		}
	}
	// The Markdown export, opened in a viewer, fetches nothing either:
	// the images are links to the same addresses.
	md, _ := Render(conv, Markdown)
	if !strings.Contains(string(md), "[sales *Q3*](https://track.example.invalid/p.png?u=1)") || strings.Contains(string(md), "![sales") {
		t.Fatalf("the Markdown export's image is not a link:\n%s", md)
	}
}

// TestImportRefusesAMessageOfMoreTextThanAnyModelReads: within the file's
// limit one message could hold hundreds of megabytes (as its text or many
// files), which the window lays out and counts as it is shown.
func TestImportRefusesAMessageOfMoreTextThanAnyModelReads(t *testing.T) {
	big := `[{"role":"user","content":"` + strings.Repeat("x", MaxMessageText+1) + `"}]`
	if _, err := Parse([]byte(big)); err == nil || !strings.Contains(err.Error(), "message 1 holds 16.0 MB") {
		t.Fatalf("a 16 MB message: %v", err)
	}
	fits := `[{"role":"user","content":"` + strings.Repeat("x", MaxMessageText) + `"}]`
	if _, err := Parse([]byte(fits)); err != nil {
		t.Fatal(err)
	}
}

// TestImportRefusesAChatOfMoreTextThanItsLimit: within the file's 1 GB,
// set by images, messages of just under 16 MB each added up to the whole
// file in text.
func TestImportRefusesAChatOfMoreTextThanItsLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("[")
	msg := `{"role":"user","content":"` + strings.Repeat("x", MaxMessageText) + `"}`
	for i := range MaxChatText/MaxMessageText + 1 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(msg)
	}
	b.WriteString("]")
	if _, err := Parse([]byte(b.String())); err == nil || !strings.Contains(err.Error(), "by message 9") {
		t.Fatalf("%d MB of text: %v", b.Len()>>20, err)
	}
}

// TestMarkdownExportIsInertAsAWhole: a viewer reads the export whole, so
// pieces harmless alone must stay harmless together: an image reference
// in one answer defined in the next, a code block an answer leaves open
// (cut at the token limit) closed by the next, and a system message or
// example indented into code or fenced. The rendered file has no image
// but azchat's own, and no raw HTML.
func TestMarkdownExportIsInertAsAWhole(t *testing.T) {
	conv := attachmentFixture(t)
	conv.System = "    ![sys](https://evil.example.invalid/s.png)\n~~~\n![fence](https://evil.example.invalid/f.png)\n~~~"
	conv.Examples = []chat.Example{{User: "~~~\n<img src=\"https://evil.example.invalid/e.gif\">\n~~~", Assistant: "![ex][r]"}}
	at := func(role chat.Role, text string) *chat.Message {
		return &chat.Message{Role: role, Content: text, Status: chat.Complete, Time: time.Unix(1_700_000_000, 0)}
	}
	conv.Messages = append(conv.Messages,
		at(chat.Assistant, "see ![x][r]"),
		at(chat.User, "and?"),
		at(chat.Assistant, "[r]: https://evil.example.invalid/p.png?d=secret"),
		at(chat.Assistant, "cut short:\n```go\nfunc main() {"),
		at(chat.Assistant, "```\n![y](https://evil.example.invalid/y.png) <img src=\"https://evil.example.invalid/z.gif\">"),
	)
	dir := t.TempDir()
	main, _, err := RenderFiles(conv, Markdown, filepath.Join(dir, "chat.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, img := range markdown.Images(string(main)) {
		if strings.Contains(img.Dest, "evil") || !strings.HasPrefix(img.Dest, "chat_files/") {
			t.Errorf("the export loads %q", img.Dest)
		}
	}
	if n := len(markdown.Images(string(main))); n == 0 {
		t.Error("azchat's own images are gone")
	}
	if markdown.QuoteHTML(string(main)) != string(main) {
		t.Errorf("the export holds raw HTML:\n%s", main)
	}
}

// TestOpenFence: the line that closes a fence an answer cut short inside
// code leaves open, as a Markdown reader sees it (in a list item too).
func TestOpenFence(t *testing.T) {
	for s, want := range map[string]string{
		"```go\nfunc main() {":                     "```",
		"```go\nx\n```":                            "",
		"~~~~\n```\nstill code":                    "~~~~",
		"````\n```\n":                              "````",
		"text ``` not a fence":                     "",
		"   ```\ncode":                             "   ```",
		"    ```\nindented: code, not fence":       "",
		"```a`b\nnot a fence":                      "",
		"1. Install:\n\n   ```sh\n   go install x": "   ```",
		"> ```\n> quoted code":                     "> ```",
	} {
		if got := openFence(s); got != want {
			t.Errorf("openFence(%q) = %q, want %q", s, got, want)
		}
		if want != "" {
			// Closed with it, the text ends outside code.
			if again := openFence(s + "\n" + want); again != "" {
				t.Errorf("openFence(%q) after closing: %q", s, again)
			}
		}
	}
}
