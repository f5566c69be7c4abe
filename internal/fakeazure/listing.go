package fakeazure

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

// catalog is a short excerpt of what /openai/v1/models lists: the models a
// resource could deploy, not its deployments (azchat must never offer
// these as deployments).
var catalog = []string{"gpt-4o-2024-11-20", "gpt-4.1-2025-04-14", "o3-mini-2025-01-31", "text-embedding-3-large", "dall-e-3"}

// authenticationTypeDisabled is Azure's answer to a key on a resource whose
// keys (local authentication) are turned off.
const authenticationTypeDisabled = `{"error":{"code":"AuthenticationTypeDisabled","message":"Key based authentication is disabled for this resource."}}`

// serveListing answers the resource's data-plane deployments listing
// (GET /openai/deployments?api-version=2023-03-15-preview) and the model
// catalog (GET /openai/v1/models). It reports whether the path was one of
// them.
func (s *Server) serveListing(w http.ResponseWriter, r *http.Request) bool {
	legacy := r.URL.Path == "/openai/deployments"
	if r.Method != http.MethodGet || (!legacy && r.URL.Path != "/openai/v1/models") {
		return false
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Path: r.URL.Path, APIKey: r.Header.Get("api-key") != "", Bearer: r.Header.Get("Authorization") != ""})
	s.mu.Unlock()
	if s.refuse(w, r) {
		return true
	}
	if legacy && r.URL.Query().Get("api-version") != "2023-03-15-preview" {
		writeError(w, http.StatusNotFound, []byte(`{"error":{"code":"404","message":"Resource not found"}}`), nil)
		return true
	}
	w.Header().Set("Content-Type", "application/json")
	if !legacy {
		data := make([]map[string]any, 0, len(catalog))
		for _, m := range catalog {
			data = append(data, map[string]any{"id": m, "object": "model", "status": "succeeded", "created_at": 1718000000,
				"capabilities": map[string]bool{"chat_completion": !strings.Contains(m, "embedding") && !strings.Contains(m, "dall-e")}})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
		return true
	}
	names := make([]string, 0, len(s.Deployments))
	for name := range s.Deployments {
		names = append(names, name)
	}
	sort.Strings(names)
	data := make([]map[string]any, 0, len(names))
	for _, name := range names {
		d := s.Deployments[name]
		scale := map[string]any{"scale_type": "standard"}
		if d.Capacity > 0 {
			scale = map[string]any{"scale_type": "manual", "capacity": d.Capacity}
		}
		status := "succeeded"
		if d.Creating {
			status = "running"
		}
		data = append(data, map[string]any{"id": name, "model": d.ListedModel(), "owner": "organization-owner", "status": status,
			"scale_settings": scale, "created_at": 1718000000, "updated_at": 1718000000, "object": "deployment"})
	}
	_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data})
	return true
}

// ListedModel is the model name a listing gives for the deployment: its
// model without the version date the responses carry.
func (d Deployment) ListedModel() string {
	m := d.Model
	if d.Version != "" {
		m = strings.TrimSuffix(m, "-"+d.Version)
	}
	return m
}

// refuse answers a request the resource would not take — a key where keys
// are turned off, a wrong key or token — and reports whether it did.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request) bool {
	if s.KeysDisabled && r.Header.Get("api-key") != "" {
		writeError(w, http.StatusForbidden, []byte(authenticationTypeDisabled), nil)
		return true
	}
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, Fixture("error-401.json"), nil)
		return true
	}
	return false
}

// replyFor is the answer's text: the scripted one, else the server's
// Reply, else DefaultReply.
func (s *Server) replyFor(b Behaviour, messages []map[string]any) string {
	switch {
	case b.Reply != "":
		return b.Reply
	case s.Reply != nil:
		return s.Reply(messages)
	}
	return DefaultReply(messages)
}

// authorized reports whether the request carries the server's key or token.
func (s *Server) authorized(r *http.Request) bool {
	gotKey := r.Header.Get("api-key")
	gotBearer := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	return (s.APIKey != "" && gotKey == s.APIKey) ||
		(s.BearerToken != "" && r.Header.Get("Authorization") != "" && gotBearer == s.BearerToken) ||
		(s.APIKey == "" && s.BearerToken == "")
}
