package chat

import (
	"fmt"
	"strings"

	"github.com/azchat/azchat/chat/tokens"
)

// Strategy is what to do when the conversation outgrows the context window.
type Strategy string

const (
	// DropOldest sends the newest turns that fit and leaves the oldest out (default).
	DropOldest Strategy = "drop-oldest"
	// AskNewChat refuses to send and asks the user to start a new conversation.
	AskNewChat Strategy = "ask-new-chat"
)

// Budget is the token plan for one request.
type Budget struct {
	Window   int // the model's context window
	Reserve  int // tokens kept for the reply
	MaxInput int // the model's cap on a prompt, 0 for none
	Pinned   int // system message and few-shot examples
	Used     int // everything sent, with the 3 that prime the reply
	Estimate bool
	Encoding tokens.Encoding
	// NoImages: the model sees no images, so earlier messages' images
	// are left out of the request (their text is sent).
	NoImages bool
	// Sent holds indexes into Conversation.Messages, oldest first.
	Sent []int
	// Omitted holds indexes of sendable messages left outside the window.
	Omitted []int
}

// Available is what the prompt may use: the window less the reply
// reserve, within the model's input cap.
func (b Budget) Available() int {
	return Limits{Window: b.Window, Reserve: b.Reserve, MaxInput: b.MaxInput}.Available()
}

// Limits are the numbers a plan keeps within.
type Limits struct {
	Window   int // the context window
	Reserve  int // kept for the reply
	MaxInput int // the model's cap on a prompt, 0 for none
}

// Available is min(max input, window − reserve).
func (l Limits) Available() int {
	a := l.Window - l.Reserve
	if l.MaxInput > 0 && l.MaxInput < a {
		a = l.MaxInput
	}
	return a
}

// TooLongError says the system message, examples and newest message alone do
// not fit, with the numbers a person needs to fix it.
type TooLongError struct {
	Need, Available, Window, Reserve int
	// MaxInput is the model's cap on a prompt when that, not the window,
	// is what limits it.
	MaxInput int
	// System and Examples: the conversation has a system message, few-shot
	// examples (sent with every message, so named when there are some).
	System, Examples bool
}

func (e *TooLongError) Error() string {
	what, shorten := "Your message needs", "shorten the message"
	switch {
	case e.System && e.Examples:
		what, shorten = "Your message, with the system message and examples, needs", "shorten the message, the system prompt or the examples"
	case e.System:
		what, shorten = "Your message, with the system message, needs", "shorten the message or the system prompt"
	case e.Examples:
		what, shorten = "Your message, with the examples, needs", "shorten the message or the examples"
	}
	if e.MaxInput > 0 && e.Available == e.MaxInput {
		return fmt.Sprintf("%s %s tokens, but this model takes at most %s input tokens: %s",
			what, FormatInt(int64(e.Need)), FormatInt(int64(e.MaxInput)), shorten)
	}
	return fmt.Sprintf("%s %s tokens, but only %s fit (context window %s - %s reserved for the reply): %s, lower the reply reserve, or raise the context window in settings",
		what, FormatInt(int64(e.Need)), FormatInt(int64(e.Available)), FormatInt(int64(e.Window)), FormatInt(int64(e.Reserve)), shorten)
}

// NeedNewChatError says the conversation no longer fits and the strategy is
// AskNewChat.
type NeedNewChatError struct {
	Used, Available int
}

func (e *NeedNewChatError) Error() string {
	return fmt.Sprintf("this conversation needs %d tokens but only %d fit in the context window: start a new chat, or switch the trim strategy to \"drop oldest\" in settings", e.Used, e.Available)
}

// Plan is PlanWithin a window and reserve, with no input cap.
func Plan(conv *Conversation, c *tokens.Counter, window, reserve int, strategy Strategy) (Budget, error) {
	return PlanWithin(conv, c, Limits{Window: window, Reserve: reserve}, strategy)
}

