package azure

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/deploy"
)

// deploymentsAPIVersion is the last api-version of the data-plane
// deployments listing, the one listing an API key may call.
const deploymentsAPIVersion = "2023-03-15-preview"

// DeploymentsURL is the resource's deployments listing for a v1 base URL:
// the resource root, not the v1 base
// (https://NAME.openai.azure.com/openai/deployments?api-version=…).
func DeploymentsURL(baseURL string) (string, bool) {
	root, ok := strings.CutSuffix(baseURL, "openai/v1/")
	if !ok {
		return "", false // an OpenAI-compatible server: no such listing
	}
	return root + "openai/deployments?api-version=" + deploymentsAPIVersion, true
}

// wireDeployment is one entry of the data-plane listing.
type wireDeployment struct {
	ID            string `json:"id"`
	Model         string `json:"model"`
	Status        string `json:"status"`
	ScaleSettings struct {
		ScaleType string `json:"scale_type"`
		Capacity  *int   `json:"capacity"`
	} `json:"scale_settings"`
}

// Deployments lists the resource's deployments through its own listing,
// with the client's key (or token). It never lists /openai/v1/models:
// that is the catalog of models the resource could deploy, not its
// deployments. Failures come back mapped, as for a chat request.
func (c *Client) Deployments(ctx context.Context) ([]deploy.Deployment, error) {
	u, ok := DeploymentsURL(c.cfg.BaseURL)
	if !ok {
		return nil, &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings,
			Reason: "this endpoint is not an Azure OpenAI resource, so it cannot list deployments: type the deployment (model) name"}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, c.mapError(err, nil)
	}
	if err := c.authorize(req); err != nil {
		return nil, c.mapError(err, nil)
	}
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, c.mapError(err, nil)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, c.mapError(err, resp)
	}
	if resp.StatusCode != http.StatusOK {
		var wrapped struct {
			Error apiError `json:"error"`
		}
		_ = json.Unmarshal(body, &wrapped)
		e := c.fromStatus(resp.StatusCode, wrapped.Error, resp, &listError{status: resp.StatusCode})
		if e.Kind == chat.KindBadPath || e.Kind == chat.KindBadRequest {
			e.Reason = "this resource did not list its deployments (" + http.StatusText(resp.StatusCode) + "): type the deployment name (Azure AI Foundry > Deployments)"
		}
		return nil, e
	}
	var list struct {
		Data []wireDeployment `json:"data"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, &chat.Error{Kind: chat.KindMalformed, Reason: "the deployments listing could not be read: type the deployment name", Cause: err}
	}
	out := make([]deploy.Deployment, 0, len(list.Data))
	for _, d := range list.Data {
		if d.ID == "" || (d.Status != "" && d.Status != "succeeded") {
			continue // not usable yet, or being deleted
		}
		dep := deploy.Deployment{Name: d.ID, Capacity: d.ScaleSettings.Capacity, Source: deploy.DataPlane}
		if m := chat.ModelName(d.Model); m != "" {
			dep.Model = &m
		}
		out = append(out, dep)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// authorize adds the client's key or Entra ID token to a request: those it
// makes itself (chat completions, listings) and, through the middleware set
// in New, an Entra ID token to openai-go's Responses API requests (a key
// goes there as an option).
func (c *Client) authorize(req *http.Request) error {
	if c.auth == authKey {
		req.Header.Set("api-key", c.cfg.APIKey)
		return nil
	}
	tok, err := c.tokens.get(req.Context())
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	return nil
}

// listError is the cause of a failed listing: its status, never the body.
type listError struct{ status int }

func (e *listError) Error() string { return "deployments listing: HTTP " + http.StatusText(e.status) }
