package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/markdown"
)

// renderMarkdown writes conv as Markdown. With files, images are linked
// to their files in the folder beside the export; without, each is a note.
// What the chat says is written as Markdown.Inert makes it: a viewer
// opening the file fetches nothing (the JSON export keeps it verbatim).
func renderMarkdown(conv *chat.Conversation, files *imageFiles) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", markdown.Inert(Title(conv)))
	if conv.System != "" {
		fmt.Fprintf(&b, "> **System:** %s\n\n", strings.ReplaceAll(markdown.Inert(conv.System), "\n", "\n> "))
	}
	for _, ex := range conv.Examples {
		fmt.Fprintf(&b, "> *Example* — **You:** %s — **Assistant:** %s\n\n", markdown.Inert(ex.User), markdown.Inert(ex.Assistant))
	}
	for _, m := range conv.Messages {
		head := "## " + who(m.Role)
		if s := stamp(m.Time); s != "" {
			head += " · " + s
		}
		if m.Role == chat.Assistant && m.Model != "" {
			head += " · " + markdownEscape(m.Model)
		}
		b.WriteString(head + "\n\n")
		b.WriteString(strings.TrimRight(markdown.Inert(m.Content), "\n"))
		b.WriteString("\n\n")
		for i := range m.Attachments {
			a := &m.Attachments[i]
			switch {
			case a.Kind == chat.TextAttachment:
				// The name is escaped (viewers render HTML in Markdown: a
				// file named <img src=…> would fetch a URL); the fenced
				// text is shown as it is.
				b.WriteString(chat.FileBlock(markdownEscape(a.Name), a.Lang, a.Text))
			case files != nil && len(a.Data) > 0:
				fmt.Fprintf(&b, "![%s](%s)", markdownEscape(imageName(a)), files.add(a))
			default:
				fmt.Fprintf(&b, "*\\[image: %s\\]*", markdownEscape(imageLabel(a)))
			}
			b.WriteString("\n\n")
		}
		if n := Note(m); n != "" {
			fmt.Fprintf(&b, "*(%s)*\n\n", n)
		}
	}
	return b.Bytes()
}

// FilesDir is the folder a Markdown export keeps its images in, beside
// the file: NAME_files for NAME.md (fileName may be a path; only its base
// name counts).
func FilesDir(fileName string) string {
	base := filepath.Base(fileName)
	return strings.TrimSuffix(base, filepath.Ext(base)) + "_files"
}

// imageFiles collects the images of a Markdown export under their names
// in the files folder: one file per distinct image.
type imageFiles struct {
	dir    string
	bySum  map[string]string // SHA-256 → relative path
	taken  map[string]bool   // lower-cased file names
	byPath map[string][]byte
}

func newImageFiles(dir string) *imageFiles {
	return &imageFiles{dir: dir, bySum: map[string]string{}, taken: map[string]bool{}, byPath: map[string][]byte{}}
}

// add files a and returns the link to it, relative to the export.
func (f *imageFiles) add(a *chat.Attachment) string {
	sum := a.SHA256
	if len(sum) != sha256.Size*2 {
		s := sha256.Sum256(a.Data)
		sum = hex.EncodeToString(s[:])
	}
	sum = strings.ToLower(sum)
	rel, ok := f.bySum[sum]
	if !ok {
		stem, ext := safeStem(a.Name), imageExt(a)
		name := sum[:12] + "-" + stem + ext
		for n := 2; f.taken[strings.ToLower(name)]; n++ {
			name = fmt.Sprintf("%s-%s-%d%s", sum[:12], stem, n, ext)
		}
		f.taken[strings.ToLower(name)] = true
		rel = f.dir + "/" + name
		f.bySum[sum] = rel
		f.byPath[rel] = a.Data
	}
	// The folder is named after the export file, which may hold any
	// character; the file name is plain.
	_, name, _ := strings.Cut(rel, "/")
	return url.PathEscape(f.dir) + "/" + name
}

// extra is the files to write beside the export, or nil for none.
func (f *imageFiles) extra() map[string][]byte {
	if len(f.byPath) == 0 {
		return nil
	}
	return f.byPath
}

// safeStem reduces a file name without its extension to letters, digits,
// single dots, dashes and underscores, neither starting nor ending with a
// dot or dash: safe on every file system and in a Markdown link.
func safeStem(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	name = strings.TrimSuffix(name, filepath.Ext(name))
	var b strings.Builder
	for _, r := range name {
		c := '-'
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_':
			c = r
		case r == '.':
			c = '.'
		}
		s := b.String()
		if (c == '-' || c == '.') && (s == "" || strings.HasSuffix(s, "-") || strings.HasSuffix(s, ".")) {
			continue
		}
		b.WriteRune(c)
		if b.Len() >= 48 {
			break
		}
	}
	stem := strings.TrimRight(b.String(), "-.")
	if stem == "" {
		return "image"
	}
	return stem
}

// safeFileName reports whether name is a plain file name as safeStem and
// imageFiles make them: no separators, no "..", no leading dot.
func safeFileName(name string) bool {
	if name == "" || name[0] == '.' || name[0] == '-' || strings.Contains(name, "..") || len(name) > 128 {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// imageExt is the extension of an image's type.
func imageExt(a *chat.Attachment) string {
	switch a.MIME {
	case "image/png":
		return ".png"
	case "image/jpeg":
		return ".jpg"
	case "image/gif":
		return ".gif"
	case "image/webp":
		return ".webp"
	}
	return ".bin"
}

// imageName is the image's name on one line, "image" when it has none.
func imageName(a *chat.Attachment) string {
	if name := strings.Join(strings.Fields(a.Name), " "); name != "" {
		return name
	}
	return "image"
}

// markdownEscape keeps a name from being read as Markdown.
func markdownEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>!#|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
