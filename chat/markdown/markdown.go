// Package markdown holds the rules for showing untrusted markdown (model
// output, imported chats) without letting it load, open or run anything:
// raw HTML is kept as text, images are described rather than fetched, and
// only web and mail links are live. It has no UI; app/ applies these rules
// to Fyne's rich text.
package markdown

import (
	"net/url"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// parser matches the extensions Fyne's markdown reader enables, so both see
// the same document tree.
var parser = goldmark.New(goldmark.WithExtensions(extension.Strikethrough, extension.TaskList, extension.Table)).Parser()

// Parse parses src with the same extensions as Fyne's markdown reader.
func Parse(src []byte) ast.Node { return parser.Parse(text.NewReader(src)) }

// QuoteHTML returns src with every piece of raw HTML, inline or block,
// turned into inline code, so a markdown renderer shows it as the text it
// is. Fyne's renderer silently drops raw HTML (and shows backslash escapes
// as written), so a model that writes "<b>" or "<script>" would otherwise
// be hidden rather than seen doing so.
func QuoteHTML(src string) string {
	quoted, _ := Prepare(src)
	return quoted
}

// Prepare is QuoteHTML and Images from one parse: the quoted text and the
// images it holds (quoting only turns HTML into code, so it neither adds
// nor removes an image). A streaming answer is prepared on every redraw.
func Prepare(src string) (string, []Image) {
	source := []byte(src)
	type span struct{ start, stop int }
	var spans []span
	var images []Image
	_ = ast.Walk(Parse(source), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Image:
			images = append(images, Image{Alt: PlainText(t, source), Dest: string(t.Destination)})
		case *ast.RawHTML:
			if t.Segments.Len() > 0 {
				spans = append(spans, span{t.Segments.At(0).Start, t.Segments.At(t.Segments.Len() - 1).Stop})
			}
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock:
			// Line by line, so quote and list markers before each line stay.
			lines := t.Lines()
			for i := 0; i < lines.Len(); i++ {
				spans = append(spans, span{lines.At(i).Start, lines.At(i).Stop})
			}
			if t.HasClosure() {
				spans = append(spans, span{t.ClosureLine.Start, t.ClosureLine.Stop})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if len(spans) == 0 {
		return src, images
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	b.Grow(len(src) + 4*len(spans))
	last := 0
	for _, sp := range spans {
		if sp.start < last {
			continue
		}
		stop := sp.stop
		for stop > sp.start && (source[stop-1] == '\n' || source[stop-1] == '\r') {
			stop--
		}
		body := src[sp.start:stop]
		b.WriteString(src[last:sp.start])
		if strings.TrimSpace(body) != "" {
			b.WriteString(codeSpan(body))
		} else {
			b.WriteString(body)
		}
		last = stop
	}
	b.WriteString(src[last:])
	return b.String(), images
}

// codeSpan wraps s in a backtick fence longer than any run inside it.
func codeSpan(s string) string {
	fence := strings.Repeat("`", longestBackticks(s)+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// longestBackticks is the longest run of backticks in s: a fence around
// s must be longer.
func longestBackticks(s string) int {
	longest, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// Image is a markdown image as written: its alt text and destination.
type Image struct {
	Alt, Dest string
}

// Images lists the images of src in document order.
func Images(src string) []Image {
	_, images := Prepare(src)
	return images
}

// PlainText is a node's text with its inline markup flattened (an image's
// alt text, say).
func PlainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
		case *ast.String:
			b.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// LiveLink reports whether a link may be opened (after the user has seen
// its full target): only web pages and mail. file:, smb:, javascript: and
// custom protocol handlers would hand untrusted text to the OS.
func LiveLink(u *url.URL) bool {
	if u == nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return (u.Opaque != "" || u.Path != "") && plainMail(u.RawQuery)
	}
	return false
}

// plainMail reports whether a mailto: link's query only fills in a mail:
// some mail programs honour "attach=" (a local file, sent with the mail)
// and other fields that act beyond the message itself.
func plainMail(query string) bool {
	q, err := url.ParseQuery(query)
	if err != nil {
		return false
	}
	for k := range q {
		switch strings.ToLower(k) {
		case "subject", "body", "cc", "bcc", "to":
		default:
			return false
		}
	}
	return true
}

// Where says in a few words where a link or image destination points: the
// host of a web address, the path of a local file, or what kind of address
// it is. It never reads or resolves anything.
func Where(dest string) string {
	dest = strings.TrimSpace(dest)
	if dest == "" {
		return "no address"
	}
	lower := strings.ToLower(dest)
	switch {
	case strings.HasPrefix(lower, "data:"):
		kind := strings.SplitN(strings.TrimPrefix(lower, "data:"), ";", 2)[0]
		kind = strings.SplitN(kind, ",", 2)[0]
		if kind == "" {
			return "data embedded in the text"
		}
		return kind + " data embedded in the text"
	case strings.HasPrefix(lower, "file:"):
		if u, err := url.Parse(dest); err == nil && u.Path != "" {
			return "local file " + u.Path
		}
		return "local file " + strings.TrimPrefix(dest[len("file:"):], "//")
	}
	u, err := url.Parse(dest)
	if err != nil || u.Scheme == "" || len(u.Scheme) == 1 {
		// No scheme (or a Windows drive letter): a path on this machine.
		return "local file " + dest
	}
	if u.Host != "" {
		return u.Host
	}
	return u.Scheme + " address"
}

// LineMark stands, in what MarkBreaks returns, for a line break inside a
// paragraph (U+2028, LINE SEPARATOR: what it means).
const LineMark = '\u2028'

// MarkBreaks returns src with LineMark put where a paragraph's line ends
// with a hard break (two spaces or a backslash), and, with soft, where it
// ends at all (the user's own text: each line ends where it was typed).
// Fyne's reader drops a hard break, gluing the words either side, and
// makes a soft one a space; the app draws each mark as a line break. Code
// is left as it is.
func MarkBreaks(src string, soft bool) string {
	if !soft && !hasHardBreak(src) {
		return src // the common case (a streaming answer's tail is marked at each redraw), parsed no more
	}
	return insertAt(src, lineEnds(src, func(t *ast.Text) (int, bool) {
		return t.Segment.Stop, t.HardLineBreak() || soft && t.SoftLineBreak()
	}), string(LineMark))
}

// hasHardBreak reports whether a line of src ends in two spaces or a
// backslash (a hard break, if it is in a paragraph).
func hasHardBreak(src string) bool {
	for i := strings.IndexByte(src, '\n'); i >= 0; {
		end := strings.TrimSuffix(src[:i], "\r")
		if strings.HasSuffix(end, "  ") || strings.HasSuffix(end, "\\") {
			return true
		}
		next := strings.IndexByte(src[i+1:], '\n')
		if next < 0 {
			break
		}
		i += next + 1
	}
	return false
}

// lineEnds walks src's paragraphs' text and returns, sorted, the offsets
// at returns for the texts it picks.
func lineEnds(src string, at func(*ast.Text) (int, bool)) []int {
	var out []int
	_ = ast.Walk(Parse([]byte(src)), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*ast.Text); ok && entering {
			if i, ok := at(t); ok && i <= len(src) {
				out = append(out, i)
			}
		}
		return ast.WalkContinue, nil
	})
	sort.Ints(out)
	return out
}

// insertAt returns src with s put at each of the offsets at (sorted).
func insertAt(src string, at []int, s string) string {
	if len(at) == 0 {
		return src
	}
	var b strings.Builder
	b.Grow(len(src) + len(s)*len(at))
	last := 0
	for _, i := range at {
		if i < last {
			continue
		}
		b.WriteString(src[last:i])
		b.WriteString(s)
		last = i
	}
	b.WriteString(src[last:])
	return b.String()
}
