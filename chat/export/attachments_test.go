package export

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
)

// shotPNG is a real 3×2 PNG.
func shotPNG(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "shot.png"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// webpHeader is the start of a lossless WebP of w×h: all DecodeConfig reads.
func webpHeader(w, h int) []byte {
	v := uint32(w-1) | uint32(h-1)<<14
	chunk := []byte{0x2f, byte(v), byte(v >> 8), byte(v >> 16), byte(v >> 24), 0}
	b := []byte("RIFF")
	b = binary.LittleEndian.AppendUint32(b, uint32(4+8+len(chunk)))
	b = append(b, "WEBPVP8L"...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(chunk)))
	return append(b, chunk...)
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func pngAttachment(t testing.TB, name string, detail chat.Detail) chat.Attachment {
	b := shotPNG(t)
	return chat.Attachment{Kind: chat.ImageAttachment, Name: name, MIME: "image/png", Data: b, SHA256: sum(b), Width: 3, Height: 2, Detail: detail}
}

func attachmentFixture(t testing.TB) *chat.Conversation {
	t0 := time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)
	return &chat.Conversation{ID: "fedcba9876543210", Title: "Review my screenshot", Messages: []*chat.Message{
		{Role: chat.User, Content: "What is wrong here?", Time: t0, Status: chat.Complete, Attachments: []chat.Attachment{
			pngAttachment(t, "shot <1>.png", chat.DetailHigh),
			{Kind: chat.TextAttachment, Name: "main.go", Lang: "go", Text: "package main\n\n// <script>alert('file')</script>\nfunc main() {}\n"},
		}},
		{Role: chat.Assistant, Content: "The logo ![logo](https://example.invalid/logo.png) is fine.", Time: t0.Add(time.Minute),
			Status: chat.Complete, Model: "gpt-4o"},
	}}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", filepath.FromSlash(name))
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./chat/export -update)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from %s", name, path)
	}
}

func TestGoldenAttachmentExports(t *testing.T) {
	now = func() time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }
	defer func() { now = time.Now }()
	for _, f := range Formats {
		main, extra, err := RenderFiles(attachmentFixture(t), f, "attachments."+string(f))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "attachments."+string(f), main)
		if (f == Markdown) != (len(extra) == 1) {
			t.Errorf("%s: extra files %v", f, reflect.ValueOf(extra).MapKeys())
		}
		for name, data := range extra {
			golden(t, name, data)
		}
	}
}

