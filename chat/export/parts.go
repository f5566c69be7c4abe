package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/attach"
)

// wirePart is a content part as read: {"type": "text", "text": …} or
// {"type": "image_url", "image_url": {"url": …, "detail": …}}, with
// azchat's "name".
type wirePart struct {
	Type     string        `json:"type"`
	Text     *string       `json:"text"`
	ImageURL *wireImageURL `json:"image_url"`
	Name     string        `json:"name"`
}

// wireImageURL is an image part's image_url: an object with the URL, or
// the URL alone as in older shapes of the API.
type wireImageURL struct {
	URL    imageData `json:"url"`
	Detail string    `json:"detail"`
}

// UnmarshalJSON reads {"url": …, "detail": …} or a bare URL string.
func (w *wireImageURL) UnmarshalJSON(raw []byte) error {
	if len(raw) > 0 && raw[0] == '"' {
		return w.URL.UnmarshalJSON(raw)
	}
	type plain wireImageURL
	return json.Unmarshal(raw, (*plain)(w))
}

// imageData is an image URL decoded as it is read: the bytes of a base64
// data: URL, decoded from the JSON text itself, so the URL is never held
// as a string too. A URL that is not taken leaves err saying why.
type imageData struct {
	set  bool
	data []byte
	err  error
}

// UnmarshalJSON decodes the data: URL in the JSON string raw.
func (d *imageData) UnmarshalJSON(raw []byte) error {
	d.set = true
	if len(raw) < 2 || raw[0] != '"' {
		d.err = errors.New("has no URL")
		return nil
	}
	body := raw[1 : len(raw)-1]
	if bytes.IndexByte(body, '\\') >= 0 { // escapes (rare: "\/"): unescape first
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		body = []byte(s)
	}
	d.data, d.err = decodeDataURL(body)
	return nil
}

// decodeDataURL returns the bytes of data:image/…;base64,…, refusing any
// other URL (azchat never fetches an image), a type that is not an image,
// broken base64 and an image larger than the API takes.
func decodeDataURL(u []byte) ([]byte, error) {
	if !hasPrefixFold(u, "data:") {
		if hasPrefixFold(u, "http://") || hasPrefixFold(u, "https://") {
			return nil, fmt.Errorf("is a link to %s: azchat imports only images embedded in the file as data: URLs, and never fetches one from the web", shorten(u))
		}
		return nil, fmt.Errorf("is not a data: URL (%s): azchat imports only images embedded in the file", shorten(u))
	}
	header, payload, ok := bytes.Cut(u[len("data:"):], []byte(","))
	if !ok {
		return nil, errors.New("is not a valid data: URL (it has no comma)")
	}
	params := strings.Split(string(header), ";")
	mime := strings.ToLower(strings.TrimSpace(params[0]))
	if mime == "" {
		mime = "text/plain"
	}
	if !strings.HasPrefix(mime, "image/") {
		return nil, fmt.Errorf("is a data: URL of %s, not of an image", shorten([]byte(mime)))
	}
	b64 := false
	for _, p := range params[1:] {
		b64 = b64 || strings.EqualFold(strings.TrimSpace(p), "base64")
	}
	if !b64 {
		return nil, errors.New("is a data: URL that is not base64-encoded")
	}
	// Refuse an image too large before making room for it.
	if n := len(payload) / 4 * 3; n > maxImageBytes+3 {
		return nil, tooLarge(n)
	}
	enc := base64.StdEncoding
	if len(payload)%4 != 0 && !bytes.ContainsAny(payload, "=\r\n") {
		enc = base64.RawStdEncoding
	}
	data := make([]byte, enc.DecodedLen(len(payload)))
	n, err := enc.Decode(data, payload)
	if err != nil {
		return nil, fmt.Errorf("has broken base64 data (%v)", err)
	}
	if n > maxImageBytes {
		return nil, tooLarge(n)
	}
	return data[:n:n], nil
}

