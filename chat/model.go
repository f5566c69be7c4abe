// Package chat holds azchat's conversation model and the controller that
// sends it to a model: token budgeting, streaming, retries and the mapping
// of every failure to a reason and an action. It never imports fyne; the UI
// drives it through Controller and listens to its Events.
package chat

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/azchat/azchat/chat/tokens"
)

// Role is who wrote a message.
type Role string

// The roles of the Chat Completions API that azchat uses.
const (
	System    Role = "system"
	User      Role = "user"
	Assistant Role = "assistant"
)

// Status is where a message is in its life.
type Status string

// Message statuses. Everything but Complete and Streaming marks an answer that
// ended in a way the user should see.
const (
	Complete    Status = "complete"
	Streaming   Status = "streaming"
	Stopped     Status = "stopped"     // stopped before its end (Stop, Esc, another chat, quit); partial text kept
	Interrupted Status = "interrupted" // the stream ended without a finish reason
	Truncated   Status = "truncated"   // finish_reason "length": offer Continue
	Filtered    Status = "filtered"    // finish_reason "content_filter"
	Failed      Status = "failed"      // the request failed; Error holds why
)

// FilterCategory is one content-filter verdict, as Azure reports it.
type FilterCategory struct {
	Filtered bool   `json:"filtered"`
	Severity string `json:"severity,omitempty"` // safe, low, medium, high
	// Detected is set for detection categories such as jailbreak.
	Detected *bool `json:"detected,omitempty"`
}

// same reports whether two verdicts say the same.
func (c FilterCategory) same(d FilterCategory) bool {
	if c.Filtered != d.Filtered || c.Severity != d.Severity || (c.Detected == nil) != (d.Detected == nil) {
		return false
	}
	return c.Detected == nil || *c.Detected == *d.Detected
}

// FilterResults maps a category (hate, self_harm, sexual, violence,
// jailbreak, …) to its verdict.
type FilterResults map[string]FilterCategory

// Triggered lists the categories that filtered the text, sorted, each as
// "category (severity)" for a person to read. The names come from a
// server or a file: only letters, digits, "_", "-" and "." of them are
// shown, at most 40 of each and 20 categories.
func (f FilterResults) Triggered() []string {
	var out []string
	for name, c := range f {
		if !c.Filtered {
			continue
		}
		label := strings.ReplaceAll(PlainName(name), "_", " ")
		if label == "" {
			label = "unnamed category"
		}
		switch sev := PlainName(c.Severity); {
		case sev != "":
			label += " (" + sev + ")"
		case c.Detected != nil && *c.Detected:
			label += " (detected)"
		}
		out = append(out, label)
	}
	sort.Strings(out)
	if len(out) > maxFilterNames {
		out = append(out[:maxFilterNames], fmt.Sprintf("%d more", len(out)-maxFilterNames))
	}
	return out
}

// maxFilterNames bounds the categories Triggered lists.
const maxFilterNames = 20

// MaxFilterCategories bounds the categories an answer's verdicts keep:
// Azure names about ten.
const MaxFilterCategories = 64

// Merge returns the verdicts of f updated with those of g; a filtered
// verdict always wins, as later stream events may only carry some of the
// categories. Neither map is changed (a checkpoint being written may hold
// one); the result may be f or g itself when nothing new is added.
func (f FilterResults) Merge(g FilterResults) FilterResults {
	if len(g) == 0 {
		return f
	}
	if len(f) == 0 {
		return g
	}
	// Azure repeats the same verdicts on every chunk of a stream: when g
	// changes nothing, keep f rather than copy it once per chunk.
	changes := false
	for k, v := range g {
		if old, ok := f[k]; !ok || (!old.same(v) && !(old.Filtered && !v.Filtered)) {
			changes = true
			break
		}
	}
	if !changes {
		return f
	}
	out := make(FilterResults, len(f)+len(g))
	for k, v := range f {
		out[k] = v
	}
	for k, v := range g {
		if _, ok := out[k]; !ok && len(out) >= MaxFilterCategories {
			continue // a stream naming new categories in each event
		}
		if old, ok := out[k]; ok && old.Filtered && !v.Filtered {
			continue
		}
		out[k] = v
	}
	return out
}

// Clone returns a copy that shares nothing with f.
func (f FilterResults) Clone() FilterResults {
	if f == nil {
		return nil
	}
	out := make(FilterResults, len(f))
	for k, v := range f {
		if v.Detected != nil {
			d := *v.Detected
			v.Detected = &d
		}
		out[k] = v
	}
	return out
}

