package chat

import (
	"testing"

	"github.com/azchat/azchat/chat/models"
)

// TestRefusedWireMessage maps the parameter an image refusal names to the
// message of the request: one to one for Chat Completions; for the
// Responses API without the system messages, which go as instructions.
func TestRefusedWireMessage(t *testing.T) {
	msgs := []WireMessage{
		{Role: System, Content: "Be brief."},
		{Role: System, Name: "example_user", Content: "hi"},
		{Role: System, Name: "example_assistant", Content: "hello"},
		{Role: User, Content: "look"},
		{Role: Assistant, Content: "a cat"},
		{Role: User, Content: "and this"},
	}
	for _, c := range []struct {
		api   models.API
		param string
		want  int
		ok    bool
	}{
		{models.Chat, "messages[3].content[1].image_url", 3, true},
		{models.Chat, "messages[5]", 5, true},
		{models.Chat, "messages.[4].content[1].image_url", 4, true},
		{models.Responses, "input.[2].content[1]", 3, true},
		{models.Chat, "messages[6].content[0]", 0, false},
		{models.Chat, "input[3].content[1]", 0, false},
		{models.Chat, "messages[-1]", 0, false},
		{models.Chat, "messages[x]", 0, false},
		{models.Chat, "", 0, false},
		{models.Responses, "input[2].content[1].image_url", 3, true},
		{models.Responses, "input[0]", 1, true},
		{models.Responses, "input[4]", 5, true},
		{models.Responses, "input[5]", 0, false},
		{models.Responses, "messages[3]", 0, false},
	} {
		got, ok := refusedWireMessage(c.param, Request{API: c.api, Messages: msgs})
		if got != c.want || ok != c.ok {
			t.Errorf("%s %q: %d %v, want %d %v", c.api, c.param, got, ok, c.want, c.ok)
		}
	}
}
