package main

import (
	"maps"
	"testing"

	"github.com/azchat/azchat/internal/fakeazure"
)

// TestParseDeployments: the stand-in lists what -deployments names, each
// model's version date apart; empty answers any name; a pair without a
// model is refused.
func TestParseDeployments(t *testing.T) {
	got, err := parseDeployments("gpt-4o=gpt-4o-2024-11-20, mini=gpt-4o-mini-2024-07-18,plain=my-model")
	want := map[string]fakeazure.Deployment{
		"gpt-4o": {Model: "gpt-4o-2024-11-20", Version: "2024-11-20"},
		"mini":   {Model: "gpt-4o-mini-2024-07-18", Version: "2024-07-18"},
		"plain":  {Model: "my-model"},
	}
	if err != nil || !maps.Equal(got, want) {
		t.Fatalf("got %+v, %v", got, err)
	}
	if got, err := parseDeployments(""); got != nil || err != nil {
		t.Fatalf("empty: %+v, %v", got, err)
	}
	if _, err := parseDeployments("gpt-4o"); err == nil {
		t.Fatal("a name without a model was taken")
	}
}
