package app

import (
	"bytes"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2/widget"

	"github.com/azchat/azchat/chat/markdown"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// blockKind says how a piece of a message is drawn.
type blockKind int

const (
	blockMarkdown blockKind = iota // Fyne's RichText, made safe (see safeRichText)
	blockCode                      // monospace, with a copy button
	blockTable                     // Fyne 2.8's markdown table, kept apart so a streaming tail rebuilds alone
	blockPlain                     // a piece of a giant paragraph, drawn as plain text (see longtext.go)
)

// block is one top-level piece of a message, parsed once and cached; widgets
// are built from blocks only for rows on screen.
type block struct {
	kind blockKind
	text string // markdown source, or the code
	lang string
	// cont: the block continues the one before it, the next piece of a
	// paragraph or code block cut into pieces (longtext.go).
	cont bool
}

// parseBlocks splits markdown into blocks, one per top-level node
// (paragraphs, headings, lists, quotes; fenced code blocks and GFM tables
// of their own kinds), as streaming does. Anything goldmark accepts is
// accepted; nothing panics.
func parseBlocks(src string) []block {
	p, _ := parsePieces(src, 0)
	return streamingBlocks(splitAll(p))
}

// messageBlocks is the blocks of a message that has ended, as the
// transcript draws them and find searches them. The user's own (user) are
// shown as typed: plain text, each line where it was typed, in pieces as
// long text is (read as markdown, "a*b*c" lost its asterisks and
// "__init__" turned bold).
func messageBlocks(content string, user bool) []block {
	if user {
		return streamingBlocks(userPieces(content))
	}
	return parseBlocks(content)
}

// userPieces cuts the user's text into plain pieces drawn one under the
// other, exactly as typed: a cut falls at a line break (the break is the
// boundary; a blank line stays as the last line of a piece), or in a line
// longer than a piece, after a space. Only trailing white space goes.
func userPieces(s string) []piece {
	s = strings.TrimRight(s, " \t\r\n")
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []piece
	add := func(text string) {
		out = append(out, piece{block: block{kind: blockPlain, text: text, cont: len(out) > 0}})
	}
	for {
		end, ok := cutPiece(s, false)
		if !ok {
			break
		}
		// The line break a cut follows is the boundary between the
		// pieces; a blank line before it stays in the piece.
		add(strings.TrimSuffix(s[:end], "\n"))
		s = s[end:]
	}
	add(s)
	return out
}

// parsedBytes counts the bytes parsePieces has read, so tests can check
// that streaming reads each byte a bounded number of times.
var parsedBytes atomic.Int64

// piece is one top-level node of a message: code, a table, markdown
// source (md), or a thematic break (hr), each a block of its own.
type piece struct {
	block
	hr   bool // a thematic break inside a run of markdown
	para bool // a paragraph, which starts at offset at of the whole text
	at   int
}

// parsePieces parses src[from:] into pieces, and returns where its last
// top-level node starts (an offset into src), or -1 when that cannot be
// told (then the next parse starts over).
func parsePieces(src string, from int) ([]piece, int) {
	parsedBytes.Add(int64(len(src) - from))
	source := []byte(src[from:])
	doc := markdown.Parse(source) // the same extensions as Fyne's reader
	var out []piece
	last := -1
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		before := len(out)
		last = nodeStart(n, source)
		if n != doc.FirstChild() && !afterBlankLine(source, last) {
			// Without a blank line before it, appended text can still
			// join the node to the one before (a paragraph line that
			// looked like a table header, say): start over next time.
			// The first node has none before it in this parse (a parse
			// starts after a blank line or where a giant paragraph ended).
			last = -1
		}
		switch node := n.(type) {
		case *ast.FencedCodeBlock:
			out = append(out, piece{block: block{kind: blockCode, text: linesText(node.Lines(), source), lang: string(node.Language(source))}})
		case *ast.CodeBlock:
			out = append(out, piece{block: block{kind: blockCode, text: linesText(node.Lines(), source)}})
		case *east.Table:
			// Cells hold their lines, not the pipes around them: take
			// whole lines, from the header to the last row's end.
			if start, end := span(n, source); start < end {
				for end < len(source) && source[end] != '\n' {
					end++
				}
				out = append(out, piece{block: block{kind: blockTable, text: src[from+start : from+end]}})
			}
		case *ast.ThematicBreak:
			out = append(out, piece{hr: true})
		default:
			if start, end := span(n, source); start < end {
				_, para := n.(*ast.Paragraph)
				out = append(out, piece{block: block{kind: blockMarkdown, text: src[from+start : from+end]}, para: para, at: from + start})
			}
		}
		if len(out) != before+1 {
			// The node made no piece: "all but the last piece" would not
			// be "all but the last node", so the next parse starts over.
			last = -1
		}
	}
	if last >= 0 {
		last += from
	}
	return out, last
}

