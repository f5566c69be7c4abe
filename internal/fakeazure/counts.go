package fakeazure

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The stand-in never counts with azchat's own tokenizer: a test that
// compared azchat's count with one the stand-in made by the same code would
// prove nothing. Prompt usage comes from counts OpenAI's tiktoken made
// (fixtures/token-reference.json, a copy of chat/tokens/testdata's); a
// prompt without such a count gets no usage at all. The context-length
// check uses its own rough estimate instead, and the model facts below are
// the stand-in's own table.

type referenceConv struct {
	Messages []map[string]string `json:"messages"`
	O200K    int                 `json:"o200k_base"`
	CL100K   int                 `json:"cl100k_base"`
}

var (
	refOnce  sync.Once
	refConvs []referenceConv
)

func reference() []referenceConv {
	refOnce.Do(func() {
		var doc struct {
			Conversations []referenceConv `json:"conversations"`
		}
		if err := json.Unmarshal(Fixture("token-reference.json"), &doc); err != nil {
			panic("fakeazure: token-reference.json: " + err.Error())
		}
		refConvs = doc.Conversations
	})
	return refConvs
}

// referencePrompt returns tiktoken's prompt count for exactly these
// messages, if the fixtures have it. Content parts count as their text; a
// message with images never matches (the fixtures count no images).
func referencePrompt(model string, messages []map[string]any) (int, bool) {
	for _, m := range messages {
		if len(messageImages(m)) > 0 {
			return 0, false
		}
	}
	for _, c := range reference() {
		if len(c.Messages) != len(messages) {
			continue
		}
		same := true
		for i, m := range c.Messages {
			for _, k := range []string{"role", "name", "content"} {
				got, _ := messages[i][k].(string)
				if k == "content" {
					got = MessageText(messages[i])
				}
				if got != m[k] {
					same = false
				}
			}
		}
		if !same {
			continue
		}
		if cl100kModel(model) {
			return c.CL100K, true
		}
		return c.O200K, true
	}
	return 0, false
}

// roughPrompt over-estimates a prompt's tokens from its bytes (a token is
// about four bytes of English) and its images (roughImages), for the
// context-length check only.
func roughPrompt(messages []map[string]any) int {
	n := 3
	for _, m := range messages {
		n += 4 + roughImages(m)
		for _, k := range []string{"role", "name", "content"} {
			s, _ := m[k].(string)
			if k == "content" {
				s = MessageText(m)
			}
			n += (len(s) + 3) / 4
		}
	}
	return n
}

func cl100kModel(model string) bool {
	m := strings.ToLower(model)
	return strings.HasPrefix(m, "gpt-35") || strings.HasPrefix(m, "gpt-3.5") || (strings.HasPrefix(m, "gpt-4") && !strings.HasPrefix(m, "gpt-4o") && !strings.HasPrefix(m, "gpt-4.1") && !strings.HasPrefix(m, "gpt-4.5"))
}

// reasoningModel: models that take max_completion_tokens and only the
// default temperature, as Azure documents them.
func reasoningModel(model string) bool {
	m := strings.ToLower(model)
	if strings.HasPrefix(m, "gpt-5") && !strings.HasPrefix(m, "gpt-5-chat") {
		return true
	}
	for _, p := range []string{"o1", "o3", "o4"} {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

// modelWindow is the context window the stand-in enforces for a model.
func modelWindow(model string) int {
	m := strings.ToLower(model)
	switch {
	case strings.HasPrefix(m, "gpt-35") || strings.HasPrefix(m, "gpt-3.5"):
		return 16385
	case strings.HasPrefix(m, "gpt-4o"), strings.HasPrefix(m, "gpt-5-chat"), strings.HasPrefix(m, "o1-preview"):
		return 128000
	case strings.HasPrefix(m, "gpt-5"):
		return 272000
	case strings.HasPrefix(m, "gpt-4.1"):
		return 1047576
	case strings.HasPrefix(m, "o"):
		return 200000
	case strings.HasPrefix(m, "gpt-4"):
		return 8192
	}
	return 128000
}

// splitReply cuts a reply into token-sized pieces, each valid UTF-8, the way
// a stream carries them: a word with the space before it, long words in
// parts of at most 6 bytes, punctuation on its own.
func splitReply(text string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			// A space starts the next word; other whitespace stands alone.
			flush()
			if r != ' ' {
				out = append(out, text[i:i+size])
			} else {
				cur.WriteRune(r)
			}
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if cur.Len()+size > 6 && strings.TrimSpace(cur.String()) != "" {
				flush()
			}
			cur.WriteString(text[i : i+size])
		default:
			flush()
			out = append(out, text[i:i+size])
		}
		i += size
	}
	flush()
	return out
}

// MarkdownOfSize is a realistic answer of about n bytes — headings,
// paragraphs, lists, code and tables, the shapes models write — for
// streaming benchmarks. The same n always gives the same text.
func MarkdownOfSize(n int) string {
	var b strings.Builder
	for i := 1; b.Len() < n; i++ {
		fmt.Fprintf(&b, "## Part %d: token budgets\n\nEvery message costs **3 tokens** plus its content; the reply is primed with 3 more. "+
			"Trimming keeps the system message and the newest turns that fit, section %d.\n\n", i, i)
		fmt.Fprintf(&b, "- count with the model's encoding (`o200k_base` or `cl100k_base`)\n- cache each message's count\n- keep %d tokens for the reply\n\n", 512*i)
		fmt.Fprintf(&b, "```go\nfunc cost%d(msgs []Message) int {\n\tn := 3\n\tfor _, m := range msgs {\n\t\tn += 3 + count(m.Content)\n\t}\n\treturn n\n}\n```\n\n", i)
		fmt.Fprintf(&b, "| model | encoding | window |\n|---|---|---:|\n| gpt-4o | o200k_base | 128,000 |\n| gpt-35-turbo | cl100k_base | 16,385 |\n\n")
	}
	return b.String()[:n]
}

// ParagraphOfSize is an answer of about n bytes that is one long paragraph
// with no line breaks, the shape of a model printing a data dump; the
// window must stay responsive while it streams. Deterministic in n.
func ParagraphOfSize(n int) string {
	var b strings.Builder
	b.Grow(n + 64)
	for i := 1; b.Len() < n; i++ {
		fmt.Fprintf(&b, "row %d: sensor=%d reading=%d.%02d status=ok; ", i, i%97, (i*7919)%10000, i%100)
	}
	return b.String()[:n]
}
