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
	blockMarkdown blockKind = iota // drawn by Fyne's RichText markdown
	blockCode                      // monospace, with a copy button
	blockTable                     // a grid: Fyne's markdown has no tables
)

// block is one top-level piece of a message, parsed once and cached; widgets
// are built from blocks only for rows on screen.
type block struct {
	kind   blockKind
	text   string // markdown source, or the code
	lang   string
	header []string
	rows   [][]string
	align  []east.Alignment
}

var gfm = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))

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
			out = append(out, tableBlock(node, source))
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

func tableBlock(t *east.Table, src []byte) block {
	b := block{kind: blockTable, align: t.Alignments}
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, inlineText(c, src))
		}
		if _, ok := r.(*east.TableHeader); ok {
			b.header = cells
		} else {
			b.rows = append(b.rows, cells)
		}
	}
	return b
}

// inlineText flattens inline content to plain text (table cells).
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		switch t := n.(type) {
		case *ast.Text:
			b.Write(t.Segment.Value(src))
			if t.SoftLineBreak() {
				b.WriteByte(' ')
			}
			return
		case *ast.String:
			b.Write(t.Value)
			return
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}
