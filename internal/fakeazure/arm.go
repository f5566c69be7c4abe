package fakeazure

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

// The Resource Manager stand-in: the three listings azchat reads to find a
// resource's deployments with Microsoft Entra ID, on the same server (so
// AZCHAT_ARM_ENDPOINT is its URL). The resource it lists has this
// server's address as its endpoint, in the second of two subscriptions
// (the first has only a resource elsewhere).
const (
	armSubscriptionsVersion = "2022-12-01"
	armCognitiveVersion     = "2025-06-01"
	subscriptionElsewhere   = "00000000-0000-0000-0000-00000000000a"
	subscriptionHere        = "00000000-0000-0000-0000-00000000000b"
	armGroup                = "rg-azchat"
	armAccount              = "azchat-fake"
)

// serveARM answers Resource Manager's listings; it reports whether the
// path was one of them.
func (s *Server) serveARM(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodGet || !strings.HasPrefix(r.URL.Path, "/subscriptions") {
		return false
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Path: r.URL.Path, APIKey: r.Header.Get("api-key") != "", Bearer: r.Header.Get("Authorization") != ""})
	s.mu.Unlock()
	if s.ARMToken == "" || r.Header.Get("Authorization") != "Bearer "+s.ARMToken {
		writeError(w, http.StatusUnauthorized, []byte(`{"error":{"code":"InvalidAuthenticationToken","message":"The access token is invalid."}}`), nil)
		return true
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	version := r.URL.Query().Get("api-version")
	w.Header().Set("Content-Type", "application/json")
	switch {
	case len(parts) == 1 && version == armSubscriptionsVersion:
		subs := []map[string]any{}
		for _, id := range []string{subscriptionElsewhere, subscriptionHere} {
			subs = append(subs, map[string]any{"id": "/subscriptions/" + id, "subscriptionId": id, "displayName": "Subscription " + id[len(id)-1:], "state": "Enabled"})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"value": subs})
	case len(parts) == 5 && parts[2] == "providers" && version == armCognitiveVersion:
		if s.ARMForbidden || (s.ARMForbiddenElsewhere && parts[1] == subscriptionElsewhere) {
			writeError(w, http.StatusForbidden, []byte(`{"error":{"code":"AuthorizationFailed","message":"The client does not have authorization to perform action 'Microsoft.CognitiveServices/accounts/read'."}}`), nil)
			return true
		}
		accounts := []map[string]any{}
		if parts[1] == subscriptionElsewhere {
			accounts = append(accounts, account(parts[1], "elsewhere", "OpenAI", "https://elsewhere.openai.azure.com/"))
		} else {
			accounts = append(accounts,
				account(parts[1], "speech", "SpeechServices", s.URL()+"/"),
				account(parts[1], armAccount, "AIServices", s.URL()+"/"))
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"value": accounts})
	case len(parts) == 9 && parts[1] == subscriptionHere && parts[3] == armGroup && parts[7] == armAccount && parts[8] == "deployments" && version == armCognitiveVersion:
		names := make([]string, 0, len(s.Deployments))
		for name := range s.Deployments {
			names = append(names, name)
		}
		sort.Strings(names)
		deps := []map[string]any{}
		for _, name := range names {
			d := s.Deployments[name]
			sku := d.SKU
			if sku == "" {
				sku = "GlobalStandard"
			}
			state := "Succeeded"
			if d.Creating {
				state = "Creating"
			}
			deps = append(deps, map[string]any{
				"id":   r.URL.Path + "/" + name,
				"name": name, "type": "Microsoft.CognitiveServices/accounts/deployments",
				"sku": map[string]any{"name": sku, "capacity": max(d.Capacity, 1)},
				"properties": map[string]any{"model": map[string]any{"format": "OpenAI", "name": d.ListedModel(), "version": d.Version},
					"provisioningState": state},
			})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"value": deps})
	default:
		writeError(w, http.StatusNotFound, []byte(`{"error":{"code":"ResourceNotFound","message":"The resource was not found."}}`), nil)
	}
	return true
}

func account(sub, name, kind, endpoint string) map[string]any {
	return map[string]any{
		"id":   "/subscriptions/" + sub + "/resourceGroups/" + armGroup + "/providers/Microsoft.CognitiveServices/accounts/" + name,
		"name": name, "type": "Microsoft.CognitiveServices/accounts", "kind": kind, "location": "swedencentral",
		"sku":        map[string]any{"name": "S0"},
		"properties": map[string]any{"endpoint": endpoint, "provisioningState": "Succeeded"},
	}
}
