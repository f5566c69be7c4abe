package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/azchat/azchat/chat"
)

// parser walks an import token by token, decoding one small value at a
// time (a string, a part): the decoder's buffer holds at most one part,
// however many images the file has.
type parser struct {
	dec *json.Decoder
	lr  *lineReader
}

func newParser(r io.Reader) *parser {
	lr := &lineReader{r: r, lastNL: -1}
	return &parser{dec: json.NewDecoder(lr), lr: lr}
}

// refusal is an error already phrased for the user, with its place.
type refusal struct{ msg string }

func (r *refusal) Error() string { return r.msg }

func refuse(format string, args ...any) error { return &refusal{fmt.Sprintf(format, args...)} }

func (p *parser) token() (json.Token, error) {
	p.lr.forget(p.dec.InputOffset())
	return p.dec.Token()
}

func (p *parser) decode(v any) error {
	p.lr.forget(p.dec.InputOffset())
	return p.dec.Decode(v)
}

// key reads an object's next key.
func (p *parser) key() (string, error) {
	tok, err := p.token()
	if err != nil {
		return "", err
	}
	k, _ := tok.(string) // the decoder allows nothing else here
	return k, nil
}

// skipValue is any value, read and dropped.
type skipValue struct{}

func (*skipValue) UnmarshalJSON([]byte) error { return nil }

func (p *parser) skip() error { return p.decode(&skipValue{}) }

// idValue is a short string, or "" for any other value (read and dropped).
type idValue string

func (v *idValue) UnmarshalJSON(b []byte) error {
	if len(b) <= 130 && len(b) > 0 && b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) == nil {
			*v = idValue(s)
		}
	}
	return nil
}

// document reads the whole input: an array of messages or an azchat
// export object, and nothing after it.
func (p *parser) document() (*chat.Conversation, []*rawMessage, error) {
	tok, err := p.token()
	if err == io.EOF {
		return nil, nil, refuse("the file is empty")
	}
	if err != nil {
		return nil, nil, err
	}
	conv := &chat.Conversation{}
	var msgs []*rawMessage
	switch tok {
	case json.Delim('['):
		msgs, err = p.messages()
	case json.Delim('{'):
		msgs, err = p.object(conv)
	default:
		return nil, nil, refuse(`expected an azchat JSON export or an array of {"role", "content"} messages`)
	}
	if err != nil {
		return nil, nil, err
	}
	p.lr.forget(p.dec.InputOffset())
	p.dec.More() // moves past white space, to where any more data starts
	at := p.dec.InputOffset()
	if _, err := p.dec.Token(); err != io.EOF {
		if err == nil {
			return nil, nil, p.errorAt(at, "there is more after the end of the JSON value")
		}
		return nil, nil, err
	}
	return conv, msgs, nil
}

// object reads an azchat export's top-level object, after its "{".
func (p *parser) object(conv *chat.Conversation) ([]*rawMessage, error) {
	var msgs []*rawMessage
	for p.dec.More() {
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		switch strings.ToLower(key) { // as encoding/json matches names
		case "id":
			// Kept when it is one azchat makes, so that importing an
			// export of a chat the history has finds it (history's
			// Import); any other value is left out, not refused.
			var id idValue
			if err = p.decode(&id); err == nil && chat.IsConversationID(string(id)) {
				conv.ID = string(id)
			}
		case "title":
			err = p.decode(&conv.Title)
		case "system":
			err = p.decode(&conv.System)
		case "examples":
			err = p.decode(&conv.Examples)
		case "active_leaf":
			err = p.decode(&conv.Leaf)
		case "messages":
			var tok json.Token
			if tok, err = p.token(); err == nil {
				switch tok {
				case nil:
				case json.Delim('['):
					if msgs, err = p.messages(); msgs == nil && err == nil {
						msgs = []*rawMessage{}
					}
				default:
					return nil, refuse(`"messages" is not an array: expected an azchat JSON export or an array of {"role", "content"} messages`)
				}
			}
		default:
			err = p.skip()
		}
		if err != nil {
			if _, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
				return nil, refuse("the top-level object does not look like an azchat export: %q is %s", key, describeType(err))
			}
			return nil, err
		}
	}
	if _, err := p.token(); err != nil {
		return nil, err
	}
	if msgs == nil {
		return nil, refuse(`the object has no "messages" array: expected an azchat JSON export or an array of {"role", "content"} messages`)
	}
	return msgs, nil
}

