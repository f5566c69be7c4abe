// Package tokens counts tokens exactly as OpenAI's tiktoken does, with the
// tables embedded in the binary (nothing is ever downloaded), and prices chat
// messages with the formula the Chat Completions API bills prompts by.
package tokens

import (
	"fmt"
	"strings"
	"sync"

	"github.com/azchat/azchat/chat/models"
)

// Encoding names the byte-pair encodings azchat knows.
type Encoding string

const (
	// O200K is the encoding of gpt-4o, gpt-4.1, gpt-4.5, gpt-5 and the o-series.
	O200K Encoding = "o200k_base"
	// CL100K is the encoding of gpt-4, gpt-4-turbo and gpt-35-turbo.
	CL100K Encoding = "cl100k_base"
)

// The guide's num_tokens_from_messages constants for every current chat model.
const (
	// PerMessage is the overhead of every message (<|start|>role\n … <|end|>).
	PerMessage = 3
	// PerName is the extra cost of a message that carries a name field.
	PerName = 1
	// ReplyPrimer is what the API adds to prime the assistant's reply.
	ReplyPrimer = 3
)

// Choice is the encoding for a model and whether it is a guess.
type Choice struct {
	Encoding Encoding
	// Estimate is true when the model is unknown and o200k_base stands in.
	Estimate bool
}

// ForModel picks the encoding for a model name as Azure reports it
// (e.g. "gpt-4o-2024-11-20", "gpt-35-turbo-16k", "o4-mini") from the
// model facts table; an unknown model is counted with o200k_base, as an
// estimate.
func ForModel(model string) Choice {
	f, ok := models.Lookup(model, "")
	if !ok && strings.HasPrefix(models.Normalize(model), "text-embedding") {
		// Not a chat model, so not in the table; its encoding is known.
		return Choice{CL100K, false}
	}
	return Choice{Encoding(f.Encoding), !ok}
}

var (
	mu      sync.Mutex
	loaded  = map[Encoding]*Encoder{}
	loading = map[Encoding]*sync.Once{}
	errs    = map[Encoding]error{}
)

// Load returns the encoder for an encoding, building it once. Building
// o200k_base's rank map takes tens of milliseconds, so callers on a UI
// thread should call it from a goroutine (Preload does that at start-up).
func Load(enc Encoding) (*Encoder, error) {
	mu.Lock()
	once, ok := loading[enc]
	if !ok {
		once = new(sync.Once)
		loading[enc] = once
	}
	mu.Unlock()
	once.Do(func() {
		// The map is made at its final size and its keys point into the
		// embedded table: building leaves no garbage worth collecting.
		table, err := tableOf(enc)
		var e *Encoder
		if err == nil {
			e, err = newEncoder(enc, table)
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs[enc] = fmt.Errorf("load %s tokenizer: %w", enc, err)
			return
		}
		loaded[enc] = e
	})
	mu.Lock()
	defer mu.Unlock()
	return loaded[enc], errs[enc]
}

// Preload builds an encoding's tables in the background.
func Preload(enc Encoding) { go func() { _, _ = Load(enc) }() }

// Counter counts tokens in one encoding. It is safe for concurrent use.
type Counter struct {
	choice Choice
	enc    *Encoder
	image  models.ImageRule
	// blind: the facts table says the model sees no images.
	blind bool
}

// NewCounter returns a counter for the model's encoding.
func NewCounter(model string) (*Counter, error) {
	c := ForModel(model)
	enc, err := Load(c.Encoding)
	if err != nil {
		return nil, err
	}
	rule, _ := models.ImageRuleFor(model)
	f, known := models.Lookup(model, "")
	return &Counter{choice: c, enc: enc, image: rule, blind: known && !f.Vision}, nil
}

// SeesImages reports whether images are sent to (and cost) the model:
// false only for a model the facts table marks without vision.
func (c *Counter) SeesImages() bool { return !c.blind }

// Image is what an image of w×h pixels costs the counter's model at
// detail (low, high, auto), by the vision guide's rule for its family;
// gpt-4o's rule, as an estimate, for a model the table does not know.
func (c *Counter) Image(w, h int, detail string) models.ImageCost {
	return c.image.Cost(w, h, detail)
}

// Choice reports the encoding and whether the count is an estimate.
func (c *Counter) Choice() Choice { return c.choice }

// Text counts the tokens of a string. Special-token spellings such as
// "<|endoftext|>" in user text are counted as ordinary text, as the API does.
func (c *Counter) Text(s string) int { return c.enc.Count(s) }

// Message is the cost of one message in a prompt: 3 + role + content
// (+ name + 1), the guide's num_tokens_from_messages per message.
func (c *Counter) Message(role, name, content string) int {
	n := PerMessage + c.Text(role) + c.Text(content)
	if name != "" {
		n += c.Text(name) + PerName
	}
	return n
}

// Encode returns the token ids of s (ordinary text, no special tokens).
func (c *Counter) Encode(s string) []int { return c.enc.Encode(s) }

// Decode returns the bytes of one token, which may be part of a UTF-8 sequence.
func (c *Counter) Decode(id int) string { return c.enc.Decode(id) }
