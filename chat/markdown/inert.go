package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Inert returns src as a Markdown viewer (an editor's preview, a notes
// app, a Git host) may show it without fetching anything: raw HTML quoted
// as code (QuoteHTML), and each image made a link to its address, by
// dropping the "!" before it. An image's address can carry what the text
// around it says (a prompt injection asks for exactly that), and a viewer
// would fetch it as the file opens; a link waits for a click. Everything
// else is as written, code included.
func Inert(src string) string {
	out := QuoteHTML(src)
	for range 3 { // an image in an image's alt text shows only once its outer one is a link
		source := []byte(out)
		doc := Parse(source)
		code := codeRanges(doc)
		var bangs []int
		missed := false
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if img, ok := n.(*ast.Image); ok && entering {
				if p := imageBang(img, source, code); p >= 0 {
					bangs = append(bangs, p)
				} else {
					missed = true
				}
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
		if len(bangs) == 0 && !missed {
			return out
		}
		if missed {
			break
		}
		var b strings.Builder
		b.Grow(len(out))
		last := 0
		for _, p := range bangs { // in document order
			if p < last {
				continue
			}
			b.WriteString(out[last:p])
			last = p + 1
		}
		b.WriteString(out[last:])
		out = b.String()
	}
	if len(Images(out)) == 0 {
		return out
	}
	// An image whose "!" could not be found: the text as code, which no
	// viewer renders.
	return codeBlock(src)
}

// imageBang finds the "!" that opens image n in src, or -1: goldmark keeps
// no position for inline nodes but the text segments inside them, so it
// is the "![" before the first text of the alt, or for an image with no
// text the first "![" after whatever precedes it.
func imageBang(n *ast.Image, src []byte, code [][2]int) int {
	if start, _ := textBounds(n); start >= 0 {
		return bytes.LastIndex(src[:start], []byte("!["))
	}
	lower := -1
	if prev := n.PreviousSibling(); prev != nil {
		_, lower = textBounds(prev)
	}
	if lower < 0 {
		lower = blockStart(n)
	}
	if lower < 0 {
		return -1
	}
	for {
		// With no alt text it is written "![](" or "![][": a "![" of
		// other text, or in code, is not this image's.
		i := bytes.Index(src[lower:], []byte("![]"))
		if i < 0 {
			return -1
		}
		p := lower + i
		if p+3 < len(src) && (src[p+3] == '(' || src[p+3] == '[') && !inRanges(p, code) {
			return p
		}
		lower = p + 2
	}
}

// codeRanges are the spans of src that are code (inline or blocks), where
// a "![" is text.
func codeRanges(doc ast.Node) [][2]int {
	var out [][2]int
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.CodeSpan:
			if first, last := textBounds(n); first >= 0 && last > first {
				out = append(out, [2]int{first, last})
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			if lines := n.Lines(); lines.Len() > 0 {
				out = append(out, [2]int{lines.At(0).Start, lines.At(lines.Len() - 1).Stop})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return out
}

func inRanges(p int, rs [][2]int) bool {
	for _, r := range rs {
		if p >= r[0] && p < r[1] {
			return true
		}
	}
	return false
}

// textBounds is where the first text inside n (or n itself) starts and
// where the last one ends; -1, -1 for none.
func textBounds(n ast.Node) (first, last int) {
	first, last = -1, -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			if first < 0 {
				first = t.Segment.Start
			}
			last = t.Segment.Stop
		}
		return ast.WalkContinue, nil
	})
	return first, last
}

// blockStart is where the block holding inline node n starts, or -1.
func blockStart(n ast.Node) int {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock {
			if lines := p.Lines(); lines != nil && lines.Len() > 0 {
				return lines.At(0).Start
			}
			return -1
		}
	}
	return -1
}

// codeBlock fences s so that it is shown as it is.
func codeBlock(s string) string {
	fence := strings.Repeat("`", max(3, longestBackticks(s)+1))
	return fence + "text\n" + s + "\n" + fence
}
