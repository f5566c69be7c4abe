package azure_test

import (
	"context"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/chat/models"
	"github.com/azchat/azchat/internal/fakeazure"
)

func responsesClient(t *testing.T, srv *fakeazure.Server) *azure.Client {
	t.Helper()
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	c, err := azure.New(azure.Config{BaseURL: srv.BaseURL(), APIKey: "rk"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func collectAll(t *testing.T, c *azure.Client, req chat.Request) (text, reasoning string, last chat.Delta, err error) {
	t.Helper()
	var sb, rb strings.Builder
	err = c.Stream(context.Background(), req, func(d chat.Delta) {
		sb.WriteString(d.Content)
		rb.WriteString(d.Reasoning)
		if d.FinishReason != "" {
			last.FinishReason = d.FinishReason
		}
		if d.Usage != nil {
			last.Usage = d.Usage
		}
		if d.Model != "" {
			last.Model = d.Model
		}
	})
	return sb.String(), rb.String(), last, err
}

// TestResponsesStream: a request to the Responses API sends the system
// message as instructions, the turns and examples as input messages,
// store false and max_output_tokens, asks a reasoning model for a summary,
// and reads the streamed text, summary, model and usage (with its cached
// and reasoning details).
func TestResponsesStream(t *testing.T) {
	srv := &fakeazure.Server{APIKey: "rk", Deployments: map[string]fakeazure.Deployment{"codex": {Model: "gpt-5.1-codex-2025-11-13"}}}
	c := responsesClient(t, srv)
	srv.Script(fakeazure.Behaviour{Reply: "Here is the code.", ReasoningSummary: "I thought about it.", CachedTokens: 3, ReasoningTokens: 50})
	req := chat.Request{Deployment: "codex", API: models.Responses, Reasoning: true, ReasoningEffort: "low", MaxTokens: 500,
		Messages: []chat.WireMessage{
			{Role: chat.System, Content: "Be terse."},
			{Role: chat.System, Name: "example_user", Content: "2+2?"},
			{Role: chat.System, Name: "example_assistant", Content: "4"},
			{Role: chat.User, Content: "Write code."},
		}}
	text, reasoning, last, err := collectAll(t, c, req)
	if err != nil {
		t.Fatal(err)
	}
	if text != "Here is the code." || reasoning != "I thought about it." || last.FinishReason != "stop" || last.Model != "gpt-5.1-codex-2025-11-13" {
		t.Fatalf("text %q reasoning %q last %+v", text, reasoning, last)
	}
	if u := last.Usage; u == nil || u.CachedPromptTokens != 3 || u.ReasoningTokens != 50 || u.CompletionTokens < 50 {
		t.Fatalf("usage %+v", last.Usage)
	}
	body := srv.Requests()[0].Body
	if srv.Requests()[0].Path != "/openai/v1/responses" || body["model"] != "codex" || body["instructions"] != "Be terse." || body["store"] != false ||
		body["max_output_tokens"] != 500.0 || body["stream"] != true {
		t.Fatalf("body %v", body)
	}
	input, _ := body["input"].([]any)
	roles := []string{}
	for _, it := range input {
		roles = append(roles, it.(map[string]any)["role"].(string))
	}
	if strings.Join(roles, ",") != "user,assistant,user" {
		t.Fatalf("input roles %v", roles)
	}
	rs, _ := body["reasoning"].(map[string]any)
	if rs["effort"] != "low" || rs["summary"] != "auto" {
		t.Fatalf("reasoning %v", body["reasoning"])
	}
}

// TestResponsesEndings: max_output_tokens ends as a truncated answer does,
// a content filter as a filtered one, a failed response through the error
// map.
func TestResponsesEndings(t *testing.T) {
	srv := &fakeazure.Server{APIKey: "rk"}
	c := responsesClient(t, srv)
	srv.Script(fakeazure.Behaviour{Reply: "one two three four five six"}, fakeazure.Behaviour{Reply: "bad", FinishReason: "content_filter"},
		fakeazure.Behaviour{Reply: "oops", Fail: "server_error"})
	req := chat.Request{Deployment: "d", API: models.Responses, MaxTokens: 2, Messages: []chat.WireMessage{{Role: chat.User, Content: "count"}}}
	if _, _, last, err := collectAll(t, c, req); err != nil || last.FinishReason != "length" {
		t.Fatalf("max_output_tokens: %+v %v", last, err)
	}
	req.MaxTokens = 0
	if _, _, last, err := collectAll(t, c, req); err != nil || last.FinishReason != "content_filter" {
		t.Fatalf("content filter: %+v %v", last, err)
	}
	_, _, _, err := collectAll(t, c, req)
	if e := chat.AsError(err); e.Kind != chat.KindStreamError || !strings.Contains(e.Reason, "internal error") {
		t.Fatalf("failed: %+v", e)
	}
}

// TestChatForAResponsesOnlyModel: Azure's OperationNotSupported maps to its
// own kind, which says to use the Responses API.
func TestChatForAResponsesOnlyModel(t *testing.T) {
	srv := &fakeazure.Server{APIKey: "rk", Deployments: map[string]fakeazure.Deployment{"codex": {Model: "gpt-5.1-codex"}}}
	c := responsesClient(t, srv)
	_, _, _, err := collectAll(t, c, chat.Request{Deployment: "codex", Messages: []chat.WireMessage{{Role: chat.User, Content: "hi"}}})
	if e := chat.AsError(err); e.Kind != chat.KindOperationNotSupported || !strings.Contains(e.Reason, "OperationNotSupported") {
		t.Fatalf("err %+v", e)
	}
}