// nodeStart is the offset of the first line of a top-level node, or -1
// when it cannot be told from the node's lines: a list or a quote may
// begin with a marker line that holds no content (so the next parse starts
// over). A fenced code block's lines are its content: its fence is the line
// before the first of them.
func nodeStart(n ast.Node, src []byte) int {
	switch n.(type) {
	case *ast.FencedCodeBlock:
		if n.Lines().Len() == 0 {
			return -1
		}
		start := n.Lines().At(0).Start
		for start > 0 && src[start-1] != '\n' {
			start--
		}
		if start == 0 {
			return -1
		}
		start-- // the fence line's newline
		for start > 0 && src[start-1] != '\n' {
			start--
		}
		return start
	case *east.Table:
		// Placed by its header row, when that row holds text.
		if h := n.FirstChild(); h != nil {
			if start, end := span(h, src); start < end {
				return start
			}
		}
	case *ast.Paragraph, *ast.Heading, *ast.CodeBlock:
		if start, end := span(n, src); start < end {
			return start
		}
	}
	return -1
}

// afterBlankLine reports whether the line before offset start is blank,
// which closes whatever node came before.
func afterBlankLine(src []byte, start int) bool {
	if start <= 0 || src[start-1] != '\n' {
		return false
	}
	i := start - 1
	for i > 0 && src[i-1] != '\n' {
		if src[i-1] != ' ' && src[i-1] != '\t' && src[i-1] != '\r' {
			return false
		}
		i--
	}
	return i > 0 // a whole line before, and it was blank
}

// streamParse re-parses a streaming message from the start of its last
// top-level node only: the nodes before it cannot change as text is
// appended. (A link reference definition is no exception: goldmark takes
// it out of the text, so a reference-style link shows as written, in
// either parse.)
//
// A last paragraph over giantBytes is not parsed again at all: it is cut
// into plain pieces as its text arrives (only its growing last piece
// changes), until a blank line, a fence or a heading ends it and parsing
// resumes after it. The full parse cuts a giant paragraph the same way;
// where goldmark ends or turns a paragraph otherwise (a list or quote line
// interrupting it, a setext underline), the blocks shown while streaming
// differ until the answer ends and the full parse replaces them.
type streamParse struct {
	content string
	head    []piece // pieces of every node before the last
	tail    int     // where the last node starts; -1: parse everything

	plain bool // the last node is a giant paragraph, cut from plainAt on
	// plainAt is where the paragraph's growing piece starts, paraAt where
	// the paragraph does.
	plainAt, paraAt int
}

// extend parses content, reusing the previous parse when content extends
// it, and returns its pieces (streamingBlocks makes them blocks, as for a
// full parse).
func (sp *streamParse) extend(content string) []piece {
	if sp.content == "" || !strings.HasPrefix(content, sp.content) {
		*sp = streamParse{tail: -1}
	}
	sp.content = content
	if sp.plain && !sp.extendPlain(content) {
		return append(sp.head[:len(sp.head):len(sp.head)], kept([]piece{sp.plainPiece(content[sp.plainAt:])})...)
	}
	from := 0
	var head []piece
	if sp.tail >= 0 {
		from, head = sp.tail, sp.head
	}
	tail, last := parsePieces(content, from)
	n := len(tail)
	if n > 0 && tail[n-1].para && len(tail[n-1].text) > giantBytes {
		// The paragraph goes on past what one block can hold: from now
		// on it is cut, not parsed.
		sp.head = append(head[:len(head):len(head)], kept(splitAll(tail[:n-1]))...)
		sp.plain, sp.plainAt, sp.paraAt = true, tail[n-1].at, tail[n-1].at
		return sp.extend(content)
	}
	if n == 0 || last < 0 {
		// Where the last node starts is not known: the next parse starts
		// again where this one did.
		if from == 0 {
			sp.head, sp.tail = nil, -1
		} else {
			sp.head, sp.tail = head, from
		}
		return append(head[:len(head):len(head)], kept(splitAll(tail))...)
	}
	sp.head, sp.tail = append(head[:len(head):len(head)], kept(splitAll(tail[:n-1]))...), last
	return append(sp.head[:len(sp.head):len(sp.head)], kept(splitGiant(tail[n-1]))...)
}

