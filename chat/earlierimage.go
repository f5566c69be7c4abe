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
// requests (refusedQuestion) would not help.
const KindEarlierImage Kind = "earlier-image"

// traceRefusedImage names, in an image refusal, the message whose image
// it was, when the service's error says (its parameter) and that is not
// the question of this turn (before index idx). Called with c.mu held;
// req is the request refused, budget the plan it was made from.
func (c *Controller) traceRefusedImage(e *Error, req Request, budget Budget, idx int) *Error {
	w, ok := refusedWireMessage(e.Param, req)
	pinned := len(c.conv.pinned())
	if !ok || w < pinned || w-pinned >= len(budget.Sent) {
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
	traced := *e
	traced.Kind, traced.Action = KindEarlierImage, ActionNewChat
	traced.Reason = fmt.Sprintf("Azure OpenAI could not use an image in an earlier message of this chat (%s), which is sent with every message: "+
		"delete that message, or start a new chat, then send again", describeMessage(c.conv.Messages[k]))
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
		return 0, false
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
