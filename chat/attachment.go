package chat

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// AttachmentKind says what an attachment holds.
type AttachmentKind string

// The kinds of attachment.
const (
	// ImageAttachment is an image sent as a data: URL in an image_url part.
	ImageAttachment AttachmentKind = "image"
	// TextAttachment is a UTF-8 text file sent inside the message's text
	// as a delimited block (File: name, then a fenced block).
	TextAttachment AttachmentKind = "text"
)

// Detail is an image part's detail: how closely the model looks at it,
// and so what it costs.
type Detail string

// The image detail levels of the API.
const (
	DetailAuto Detail = "auto"
	DetailLow  Detail = "low"
	DetailHigh Detail = "high"
)

// ParseDetail accepts low, high or auto ("" is auto).
func ParseDetail(s string) (Detail, error) {
	switch Detail(strings.ToLower(strings.TrimSpace(s))) {
	case "", DetailAuto:
		return DetailAuto, nil
	case DetailLow:
		return DetailLow, nil
	case DetailHigh:
		return DetailHigh, nil
	}
	return "", fmt.Errorf("unknown image detail %q: use low, high or auto", OneLine(s, 20))
}

// The limits the API sets on images, checked before anything is sent.
const (
	// MaxImageBytes is the largest image file the API takes (20 MB).
	MaxImageBytes = 20 << 20
	// MaxImagesPerRequest is how many images one request may carry.
	MaxImagesPerRequest = 10
	// MaxTextFileBytes is the largest text file azchat attaches (2 MB).
	MaxTextFileBytes = 2 << 20
	// MaxTextPerMessage bounds the text files of one message in all
	// (8 MB): more than the largest context window holds (about a million
	// tokens), and each is counted again as the message is typed.
	MaxTextPerMessage = 8 << 20
)

// Attachment is a file the user attached to a message: an image or a text
// file. Images are stored once in the history, keyed by SHA256.
type Attachment struct {
	Kind AttachmentKind `json:"kind"`
	// Name is the file's base name as the user knows it.
	Name string `json:"name"`

	// MIME, Data, SHA256, Width, Height and Detail describe an image: its
	// type (image/png, image/jpeg, image/gif, image/webp), bytes, hex
	// SHA-256 digest and size in pixels.
	MIME   string `json:"mime,omitempty"`
	Data   []byte `json:"-"`
	SHA256 string `json:"sha256,omitempty"`
	Width  int    `json:"width,omitempty"`
	Height int    `json:"height,omitempty"`
	Detail Detail `json:"detail,omitempty"`

	// Text and Lang are a text file's content and the language its fenced
	// block is marked with ("" for plain text).
	Text string `json:"text,omitempty"`
	Lang string `json:"lang,omitempty"`
}

// DataURL is the image as the API takes it: data:MIME;base64,…
func (a *Attachment) DataURL() string {
	var b strings.Builder
	b.Grow(len("data:;base64,") + len(a.MIME) + base64.StdEncoding.EncodedLen(len(a.Data)))
	b.WriteString("data:")
	b.WriteString(a.MIME)
	b.WriteString(";base64,")
	enc := base64.NewEncoder(base64.StdEncoding, &b)
	_, _ = enc.Write(a.Data)
	_ = enc.Close()
	return b.String()
}

// FileBlock is how a text file goes into a message: its name on a line,
// then its content in a fenced block marked with its language, closed on
// a line of its own (after a newline FileBlock always adds, so
// ParseFileBlock gives back the content byte for byte). The fence
// is longer than any run of backticks in the content, so the block always
// ends where the file does.
func FileBlock(name, lang, text string) string {
	fence := strings.Repeat("`", max(3, longestRun(text, '`')+1))
	var b strings.Builder
	b.Grow(len(name) + len(lang) + len(text) + 2*len(fence) + 16)
	b.WriteString("File: ")
	b.WriteString(oneLine(name))
	b.WriteString("\n")
	b.WriteString(fence)
	b.WriteString(lang)
	b.WriteString("\n")
	b.WriteString(text)
	b.WriteString("\n")
	b.WriteString(fence)
	return b.String()
}

// ParseFileBlock reads back exactly what FileBlock wrote: the name,
// language and content. ok is false for any other text.
func ParseFileBlock(block string) (name, lang, text string, ok bool) {
	rest, found := strings.CutPrefix(block, "File: ")
	if !found {
		return "", "", "", false
	}
	name, rest, found = strings.Cut(rest, "\n")
	if !found {
		return "", "", "", false
	}
	n := 0
	for n < len(rest) && rest[n] == '`' {
		n++
	}
	if n < 3 {
		return "", "", "", false
	}
	fence := rest[:n]
	lang, body, found := strings.Cut(rest[n:], "\n")
	if !found || strings.Contains(lang, "`") {
		return "", "", "", false
	}
	text, found = strings.CutSuffix(body, fence)
	if !found || !strings.HasSuffix(text, "\n") || longestRun(text, '`') >= n {
		return "", "", "", false
	}
	return name, lang, text[:len(text)-1], true
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// oneLine keeps a file name on the block's first line; its other bytes
// are kept as they are (strings.Map would rewrite invalid UTF-8).
var oneLine = strings.NewReplacer("\n", " ", "\r", " ").Replace

// PromptText is the message's text as the model reads it: what the user
// wrote, then each attached text file as a FileBlock, separated by blank
// lines.
func (m *Message) PromptText() string {
	n := 0
	for i := range m.Attachments {
		if m.Attachments[i].Kind == TextAttachment {
			n++
		}
	}
	if n == 0 {
		return m.Content
	}
	parts := make([]string, 0, n+1)
	if m.Content != "" {
		parts = append(parts, m.Content)
	}
	for i := range m.Attachments {
		a := &m.Attachments[i]
		if a.Kind == TextAttachment {
			parts = append(parts, FileBlock(a.Name, a.Lang, a.Text))
		}
	}
	return strings.Join(parts, "\n\n")
}

// Images returns the message's image attachments, in order.
func (m *Message) Images() []*Attachment {
	var out []*Attachment
	for i := range m.Attachments {
		if m.Attachments[i].Kind == ImageAttachment {
			out = append(out, &m.Attachments[i])
		}
	}
	return out
}

// WireImage is an image part of a message on the wire.
type WireImage struct {
	// URL is always a data: URL: azchat never sends a remote image address.
	URL    string `json:"url"`
	Detail Detail `json:"detail,omitempty"`
}

// NoVisionError refuses images for a model the facts table marks as not
// seeing them: the API would refuse the request.
type NoVisionError struct{ Model string }

func (e *NoVisionError) Error() string {
	return fmt.Sprintf("%s does not take images — remove the images, or choose a deployment of a vision model (gpt-4o, gpt-4.1, gpt-5, o1, o3, o4-mini) in Settings", e.Model)
}

// TooManyImagesError refuses a request with more images than the API takes.
type TooManyImagesError struct{ Images int }

func (e *TooManyImagesError) Error() string {
	return fmt.Sprintf("this request would carry %d images; the API takes at most %d per request — remove some attachments, or start a new chat for the rest", e.Images, MaxImagesPerRequest)
}