func tooLarge(n int) error {
	return fmt.Errorf("is %.1f MB: an image can be at most %d MB (the API's limit)", float64(n)/(1<<20), maxImageBytes>>20)
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

// shorten quotes the start of a long URL for a message.
func shorten(b []byte) string {
	if len(b) > 80 {
		return fmt.Sprintf("%q…", b[:80])
	}
	return fmt.Sprintf("%q", b)
}

// addPart adds part wp of message n: an image becomes an attachment, a
// text part with a name that holds a file block an attached text file,
// any other text follows the message's content.
func (m *rawMessage) addPart(n int, wp *wirePart) error {
	typ := wp.Type
	if typ == "" && wp.ImageURL != nil {
		typ = partImage
	} else if typ == "" && wp.Text != nil {
		typ = partText
	}
	name := baseName(wp.Name)
	switch typ {
	case partText:
		text := ""
		if wp.Text != nil {
			text = *wp.Text
		}
		if name != "" {
			if _, lang, body, ok := chat.ParseFileBlock(text); ok {
				// Held to what azchat attaches itself: the window lays out
				// and counts a text file as its row is drawn.
				if len(body) > chat.MaxTextFileBytes {
					return refuse("message %d: the text file %q holds %.1f MB; azchat attaches text files up to %d MB", n, chat.OneLine(name, 100), float64(len(body))/(1<<20), chat.MaxTextFileBytes>>20)
				}
				m.attachments = append(m.attachments, chat.Attachment{Kind: chat.TextAttachment, Name: name, Lang: lang, Text: body})
				return nil
			}
		}
		m.texts = append(m.texts, text)
		return nil
	case partImage:
		m.images++
		which := fmt.Sprintf("message %d: image %d", n, m.images)
		if name != "" {
			which += fmt.Sprintf(" (%s)", name)
		}
		if wp.ImageURL == nil || !wp.ImageURL.URL.set {
			return refuse(`%s has no "image_url" with a "url"`, which)
		}
		if err := wp.ImageURL.URL.err; err != nil {
			return refuse("%s %v", which, err)
		}
		a, err := imageAttachment(wp.ImageURL.URL.data, name, wp.ImageURL.Detail, m.images)
		if err != nil {
			return refuse("%s %v", which, err)
		}
		m.attachments = append(m.attachments, a)
		return nil
	}
	return refuse(`message %d has a part of type %q: azchat imports "text" and "image_url" parts`, n, shorten([]byte(typ)))
}

// imageAttachment describes an image read from a data URL: its real type
// and size in pixels, from its header, with the checks an attached file
// gets (attach.ImageInfo: supported formats only, sane dimensions, no
// panic on a crafted header).
func imageAttachment(data []byte, name, detail string, k int) (chat.Attachment, error) {
	mime, w, h, err := attach.ImageInfo(data)
	if err != nil {
		return chat.Attachment{}, errors.New("is not a PNG, JPEG, GIF or WebP image that azchat can read")
	}
	if w <= 0 || h <= 0 || w > attach.MaxSide || h > attach.MaxSide || int64(w)*int64(h) > attach.MaxPixels {
		return chat.Attachment{}, fmt.Errorf("claims a size of %d×%d pixels, which azchat does not take", w, h)
	}
	a := chat.Attachment{Kind: chat.ImageAttachment, Name: name, MIME: mime, Data: data, Width: w, Height: h}
	if detail != "" {
		if a.Detail, err = chat.ParseDetail(detail); err != nil {
			return chat.Attachment{}, err
		}
	}
	if a.Name == "" {
		a.Name = fmt.Sprintf("image-%d%s", k, imageExt(&a))
	}
	sum := sha256.Sum256(data)
	a.SHA256 = hex.EncodeToString(sum[:])
	return a, nil
}

// baseName is a file name without any folder, on one line, of at most
// maxNameRunes characters: no system names a file longer (255 bytes or
// UTF-16 units), and the window draws the name as the chat opens (a name
// of megabytes took minutes).
func baseName(name string) string {
	name = name[strings.LastIndexAny(name, `/\`)+1:]
	return chat.OneLine(name, maxNameRunes)
}

// maxNameRunes bounds an imported file's name.
const maxNameRunes = 255