// Usage is what the API billed for one answer, as it reported it.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
	// CachedPromptTokens are the prompt tokens Azure served from its
	// prompt cache (prompt_tokens_details.cached_tokens; the Responses
	// API's input_tokens_details), billed at a discount.
	CachedPromptTokens int `json:"cached_prompt_tokens"`
	// ReasoningTokens are the completion tokens a reasoning model thought
	// in (completion_tokens_details.reasoning_tokens; the Responses API's
	// output_tokens_details): billed, never shown.
	ReasoningTokens int `json:"reasoning_tokens"`
}

// maxUsageTokens bounds each count of a Usage read from outside (a
// server's answer, an imported file): far above any request's, low enough
// that sums and costs of a chat's answers cannot overflow.
const maxUsageTokens = 1 << 40

// Sane is u with each count within 0..2^40: a negative or absurd count
// from a broken server or a crafted file is read as 0 or that bound, so
// nothing downstream (formatting, sums, costs) sees it.
func (u Usage) Sane() Usage {
	clamp := func(n int) int { return min(max(n, 0), maxUsageTokens) }
	return Usage{
		PromptTokens: clamp(u.PromptTokens), CompletionTokens: clamp(u.CompletionTokens), TotalTokens: clamp(u.TotalTokens),
		CachedPromptTokens: clamp(u.CachedPromptTokens), ReasoningTokens: clamp(u.ReasoningTokens),
	}
}

// Plus is the usage of two requests together (an answer and its
// continuation).
func (u Usage) Plus(o Usage) Usage {
	return Usage{
		PromptTokens: u.PromptTokens + o.PromptTokens, CompletionTokens: u.CompletionTokens + o.CompletionTokens,
		TotalTokens: u.TotalTokens + o.TotalTokens, CachedPromptTokens: u.CachedPromptTokens + o.CachedPromptTokens,
		ReasoningTokens: u.ReasoningTokens + o.ReasoningTokens,
	}
}

// Summary is the usage in one line: "prompt N (cached C), completion M
// (reasoning R)".
func (u Usage) Summary() string {
	return fmt.Sprintf("prompt %d (cached %d), completion %d (reasoning %d)", u.PromptTokens, u.CachedPromptTokens, u.CompletionTokens, u.ReasoningTokens)
}

// Message is one entry of a conversation with everything azchat knows about it.
type Message struct {
	ID int64 `json:"id,omitempty"`
	// Node numbers the message within its conversation (from 1); Parent
	// is the Node of the message it follows, 0 for the first. Messages
	// form a tree: regenerate and edit & resend add a sibling instead of
	// replacing. Branch and Branches place it among its siblings (2 of 3)
	// for the switcher; the controller fills them.
	Node     int64     `json:"node,omitempty"`
	Parent   int64     `json:"parent,omitempty"`
	Branch   int       `json:"-"`
	Branches int       `json:"-"`
	Role     Role      `json:"role"`
	Name     string    `json:"name,omitempty"`
	Content  string    `json:"content"`
	Time     time.Time `json:"time"`
	Status   Status    `json:"status"`
	// FinishReason is the API's finish_reason, "" when the stream ended without one.
	FinishReason string        `json:"finish_reason,omitempty"`
	PromptFilter FilterResults `json:"prompt_filter,omitempty"`
	Filter       FilterResults `json:"filter,omitempty"`
	Usage        *Usage        `json:"usage,omitempty"`
	// Model is the model that wrote an answer, from the response's model field.
	Model string `json:"model,omitempty"`
	// Reasoning is the summary of a reasoning model's thinking, when the
	// Responses API returned one; shown collapsed above the answer.
	Reasoning string `json:"reasoning,omitempty"`
	// Attachments are the images and text files sent with a user message.
	Attachments []Attachment `json:"attachments,omitempty"`
	// Error is the mapped reason of a failed answer, safe to show and store.
	Error string `json:"error,omitempty"`
	// ErrorKind and Action are what the error map decided, kept with the
	// message so a reloaded chat offers the same button: the UI never
	// re-derives them from the English of Error.
	ErrorKind Kind   `json:"error_kind,omitempty"`
	Action    Action `json:"action,omitempty"`
	// Profile and Deployment name what answered, and Prices are the
	// profile's prices per million tokens in force then (a copy): the
	// answer's cost never changes when the settings do. Answers saved
	// before azchat recorded them have "" (reported as Unknown) and none.
	Profile    string `json:"profile,omitempty"`
	Deployment string `json:"deployment,omitempty"`
	Prices     Prices `json:"prices,omitzero"`

	// The token cost is cached per encoding so a send re-encodes nothing old.
	costEnc tokens.Encoding
	cost    int
}

