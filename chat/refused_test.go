package chat_test

import (
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/internal/fakeazure"
)

// sentTexts is the text of every message of a request to the stand-in.
func sentTexts(t *testing.T, q fakeazure.Request) string {
	t.Helper()
	var b strings.Builder
	msgs, _ := q.Body["messages"].([]any)
	for _, m := range msgs {
		switch c := m.(map[string]any)["content"].(type) {
		case string:
			b.WriteString(c + "\n")
		case []any:
			for _, p := range c {
				part := p.(map[string]any)
				if text, ok := part["text"].(string); ok {
					b.WriteString(text + "\n")
				}
				if part["type"] == "image_url" {
					b.WriteString("[image]\n")
				}
			}
		}
	}
	return b.String()
}

// TestARefusedImageDoesNotFailTheRestOfTheChat: Azure refusing an image
// was reported as a settings problem, and the question holding it was
// sent again with every later message, each refused in turn. It is an
// attachment failure offering Edit; later messages go without that
// question; Retry sends it again.
func TestARefusedImageDoesNotFailTheRestOfTheChat(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{Status: 400, Body: []byte(`{"error":{"message":"Invalid image.","type":"invalid_request_error","param":null,"code":null}}`)})
	if err := r.ctl.SendWith("what is in this picture", []chat.Attachment{imageAttachment(t, 8, 8, "")}); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	conv := r.ctl.Conversation()
	if a := conv.Messages[1]; a.Status != chat.Failed || a.ErrorKind != chat.KindAttachment || a.Action != chat.ActionEdit || strings.Contains(a.Error, "settings") {
		t.Fatalf("refused image: %s %q %q %q", a.Status, a.ErrorKind, a.Action, a.Error)
	}
	if m := r.send(t, "then tell me a joke"); m.Status != chat.Complete {
		t.Fatalf("the next message: %s %q", m.Status, m.Error)
	}
	reqs := r.srv.Requests()
	if sent := sentTexts(t, reqs[len(reqs)-1]); strings.Contains(sent, "picture") || strings.Contains(sent, "[image]") || !strings.Contains(sent, "joke") {
		t.Fatalf("the next request carried:\n%s", sent)
	}
	// Retry on the refused one (the chat's path ends there again once
	// the later turn is gone): sent again, image and all.
	r2 := newRig(t, chat.Options{}, nil)
	r2.srv.Script(fakeazure.Behaviour{Status: 400, Body: []byte(`{"error":{"code":"invalid_image_format","message":"The image format is not supported.","param":"messages[1].content[1].image_url"}}`)})
	if err := r2.ctl.SendWith("what is in this picture", []chat.Attachment{imageAttachment(t, 8, 8, "")}); err != nil {
		t.Fatal(err)
	}
	r2.ctl.Wait()
	if err := r2.ctl.Retry(); err != nil {
		t.Fatal(err)
	}
	r2.ctl.Wait()
	reqs = r2.srv.Requests()
	if sent := sentTexts(t, reqs[len(reqs)-1]); !strings.Contains(sent, "picture") || !strings.Contains(sent, "[image]") {
		t.Fatalf("Retry sent:\n%s", sent)
	}
}

// TestAFilteredQuestionIsNotSentAgain: a question the prompt filter
// refused was sent again with the rephrased one, and refused again.
func TestAFilteredQuestionIsNotSentAgain(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fixtureError(400, "error-400-content-filter.json", nil))
	if m := r.send(t, "the refused words"); m.Status != chat.Failed || m.ErrorKind != chat.KindPromptFiltered {
		t.Fatalf("filtered: %s %q", m.Status, m.ErrorKind)
	}
	if m := r.send(t, "said another way"); m.Status != chat.Complete {
		t.Fatalf("rephrased: %s %q", m.Status, m.Error)
	}
	reqs := r.srv.Requests()
	if sent := sentTexts(t, reqs[len(reqs)-1]); strings.Contains(sent, "refused words") || !strings.Contains(sent, "another way") {
		t.Fatalf("the rephrased request carried:\n%s", sent)
	}
	if u := r.ctl.LastBudget(); len(u.Sent) != 1 {
		t.Fatalf("the plan sent messages %v", u.Sent)
	}
}

