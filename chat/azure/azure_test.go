package azure_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/chat/models"
	"github.com/azchat/azchat/internal/fakeazure"
)

// fakeAz puts an `az` on PATH that serves AzureCLICredential offline
// (see fakeazure.InstallAz).
func fakeAz(t *testing.T, token string, fail bool) string {
	t.Helper()
	return fakeazure.InstallAz(t, token, fail)
}

func collect(t *testing.T, c *azure.Client) (string, error) {
	var sb strings.Builder
	err := c.Stream(context.Background(), chat.Request{Deployment: "chat", Messages: []chat.WireMessage{{Role: chat.User, Content: "hi"}}}, func(d chat.Delta) {
		sb.WriteString(d.Content)
	})
	return sb.String(), err
}

func TestEntraIDThroughAzureCLI(t *testing.T) {
	calls := fakeAz(t, "entra-token-abc", false)
	srv := &fakeazure.Server{BearerToken: "entra-token-abc"}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cred, err := azure.NewCredential(azure.AuthEntra, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := azure.New(azure.Config{BaseURL: srv.BaseURL(), Credential: cred})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		text, err := collect(t, c)
		if err != nil || text == "" {
			t.Fatalf("stream: %q %v", text, err)
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || !reqs[0].Bearer || reqs[0].APIKey {
		t.Fatalf("requests = %+v", reqs)
	}
	// One token, for Azure OpenAI's scope, reused for the second request.
	b, err := os.ReadFile(calls)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 1 {
		t.Fatalf("az was asked %d times: %q", len(lines), lines)
	}
	if !strings.Contains(lines[0], "--scope "+azure.Scope) && !strings.Contains(lines[0], "--resource "+strings.TrimSuffix(azure.Scope, "/.default")) {
		t.Fatalf("token requested as %q, not for %s", lines[0], azure.Scope)
	}
	if azure.Scope != "https://cognitiveservices.azure.com/.default" {
		t.Fatalf("scope %q", azure.Scope)
	}
}

// azureCLIClient is a client signing in through the Azure CLI to a
// stand-in that takes the token "right".
func azureCLIClient(t *testing.T) (*fakeazure.Server, *azure.Client) {
	t.Helper()
	srv := &fakeazure.Server{BearerToken: "right"}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	cred, err := azure.NewCredential(azure.AuthEntra, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := azure.New(azure.Config{BaseURL: srv.BaseURL(), Credential: cred, Auth: azure.AuthEntra})
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// TestEntraIDFailuresSayWhatToDo: no token from the Azure CLI says to run
// az login (the role is not the trouble before there is a token); a token
// the service refuses names the role.
func TestEntraIDFailuresSayWhatToDo(t *testing.T) {
	_ = fakeAz(t, "", true)
	srv, c := azureCLIClient(t)
	_, err := collect(t, c)
	e := chat.AsError(err)
	if e.Kind != chat.KindAuth || !strings.Contains(e.Reason, "through the Azure CLI failed: run az login in a terminal") || strings.Contains(e.Reason, "`") {
		t.Fatalf("credential failure: %+v", e)
	}
	if len(srv.Requests()) != 0 {
		t.Fatal("a request went out without a token")
	}

	// A token the service refuses: the 401 message names the role, not the key.
	fakeAz(t, "wrong-token", false)
	cred, _ := azure.NewCredential(azure.AuthEntra, "")
	c, _ = azure.New(azure.Config{BaseURL: srv.BaseURL(), Credential: cred})
	_, err = collect(t, c)
	e = chat.AsError(err)
	if e.Kind != chat.KindAuth || e.Status != 401 || !strings.Contains(e.Reason, "Cognitive Services OpenAI User") || strings.Contains(e.Reason, "wrong-token") {
		t.Fatalf("401 under Entra: %+v", e)
	}
}

// TestEntraIDWithoutTheAzureCLI: Azure CLI sign-in where no az is
// installed says so, and what to do instead.
func TestEntraIDWithoutTheAzureCLI(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no az, no azd, no pwsh
	t.Setenv("AZURE_TOKEN_CREDENTIALS", "")
	srv, c := azureCLIClient(t)
	_, err := collect(t, c)
	e := chat.AsError(err)
	if e.Kind != chat.KindAuth || e.Action != chat.ActionOpenSettings || !strings.Contains(e.Reason, "needs the Azure CLI, and azchat found no az program on its PATH") || !strings.Contains(e.Reason, "choose browser sign-in or an API key") {
		t.Fatalf("no Azure CLI: %+v", e)
	}
	if len(srv.Requests()) != 0 {
		t.Fatal("a request went out without a token")
	}
}

func TestConfigErrors(t *testing.T) {
	if _, err := azure.New(azure.Config{APIKey: "k"}); chat.AsError(err).Action != chat.ActionOpenSettings {
		t.Fatal("missing endpoint should point to settings")
	}
	if _, err := azure.New(azure.Config{BaseURL: "http://127.0.0.1:1/openai/v1/"}); chat.AsError(err).Kind != chat.KindConfig {
		t.Fatal("missing key should be a config error")
	}
}

func TestOpenAIEnvironmentNeverLeaks(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "sk-from-environment")
	t.Setenv("OPENAI_BASE_URL", "http://openai-env.invalid/v1")
	srv := &fakeazure.Server{APIKey: "azure-key"}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, _ := azure.New(azure.Config{BaseURL: srv.BaseURL(), APIKey: "azure-key"})
	if _, err := collect(t, c); err != nil {
		t.Fatal(err)
	}
	// The Responses API goes through openai-go, which reads OPENAI_* when
	// asked to: it must not be.
	req := chat.Request{Deployment: "chat", API: models.Responses, Messages: []chat.WireMessage{{Role: chat.User, Content: "hi"}}}
	if err := c.Stream(context.Background(), req, func(chat.Delta) {}); err != nil {
		t.Fatal(err)
	}
	r := srv.Requests()
	if len(r) != 2 || r[0].Path != "/openai/v1/chat/completions" || r[1].Path != "/openai/v1/responses" {
		t.Fatalf("requests %+v", r)
	}
	for _, q := range r {
		if q.Bearer || !q.APIKey {
			t.Fatalf("OPENAI_* leaked into a request: %+v", q)
		}
	}
}

// TestStopEndsTheStreamAtOnce: once the caller cancels, no more deltas are
// emitted, though a fast stream's events are already read and waiting in
// the decoder.
func TestStopEndsTheStreamAtOnce(t *testing.T) {
	srv := &fakeazure.Server{APIKey: "k"}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.Script(fakeazure.Behaviour{Reply: strings.Repeat("word ", 5000)})
	c, _ := azure.New(azure.Config{BaseURL: srv.BaseURL(), APIKey: "k"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var before, after int
	err := c.Stream(ctx, chat.Request{Deployment: "chat", Messages: []chat.WireMessage{{Role: chat.User, Content: "hi"}}}, func(d chat.Delta) {
		if ctx.Err() != nil {
			after++
			return
		}
		if d.Content != "" {
			if before++; before == 50 {
				cancel()
			}
		}
	})
	if err == nil {
		t.Fatal("a cancelled stream ended without an error")
	}
	if before != 50 || after != 0 {
		t.Fatalf("%d deltas before the cancel (want 50), %d after it (want none)", before, after)
	}
}

func TestNetworkFailures(t *testing.T) {
	cases := []struct {
		base string
		kind chat.Kind
	}{
		{"https://no-such-resource.invalid/openai/v1/", chat.KindDNS},
		{"http://127.0.0.1:1/openai/v1/", chat.KindConnection},
	}
	for _, cs := range cases {
		c, _ := azure.New(azure.Config{BaseURL: cs.base, APIKey: "k"})
		_, err := collect(t, c)
		if e := chat.AsError(err); e.Kind != cs.kind {
			t.Errorf("%s: kind %s (%v)", cs.base, e.Kind, e.Cause)
		}
	}
}

func TestParseChunkShapes(t *testing.T) {
	cases := map[string]chat.Delta{
		`{"choices":[],"prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}`: {PromptFilter: chat.FilterResults{"hate": {Severity: "safe"}}},
		`{"choices":[{"index":0,"content_filter_results":{"violence":{"filtered":true,"severity":"high"}}}]}`:                                {Filter: chat.FilterResults{"violence": {Filtered: true, Severity: "high"}}},
		`{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}`:                                                  {Usage: &chat.Usage{PromptTokens: 1, CompletionTokens: 2, TotalTokens: 3}},
		`{"model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}`:                                               {Model: "m", Content: "x", FinishReason: "stop"},
	}
	for in, want := range cases {
		got, err := azure.ParseChunk([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if got.Model != want.Model || got.Content != want.Content || got.FinishReason != want.FinishReason ||
			len(got.Filter) != len(want.Filter) || len(got.PromptFilter) != len(want.PromptFilter) || (want.Usage != nil && *got.Usage != *want.Usage) {
			t.Errorf("%s: got %+v", in, got)
		}
	}
	if _, err := azure.ParseChunk([]byte("{not json")); chat.AsError(err).Kind != chat.KindMalformed {
		t.Fatal("malformed chunk not reported")
	}
}

// TestErrorEventWithNullIsAnError: an event that has an "error" member is
// an error event, even when it is null (Azure's mid-stream failures).
func TestErrorEventWithNullIsAnError(t *testing.T) {
	for _, in := range []string{`{"error":null}`, `{"error":{"code":"server_error","message":"boom"}}`} {
		if _, err := azure.ParseChunk([]byte(in)); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
	if _, err := azure.ParseChunk([]byte(`{"choices":[],"model":"m"}`)); err != nil {
		t.Errorf("an event without error: %v", err)
	}
}