// messages reads an array of messages, after its "[".
func (p *parser) messages() ([]*rawMessage, error) {
	var msgs []*rawMessage
	for n := 1; p.dec.More(); n++ {
		if n > maxMessages {
			return nil, refuse("the file holds more than %d messages, more than a chat azchat can open: split it, or import an azchat JSON export", MaxImportMessages)
		}
		m, err := p.message(n)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	_, err := p.token()
	return msgs, err
}

// message reads message n.
func (p *parser) message(n int) (*rawMessage, error) {
	tok, err := p.token()
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('{') {
		return nil, refuse(`message %d is not an object with "role" and "content"`, n)
	}
	m := &rawMessage{}
	for p.dec.More() {
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		switch strings.ToLower(key) { // as encoding/json matches names
		case "role":
			err = p.decode(&m.role)
		case "node":
			err = p.decode(&m.node)
		case "parent":
			err = p.decode(&m.parent)
		case "content":
			err = p.content(n, m)
		case "parts":
			err = p.parts(n, m)
		case "name":
			err = p.decode(&m.name)
		case "time":
			err = p.decode(&m.time)
		case "status":
			err = p.decode(&m.status)
		case "finish_reason":
			err = p.decode(&m.finishReason)
		case "model":
			err = p.decode(&m.model)
		case "usage":
			err = p.decode(&m.usage)
		case "reasoning":
			err = p.decode(&m.reasoning)
		case "content_filter_results":
			err = p.decode(&m.filter)
		case "prompt_filter_results":
			err = p.decode(&m.promptFilter)
		case "error":
			err = p.decode(&m.errText)
		default:
			err = p.skip()
		}
		if err != nil {
			return nil, messageError(n, key, err)
		}
	}
	if _, err := p.token(); err != nil {
		return nil, err
	}
	return m, nil
}

// messageError places an error of message n's key; an error of the JSON
// itself, or of reading, stays as it is, to be placed by line.
func messageError(n int, key string, err error) error {
	if _, ok := errors.AsType[*refusal](err); ok || syntaxOrRead(err) {
		return err
	}
	if _, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		return refuse("message %d: %q is %s", n, key, describeType(err))
	}
	return refuse("message %d: %q: %v", n, key, err)
}

func syntaxOrRead(err error) bool {
	_, ok := errors.AsType[*json.SyntaxError](err)
	return ok || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, ErrTooLarge)
}

// describeType says what a value of the wrong type is and should be.
func describeType(err error) string {
	e, _ := errors.AsType[*json.UnmarshalTypeError](err)
	want := "an object"
	t := e.Type
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		want = "a string"
	case reflect.Slice, reflect.Array:
		want = "an array"
	case reflect.Int, reflect.Int64, reflect.Float64, reflect.Bool:
		want = "a " + t.Kind().String()
	}
	v := e.Value // "number 1999…" holds the number's digits, any number of them
	if len(v) > 40 {
		v = v[:40] + "…"
	}
	return fmt.Sprintf("a %s, not %s", v, want)
}

// content reads a message's content: a string, or an array of parts as in
// the API (text parts make the text, image parts the images).
func (p *parser) content(n int, m *rawMessage) error {
	tok, err := p.token()
	if err != nil {
		return err
	}
	switch t := tok.(type) {
	case nil:
		m.content = nil
		return nil
	case string:
		m.content = &t
		return nil
	case json.Delim:
		if t == '[' {
			empty := ""
			m.content = &empty
			return p.partList(n, m)
		}
	}
	return refuse(`message %d: "content" must be a string or an array of parts`, n)
}

// parts reads azchat's "parts": the message's attachments.
func (p *parser) parts(n int, m *rawMessage) error {
	tok, err := p.token()
	if err != nil || tok == nil {
		return err
	}
	if tok != json.Delim('[') {
		return refuse(`message %d: "parts" must be an array of parts`, n)
	}
	return p.partList(n, m)
}

// partList reads content parts one at a time, after the array's "[".
func (p *parser) partList(n int, m *rawMessage) error {
	for p.dec.More() {
		var wp wirePart
		if err := p.decode(&wp); err != nil {
			if _, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
				return refuse(`message %d: a part is not an object of the API's shape ({"type": "text", "text": …} or {"type": "image_url", "image_url": {"url": "data:…"}}): %s`, n, describeType(err))
			}
			return err
		}
		if err := m.addPart(n, &wp); err != nil {
			return err
		}
	}
	_, err := p.token()
	return err
}