// TestAnImageErrorOnAQuestionWithoutImagesLeavesItIn: the refused image
// was an earlier one's, so the question that brought none is not left out
// of later requests.
func TestAnImageErrorOnAQuestionWithoutImagesLeavesItIn(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.srv.Script(fakeazure.Behaviour{Status: 400, Body: []byte(`{"error":{"message":"Invalid image.","code":null}}`)})
	if m := r.send(t, "words alone"); m.Status != chat.Failed || m.ErrorKind != chat.KindAttachment {
		t.Fatalf("%s %q", m.Status, m.ErrorKind)
	}
	r.send(t, "and then")
	reqs := r.srv.Requests()
	if sent := sentTexts(t, reqs[len(reqs)-1]); !strings.Contains(sent, "words alone") {
		t.Fatalf("the question without images was left out:\n%s", sent)
	}
}

// TestARefusedEarlierImageIsNamed: the service refuses an image of an
// earlier message (it names it by its place in the request, after the
// system message and the examples); the question just sent brought none.
// The failure says which message it was, and what to do: once that
// message is deleted, Retry sends the question again and it is answered.
func TestARefusedEarlierImageIsNamed(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	if err := r.ctl.SetConversation(&chat.Conversation{ID: chat.NewConversationID(), System: "Be brief.", Examples: []chat.Example{{User: "hi", Assistant: "hello"}}}); err != nil {
		t.Fatal(err)
	}
	if err := r.ctl.SendWith("describe this drawing please", []chat.Attachment{imageAttachment(t, 8, 8, "")}); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	// messages: [0] system, [1] and [2] the example, [3] the drawing.
	r.srv.Script(fakeazure.Behaviour{Status: 400, Body: []byte(`{"error":{"code":"invalid_image_format","message":"The image format is not supported.","param":"messages[3].content[1].image_url"}}`)})
	m := r.send(t, "and now a joke")
	if m.Status != chat.Failed || m.ErrorKind != chat.KindEarlierImage || m.Action != chat.ActionRetry ||
		!strings.Contains(m.Error, "earlier message") || !strings.Contains(m.Error, "“describe this drawing please”") {
		t.Fatalf("%s %q %q %q", m.Status, m.ErrorKind, m.Action, m.Error)
	}
	if err := r.ctl.Delete(0); err != nil {
		t.Fatal(err)
	}
	if err := r.ctl.Retry(); err != nil {
		t.Fatal(err)
	}
	r.ctl.Wait()
	conv := r.ctl.Conversation()
	last := conv.Messages[len(conv.Messages)-1]
	reqs := r.srv.Requests()
	if sent := sentTexts(t, reqs[len(reqs)-1]); last.Status != chat.Complete || !strings.Contains(sent, "a joke") || strings.Contains(sent, "[image]") {
		t.Fatalf("after deleting it, Retry: %s; sent\n%s", last.Status, sent)
	}
}

// TestAnImageRefusalNamingNoImageIsSaidAsItWas: a parameter naming a
// message without images (a service counting otherwise) is not traced.
func TestAnImageRefusalNamingNoImageIsSaidAsItWas(t *testing.T) {
	r := newRig(t, chat.Options{}, nil)
	r.send(t, "words alone")
	r.srv.Script(fakeazure.Behaviour{Status: 400, Body: []byte(`{"error":{"code":"invalid_image_format","message":"unsupported","param":"messages[0].content[1].image_url"}}`)})
	if m := r.send(t, "and then"); m.ErrorKind != chat.KindAttachment {
		t.Fatalf("%q %q", m.ErrorKind, m.Error)
	}
}