// kept gives pieces text of their own. Cut from the streaming text, they
// would share its bytes, and the text grows in a builder that reallocates
// as it grows: a piece cut early would keep an old, smaller copy of the
// whole answer alive, and all of them together several times the answer.
// That holds for the growing last pieces too: the lines Fyne draws of
// them are keys of its text caches for a minute (a 2 MB answer's old
// buffers came to 10.6 MB live at its end while they were not copied).
// A piece in the head is copied once; the last ones are parsed again as
// text arrives, and copied with each parse.
func kept(ps []piece) []piece {
	for i := range ps {
		ps[i].text, ps[i].lang = strings.Clone(ps[i].text), strings.Clone(ps[i].lang)
	}
	return ps
}

// extendPlain moves the complete pieces of a giant paragraph into the
// head, and reports whether the paragraph has ended (then parsing resumes
// where the next node starts).
func (sp *streamParse) extendPlain(content string) bool {
	base := sp.plainAt
	rest := content[base:]
	// The scan starts at the line break before the growing piece when a
	// cut left it at a line's start: that line may be what ends the
	// paragraph (a fence, a heading).
	scan := base
	if scan > 0 && content[scan-1] == '\n' {
		scan--
	}
	end, next, ended := paragraphEnd(content[scan:])
	if ended {
		rest = rest[:max(0, scan+end-base)]
	}
	for {
		cut, ok := cutPiece(rest, false)
		if !ok {
			break
		}
		sp.head = append(sp.head, kept([]piece{sp.plainPiece(rest[:cut])})...)
		sp.plainAt += cut
		rest = rest[cut:]
	}
	if !ended {
		return false
	}
	if strings.TrimSpace(rest) != "" {
		sp.head = append(sp.head, kept([]piece{sp.plainPiece(rest)})...)
	}
	sp.plain, sp.tail = false, scan+next
	return true
}

// plainPiece is the giant paragraph's piece s, which starts at plainAt.
func (sp *streamParse) plainPiece(s string) piece {
	p := longPiece(s, blockPlain, "")
	p.cont = sp.plainAt != sp.paraAt
	return p
}

// splitAll applies splitGiant to every piece.
func splitAll(pieces []piece) []piece {
	out := make([]piece, 0, len(pieces))
	for _, p := range pieces {
		out = append(out, splitGiant(p)...)
	}
	return out
}

// streamingBlocks is one block per piece, for an answer streaming and for
// one that has ended alike: every block but the last stays the same as text
// arrives, so the transcript keeps their widgets and lays out only the
// growing one, and the answer does not change its spacing when it ends
// (merged into one rich text, paragraphs, headings and lists lost the space
// between them that separate blocks have).
func streamingBlocks(pieces []piece) []block {
	out := make([]block, 0, len(pieces))
	for _, p := range pieces {
		if p.hr {
			out = append(out, block{kind: blockMarkdown, text: "---"})
		} else if p.kind != blockMarkdown || strings.TrimSpace(p.text) != "" {
			out = append(out, p.block)
		}
	}
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

// walkRuns calls f with each run of segs in reading order, walking into
// paragraphs, lists and table cells, and puts what f returns in the run's
// place. A run is the text segments that follow one another on the same
// line of one parent: a match may span segments (a word half in bold) but
// never a line break, a link or a cell. Links are not searched: Fyne draws
// them in a colour of their own that a segment cannot change.
func walkRuns(segs []widget.RichTextSegment, f func([]*widget.TextSegment) []widget.RichTextSegment) []widget.RichTextSegment {
	out := make([]widget.RichTextSegment, 0, len(segs))
	var run []*widget.TextSegment
	flush := func() {
		if len(run) > 0 {
			out = append(out, f(run)...)
			run = nil
		}
	}
	for _, s := range segs {
		switch t := s.(type) {
		case *widget.TextSegment:
			run = append(run, t)
			if !t.Inline() {
				flush()
			}
			continue
		case *widget.ParagraphSegment:
			flush()
			t.Texts = walkRuns(t.Texts, f)
		case *widget.ListSegment:
			flush()
			t.Items = walkRuns(t.Items, f)
		case *widget.TableSegment:
			flush()
			for i := range t.Headers {
				t.Headers[i] = walkRuns(t.Headers[i], f)
			}
			for _, row := range t.Rows {
				for i := range row {
					row[i] = walkRuns(row[i], f)
				}
			}
		default:
			flush()
		}
		out = append(out, s)
	}
	flush()
	return out
}

func runText(run []*widget.TextSegment) string {
	if len(run) == 1 {
		return run[0].Text
	}
	var b strings.Builder
	for _, s := range run {
		b.WriteString(s.Text)
	}
	return b.String()
}
