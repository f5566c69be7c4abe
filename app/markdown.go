package app

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// blockKind says how a piece of a message is drawn.
type blockKind int

const (
	blockMarkdown blockKind = iota // Fyne's RichText, made safe (see safeRichText)
	blockCode                      // monospace, with a copy button
	blockTable                     // Fyne 2.8's markdown table, kept apart so a streaming tail rebuilds alone
)

// block is one top-level piece of a message, parsed once and cached; widgets
// are built from blocks only for rows on screen.
type block struct {
	kind blockKind
	text string // markdown source, or the code
	lang string
}

var gfm = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList))

// parseBlocks splits markdown into runs of ordinary markdown, fenced code
// blocks and GFM tables. Anything goldmark accepts is accepted; nothing panics.
func parseBlocks(src string) []block {
	source := []byte(src)
	doc := gfm.Parser().Parse(text.NewReader(source))
	var out []block
	var md strings.Builder
	flush := func() {
		if s := strings.TrimSpace(md.String()); s != "" {
			out = append(out, block{kind: blockMarkdown, text: s})
		}
		md.Reset()
	}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		switch node := n.(type) {
		case *ast.FencedCodeBlock:
			flush()
			out = append(out, block{kind: blockCode, text: linesText(node.Lines(), source), lang: string(node.Language(source))})
		case *ast.CodeBlock:
			flush()
			out = append(out, block{kind: blockCode, text: linesText(node.Lines(), source)})
		case *east.Table:
			flush()
			// Cells hold their lines, not the pipes around them: take
			// whole lines, from the header to the last row's end.
			if start, end := span(n, source); start < end {
				for end < len(source) && source[end] != '\n' {
					end++
				}
				out = append(out, block{kind: blockTable, text: string(source[start:end])})
			}
		case *ast.ThematicBreak:
			md.WriteString("\n\n---\n\n")
		default:
			start, end := span(n, source)
			if start < end {
				if md.Len() > 0 {
					md.WriteString("\n\n")
				}
				md.Write(source[start:end])
			}
		}
	}
	flush()
	return out
}

func linesText(lines *text.Segments, src []byte) string {
	var b bytes.Buffer
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return strings.TrimRight(b.String(), "\n")
}

// span finds the source bytes of a top-level block, from the start of its
// first line (so list markers and heading hashes are kept) to its last byte.
func span(n ast.Node, src []byte) (int, int) {
	start, end := -1, -1
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		if n.Type() == ast.TypeBlock {
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				s := lines.At(i)
				if start < 0 || s.Start < start {
					start = s.Start
				}
				if s.Stop > end {
					end = s.Stop
				}
			}
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c)
		}
	}
	walk(n)
	if start < 0 {
		return 0, 0
	}
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	return start, end
}
