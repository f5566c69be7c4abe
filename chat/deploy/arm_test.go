package deploy_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/deploy"
	"github.com/azchat/azchat/internal/fakeazure"
)

// fakeCredential stands in for Entra ID's sign-in (which cannot run here):
// it hands out one token and records the scopes asked for.
type fakeCredential struct {
	token  string
	mu     sync.Mutex
	scopes []string
}

func (c *fakeCredential) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scopes = append(c.scopes, o.Scopes...)
	return azcore.AccessToken{Token: c.token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func armServer(t *testing.T) *fakeazure.Server {
	t.Helper()
	srv := &fakeazure.Server{APIKey: "k", ARMToken: "arm-token", Deployments: map[string]fakeazure.Deployment{
		"chat":    {Model: "gpt-4o-2024-11-20", Version: "2024-11-20", SKU: "GlobalStandard", Capacity: 50},
		"thinker": {Model: "o4-mini-2025-04-16", Version: "2025-04-16", SKU: "Standard", Capacity: 10},
		"new-one": {Model: "gpt-4.1-2025-04-14", Version: "2025-04-14", Creating: true},
	}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// TestListARMFindsTheResourceByItsEndpoint: the subscriptions the account
// sees are searched for an OpenAI or AIServices account whose endpoint is
// the profile's host; its ready deployments come back with model, version,
// SKU and capacity, and the token is asked for the endpoint's audience.
func TestListARMFindsTheResourceByItsEndpoint(t *testing.T) {
	srv := armServer(t)
	cred := &fakeCredential{token: "arm-token"}
	opts, err := deploy.ARMOptions(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	got, err := deploy.ListARM(context.Background(), cred, srv.BaseURL(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != "chat" || got[1].Name != "thinker" {
		t.Fatalf("deployments %+v", got)
	}
	c := got[0]
	if c.ModelName() != "gpt-4o" || c.ModelVersion() != "2024-11-20" || c.SKU == nil || *c.SKU != "GlobalStandard" || c.Capacity == nil || *c.Capacity != 50 || c.Source != deploy.ARM {
		t.Fatalf("chat: %+v", c)
	}
	for _, s := range cred.scopes {
		if s != srv.URL()+"/.default" {
			t.Fatalf("token scope %q, want the ARM endpoint's audience", s)
		}
	}
}

func TestListARMSaysWhichRoleIsMissing(t *testing.T) {
	srv := armServer(t)
	srv.ARMForbidden = true
	opts, _ := deploy.ARMOptions(srv.URL())
	_, err := deploy.ListARM(context.Background(), &fakeCredential{token: "arm-token"}, srv.BaseURL(), opts)
	var ce *chat.Error
	if !errors.As(err, &ce) || ce.Kind != chat.KindAuth || !strings.Contains(ce.Reason, "Reader role") {
		t.Fatalf("err = %v", err)
	}
}

// TestListARMGoesOnPastASubscriptionItMayNotRead: a subscription that
// refuses to list its accounts does not hide the resource in the next one.
func TestListARMGoesOnPastASubscriptionItMayNotRead(t *testing.T) {
	srv := armServer(t)
	srv.ARMForbiddenElsewhere = true
	opts, _ := deploy.ARMOptions(srv.URL())
	got, err := deploy.ListARM(context.Background(), &fakeCredential{token: "arm-token"}, srv.BaseURL(), opts)
	if err != nil || len(got) != 2 {
		t.Fatalf("%+v %v", got, err)
	}
}

func TestListARMWithoutAMatchingResource(t *testing.T) {
	srv := armServer(t)
	opts, _ := deploy.ARMOptions(srv.URL())
	_, err := deploy.ListARM(context.Background(), &fakeCredential{token: "arm-token"}, "https://someone-else.openai.azure.com/openai/v1/", opts)
	var ce *chat.Error
	if !errors.As(err, &ce) || !strings.Contains(ce.Reason, "someone-else.openai.azure.com") {
		t.Fatalf("err = %v", err)
	}
	_, err = deploy.ListARM(context.Background(), &fakeCredential{token: "wrong"}, srv.BaseURL(), opts)
	if !errors.As(err, &ce) || ce.Kind != chat.KindAuth {
		t.Fatalf("a refused token: %v", err)
	}
}

// TestARMEndpointRules: https anywhere, http only to a loopback address
// (the token would travel in the clear), nothing else.
func TestARMEndpointRules(t *testing.T) {
	for _, ok := range []string{"", "https://management.usgovcloudapi.net", "http://127.0.0.1:8080", "http://localhost:9", "http://[::1]:80"} {
		if _, err := deploy.ARMOptions(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://arm.example.invalid", "ftp://127.0.0.1", "management.azure.com", "http://10.0.0.1"} {
		if _, err := deploy.ARMOptions(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