// PlanWithin chooses what the next request sends: the pinned messages plus the
// newest sendable turns that fit in window − reserve. It leaves what the
// conversation says unchanged, but caches each message's count in the
// message (callers hold the controller's lock), so a plan costs integer
// additions except for messages never counted before.
func PlanWithin(conv *Conversation, c *tokens.Counter, lim Limits, strategy Strategy) (Budget, error) {
	window, reserve := lim.Window, lim.Reserve
	b := Budget{Window: window, Reserve: reserve, MaxInput: lim.MaxInput, Estimate: c.Choice().Estimate, Encoding: c.Choice().Encoding, NoImages: !c.SeesImages()}
	b.Used = tokens.ReplyPrimer
	for _, m := range conv.pinned() {
		b.Pinned += m.Cost(c)
	}
	b.Used += b.Pinned
	avail := b.Available()

	// Walk from the newest message back; the first one that does not fit
	// closes the window, so what is sent is always a contiguous tail.
	// Images close it too: a request carries at most MaxImagesPerRequest.
	first := len(conv.Messages)
	newest := true
	cut := false // a message that did not fit closed the window
	images := 0
	var after *Message // the message after m: the one visited before it
	for i := len(conv.Messages) - 1; i >= 0; i-- {
		m, next := conv.Messages[i], after
		after = m
		if !m.Sendable() || refusedQuestion(m, next) {
			continue
		}
		n := len(m.Images())
		if b.NoImages {
			n = 0
		}
		if images+n > MaxImagesPerRequest {
			if newest {
				return b, &TooManyImagesError{Images: n}
			}
			cut = true
			break
		}
		images += n
		cost := m.Cost(c)
		if b.Used+cost > avail {
			if newest {
				return b, &TooLongError{Need: b.Used + cost, Available: avail, Window: window, Reserve: reserve, MaxInput: lim.MaxInput, System: strings.TrimSpace(conv.System) != "", Examples: len(conv.Examples) > 0}
			}
			cut = true
			break
		}
		newest = false
		b.Used += cost
		first = i
	}
	if newest && b.Used > avail {
		return b, &TooLongError{Need: b.Used, Available: avail, Window: window, Reserve: reserve, MaxInput: lim.MaxInput, System: strings.TrimSpace(conv.System) != "", Examples: len(conv.Examples) > 0}
	}
	if cut {
		// The window cut a turn between its question and its answer: the
		// answer is left out too. Sent first, it answered nothing the
		// model could see.
		first = dropLeadingAnswers(conv, c, first, &b.Used)
	}
	b.Sent = make([]int, 0, len(conv.Messages)-first)
	for i, m := range conv.Messages {
		var next *Message
		if i+1 < len(conv.Messages) {
			next = conv.Messages[i+1]
		}
		if !m.Sendable() || refusedQuestion(m, next) {
			continue
		}
		if i < first {
			b.Omitted = append(b.Omitted, i)
		} else {
			b.Sent = append(b.Sent, i)
		}
	}
	if len(b.Omitted) > 0 && strategy == AskNewChat {
		total := b.Used
		for _, i := range b.Omitted {
			total += conv.Messages[i].Cost(c)
		}
		return b, &NeedNewChatError{Used: total, Available: avail}
	}
	return b, nil
}

// dropLeadingAnswers moves first past the answers that would open what is
// sent, taking their cost off used; the newest message sent always stays.
func dropLeadingAnswers(conv *Conversation, c *tokens.Counter, first int, used *int) int {
	last := len(conv.Messages) - 1
	for ; last > first; last-- {
		var next *Message
		if last+1 < len(conv.Messages) {
			next = conv.Messages[last+1]
		}
		if m := conv.Messages[last]; m.Sendable() && !refusedQuestion(m, next) {
			break // (a failed answer, a refused question: not sent)
		}
	}
	for j := first; j < last; j++ {
		m := conv.Messages[j]
		if !m.Sendable() || refusedQuestion(m, conv.Messages[j+1]) {
			continue // neither counted nor sent
		}
		if m.Role != Assistant {
			break
		}
		*used -= m.Cost(c)
		first = j + 1
	}
	return first
}

// WireMessage is one message as the Chat Completions API takes it: its
// text, and the images that go with it as image_url parts after the text.
type WireMessage struct {
	Role    Role        `json:"role"`
	Name    string      `json:"name,omitempty"`
	Content string      `json:"content"`
	Images  []WireImage `json:"images,omitempty"`
}

// wire is m as it is sent (without its images for a model that sees none).
func wire(m *Message, noImages bool) WireMessage {
	w := WireMessage{Role: m.Role, Name: m.Name, Content: m.PromptText()}
	if noImages {
		return w
	}
	for _, a := range m.Images() {
		if len(a.Data) == 0 {
			continue // its bytes were lost (an import without them): nothing to send
		}
		d := a.Detail
		if d == "" {
			d = DetailAuto
		}
		w.Images = append(w.Images, WireImage{URL: a.DataURL(), Detail: d})
	}
	return w
}

// Wire lists the messages a plan sends, in order.
func (b Budget) Wire(conv *Conversation) []WireMessage {
	pinned := conv.pinned()
	out := make([]WireMessage, 0, len(pinned)+len(b.Sent))
	for _, m := range pinned {
		out = append(out, WireMessage{Role: m.Role, Name: m.Name, Content: m.Content})
	}
	for _, i := range b.Sent {
		out = append(out, wire(conv.Messages[i], b.NoImages))
	}
	return out
}

// refusedQuestion reports whether m, followed by next, is a question the service
// refused for what it held: its answer failed on the prompt filter, or on
// an image the service would not take. It is left out of later requests
// (it stays in the chat, as does the reason): sent again with every later
// message, it would have every one of them refused too. Regenerate
// sends it again, as the newest message (the failed answer is set aside).
func refusedQuestion(m, next *Message) bool {
	// The rare case first: Plan asks this of every message (10,000 in a
	// long chat), and few are followed by a failed answer.
	if next == nil || next.Status != Failed || m.Role != User || next.Role != Assistant {
		return false
	}
	// An image refused when the question brought none was an earlier
	// one's: leaving this question out would not help.
	return next.ErrorKind == KindPromptFiltered || next.ErrorKind == KindAttachment && len(m.Images()) > 0
}