// failure makes err, which stopped the walk, say what is wrong and where.
func (p *parser) failure(err error) error {
	if big, ok := errors.AsType[*valueTooLarge](p.lr.err); ok {
		where := fmt.Sprintf("byte %d", big.at+1)
		if line, col, ok := p.lr.position(big.at); ok {
			where = fmt.Sprintf("line %d, column %d", line, col)
		}
		return fmt.Errorf("the value at %s is over %d MB, more than any message (%d MB of text) or image (%d MB) azchat imports: choose an azchat JSON export or a [{role, content}] array",
			where, maxValueBytes>>20, MaxMessageText>>20, chat.MaxImageBytes>>20)
	}
	if p.lr.err != nil {
		return p.lr.err // reading failed, or the file is too large
	}
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		return p.errorAt(p.syntaxOffset(), se.Error())
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return p.errorAt(p.lr.off, "the file ends before the JSON does")
	}
	return err
}

// syntaxOffset finds where the syntax error the decoder stopped at is: the
// decoder's own offset counts from an earlier value, but it stopped at
// the start of the value it could not read, whose bytes it still holds.
func (p *parser) syntaxOffset() int64 {
	start := p.dec.InputOffset()
	err := json.NewDecoder(p.dec.Buffered()).Decode(&skipValue{})
	if se, ok := errors.AsType[*json.SyntaxError](err); ok && se.Offset > 0 {
		return start + se.Offset - 1
	}
	return start
}

func (p *parser) errorAt(off int64, msg string) error {
	if line, col, ok := p.lr.position(off); ok {
		return fmt.Errorf("not valid JSON at line %d, column %d: %s", line, col, msg)
	}
	return fmt.Errorf("not valid JSON at byte %d: %s", off+1, msg)
}

// maxValueBytes bounds one JSON value of an import (a string, a number, a
// part, a value skipped): the largest an import takes is a message's
// text of MaxMessageText with every character escaped (\u003c, 6 bytes),
// well above an image part's data URL (base64 of chat.MaxImageBytes).
// Without it a 1 GB file of one string was read whole before the text
// limits refused it: 3.1 GB of memory and 15.7 s, against 0.44 GB and
// 1.5 s with it (`azchat import`, measured).
var maxValueBytes int64 = 6*MaxMessageText + 4<<20

// valueTooLarge is a value over maxValueBytes, starting at offset at.
type valueTooLarge struct{ at int64 }

func (*valueTooLarge) Error() string { return "a JSON value over the import's limit" }

// maxPendingNewlines bounds what a lineReader remembers: a file with more
// line breaks inside one value than this is reported by byte, not line.
const maxPendingNewlines = 1 << 20

// lineReader remembers where the lines the decoder has not finished with
// start, so that a syntax error deep in a stream is reported by line and
// column without the stream being kept or read again.
type lineReader struct {
	r   io.Reader
	off int64 // bytes read
	err error // the first error of r other than io.EOF, or *valueTooLarge
	// from is where the value the decoder is reading starts: it holds
	// all of a value (a string, a number, what Decode takes) before it
	// returns any of it, so each is bounded by maxValueBytes.
	from int64

	lines  int     // line breaks before those in nl
	lastNL int64   // offset of the last of them, -1 for none
	nl     []int64 // offsets of the later line breaks, from nl[head]
	head   int
	lost   bool // nl overflowed: lines are no longer known
}

func (l *lineReader) Read(b []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if l.off-l.from > maxValueBytes {
		l.err = &valueTooLarge{at: l.from}
		return 0, l.err
	}
	n, err := l.r.Read(b)
	for i := 0; i < n; {
		j := bytes.IndexByte(b[i:n], '\n')
		if j < 0 {
			break
		}
		if len(l.nl)-l.head >= maxPendingNewlines {
			l.lost = true
		} else {
			l.nl = append(l.nl, l.off+int64(i+j))
		}
		i += j + 1
	}
	l.off += int64(n)
	if err != nil && err != io.EOF && l.err == nil {
		l.err = err
	}
	return n, err
}

// forget counts the line breaks before off, which no error can be before;
// the next value starts there.
func (l *lineReader) forget(off int64) {
	l.from = off
	for l.head < len(l.nl) && l.nl[l.head] < off {
		l.lines++
		l.lastNL = l.nl[l.head]
		l.head++
	}
	if l.head > 1024 && l.head > len(l.nl)/2 {
		l.nl = l.nl[:copy(l.nl, l.nl[l.head:])]
		l.head = 0
	}
}

// position is the line and column (from 1, in bytes) of offset off.
func (l *lineReader) position(off int64) (line, col int, ok bool) {
	if l.lost {
		return 0, 0, false
	}
	line, last := l.lines, l.lastNL
	for _, o := range l.nl[l.head:] {
		if o >= off {
			break
		}
		line, last = line+1, o
	}
	return line + 1, int(off - last), true
}