func TestJSONPartsShapeAndRoundTrip(t *testing.T) {
	orig := attachmentFixture(t)
	b, err := Render(orig, JSON)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Messages []map[string]json.RawMessage `json:"messages"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var content string
	var parts []map[string]any
	_ = json.Unmarshal(doc.Messages[0]["content"], &content)
	_ = json.Unmarshal(doc.Messages[0]["parts"], &parts)
	img := map[string]any{"type": "image_url", "name": "shot <1>.png",
		"image_url": map[string]any{"url": "data:image/png;base64," + base64.StdEncoding.EncodeToString(shotPNG(t)), "detail": "high"}}
	file := map[string]any{"type": "text", "name": "main.go", "text": chat.FileBlock("main.go", "go", orig.Messages[0].Attachments[1].Text)}
	if content != "What is wrong here?" || len(parts) != 2 || !reflect.DeepEqual(parts[0], img) || !reflect.DeepEqual(parts[1], file) {
		t.Fatalf("content %q, parts %v", content, parts)
	}
	if _, ok := doc.Messages[1]["parts"]; ok {
		t.Fatal("a message without attachments has parts")
	}
	if !strings.Contains(string(b), `"content": "What is wrong here?",`+"\n      \"parts\": [") {
		t.Fatal("parts do not follow content")
	}

	back, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range back.Messages {
		o := orig.Messages[i]
		if m.Content != o.Content || !reflect.DeepEqual(m.Attachments, o.Attachments) {
			t.Fatalf("message %d:\n got %+v\nwant %+v", i+1, m.Attachments, o.Attachments)
		}
	}
}

func TestMarkdownWritesImagesBeside(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "My chat (1).md")
	conv := attachmentFixture(t)
	webp := webpHeader(4, 3)
	conv.Messages[1].Role = chat.User
	conv.Messages[1].Attachments = []chat.Attachment{
		pngAttachment(t, "same image, other name.png", chat.DetailLow), // written once
		{Kind: chat.ImageAttachment, Name: "../../.hidden/évil name", MIME: "image/webp", Data: webp, Width: 4, Height: 3},
	}
	main, extra, err := RenderFiles(conv, Markdown, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(extra) != 2 {
		t.Fatalf("extra files: %v", reflect.ValueOf(extra).MapKeys())
	}
	for key := range extra {
		d, name, _ := strings.Cut(key, "/")
		if d != "My chat (1)_files" || !safeFileName(name) || !strings.HasPrefix(name, sum(extra[key])[:12]+"-") {
			t.Errorf("key %q", key)
		}
	}
	if err := WriteExport(path, main, extra); err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`!\[([^\]]*)\]\(([^)]*)\)`).FindAllStringSubmatch(string(main), -1)
	// The image in the user's text is that text, as typed (a viewer
	// fetches nothing); ours are images of the files beside.
	if len(links) != 3 || !strings.Contains(string(main), `\!\[logo\](https://example.invalid/logo.png)`) {
		t.Fatalf("links %q in\n%s", links, main)
	}
	wantData := [][]byte{shotPNG(t), shotPNG(t), webp}
	wantAlt := []string{`shot \<1\>.png`, "same image, other name.png", `../../.hidden/évil name`}
	for i, l := range links {
		if !strings.HasPrefix(l[2], "My%20chat%20%281%29_files/") || strings.Contains(l[2], "..") || l[1] != wantAlt[i] {
			t.Errorf("link %q", l[0])
		}
		rel, err := url.PathUnescape(l[2])
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil || string(b) != string(wantData[i]) {
			t.Errorf("%s: %v", rel, err)
		}
		if fi, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel))); err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", rel, fi.Mode())
		}
	}
	if !strings.HasSuffix(links[2][2], "-vil-name.webp") {
		t.Errorf("unsafe name kept: %s", links[2][2])
	}
	if fi, err := os.Stat(filepath.Join(dir, "My chat (1)_files")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("folder mode: %v", err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file mode: %v", err)
	}
	if !strings.Contains(string(main), chat.FileBlock("main.go", "go", conv.Messages[0].Attachments[1].Text)) {
		t.Fatal("the text file is not in the Markdown")
	}
	// Writing again replaces the files in place.
	if err := WriteExport(path, main, extra); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "My chat (1)_files")); len(entries) != 2 {
		t.Fatalf("files: %v", entries)
	}

	// Without a folder, an image is a note, never a broken link.
	alone, err := Render(conv, Markdown)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(alone), "_files") || !strings.Contains(string(alone), `*\[image: shot \<1\>.png, 3×2 PNG\]*`) {
		t.Fatalf("Render:\n%s", alone)
	}
	if FilesDir("/a/b/notes.md") != "notes_files" || FilesDir("notes") != "notes_files" {
		t.Fatal("FilesDir")
	}
}

func TestWriteExportRefusesSymlinkAndStrayPaths(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	if err := os.Symlink(elsewhere, filepath.Join(dir, "chat_files")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	path := filepath.Join(dir, "chat.md")
	main, extra, err := RenderFiles(attachmentFixture(t), Markdown, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteExport(path, main, extra); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Fatalf("followed a link: %v", err)
	}
	if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
		t.Fatalf("wrote through the link: %v", entries)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("wrote the export without its images")
	}

	other := filepath.Join(t.TempDir(), "chat.md")
	for _, key := range []string{"chat_files/../x.png", "../x.png", "x.png", "other_files/x.png", "chat_files/.x.png", "chat_files/a/b.png",
		"chat_files/", "chat_files/a..png", `chat_files/a\b.png`, "/chat_files/x.png"} {
		if err := WriteExport(other, []byte("x"), map[string][]byte{key: []byte("y")}); err == nil {
			t.Errorf("wrote %q", key)
		}
	}
	if entries, _ := os.ReadDir(filepath.Dir(other)); len(entries) != 0 {
		t.Fatalf("wrote %v", entries)
	}
}

