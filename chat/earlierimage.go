package chat

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/azchat/azchat/chat/models"
)

// KindEarlierImage is an image the service refused in a message before
// the one just sent (an imported chat's, or one another deployment took):
// every message of the chat is refused while that one is sent with it.
// The error names the message; leaving the new question out of later
// requests (refusedQuestion) would not help, and Retry, once that message
// is deleted, sends the question again.
const KindEarlierImage Kind = "earlier-image"

// traceRefusedImage names, in an image refusal, the message whose image
// it was, when the service's error says (its parameter) and that is not
// the question of this turn (before index idx) but an earlier message
// with images. Called with c.mu held; req is the request refused (with
// the Continue prompt at its end when continued), budget the plan it was
// made from.
func (c *Controller) traceRefusedImage(e *Error, req Request, budget Budget, idx int, continued bool) *Error {
	w, ok := refusedWireMessage(e.Param, req)
	// The system message and examples come first, then the plan's
	// messages: counted from the request, as it went.
	pinned := len(req.Messages) - len(budget.Sent)
	if continued {
		pinned--
	}
	if !ok || pinned < 0 || w < pinned || w-pinned >= len(budget.Sent) {
		return e
	}
	k := budget.Sent[w-pinned]
	question := -1
	for i := min(idx, len(c.conv.Messages)) - 1; i >= 0; i-- {
		if c.conv.Messages[i].Role == User {
			question = i
			break
		}
	}
	if k == question || k >= len(c.conv.Messages) {
		return e
	}
	if m := c.conv.Messages[k]; m.Role != User || len(m.Images()) == 0 {
		return e // not one the service could mean: said as it was
	}
	traced := *e
	traced.Kind, traced.Action = KindEarlierImage, ActionRetry
	traced.Reason = fmt.Sprintf("Azure OpenAI could not use an image in an earlier message of this chat (%s), which is sent with every message: "+
		"delete that message, then Retry (or start a new chat)", describeMessage(c.conv.Messages[k]))
	return &traced
}

// describeMessage names a message for the user: its first words, or its
// images' names.
func describeMessage(m *Message) string {
	if t := OneLine(m.Content, 40); t != "" {
		return "your message “" + t + "”"
	}
	var names []string
	for _, a := range m.Images() {
		names = append(names, OneLine(a.Name, 40))
	}
	return "your message with " + OneLine(strings.Join(names, ", "), 80)
}

// refusedWireMessage is the index in req.Messages of the message an
// error's parameter names: messages[N]… for Chat Completions, where the
// two are one to one; input[N]… for the Responses API, whose input leaves
// out the system messages (its instructions) but not the examples.
func refusedWireMessage(param string, req Request) (int, bool) {
	prefix := "messages["
	if req.API == models.Responses {
		prefix = "input["
	}
	rest, ok := strings.CutPrefix(param, prefix)
	if !ok {
		// OpenAI's errors also write it messages.[N].
		if rest, ok = strings.CutPrefix(param, strings.TrimSuffix(prefix, "[")+".["); !ok {
			return 0, false
		}
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return 0, false
	}
	n, err := strconv.Atoi(rest[:end])
	if err != nil || n < 0 {
		return 0, false
	}
	if req.API != models.Responses {
		if n >= len(req.Messages) {
			return 0, false
		}
		return n, true
	}
	for i, m := range req.Messages {
		if m.Role == System && m.Name != "example_user" && m.Name != "example_assistant" {
			continue // in the instructions
		}
		if n == 0 {
			return i, true
		}
		n--
	}
	return 0, false
}