// SetContent replaces the text and drops the cached token count.
func (m *Message) SetContent(s string) {
	m.Content = s
	m.costEnc, m.cost = "", 0
}

// Cost is the message's prompt cost for the counter's model: its text
// (with attached text files) under the model's encoding, cached, plus its
// images by the model's image rule, which is arithmetic and not cached.
func (m *Message) Cost(c *tokens.Counter) int {
	enc := c.Choice().Encoding
	if m.costEnc != enc {
		m.cost = c.Message(string(m.Role), m.Name, m.PromptText())
		m.costEnc = enc
	}
	n := m.cost
	if !c.SeesImages() {
		return n // images are not sent to a model that sees none
	}
	for i := range m.Attachments {
		if a := &m.Attachments[i]; a.Kind == ImageAttachment && len(a.Data) > 0 {
			n += c.Image(a.Width, a.Height, string(a.Detail)).Tokens
		}
	}
	return n
}

// SetAttachments replaces the attachments and drops the cached token count.
func (m *Message) SetAttachments(a []Attachment) {
	m.Attachments = a
	m.costEnc, m.cost = "", 0
}

// CachedCost returns the cached cost of the message's text (without its
// images) and whether one is cached for enc.
func (m *Message) CachedCost(enc tokens.Encoding) (int, bool) {
	return m.cost, m.costEnc == enc && enc != ""
}

// SetCachedCost restores a count stored earlier (e.g. from the history database).
func (m *Message) SetCachedCost(enc tokens.Encoding, n int) { m.costEnc, m.cost = enc, n }

// Sendable reports whether the message belongs in the next prompt: failed
// placeholders and empty answers are history for the user, not for the model.
func (m *Message) Sendable() bool {
	if m.Status == Failed || m.Status == Streaming {
		return false
	}
	return !(m.Role == Assistant && strings.TrimSpace(m.Content) == "")
}

// Example is one pinned few-shot pair, sent before the turns and never trimmed.
type Example struct {
	User      string `json:"user"`
	Assistant string `json:"assistant"`
}

// Overrides are one conversation's own generation settings, over the
// profile's. Zero values leave the profile's setting in force.
type Overrides struct {
	Temperature *float64 `json:"temperature,omitempty"`
	MaxTokens   int      `json:"max_tokens,omitempty"`
	Window      int      `json:"context_window,omitempty"`
	// ReasoningEffort and Verbosity are sent only to models that take
	// them (reasoning_effort: minimal…high; verbosity: gpt-5's low,
	// medium, high); "" leaves the service default.
	ReasoningEffort string `json:"reasoning_effort,omitempty"`
	Verbosity       string `json:"verbosity,omitempty"`
	// Detail is the image detail new attachments are sent with ("" is
	// auto, which is counted as high: an upper bound).
	Detail Detail `json:"image_detail,omitempty"`
}

// IsZero reports whether nothing is overridden.
func (o Overrides) IsZero() bool {
	return o.Temperature == nil && o.MaxTokens == 0 && o.Window == 0 && o.ReasoningEffort == "" && o.Verbosity == "" && o.Detail == ""
}

// Conversation is a system message, pinned examples and the turns.
type Conversation struct {
	ID        string     `json:"id,omitempty"`
	Title     string     `json:"title,omitempty"`
	System    string     `json:"system,omitempty"`
	Examples  []Example  `json:"examples,omitempty"`
	Overrides Overrides  `json:"overrides,omitempty"`
	Messages  []*Message `json:"messages"`
	// Others are the messages of the branches not on screen: Messages is
	// the active path, the one requests, the budget and exports use.
	Others []*Message `json:"others,omitempty"`
	// Leaf is the Node of the active path's last message when Messages
	// does not hold the path (a save's header); see ActiveLeaf.
	Leaf int64 `json:"-"`

	sysCost Message
	exCosts []Message
}