func TestHTMLEmbedsAttachmentsOnly(t *testing.T) {
	b, err := Render(attachmentFixture(t), HTML)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	srcs := regexp.MustCompile(`(?i)<img[^>]*src="([^"]*)"`).FindAllStringSubmatch(s, -1)
	if strings.Count(strings.ToLower(s), "<img") != 1 || len(srcs) != 1 ||
		srcs[0][1] != "data:image/png;base64,"+base64.StdEncoding.EncodeToString(shotPNG(t)) {
		t.Fatalf("images: %q", srcs)
	}
	for _, want := range []string{
		`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`,
		`alt="shot &lt;1&gt;.png" width="3" height="2"><figcaption>shot &lt;1&gt;.png</figcaption>`,
		`<a class="image" href="https://example.invalid/logo.png" rel="noreferrer">[image: logo]</a>`,
		`<div class="file-name">main.go</div><pre><code class="language-go">package main`,
		`// &lt;script&gt;alert(&#39;file&#39;)&lt;/script&gt;`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
	if strings.Contains(s, "<script") {
		t.Fatal("a script survived")
	}
}

func TestParseContentArrayAndParts(t *testing.T) {
	png := base64.StdEncoding.EncodeToString(shotPNG(t))
	webp := base64.StdEncoding.EncodeToString(webpHeader(4, 3))
	block, _ := json.Marshal(chat.FileBlock("a.py", "python", "print(1)"))
	in := `[
	 {"role": "system", "content": [{"type": "text", "text": "Be brief."}]},
	 {"role": "user", "content": [
	   {"type": "text", "text": "What is this?"},
	   {"type": "image_url", "image_url": {"url": "data:image/png;base64,` + png + `", "detail": "low"}},
	   {"type": "text", "text": "And this file?"},
	   {"type": "text", "name": "a.py", "text": ` + string(block) + `}],
	  "parts": [
	   {"type": "image_url", "image_url": "data:image\/webp;base64,` + webp + `", "name": "dir/pic.webp"},
	   {"type": "image_url", "image_url": {"url": "DATA:image/jpeg;base64,` + png + `"}},
	   {"type": "text", "name": "notes.txt", "text": "not a file block"}]}
	]`
	conv, err := Parse([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	m := conv.Messages[0]
	if conv.System != "Be brief." || len(conv.Messages) != 1 || m.Content != "What is this?\n\nAnd this file?\n\nnot a file block" {
		t.Fatalf("%q %+v", conv.System, m)
	}
	want := []chat.Attachment{
		{Kind: chat.ImageAttachment, Name: "image-1.png", MIME: "image/png", Data: shotPNG(t), SHA256: sum(shotPNG(t)), Width: 3, Height: 2, Detail: chat.DetailLow},
		{Kind: chat.TextAttachment, Name: "a.py", Lang: "python", Text: "print(1)"},
		{Kind: chat.ImageAttachment, Name: "pic.webp", MIME: "image/webp", Data: webpHeader(4, 3), SHA256: sum(webpHeader(4, 3)), Width: 4, Height: 3},
		// The type is the image's own, whatever the URL says.
		{Kind: chat.ImageAttachment, Name: "image-3.png", MIME: "image/png", Data: shotPNG(t), SHA256: sum(shotPNG(t)), Width: 3, Height: 2},
	}
	if !reflect.DeepEqual(m.Attachments, want) {
		t.Fatalf("attachments:\n got %+v\nwant %+v", m.Attachments, want)
	}
}

func TestImportRefusesImages(t *testing.T) {
	png := base64.StdEncoding.EncodeToString(shotPNG(t))
	third := func(part string) string {
		return `[{"role":"user","content":"first"},{"role":"assistant","content":"ok"},{"role":"user","content":"look","parts":[` + part + `]}]`
	}
	image := func(url string) string {
		u, _ := json.Marshal(url)
		return third(`{"type":"image_url","image_url":{"url":` + string(u) + `},"name":"x.png"}`)
	}
	cases := map[string][]string{
		image("https://example.invalid/x.png"):   {"message 3: image 1 (x.png) is a link to", "never fetches"},
		image("HTTP://example.invalid/x.png"):    {"message 3: image 1 (x.png) is a link to"},
		image("ftp://example.invalid/x.png"):     {"message 3: image 1 (x.png) is not a data: URL"},
		image("data:text/plain;base64,aGVsbG8="): {"message 3: image 1 (x.png) is a data: URL of \"text/plain\", not of an image"},
		image("data:,hello"):                     {"message 3", "not of an image"},
		image("data:image/png,%89PNG"):           {"message 3", "not base64-encoded"},
		image("data:image/png;base64,iVBO!!!!"):  {"message 3: image 1 (x.png) has broken base64 data"},
		image("data:image/png;base64,aGVsbG8="):  {"message 3: image 1 (x.png) is not a PNG, JPEG, GIF or WebP image"},
		image("data:image/png"):                  {"message 3", "no comma"},
		third(`{"type":"image_url","image_url":{"url":"data:image/png;base64,` + png + `","detail":"ultra"}}`): {"message 3: image 1", "unknown image detail"},
		third(`{"type":"image_url"}`):                    {`message 3: image 1 has no "image_url"`},
		third(`{"type":"image_url","image_url":null}`):   {`message 3: image 1 has no "image_url"`},
		third(`{"type":"input_audio","input_audio":{}}`): {`message 3 has a part of type "\"input_audio\""`},
		third(`1`): {"message 3: a part is not an object"},
		`[{"role":"user","content":[{"type":"text","text":"x"},{"type":"image_url","image_url":{"url":"https://x.invalid/a.png"}}]}]`: {"message 1: image 1 is a link"},
		`[{"role":"assistant","content":"x","parts":[{"type":"image_url","image_url":{"url":"data:image/png;base64,` + png + `"}}]}]`: {"message 1: only user messages can carry images"},
		`[{"role":"user","content":"x","parts":3}]`:   {`message 1: "parts" must be an array`},
		`[{"role":"user","content":{"text":"x"}}]`:    {`message 1: "content" must be a string or an array of parts`},
		`[{"role":"user","content":"x","status":1}]`:  {`message 1: "status" is a number, not a string`},
		`{"title":1,"messages":[]}`:                   {`"title" is a number, not a string`},
		`{"messages":{}}`:                             {`"messages" is not an array`},
		`[{"role":"user","content":null,"parts":[]}]`: {`message 1 has no "content"`},
	}
	for in, wants := range cases {
		_, err := Parse([]byte(in))
		for _, want := range wants {
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%.120s:\n err %v, want %q", in, err, want)
			}
		}
	}
}

func TestImportRefusesImagesOverTheLimit(t *testing.T) {
	img := shotPNG(t)
	doc := func(b64 string) []byte {
		return []byte(`[{"role":"user","content":"x"},{"role":"user","content":"y","parts":[{"type":"image_url","image_url":{"url":"data:image/png;base64,` + b64 + `"}}]}]`)
	}
	defer func(n int) { maxImageBytes = n }(maxImageBytes)
	maxImageBytes = len(img)
	if _, err := Parse(doc(base64.StdEncoding.EncodeToString(img))); err != nil {
		t.Fatalf("an image of exactly the limit: %v", err)
	}
	maxImageBytes = len(img) - 1
	for _, b64 := range []string{base64.StdEncoding.EncodeToString(img), strings.Repeat("A", 4<<10)} {
		if _, err := Parse(doc(b64)); err == nil || !strings.Contains(err.Error(), "message 2: image 1 is 0.") || !strings.Contains(err.Error(), "at most") {
			t.Fatalf("an image over the limit: %v", err)
		}
	}
	if !strings.Contains(tooLarge(25<<20).Error(), "is 25.0 MB: an image can be at most 0 MB") {
		t.Fatal(tooLarge(25 << 20))
	}
}

// refPosition is where encoding/json places a syntax error in data.
func refPosition(data []byte) (line, col int) {
	var v any
	se, _ := json.Unmarshal(data, &v).(*json.SyntaxError)
	line, col = 1, 1
	for i := int64(0); se != nil && i < se.Offset-1; i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

func TestParseReaderPlacesSyntaxErrors(t *testing.T) {
	png := base64.StdEncoding.EncodeToString(shotPNG(t))
	var long strings.Builder
	long.WriteString("[\n")
	for range 3000 {
		long.WriteString(`  {"role": "user", "content": "hi", "parts": [{"type": "image_url",` + "\n" + `   "image_url": {"url": "data:image/png;base64,` + png + `"}}]},` + "\n")
	}
	cases := []string{
		long.String() + "  {\"role\": \"user\",\n   \"content\": tru }\n]",
		long.String() + "  {\"role\": \"user\",\n   \"content\": \"a\nb\" }\n]",
		long.String() + "  {\"role\": \"user\",\n   \"content\": [{\"type\": \"text\", \"text\": \"x\"} {}]}\n]",
		long.String() + "  {\"role\" \"user\"}]",
		"[\n  {\"role\": \"user\",\n  \"content\": }\n]",
		"[{\"role\":\"user\",\"content\":\"x\"},]",
		"[{\"role\":\"user\",\"content\":\"x\"}] x",
		"[{\"role\":\"user\",\"content\":\"x\"}]\n\n]",
		"{\"title\": \"t\",\n \"messages\": [],\n \"x\": [1 2]}",
		"\ufeff[\n\n  {\"role\": \"user\", \"content\": \"\\q\"}]",
	}
	for _, in := range cases {
		data := []byte(strings.TrimPrefix(in, "\ufeff"))
		line, col := refPosition(data)
		_, err := ParseReader(strings.NewReader(in))
		want := "line " + itoa(line) + ", column " + itoa(col) + ":"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("...%.60q: err %v, want %s", in[max(0, len(in)-60):], err, want)
		}
	}
	_, err := ParseReader(strings.NewReader(long.String()))
	if err == nil || !strings.Contains(err.Error(), "line 6002, column 1: the file ends before the JSON does") {
		t.Errorf("truncated: %v", err)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// An export of every branch brings the tree back on import: the path
// that was on screen, and the other versions behind it.
func TestAllBranchesRoundTrip(t *testing.T) {
	q := &chat.Message{Node: 1, Role: chat.User, Content: "q", Status: chat.Complete}
	a1 := &chat.Message{Node: 2, Parent: 1, Role: chat.Assistant, Content: "first", Status: chat.Complete}
	a2 := &chat.Message{Node: 3, Parent: 1, Role: chat.Assistant, Content: "second", Status: chat.Complete}
	conv := &chat.Conversation{ID: "x", Messages: []*chat.Message{q, a1}, Others: []*chat.Message{a2}}
	data, err := RenderAllBranches(conv)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Messages) != 2 || back.Messages[1].Content != "first" || len(back.Others) != 1 || back.Others[0].Content != "second" {
		t.Fatalf("path %d (%q), others %d", len(back.Messages), back.Messages[len(back.Messages)-1].Content, len(back.Others))
	}
	// The plain export is the path on screen, without nodes.
	plain, _ := Render(conv, JSON)
	if strings.Contains(string(plain), `"node"`) || strings.Contains(string(plain), "second") {
		t.Fatalf("the plain export holds other branches:\n%s", plain)
	}
	// A cycle of parents in a file is refused.
	cyc := `{"format":"azchat.conversation","version":1,"title":"c","messages":[
		{"node":1,"parent":2,"role":"user","content":"a"},{"node":2,"parent":1,"role":"assistant","content":"b"}]}`
	if _, err := Parse([]byte(cyc)); err == nil || !strings.Contains(err.Error(), "circle") {
		t.Fatalf("a cycle of parents: %v", err)
	}
}

// TestMarkdownEscapesTextFileNames: a text file's name went into the
// Markdown as it was, so one named like an HTML image made viewers that
// render HTML fetch its URL.
func TestMarkdownEscapesTextFileNames(t *testing.T) {
	name := `<img src=https:&#x2F;&#x2F;example.invalid&#x2F;x>.txt`
	conv := &chat.Conversation{Title: "t", Messages: []*chat.Message{{Role: chat.User, Content: "see", Attachments: []chat.Attachment{
		{Kind: chat.TextAttachment, Name: name, Lang: "text", Text: "<b>kept as written</b>"},
	}}}}
	out := string(renderMarkdown(conv, nil))
	if strings.Contains(out, "File: <img") || !strings.Contains(out, `File: \<img`) {
		t.Fatalf("the name is not escaped:\n%s", out)
	}
	if !strings.Contains(out, "\n<b>kept as written</b>\n") {
		t.Fatalf("the file's text changed:\n%s", out)
	}
}

// TestImportRefusesTextFilesLargerThanAzchatAttaches: an imported text
// file had no limit (a 300 MB one was counted and laid out as its row was
// drawn); it is held to the 2 MB azchat attaches itself.
func TestImportRefusesTextFilesLargerThanAzchatAttaches(t *testing.T) {
	part := func(size int) string {
		block, _ := json.Marshal(chat.FileBlock("big.log", "text", strings.Repeat("x", size)))
		return `[{"role": "user", "content": [{"type": "text", "text": "read it"}, {"type": "text", "name": "big.log", "text": ` + string(block) + `}]}]`
	}
	if conv, err := Parse([]byte(part(chat.MaxTextFileBytes))); err != nil || len(conv.Messages[0].Attachments) != 1 {
		t.Fatalf("a 2 MB file: %v", err)
	}
	_, err := Parse([]byte(part(chat.MaxTextFileBytes + 1)))
	if err == nil || !strings.Contains(err.Error(), `"big.log"`) || !strings.Contains(err.Error(), "up to 2 MB") {
		t.Fatalf("a file over 2 MB: %v", err)
	}
}
