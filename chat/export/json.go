package export

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/azchat/azchat/chat"
)

// Document is the JSON export: metadata plus messages in the Chat
// Completions shape (role, content, name), each with azchat's metadata.
type Document struct {
	Format     string         `json:"format"`
	Version    int            `json:"version"`
	ID         string         `json:"id,omitempty"`
	Title      string         `json:"title"`
	ExportedAt time.Time      `json:"exported_at"`
	System     string         `json:"system,omitempty"`
	Examples   []chat.Example `json:"examples,omitempty"`
	// ActiveLeaf is set in an export of every branch (RenderAllBranches):
	// the node of the last message of the path that was on screen.
	ActiveLeaf int64      `json:"active_leaf,omitempty"`
	Messages   []*Message `json:"messages"`
}

// Message is one exported message. Content is always the text the user
// typed (or the model wrote); a message with attachments also has Parts.
type Message struct {
	// Node and Parent place the message in the conversation's tree, in
	// an export of every branch only (a plain export is the path shown).
	Node         int64              `json:"node,omitempty"`
	Parent       int64              `json:"parent,omitempty"`
	Role         chat.Role          `json:"role"`
	Content      string             `json:"content"`
	Parts        []Part             `json:"parts,omitempty"`
	Name         string             `json:"name,omitempty"`
	Time         *time.Time         `json:"time,omitempty"`
	Status       chat.Status        `json:"status,omitempty"`
	FinishReason string             `json:"finish_reason,omitempty"`
	Model        string             `json:"model,omitempty"`
	Usage        *chat.Usage        `json:"usage,omitempty"`
	Reasoning    string             `json:"reasoning,omitempty"`
	Filter       chat.FilterResults `json:"content_filter_results,omitempty"`
	PromptFilter chat.FilterResults `json:"prompt_filter_results,omitempty"`
	Error        string             `json:"error,omitempty"`
}

// Part is an attachment as a content part in the API's shape, with the
// file's name: {"type":"image_url","image_url":{"url":"data:…","detail":
// "auto"},"name":"shot.png"} for an image, {"type":"text","text":FileBlock,
// "name":"main.go"} for a text file.
type Part struct {
	Type     string    `json:"type"`
	Text     string    `json:"text,omitempty"`
	ImageURL *ImageURL `json:"image_url,omitempty"`
	Name     string    `json:"name,omitempty"`
}

// ImageURL is an image part's image: in an export, always a data: URL.
type ImageURL struct {
	URL    string      `json:"url"`
	Detail chat.Detail `json:"detail,omitempty"`
}

// The part types.
const (
	partText  = "text"
	partImage = "image_url"
)

// now is replaced by tests for stable golden files.
var now = time.Now

// renderJSON encodes the document with a placeholder for each image's URL,
// then copies it out with the data URLs written in place: each image is
// encoded once, straight into the result, however large it is.
func renderJSON(conv *chat.Conversation) ([]byte, error) { return renderDoc(conv, false) }

// RenderAllBranches is the JSON export of every branch of conv: all its
// messages, oldest first, each with its node and parent, and the active
// leaf (azchat export --format json --all-branches). Import rebuilds the
// tree from it.
func RenderAllBranches(conv *chat.Conversation) ([]byte, error) { return renderDoc(conv, true) }

