// Package export writes conversations as Markdown, JSON, plain text and a
// self-contained HTML page, and reads them back (our JSON, or a bare array
// of {role, content} messages as in Azure's guide). Exports hold the
// conversation and its metadata, never a key or token. The user's
// attachments go with them: images as data: URLs (JSON, HTML) or files
// beside the export (Markdown), text files as their File: blocks.
package export

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

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

// Render writes conv in format f, as one file. Attachments are in it, but
// for Markdown, which keeps images in files beside it: there an image is
// a note naming it (use RenderFiles and WriteExport to keep the images).
func Render(conv *chat.Conversation, f Format) ([]byte, error) {
	if f == Markdown {
		return renderMarkdown(conv, nil), nil
	}
	main, _, err := RenderFiles(conv, f, "")
	return main, err
}

// RenderFiles writes conv in format f for a file named fileName (a path or
// a base name; only its base name is used): the file itself, and the files
// that go with it, keyed by their path relative to the file's folder, with
// slashes. Only a Markdown export with images has any: the images, in the
// folder FilesDir(fileName), which the Markdown links to relatively. The
// keys are always inside that folder, unique, and plain names (no path
// separators, no "..", no leading dot). Write both with WriteExport.
func RenderFiles(conv *chat.Conversation, f Format, fileName string) (main []byte, extra map[string][]byte, err error) {
	switch f {
	case Markdown:
		if fileName == "" {
			fileName = FileName(conv, f)
		}
		files := newImageFiles(FilesDir(fileName))
		main = renderMarkdown(conv, files)
		return main, files.extra(), nil
	case JSON:
		main, err = renderJSON(conv)
		return main, nil, err
	case Text:
		return renderText(conv), nil, nil
	case HTML:
		main, err = renderHTML(conv)
		return main, nil, err
	}
	return nil, nil, fmt.Errorf("unknown format %q", f)
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
	case chat.Streaming:
		// Exported while it was being written: the rest came later.
		return "still being written when exported: the rest is not in this file"
	}
	return ""
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
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
		for i := range m.Attachments {
			a := &m.Attachments[i]
			if a.Kind == chat.TextAttachment {
				fmt.Fprintf(&b, "\n%s\n", chat.FileBlock(a.Name, a.Lang, a.Text))
			} else {
				fmt.Fprintf(&b, "[image: %s]\n", imageLabel(a))
			}
		}
		if n := Note(m); n != "" {
			fmt.Fprintf(&b, "[%s]\n", n)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
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

// fileNameRunes bounds the title's part of a suggested file name.
const fileNameRunes = 48

// FileName suggests a file name for a conversation: its title's letters
// and digits in any script (lower case, composed: "Ünïcödé" stays
// "ünïcödé", where only a-z and 0-9 were kept and it became "n-c-d"), the
// rest as hyphens, then the start of its ID, and for a chat imported as a
// copy of another (ID "ROOT-FINGERPRINT", history.Store.Import) its
// fingerprint too, so the two are told apart.
func FileName(conv *chat.Conversation, f Format) string {
	var b strings.Builder
	n := 0
	for _, r := range norm.NFC.String(strings.ToLower(Title(conv))) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || (unicode.IsMark(r) && b.Len() > 0 && !strings.HasSuffix(b.String(), "-")):
			b.WriteRune(r)
			n++
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
			n++
		}
		if n >= fileNameRunes {
			break
		}
	}
	name := strings.Trim(b.String(), "-")
	if name == "" {
		name = "conversation"
	}
	if id := conv.ID; id != "" {
		root, _, _ := strings.Cut(id, "-")
		name += "-" + root[:min(6, len(root))]
		if i := strings.LastIndexByte(id, '-'); i >= 0 && i+1 < len(id) {
			last := id[i+1:]
			name += "-" + last[:min(8, len(last))]
		}
	}
	return name + "." + string(f)
}

// imageLabel names an image for the formats that cannot show it:
// "shot.png, 640×480 PNG".
func imageLabel(a *chat.Attachment) string {
	name := imageName(a)
	kind := strings.ToUpper(strings.TrimPrefix(a.MIME, "image/"))
	if kind == "" {
		kind = "image"
	}
	if a.Width > 0 && a.Height > 0 {
		return fmt.Sprintf("%s, %d×%d %s", name, a.Width, a.Height, kind)
	}
	return name + ", " + kind
}
