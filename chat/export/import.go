package export

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/azchat/azchat/chat"
)

// MaxImportSize is the largest file an import reads (1 GB). An export
// holds each message's images as base64 data URLs, a third larger than
// the files, and a chat may hold any number of them (the history keeps
// each image once): azchat's own export of a chat with some 150 photos
// of 5 MB is about 1 GB. Its images are decoded as they are read, so an
// import holds about three quarters of the file in memory until it is
// written to the history.
const MaxImportSize = 1 << 30

// ErrTooLarge says a file to import is over MaxImportSize.
var ErrTooLarge = fmt.Errorf("the file is larger than %d MB, the most azchat imports: choose an azchat JSON export or a [{role, content}] array of that size at most", MaxImportSize>>20)

// MaxImportMessages is the most messages an import takes. Within the
// size limit a file of empty messages holds millions, each a row to keep
// in memory and to write; a chat of this many is already far longer than
// any conversation a model can take.
const MaxImportMessages = 200_000

// MaxMessageText bounds the text of one imported message, its files
// included: 16 MB, four times what the largest context window holds. The
// window lays a message out as it is shown and counts its tokens.
const MaxMessageText = 16 << 20

// MaxChatText bounds the text of a whole imported chat (128 MB, a
// thousand books): the file's own limit is set by images, which take far
// more room than any text a chat holds.
const MaxChatText = 128 << 20

// messageText is the size of a message's text and its text files.
func messageText(content string, atts []chat.Attachment) int {
	n := len(content)
	for _, a := range atts {
		n += len(a.Text)
	}
	return n
}

// importLimit, maxImageBytes and maxMessages are MaxImportSize, the
// largest image an import takes and MaxImportMessages; tests lower them.
var (
	importLimit   int64 = MaxImportSize
	maxImageBytes       = chat.MaxImageBytes
	maxMessages         = MaxImportMessages
)

func openImport(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > importLimit {
		f.Close()
		return nil, ErrTooLarge
	}
	return f, nil
}

// Parse reads an azchat JSON export or a bare JSON array of
// {role, content, name?} messages from data; see ParseReader.
func Parse(data []byte) (*chat.Conversation, error) {
	return ParseReader(bytes.NewReader(data))
}

// ParseFile imports the file at path: ParseReader on it, after checking
// that it is no larger than MaxImportSize (ErrTooLarge). An error opening
// or reading the file is an *fs.PathError.
func ParseFile(path string) (*chat.Conversation, error) {
	f, err := openImport(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseReader(f)
}

// ParseReader reads an azchat JSON export or a bare JSON array of
// {role, content, name?} messages, as a stream: images (image_url parts
// with data: URLs, in "parts" or in a "content" array) are decoded to
// bytes as they are read, so the file is never held whole. Errors name
// what is wrong and where (line and column, or message number); nothing
// is half-imported. More than MaxImportSize bytes is ErrTooLarge; an error
// of r is returned as it is.
func ParseReader(r io.Reader) (*chat.Conversation, error) {
	br := bufio.NewReaderSize(&sizeLimit{r: r, left: importLimit}, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3)
	}
	if err := startsAsJSON(br); err != nil {
		return nil, err
	}
	p := newParser(br)
	conv, msgs, err := p.document()
	if err != nil {
		return nil, p.failure(err)
	}
	return build(conv, msgs)
}

// sizeLimit reads at most left bytes, then fails with ErrTooLarge if there
// is more.
type sizeLimit struct {
	r    io.Reader
	left int64
}

