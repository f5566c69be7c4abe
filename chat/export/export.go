// Package export writes conversations as Markdown, JSON, plain text and a
// self-contained HTML page, and reads them back (our JSON, or a bare array
// of {role, content} messages as in Azure's guide). Exports hold the
// conversation and its metadata, never a key or token.
package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/azchat/azchat/chat/markdown"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"github.com/azchat/azchat/chat"
)

// Format is an export format.
type Format string

// The export formats.
const (
	Markdown Format = "md"
	JSON     Format = "json"
	Text     Format = "txt"
	HTML     Format = "html"
)

// Formats lists every format, in menu order.
var Formats = []Format{Markdown, JSON, Text, HTML}

// ParseFormat accepts md/markdown, json, txt/text, html.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "md", "markdown":
		return Markdown, nil
	case "json":
		return JSON, nil
	case "txt", "text":
		return Text, nil
	case "html", "htm":
		return HTML, nil
	}
	return "", fmt.Errorf("unknown format %q: use md, json, txt or html", s)
}

// Render writes conv in format f.
func Render(conv *chat.Conversation, f Format) ([]byte, error) {
	switch f {
	case Markdown:
		return renderMarkdown(conv), nil
	case JSON:
		return renderJSON(conv)
	case Text:
		return renderText(conv), nil
	case HTML:
		return renderHTML(conv)
	}
	return nil, fmt.Errorf("unknown format %q", f)
}

// Title is the conversation's title or its first question.
func Title(conv *chat.Conversation) string {
	if conv.Title != "" {
		return conv.Title
	}
	if t := conv.AutoTitle(60); t != "" {
		return t
	}
	return "New chat"
}

func who(r chat.Role) string {
	switch r {
	case chat.User:
		return "You"
	case chat.Assistant:
		return "Assistant"
	}
	return "System"
}

// Note is the human-readable status of a message that did not end normally.
func Note(m *chat.Message) string {
	switch m.Status {
	case chat.Stopped:
		return "stopped by the user"
	case chat.Interrupted:
		if m.Error != "" {
			return "interrupted: " + m.Error
		}
		return "interrupted before it finished"
	case chat.Truncated:
		return "cut by the reply limit (finish_reason: length)"
	case chat.Filtered:
		if t := m.Filter.Triggered(); len(t) > 0 {
			return "filtered by Azure's content filter: " + strings.Join(t, ", ")
		}
		return "filtered by Azure's content filter"
	case chat.Failed:
		return "failed: " + m.Error
	}
	return ""
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func renderMarkdown(conv *chat.Conversation) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", Title(conv))
	if conv.System != "" {
		fmt.Fprintf(&b, "> **System:** %s\n\n", strings.ReplaceAll(conv.System, "\n", "\n> "))
	}
	for _, ex := range conv.Examples {
		fmt.Fprintf(&b, "> *Example* — **You:** %s — **Assistant:** %s\n\n", ex.User, ex.Assistant)
	}
	for _, m := range conv.Messages {
		head := "## " + who(m.Role)
		if s := stamp(m.Time); s != "" {
			head += " · " + s
		}
		if m.Role == chat.Assistant && m.Model != "" {
			head += " · " + m.Model
		}
		b.WriteString(head + "\n\n")
		b.WriteString(strings.TrimRight(m.Content, "\n"))
		b.WriteString("\n\n")
		if n := Note(m); n != "" {
			fmt.Fprintf(&b, "*(%s)*\n\n", n)
		}
	}
	return b.Bytes()
}

