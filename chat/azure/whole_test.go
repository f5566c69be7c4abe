package azure_test

import (
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/models"
	"github.com/azchat/azchat/internal/fakeazure"
)

// TestAnswersReadWhole: Azure does not stream some models (o1, o3-pro,
// gpt-5-pro): a streamed request is refused, and every answer failed.
// Asked for whole, the answer (text, reasoning summary, finish, model)
// reaches the caller as a stream's events would, through both APIs.
func TestAnswersReadWhole(t *testing.T) {
	srv := &fakeazure.Server{APIKey: "rk", Deployments: map[string]fakeazure.Deployment{
		"o1": {Model: "o1-2024-12-17"}, "pro": {Model: "gpt-5-pro-2025-10-06"},
	}}
	c := responsesClient(t, srv)
	q := []chat.WireMessage{{Role: chat.User, Content: "hi"}}

	// Streamed, refused as Azure does.
	_, _, _, err := collectAll(t, c, chat.Request{Deployment: "o1", Messages: q})
	if e := chat.AsError(err); e.Kind != chat.KindUnsupportedParam || e.Param != "stream" {
		t.Fatalf("a stream to o1: %+v", e)
	}
	// Chat Completions, whole.
	srv.Script(fakeazure.Behaviour{Reply: "the whole answer"})
	text, _, last, err := collectAll(t, c, chat.Request{Deployment: "o1", Messages: q, Whole: true, Reasoning: true})
	if err != nil || text != "the whole answer" || last.FinishReason != "stop" || last.Model != "o1-2024-12-17" {
		t.Fatalf("o1 whole: %q %+v %v", text, last, err)
	}
	body := srv.Requests()[len(srv.Requests())-1].Body
	if _, ok := body["stream_options"]; ok || body["stream"] != false {
		t.Fatalf("the request asked for a stream: %v", body)
	}
	// The Responses API, whole, with its reasoning summary.
	srv.Script(fakeazure.Behaviour{Reply: "the whole answer", ReasoningSummary: "thought about it"})
	text, reasoning, last, err := collectAll(t, c, chat.Request{Deployment: "pro", Messages: q, Whole: true, Reasoning: true, API: models.Responses})
	if err != nil || text != "the whole answer" || reasoning != "thought about it" || last.FinishReason != "stop" || last.Model != "gpt-5-pro-2025-10-06" {
		t.Fatalf("gpt-5-pro whole: %q %q %+v %v", text, reasoning, last, err)
	}
	if body := srv.Requests()[len(srv.Requests())-1].Body; body["stream"] == true {
		t.Fatalf("the Responses request asked for a stream: %v", body)
	}
}

// TestWholeAnswerCutByTheLimit: an incomplete response read whole is
// marked as a streamed one is (length).
func TestWholeAnswerCutByTheLimit(t *testing.T) {
	srv := &fakeazure.Server{APIKey: "rk", Deployments: map[string]fakeazure.Deployment{"pro": {Model: "gpt-5-pro-2025-10-06"}}}
	srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("word ", 50)})
	c := responsesClient(t, srv)
	_, _, last, err := collectAll(t, c, chat.Request{Deployment: "pro", Messages: []chat.WireMessage{{Role: chat.User, Content: "hi"}}, Whole: true, Reasoning: true, API: models.Responses, MaxTokens: 5})
	if err != nil || last.FinishReason != "length" {
		t.Fatalf("%+v %v", last, err)
	}
}
