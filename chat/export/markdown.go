package export

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/markdown"
	"github.com/yuin/goldmark/ast"
)

// renderMarkdown writes conv as Markdown. With files, images are linked
// to their files in the folder beside the export; without, each is a note.
//
// A viewer opening the file fetches nothing (the JSON export keeps the
// text verbatim): the whole document, once assembled, goes through
// markdown.Inert, as a viewer reads it whole (a reference to an image's
// address in one message and its definition in another, or a code block
// one message leaves open, would defeat a pass over each message alone).
// azchat's own images, of the files beside, are put back after that pass.
func renderMarkdown(conv *chat.Conversation, files *imageFiles) []byte {
	var b bytes.Buffer
	ours := ownImages{mark: ownImageMark()}
	// The title is plain text (the user's own, or their first question's):
	// it is shown as such, not as Markdown.
	fmt.Fprintf(&b, "# %s\n\n", markdownEscape(Title(conv)))
	// The system message and examples are the user's, typed in Settings.
	quoted := func(s string) string { return strings.ReplaceAll(typedMarkdown(s), "\n", "\n> ") }
	if conv.System != "" {
		fmt.Fprintf(&b, "> **System:**\n>\n> %s\n\n", quoted(conv.System))
	}
	for _, ex := range conv.Examples {
		fmt.Fprintf(&b, "> *Example* — **You:**\n>\n> %s\n>\n> **Assistant:**\n>\n> %s\n\n", quoted(ex.User), quoted(ex.Assistant))
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
		content := m.Content
		if m.Role == chat.User {
			content = typedMarkdown(content) // as typed, as the window shows it
		}
		b.WriteString(strings.TrimRight(content, "\n"))
		// (The user's text is escaped: a fence in it opens nothing.)
		if fence := openFence(m.Content); fence != "" && m.Role != chat.User {
			// An answer cut short inside code: closed, or every message
			// after it would read as that code.
			b.WriteString("\n" + fence)
		}
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
				b.WriteString(ours.add(fmt.Sprintf("![%s](%s)", markdownEscape(imageName(a)), files.add(a))))
			default:
				fmt.Fprintf(&b, "*\\[image: %s\\]*", markdownEscape(imageLabel(a)))
			}
			b.WriteString("\n\n")
		}
		if n := Note(m); n != "" {
			fmt.Fprintf(&b, "*(%s)*\n\n", n)
		}
	}
	return []byte(ours.restore(markdown.Inert(b.String())))
}

// ownImages holds azchat's own image links while the document is made
// inert: each is a mark (letters and digits, which Inert leaves as they
// are) until restore puts it back.
type ownImages struct {
	mark  string
	links []string
}

func (o *ownImages) add(link string) string {
	o.links = append(o.links, link)
	return fmt.Sprintf("%s%dx", o.mark, len(o.links)-1)
}

func (o *ownImages) restore(s string) string {
	for i := range o.links { // the "x" ends each mark: "1x" is not in "12x"
		s = strings.ReplaceAll(s, fmt.Sprintf("%s%dx", o.mark, i), o.links[i])
	}
	return s
}

// ownImageMark is a mark no chat holds: random letters.
func ownImageMark() string {
	var r [12]byte
	_, _ = rand.Read(r[:])
	return "azchatimage" + hex.EncodeToString(r[:]) + "n"
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

// typedMarkdown is text the user typed, written so that a Markdown viewer
// shows it exactly as typed, as the window does: every character Markdown
// reads as syntax is escaped ("# x" is no heading, a*b*c keeps its stars,
// a [link](…) is its text), the spaces that begin a line are kept
// (non-breaking: four would make code of it), and each line ends where it
// was typed (a backslash at its end: a hard break). Blank lines stay.
func typedMarkdown(s string) string {
	// A lone CR ends a line too, for a Markdown reader.
	lines := strings.Split(strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s), "\n")
	for i, line := range lines {
		body := strings.TrimLeft(line, " \t")
		indent := line[:len(line)-len(body)]
		esc := markdownEscape(body)
		// What begins a list, a quote's marker is escaped above; a list's,
		// a setext heading's underline or a numbered item's here.
		switch {
		case esc != "" && strings.ContainsRune("-+=", rune(esc[0])):
			esc = "\\" + esc
		default:
			if j := strings.IndexFunc(esc, func(r rune) bool { return r < '0' || r > '9' }); j > 0 && (esc[j] == '.' || esc[j] == ')') {
				esc = esc[:j] + "\\" + esc[j:]
			}
		}
		indent = strings.ReplaceAll(strings.ReplaceAll(indent, "\t", "    "), " ", "&nbsp;")
		lines[i] = indent + esc
	}
	for i := range len(lines) - 1 {
		// A hard break between two lines of one paragraph.
		if lines[i] != "" && lines[i+1] != "" {
			lines[i] += "\\"
		}
	}
	return strings.Join(lines, "\n")
}

// markdownEscape keeps a name, or a line of typed text, from being read
// as Markdown: each character Markdown takes for syntax is escaped.
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

// openFence returns the line that closes a fenced code block s leaves
// open at its end ("" if none): the block's own fence, after what comes
// before it on its line (a list item's indent, a quote's "> "). A block
// is open at the end when nothing but blank lines follows its last line,
// as a Markdown reader parses it.
func openFence(s string) string {
	src := []byte(s)
	var last *ast.FencedCodeBlock
	_ = ast.Walk(markdown.Parse(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if fb, ok := n.(*ast.FencedCodeBlock); ok && entering {
			last = fb
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if last == nil {
		return ""
	}
	// The fence's line, and where the block's content ends.
	var fenceEnd, end int
	if lines := last.Lines(); lines.Len() > 0 {
		fenceEnd = bytes.LastIndexByte(src[:lines.At(0).Start], '\n')
		end = lines.At(lines.Len() - 1).Stop
	} else if last.Info != nil {
		fenceEnd = bytes.IndexByte(src[last.Info.Segment.Stop:], '\n')
		if fenceEnd < 0 {
			fenceEnd = len(src)
		} else {
			fenceEnd += last.Info.Segment.Stop
		}
		end = fenceEnd
	} else {
		return "" // an empty block without info: too little to tell
	}
	if fenceEnd < 0 || strings.TrimSpace(string(src[min(end, len(src)):])) != "" {
		return "" // closed (its closing fence follows), or not found
	}
	line := strings.TrimRight(string(src[bytes.LastIndexByte(src[:fenceEnd], '\n')+1:fenceEnd]), "\r")
	at := strings.IndexAny(line, "`~")
	if at < 0 {
		return ""
	}
	n := at
	for n < len(line) && line[n] == line[at] {
		n++
	}
	return line[:n]
}