func renderText(conv *chat.Conversation) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n%s\n\n", Title(conv), strings.Repeat("=", len([]rune(Title(conv)))))
	if conv.System != "" {
		fmt.Fprintf(&b, "System: %s\n\n", conv.System)
	}
	for _, m := range conv.Messages {
		fmt.Fprintf(&b, "%s", who(m.Role))
		if s := stamp(m.Time); s != "" {
			fmt.Fprintf(&b, " (%s)", s)
		}
		fmt.Fprintf(&b, ":\n%s\n", strings.TrimRight(m.Content, "\n"))
		if n := Note(m); n != "" {
			fmt.Fprintf(&b, "[%s]\n", n)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

// Document is the JSON export: metadata plus messages in the Chat
// Completions shape (role, content, name), each with azchat's metadata.
type Document struct {
	Format     string         `json:"format"`
	Version    int            `json:"version"`
	ID         string         `json:"id,omitempty"`
	Title      string         `json:"title"`
	ExportedAt time.Time      `json:"exported_at"`
	System     string         `json:"system,omitempty"`
	Examples   []chat.Example `json:"examples,omitempty"`
	Messages   []*Message     `json:"messages"`
}

// Message is one exported message.
type Message struct {
	Role         chat.Role          `json:"role"`
	Content      string             `json:"content"`
	Name         string             `json:"name,omitempty"`
	Time         *time.Time         `json:"time,omitempty"`
	Status       chat.Status        `json:"status,omitempty"`
	FinishReason string             `json:"finish_reason,omitempty"`
	Model        string             `json:"model,omitempty"`
	Usage        *chat.Usage        `json:"usage,omitempty"`
	Reasoning    string             `json:"reasoning,omitempty"`
	Filter       chat.FilterResults `json:"content_filter_results,omitempty"`
	PromptFilter chat.FilterResults `json:"prompt_filter_results,omitempty"`
	Error        string             `json:"error,omitempty"`
}

// now is replaced by tests for stable golden files.
var now = time.Now

func renderJSON(conv *chat.Conversation) ([]byte, error) {
	d := Document{Format: "azchat.conversation", Version: 1, ID: conv.ID, Title: Title(conv), ExportedAt: now().UTC(),
		System: conv.System, Examples: conv.Examples, Messages: []*Message{}}
	for _, m := range conv.Messages {
		em := &Message{Role: m.Role, Content: m.Content, Name: m.Name, Status: m.Status, FinishReason: m.FinishReason,
			Model: m.Model, Usage: m.Usage, Reasoning: m.Reasoning, Filter: m.Filter, PromptFilter: m.PromptFilter, Error: m.Error}
		if !m.Time.IsZero() {
			t := m.Time.UTC()
			em.Time = &t
		}
		d.Messages = append(d.Messages, em)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// The model's Markdown becomes HTML with goldmark, whose defaults drop
// dangerous link schemes; raw HTML in the text is shown escaped rather than
// dropped (nothing a message says is lost, nothing it says runs).
var md = goldmark.New(goldmark.WithExtensions(extension.GFM),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(escapeRawHTML{}, 100))))

type escapeRawHTML struct{}

// RegisterFuncs renders HTML blocks and inline HTML as visible text.
func (escapeRawHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			b := n.(*ast.HTMLBlock)
			_, _ = w.WriteString("<p>")
			for i := 0; i < b.Lines().Len(); i++ {
				seg := b.Lines().At(i)
				_, _ = w.WriteString(template.HTMLEscapeString(string(seg.Value(src))))
			}
			if b.HasClosure() {
				_, _ = w.WriteString(template.HTMLEscapeString(string(b.ClosureLine.Value(src))))
			}
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			r := n.(*ast.RawHTML)
			for i := 0; i < r.Segments.Len(); i++ {
				seg := r.Segments.At(i)
				_, _ = w.WriteString(template.HTMLEscapeString(string(seg.Value(src))))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	// An image becomes a link with its alt text: opening an export must not
	// fetch anything (a remote image would tell its server the page was
	// read), and a local path means nothing on another machine.
	reg.Register(ast.KindImage, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		img := n.(*ast.Image)
		alt := markdown.PlainText(img, src)
		if alt == "" {
			alt = "image"
		}
		dest := string(img.Destination)
		u, err := url.Parse(dest)
		if err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			_, _ = w.WriteString(`<a class="image" href="` + template.HTMLEscapeString(dest) + `" rel="noreferrer">[image: ` + template.HTMLEscapeString(alt) + `]</a>`)
		} else {
			_, _ = w.WriteString(`<span class="image">[image: ` + template.HTMLEscapeString(alt) + ` — ` + template.HTMLEscapeString(dest) + `]</span>`)
		}
		return ast.WalkSkipChildren, nil
	})
}

var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#1d1d1f;background:#fff}
h1{font-size:1.6rem}
.msg{border-top:1px solid #ddd;padding:.75rem 0}
.who{font-weight:600;color:#444}
.meta{color:#777;font-weight:400;font-size:.85rem}
.user .who{color:#1565c0}
.note{color:#a15c00;font-style:italic;font-size:.9rem}
.system{background:#f5f5f7;padding:.5rem .75rem;border-radius:6px}
pre{background:#f5f5f7;padding:.75rem;border-radius:6px;overflow-x:auto}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:.25rem .5rem}
@media (prefers-color-scheme:dark){body{background:#1d1d1f;color:#eee}.system,pre{background:#2a2a2e}.who{color:#ccc}}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{if .System}}<p class="system"><strong>System:</strong> {{.System}}</p>{{end}}
{{range .Messages}}<div class="msg {{.Class}}">
<div class="who">{{.Who}} <span class="meta">{{.Meta}}</span></div>
{{.Body}}
{{if .Note}}<p class="note">{{.Note}}</p>{{end}}
</div>
{{end}}</body>
</html>
`))

type htmlMessage struct {
	Class, Who, Meta, Note string
	Body                   template.HTML
}

func renderHTML(conv *chat.Conversation) ([]byte, error) {
	data := struct {
		Title, System string
		Messages      []htmlMessage
	}{Title: Title(conv), System: conv.System}
	for _, m := range conv.Messages {
		var body bytes.Buffer
		if err := md.Convert([]byte(m.Content), &body); err != nil {
			body.Reset()
			body.WriteString("<pre>" + template.HTMLEscapeString(m.Content) + "</pre>")
		}
		meta := stamp(m.Time)
		if m.Role == chat.Assistant && m.Model != "" {
			meta += " · " + m.Model
		}
		data.Messages = append(data.Messages, htmlMessage{Class: string(m.Role), Who: who(m.Role), Meta: meta, Note: Note(m),
			Body: template.HTML(body.String())})
	}
	var b bytes.Buffer
	if err := page.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// WriteFile writes data to path atomically: a temp file in the same folder,
// synced, then renamed over path, so a crash never leaves half a file.
func WriteFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	// A transcript is private: readable by its owner only (CreateTemp
	// already makes it 0600; the rename keeps that).
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// MaxImportSize is the largest file Import reads: a transcript of text is
// far smaller, and reading an arbitrary file whole would stall the app.
const MaxImportSize = 64 << 20

// ErrTooLarge says a file to import is over MaxImportSize.
var ErrTooLarge = fmt.Errorf("the file is larger than %d MB, too large for a chat export: choose an azchat JSON export or a [{role, content}] array", MaxImportSize>>20)

// ReadImport reads at most MaxImportSize bytes from r, refusing more.
func ReadImport(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxImportSize {
		return nil, ErrTooLarge
	}
	return data, nil
}

// ReadImportFile reads a file to import, checking its size first.
func ReadImportFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > MaxImportSize {
		return nil, ErrTooLarge
	}
	return ReadImport(f)
}

// UniqueName returns name, or name with " (2)", " (3)"… before its
// extension, so that it is not in taken; it adds the result to taken.
func UniqueName(name string, taken map[string]bool) string {
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	out := name
	for n := 2; taken[strings.ToLower(out)]; n++ {
		out = fmt.Sprintf("%s (%d)%s", base, n, ext)
	}
	taken[strings.ToLower(out)] = true
	return out
}

// FileName suggests a file name for a conversation.
func FileName(conv *chat.Conversation, f Format) string {
	var b strings.Builder
	for _, r := range strings.ToLower(Title(conv)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
		if b.Len() >= 48 {
			break
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" {
		name = "conversation"
	}
	if conv.ID != "" {
		name += "-" + conv.ID[:min(6, len(conv.ID))]
	}
	return name + "." + string(f)
}