func (s *sizeLimit) Read(p []byte) (int, error) {
	if s.left <= 0 {
		var one [1]byte
		n, err := s.r.Read(one[:])
		if n > 0 {
			return 0, ErrTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > s.left {
		p = p[:s.left]
	}
	n, err := s.r.Read(p)
	s.left -= int64(n)
	return n, err
}

// rawMessage is a message as read, before it is checked.
type rawMessage struct {
	role, content *string
	// texts are text parts that are not attached files, in order: they
	// follow content.
	texts       []string
	attachments []chat.Attachment
	images      int // image parts read, to number them in errors

	name, status, finishReason, model, reasoning, errText string
	time                                                  *time.Time
	usage                                                 *chat.Usage
	filter, promptFilter                                  chat.FilterResults
	// node and parent: an export of every branch (RenderAllBranches).
	node, parent int64
}

// build checks the messages read and makes the conversation of them.
func build(conv *chat.Conversation, raw []*rawMessage) (*chat.Conversation, error) {
	imported := time.Now().UTC().Truncate(time.Millisecond) // as the history keeps times
	total := 0
	for i, m := range raw {
		n := i + 1
		if m.role == nil {
			return nil, fmt.Errorf(`message %d has no "role"`, n)
		}
		if m.content == nil {
			return nil, fmt.Errorf(`message %d has no "content" (a string, or an array of parts)`, n)
		}
		content := joinText(*m.content, m.texts)
		role := chat.Role(strings.ToLower(*m.role))
		attachments := m.attachments
		size := messageText(content, attachments)
		if size > MaxMessageText {
			return nil, fmt.Errorf("message %d holds %.1f MB of text; azchat imports messages of up to %d MB (no model reads more at once)", n, float64(size)/(1<<20), MaxMessageText>>20)
		}
		if total += size; total > MaxChatText {
			return nil, fmt.Errorf("the chat holds more than %d MB of text by message %d; azchat imports chats of up to %d MB of text (the rest of the file is images)", MaxChatText>>20, n, MaxChatText>>20)
		}
		if role != chat.User && len(attachments) > 0 {
			// Only the user attaches files: another role's are text again.
			var blocks []string
			for _, a := range attachments {
				if a.Kind == chat.ImageAttachment {
					return nil, fmt.Errorf("message %d: only user messages can carry images, not %s messages", n, chat.OneLine(*m.role, 40))
				}
				blocks = append(blocks, chat.FileBlock(a.Name, a.Lang, a.Text))
			}
			content, attachments = joinText(content, blocks), nil
		}
		switch role {
		case chat.System:
			// A guide-style array starts with the system message.
			if len(conv.Messages) == 0 && m.name == "" && conv.System == "" {
				conv.System = content
				continue
			}
			if m.name == "example_user" || m.name == "example_assistant" {
				if m.name == "example_user" {
					conv.Examples = append(conv.Examples, chat.Example{User: content})
				} else if k := len(conv.Examples); k > 0 && conv.Examples[k-1].Assistant == "" {
					conv.Examples[k-1].Assistant = content
				}
				continue
			}
		case chat.User, chat.Assistant:
		default:
			return nil, fmt.Errorf(`message %d: role must be "system", "user" or "assistant", not %s`, n, shorten([]byte(*m.role)))
		}
		if m.usage != nil {
			*m.usage = m.usage.Sane()
		}
		msg := &chat.Message{Role: role, Name: m.name, Content: content, Status: chat.Status(m.status), FinishReason: m.finishReason,
			Model: m.model, Usage: m.usage, Reasoning: m.reasoning, Filter: m.filter, PromptFilter: m.promptFilter, Error: m.errText,
			Attachments: attachments}
		switch msg.Status {
		case chat.Complete, chat.Stopped, chat.Interrupted, chat.Truncated, chat.Filtered, chat.Failed:
		case chat.Streaming:
			msg.Status = chat.Interrupted
		case "":
			msg.Status = chat.Complete
		default:
			return nil, fmt.Errorf("message %d: unknown status %s", n, shorten([]byte(m.status)))
		}
		if m.time != nil {
			msg.Time = *m.time
		} else {
			// Kept: a message without a time was given the time of
			// each write of the chat, a new one at every rewrite.
			msg.Time = imported
		}
		msg.Node, msg.Parent = m.node, m.parent
		conv.Messages = append(conv.Messages, msg)
	}
	conv.Title = chat.OneLine(conv.Title, chat.MaxTitleRunes)
	if err := rebuildTree(conv); err != nil {
		return nil, err
	}
	for i, ex := range conv.Examples {
		if ex.Assistant == "" {
			return nil, fmt.Errorf("few-shot example %d has no answer (example_assistant)", i+1)
		}
	}
	if len(conv.Messages) == 0 && conv.System == "" {
		return nil, errors.New("the file holds no messages")
	}
	return conv, nil
}

// rebuildTree makes an export of every branch a tree again: the path that
// ends at its active leaf is shown, the rest are other branches. Messages
// without nodes (a plain export, a guide-style array) are one path.
func rebuildTree(conv *chat.Conversation) error {
	leaf := conv.Leaf
	conv.Leaf = 0
	nodes := map[int64]bool{}
	var newest int64
	for i, m := range conv.Messages {
		if m.Node == 0 {
			if len(nodes) > 0 {
				return fmt.Errorf(`message %d has no "node", but others have: an export of every branch numbers them all`, i+1)
			}
			continue
		}
		if m.Node < 0 || nodes[m.Node] {
			return fmt.Errorf(`message %d: "node" %d is negative or used twice`, i+1, m.Node)
		}
		nodes[m.Node] = true
		newest = max(newest, m.Node)
	}
	if len(nodes) == 0 {
		return nil
	}
	parent := map[int64]int64{}
	for i, m := range conv.Messages {
		if m.Parent != 0 && (!nodes[m.Parent] || m.Parent == m.Node) {
			return fmt.Errorf(`message %d: its "parent" %d is not another message of the file`, i+1, m.Parent)
		}
		parent[m.Node] = m.Parent
	}
	// Every chain of parents ends at the first message. Each node is
	// walked once: a walk stops at a node known to reach the root, and
	// meeting a node of the walk itself is a circle.
	const onWalk, reaches = 1, 2
	state := make(map[int64]int8, len(nodes))
	var walk []int64
	for i, m := range conv.Messages {
		walk = walk[:0]
		n := m.Node
		for n != 0 && state[n] != reaches {
			if state[n] == onWalk {
				return fmt.Errorf(`message %d: its "parent" chain goes round in a circle`, i+1)
			}
			state[n] = onWalk
			walk = append(walk, n)
			n = parent[n]
		}
		for _, w := range walk {
			state[w] = reaches
		}
	}
	if !nodes[leaf] {
		leaf = newest
	}
	conv.Activate(leaf)
	return nil
}

// joinText is s followed by more, separated by blank lines; s alone when
// there is no more.
func joinText(s string, more []string) string {
	if len(more) == 0 {
		return s
	}
	all := make([]string, 0, len(more)+1)
	if s != "" {
		all = append(all, s)
	}
	return strings.Join(append(all, more...), "\n\n")
}

// NotJSONError says an import is not JSON at all: a Markdown, HTML or text
// export, or another file, which azchat cannot read back as a chat.
type NotJSONError struct {
	Start string // its first characters, as the user would recognise them
	// What is names a file that is not text (a PNG image, a PDF document,
	// binary data); Start is then "".
	What string
}

func (e *NotJSONError) Error() string {
	begins := fmt.Sprintf("it begins %q", e.Start)
	if e.What != "" {
		begins = "it is " + e.What
	}
	return fmt.Sprintf("not a JSON file (%s): azchat imports its JSON exports (Export as JSON; azchat export --format json) or a JSON array of {role, content} messages, not Markdown, HTML or text exports", begins)
}

// binaryKinds names the files that are not text, by their type as
// http.DetectContentType sniffs it.
var binaryKinds = map[string]string{
	"image/png": "a PNG image", "image/jpeg": "a JPEG image", "image/gif": "a GIF image", "image/webp": "a WEBP image",
	"image/bmp": "a BMP image", "application/pdf": "a PDF document", "application/zip": "a ZIP archive (or an Office document)",
	"application/x-gzip": "a gzip archive", "application/wasm": "a WebAssembly program",
}

// startsAsJSON reports a *NotJSONError when what br holds does not begin
// (after white space) as a JSON value does.
func startsAsJSON(br *bufio.Reader) error {
	head, _ := br.Peek(512)
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	if len(trimmed) == 0 || bytes.IndexByte([]byte(`[{"-0123456789`), trimmed[0]) >= 0 ||
		bytes.HasPrefix(trimmed, []byte("true")) || bytes.HasPrefix(trimmed, []byte("false")) || bytes.HasPrefix(trimmed, []byte("null")) {
		return nil // empty, or JSON: the parser says what is wrong in it
	}
	line, _, _ := bytes.Cut(trimmed, []byte("\n"))
	kind := http.DetectContentType(head)
	if strings.Contains(kind, "charset=utf-16") {
		return &NotJSONError{What: "UTF-16 text (save it as UTF-8 and import it again)"}
	}
	if !strings.HasPrefix(kind, "text/") {
		// Its first bytes would show as boxes and question marks.
		what, ok := binaryKinds[kind]
		if !ok {
			what = "binary data, not text"
		}
		return &NotJSONError{What: what}
	}
	return &NotJSONError{Start: chat.OneLine(strings.ToValidUTF8(string(line), "\uFFFD"), 40)}
}