func renderDoc(conv *chat.Conversation, tree bool) ([]byte, error) {
	d := Document{Format: "azchat.conversation", Version: 1, ID: conv.ID, Title: Title(conv), ExportedAt: now().UTC(),
		System: conv.System, Examples: conv.Examples, Messages: []*Message{}}
	msgs := conv.Messages
	if tree {
		c := conv.Clone()
		c.EnsureNodes()
		msgs = c.All()
		slices.SortFunc(msgs, func(a, b *chat.Message) int { return cmp.Compare(a.Node, b.Node) })
		d.ActiveLeaf = c.ActiveLeaf()
	}
	// The marker is random, so no text in the conversation can hold it.
	marker := "azchat-image-" + rand.Text() + "-"
	var images []*chat.Attachment
	for _, m := range msgs {
		em := &Message{Role: m.Role, Content: m.Content, Name: m.Name, Status: m.Status, FinishReason: m.FinishReason,
			Model: m.Model, Usage: m.Usage, Reasoning: m.Reasoning, Filter: m.Filter, PromptFilter: m.PromptFilter, Error: m.Error}
		if tree {
			em.Node, em.Parent = m.Node, m.Parent
		}
		if !m.Time.IsZero() {
			t := m.Time.UTC()
			em.Time = &t
		}
		for i := range m.Attachments {
			a := &m.Attachments[i]
			switch {
			case a.Kind == chat.TextAttachment:
				em.Parts = append(em.Parts, Part{Type: partText, Text: chat.FileBlock(a.Name, a.Lang, a.Text), Name: a.Name})
			case len(a.Data) > 0: // an image whose bytes are lost cannot be exported
				// No detail ("") is the API's default, auto.
				em.Parts = append(em.Parts, Part{Type: partImage, Name: a.Name,
					ImageURL: &ImageURL{URL: marker + strconv.Itoa(len(images)), Detail: a.Detail}})
				images = append(images, a)
			}
		}
		d.Messages = append(d.Messages, em)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, err
	}
	if len(images) == 0 {
		return b.Bytes(), nil
	}
	return spliceImages(b.Bytes(), marker, images)
}

// spliceImages copies doc, replacing the n-th placeholder string
// "MARKERn" with the n-th image's data URL.
func spliceImages(doc []byte, marker string, images []*chat.Attachment) ([]byte, error) {
	size := len(doc)
	for i, a := range images {
		size += dataURLLen(a) - len(marker) - len(strconv.Itoa(i))
	}
	out := bytes.NewBuffer(make([]byte, 0, size))
	rest := doc
	for i, a := range images {
		ph := `"` + marker + strconv.Itoa(i) + `"`
		at := bytes.Index(rest, []byte(ph))
		if at < 0 {
			return nil, errors.New("internal error: an image's place in the JSON export was lost")
		}
		out.Write(rest[:at+1])
		writeDataURL(out, a)
		rest = rest[at+len(ph)-1:]
	}
	out.Write(rest)
	return out.Bytes(), nil
}

// mimeOK reports whether an image type is one azchat takes, and so safe to
// write into a data URL unescaped.
func mimeOK(mime string) bool {
	switch mime {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}

// dataURLMIME is the type written into an image's data URL.
func dataURLMIME(a *chat.Attachment) string {
	if mimeOK(a.MIME) {
		return a.MIME
	}
	return "application/octet-stream"
}

func dataURLLen(a *chat.Attachment) int {
	return len("data:;base64,") + len(dataURLMIME(a)) + base64.StdEncoding.EncodedLen(len(a.Data))
}

// writeDataURL streams the image as data:MIME;base64,… into b, without
// building the URL as a string first. The URL needs no escaping in JSON
// nor in an HTML attribute.
func writeDataURL(b *bytes.Buffer, a *chat.Attachment) {
	b.Grow(dataURLLen(a))
	b.WriteString("data:")
	b.WriteString(dataURLMIME(a))
	b.WriteString(";base64,")
	enc := base64.NewEncoder(base64.StdEncoding, b)
	_, _ = enc.Write(a.Data)
	_ = enc.Close()
}

// SameJSON reports whether two JSON exports hold the same chat: all but
// when they were made (exported_at). An export run again into a folder
// compares its new file with the one there this way: byte for byte, a
// JSON export never was the same twice.
func SameJSON(a, b []byte) bool {
	var x, y map[string]json.RawMessage
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil || len(x) != len(y) {
		return false
	}
	for k, v := range x {
		if k == "exported_at" {
			continue
		}
		if w, ok := y[k]; !ok || !bytes.Equal(v, w) {
			return false
		}
	}
	return true
}
