package azure_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/chat/deploy"
	"github.com/azchat/azchat/internal/fakeazure"
)

func listingServer(t *testing.T) *fakeazure.Server {
	t.Helper()
	srv := &fakeazure.Server{APIKey: "list-key", Deployments: map[string]fakeazure.Deployment{
		"chat":    {Model: "gpt-4o-2024-11-20", Version: "2024-11-20"},
		"batch":   {Model: "gpt-4.1-mini-2025-04-14", Version: "2025-04-14", Capacity: 3},
		"pending": {Model: "o3-mini", Creating: true},
	}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// TestDeploymentsFromTheDataPlaneListing: with a key, the resource's own
// listing at its root (not the v1 base, and never the model catalog at
// /openai/v1/models) gives the ready deployments and their models; what
// it does not give (version, SKU) is nil.
func TestDeploymentsFromTheDataPlaneListing(t *testing.T) {
	srv := listingServer(t)
	if u, _ := azure.DeploymentsURL(srv.BaseURL()); u != srv.URL()+"/openai/deployments?api-version=2023-03-15-preview" {
		t.Fatalf("listing URL %s", u)
	}
	c, err := azure.New(azure.Config{BaseURL: srv.BaseURL(), APIKey: "list-key"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Deployments(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "batch" || got[1].Name != "chat" {
		t.Fatalf("deployments %+v", got)
	}
	b, ch := got[0], got[1]
	if ch.ModelName() != "gpt-4o" || ch.Version != nil || ch.SKU != nil || ch.Capacity != nil || ch.Source != deploy.DataPlane {
		t.Fatalf("chat %+v", ch)
	}
	if b.Capacity == nil || *b.Capacity != 3 {
		t.Fatalf("batch %+v", b)
	}
	for _, r := range srv.Requests() {
		if r.Path != "/openai/deployments" || !r.APIKey {
			t.Fatalf("request to %s (key %v)", r.Path, r.APIKey)
		}
	}
}

func TestDeploymentsListingFailures(t *testing.T) {
	srv := listingServer(t)
	list := func(key string) *chat.Error {
		c, err := azure.New(azure.Config{BaseURL: srv.BaseURL(), APIKey: key})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Deployments(context.Background())
		var ce *chat.Error
		if !errors.As(err, &ce) {
			t.Fatalf("err = %v", err)
		}
		return ce
	}
	if e := list("wrong"); e.Kind != chat.KindAuth || !strings.Contains(e.Reason, "refused the API key") {
		t.Fatalf("a wrong key: %+v", e)
	}
	srv.KeysDisabled = true
	if e := list("list-key"); e.Kind != chat.KindAuth || e.Reason != "this resource accepts only Microsoft Entra ID: in Settings, set Sign in with to Microsoft Entra ID" {
		t.Fatalf("keys disabled: %+v", e)
	}
	// An OpenAI-compatible server has no such listing.
	c, _ := azure.New(azure.Config{BaseURL: "http://127.0.0.1:1/v1/", APIKey: "k"})
	if _, err := c.Deployments(context.Background()); err == nil || !strings.Contains(chat.AsError(err).Reason, "type the deployment") {
		t.Fatalf("a /v1/ server: %v", err)
	}
}

// TestKeysDisabledOnChat: a chat request with a key to a resource whose
// keys are turned off says to sign in with Entra ID.
func TestKeysDisabledOnChat(t *testing.T) {
	srv := listingServer(t)
	srv.KeysDisabled = true
	c, _ := azure.New(azure.Config{BaseURL: srv.BaseURL(), APIKey: "list-key"})
	err := c.Stream(context.Background(), chat.Request{Deployment: "chat", Messages: []chat.WireMessage{{Role: chat.User, Content: "hi"}}}, func(chat.Delta) {})
	if e := chat.AsError(err); e.Kind != chat.KindAuth || !strings.Contains(e.Reason, "accepts only Microsoft Entra ID") {
		t.Fatalf("err = %+v", e)
	}
}
