package chat_test

import (
	"context"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/internal/fakeazure"
)

func paths(srv *fakeazure.Server) []string {
	var out []string
	for _, r := range srv.Requests() {
		out = append(out, r.Path)
	}
	return out
}

// TestAutoSwitchesToResponsesAndRemembers: under API Auto, a deployment
// whose model Chat Completions refuses (OperationNotSupported) is asked
// again through the Responses API, once, and the next answer goes there
// directly.
func TestAutoSwitchesToResponsesAndRemembers(t *testing.T) {
	// A model the facts table does not know, so only the remembered
	// refusal sends the second answer to the Responses API.
	r := newRig(t, chat.Options{Deployment: "codex"}, func(s *fakeazure.Server, _ *azure.Config) {
		s.Deployments["codex"] = fakeazure.Deployment{Model: "contoso-codex-tune"}
	})
	r.srv.Script(fakeazure.Behaviour{}, fakeazure.Behaviour{Reply: "done"}, fakeazure.Behaviour{Reply: "again"})
	m := r.send(t, "write code")
	if m.Status != chat.Complete || m.Content != "done" {
		t.Fatalf("answer %+v", m)
	}
	m = r.send(t, "more")
	if m.Status != chat.Complete || m.Content != "again" {
		t.Fatalf("second answer %+v", m)
	}
	got := paths(r.srv)
	want := []string{"/openai/v1/chat/completions", "/openai/v1/responses", "/openai/v1/responses"}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("requests %v", got)
	}
}

// TestResponsesOnlyModelGoesThereFirst: a model the facts table marks
// Responses-only is asked through the Responses API from the start (a
// reasoning model: with a summary of its reasoning, kept with the answer),
// and with API set to Chat Completions the refusal is shown, not worked
// around.
func TestResponsesOnlyModelGoesThereFirst(t *testing.T) {
	cfg := func(s *fakeazure.Server, _ *azure.Config) {
		s.Deployments["codex"] = fakeazure.Deployment{Model: "gpt-5.1-codex-2025-11-13"}
	}
	r := newRig(t, chat.Options{Deployment: "codex", Model: "gpt-5.1-codex"}, cfg)
	r.srv.Script(fakeazure.Behaviour{Reply: "ok", ReasoningSummary: "Planned it."})
	if m := r.send(t, "hi"); m.Status != chat.Complete || m.Reasoning != "Planned it." || len(paths(r.srv)) != 1 || paths(r.srv)[0] != "/openai/v1/responses" {
		t.Fatalf("answer %+v via %v", m, paths(r.srv))
	}
	r = newRig(t, chat.Options{Deployment: "codex", API: chat.APIChat}, cfg)
	m := r.send(t, "hi")
	if m.Status != chat.Failed || m.ErrorKind != chat.KindOperationNotSupported || len(paths(r.srv)) != 1 {
		t.Fatalf("with Chat Completions: %+v via %v", m, paths(r.srv))
	}
}

// TestReasoningEffortAndVerbosityOnlyWhereTaken: a chat's reasoning effort
// and verbosity go to a model that takes them, in Chat Completions as in
// the Responses API, and never to one that does not.
func TestReasoningEffortAndVerbosityOnlyWhereTaken(t *testing.T) {
	for _, c := range []struct {
		model, path     string
		effort, verbose any
	}{
		{"gpt-5", "/openai/v1/chat/completions", "minimal", "low"},
		{"gpt-5.1-codex", "/openai/v1/responses", "low", nil},
		{"gpt-4o", "/openai/v1/chat/completions", nil, nil},
	} {
		r := newRig(t, chat.Options{Deployment: "chat", Model: c.model}, nil)
		effort := "minimal"
		if c.model == "gpt-5.1-codex" {
			effort = "low"
		}
		r.ctl.SetOverrides(chat.Overrides{ReasoningEffort: effort, Verbosity: "low"})
		r.send(t, "hi")
		req := r.srv.Requests()[len(r.srv.Requests())-1]
		var gotEffort, gotVerbose any
		if req.Path == "/openai/v1/responses" {
			if rs, ok := req.Body["reasoning"].(map[string]any); ok {
				gotEffort = rs["effort"]
			}
			if tx, ok := req.Body["text"].(map[string]any); ok {
				gotVerbose = tx["verbosity"]
			}
		} else {
			gotEffort, gotVerbose = req.Body["reasoning_effort"], req.Body["verbosity"]
		}
		if req.Path != c.path || gotEffort != c.effort || gotVerbose != c.verbose {
			t.Errorf("%s: %s effort %v verbosity %v", c.model, req.Path, gotEffort, gotVerbose)
		}
	}
}

// TestConnectionTestFindsAResponsesOnlyModel: Test connection on a
// deployment only the Responses API serves answers with its model.
func TestConnectionTestFindsAResponsesOnlyModel(t *testing.T) {
	r := newRig(t, chat.Options{Deployment: "codex"}, func(s *fakeazure.Server, _ *azure.Config) {
		s.Deployments["codex"] = fakeazure.Deployment{Model: "gpt-5.1-codex-2025-11-13"}
	})
	client, err := azure.New(azure.Config{BaseURL: r.srv.BaseURL(), APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	model, err := chat.TestConnection(context.Background(), client, "codex")
	if err != nil || model != "gpt-5.1-codex-2025-11-13" {
		t.Fatalf("model %q, %v", model, err)
	}
	if p := paths(r.srv); len(p) != 2 || p[1] != "/openai/v1/responses" || r.srv.Requests()[1].Body["max_output_tokens"] != 16.0 {
		t.Fatalf("requests %v", p)
	}
}

// TestResponsesWithoutASummaryWhereRefused: a reasoning model that refuses
// to summarise its reasoning is asked again without, and remembered.
func TestResponsesWithoutASummaryWhereRefused(t *testing.T) {
	r := newRig(t, chat.Options{Deployment: "mini", Model: "o1-mini", API: chat.APIResponses}, func(s *fakeazure.Server, _ *azure.Config) {
		s.Deployments["mini"] = fakeazure.Deployment{Model: "o1-mini-2024-09-12"}
	})
	if m := r.send(t, "hi"); m.Status != chat.Complete {
		t.Fatalf("answer %+v", m)
	}
	r.send(t, "again")
	reqs := r.srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want the refused one, its retry and the next", len(reqs))
	}
	for i, want := range []bool{true, false, false} {
		rs, _ := reqs[i].Body["reasoning"].(map[string]any)
		if got := rs["summary"] != nil; got != want {
			t.Fatalf("request %d asks for a summary: %v", i, got)
		}
	}
}