// Clone returns a deep copy that shares nothing with c: messages, their
// filter verdicts and usage, and the overrides' temperature are all copied.
func (c *Conversation) Clone() *Conversation {
	out := &Conversation{ID: c.ID, Title: c.Title, System: c.System, Overrides: c.Overrides, Leaf: c.Leaf}
	if t := c.Overrides.Temperature; t != nil {
		v := *t
		out.Overrides.Temperature = &v
	}
	out.Examples = append([]Example(nil), c.Examples...)
	out.Messages = make([]*Message, len(c.Messages))
	for i, m := range c.Messages {
		cp := m.Clone()
		out.Messages[i] = &cp
	}
	if len(c.Others) > 0 {
		out.Others = make([]*Message, len(c.Others))
		for i, m := range c.Others {
			cp := m.Clone()
			out.Others[i] = &cp
		}
	}
	return out
}

// Clone returns a copy of m that shares nothing with it but the bytes of
// its images, which nothing changes once they are read.
func (m *Message) Clone() Message {
	cp := *m
	cp.Filter = m.Filter.Clone()
	cp.PromptFilter = m.PromptFilter.Clone()
	cp.Prices = m.Prices.Clone()
	if m.Usage != nil {
		u := *m.Usage
		cp.Usage = &u
	}
	// An image's bytes are never changed once read, so copies share them.
	cp.Attachments = append([]Attachment(nil), m.Attachments...)
	return cp
}

// pinned returns the system message and the examples as messages, with their
// costs cached across calls as long as their text does not change.
func (c *Conversation) pinned() []*Message {
	var out []*Message
	if strings.TrimSpace(c.System) != "" {
		if c.sysCost.Content != c.System || c.sysCost.Role != System {
			c.sysCost = Message{Role: System, Content: c.System}
		}
		out = append(out, &c.sysCost)
	}
	if len(c.exCosts) != 2*len(c.Examples) {
		c.exCosts = make([]Message, 2*len(c.Examples))
	}
	for i, ex := range c.Examples {
		// The guide's few-shot form: examples as system messages with a name,
		// so the model does not mistake them for the real conversation.
		u, a := &c.exCosts[2*i], &c.exCosts[2*i+1]
		if u.Content != ex.User || u.Role != System {
			*u = Message{Role: System, Name: "example_user", Content: ex.User}
		}
		if a.Content != ex.Assistant || a.Role != System {
			*a = Message{Role: System, Name: "example_assistant", Content: ex.Assistant}
		}
		out = append(out, u, a)
	}
	return out
}

// TitleFrom is the automatic title of a conversation: its first user
// message on one line, cut to max runes; "" when there is none yet.
func TitleFrom(msgs []Message, max int) string {
	for _, m := range msgs {
		if m.Role == User {
			return OneLine(m.Content, max)
		}
	}
	return ""
}

// MaxTitleRunes is the longest title a chat keeps: more than a window's
// title bar shows.
const MaxTitleRunes = 200

// OneLine is text shown on one line, such as a title: control characters
// and runs of white space become one space, and it has at most max runes
// (cut with "…"). A title comes from the user or an imported file, and
// goes to the window manager's title bar and one-line sidebar rows; a
// model name or an error from a server or a file goes to a row's header
// or badge.
//
// It reads no more of s than it keeps (a title may come from a message of
// megabytes, and rows call it as they are drawn), and returns s itself when
// it is already so.
func OneLine(s string, max int) string {
	if len(s) <= max && isOneLine(s) {
		return s
	}
	out := make([]rune, 0, min(len(s), max+1))
	space := false
	for _, r := range s { // invalid bytes come as U+FFFD
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			space = len(out) > 0
			continue
		}
		if space {
			out, space = append(out, ' '), false
		}
		out = append(out, r)
		if len(out) > max {
			break
		}
	}
	if len(out) > max {
		return string(out[:max-1]) + "…"
	}
	return string(out)
}

// isOneLine reports whether s is valid UTF-8 with no control characters, no
// white space but single spaces, and none at either end.
func isOneLine(s string) bool {
	if !utf8.ValidString(s) || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") || strings.Contains(s, "  ") {
		return false
	}
	for _, r := range s {
		if r != ' ' && (unicode.IsSpace(r) || unicode.IsControl(r)) {
			return false
		}
	}
	return true
}

// AutoTitle is TitleFrom for the conversation's own messages.
func (c *Conversation) AutoTitle(max int) string {
	for _, m := range c.Messages {
		if m.Role == User {
			return TitleFrom([]Message{*m}, max)
		}
	}
	return ""
}
