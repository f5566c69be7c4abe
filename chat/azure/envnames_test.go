package azure

import (
	"strings"
	"testing"
)

// TestErrorsNameTheEnvironmentVariable: a key, endpoint or deployment the
// environment set (overriding Settings) is named in the error about it;
// from the settings, the error sends the user there.
func TestErrorsNameTheEnvironmentVariable(t *testing.T) {
	for _, tc := range []struct {
		cfg    Config
		status int
		body   string
		want   string
	}{
		{Config{KeyFrom: "AZURE_OPENAI_API_KEY"}, 401, `{"error":{"code":"401","message":"Access denied"}}`, "API key in AZURE_OPENAI_API_KEY"},
		{Config{}, 401, `{"error":{"code":"401","message":"Access denied"}}`, "check the key in settings"},
		{Config{DeploymentFrom: "AZURE_OPENAI_DEPLOYMENT"}, 404, `{"error":{"code":"DeploymentNotFound","message":"no"}}`, "deployment named in AZURE_OPENAI_DEPLOYMENT"},
		{Config{}, 404, `{"error":{"code":"DeploymentNotFound","message":"no"}}`, "check the deployment name in settings"},
		{Config{EndpointFrom: "AZURE_OPENAI_ENDPOINT"}, 404, `{"error":{"code":"404","message":"Resource not found"}}`, "endpoint in AZURE_OPENAI_ENDPOINT"},
	} {
		c := &Client{cfg: tc.cfg}
		if e := c.FromHTTP(tc.status, []byte(tc.body), nil); !strings.Contains(e.Reason, tc.want) {
			t.Errorf("%+v %d: %q, want %q in it", tc.cfg, tc.status, e.Reason, tc.want)
		}
	}
}
