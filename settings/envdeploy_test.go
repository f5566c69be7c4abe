package settings

import (
	"strings"
	"testing"
)

// TestADeploymentFromTheEnvironmentsEndpointIsNamed: the deployment taken
// from AZURE_OPENAI_ENDPOINT's target URI is not found: the error names
// that variable (Settings cannot mend it).
func TestADeploymentFromTheEnvironmentsEndpointIsNamed(t *testing.T) {
	env := map[string]string{
		EnvEndpoint: "https://my-res.openai.azure.com/openai/deployments/gpt-4o-typo/chat/completions?api-version=2024-10-21",
		EnvAPIKey:   "a-key-from-the-environment",
	}
	conn, err := Load(&MemPrefs{}).Resolve(NewSecrets(), func(k string) string { return env[k] })
	if err != nil || conn.Profile.Deployment != "gpt-4o-typo" {
		t.Fatalf("%+v %v", conn.Profile, err)
	}
	c, err := conn.Client()
	if err != nil {
		t.Fatal(err)
	}
	e := c.FromHTTP(404, []byte(`{"error":{"code":"DeploymentNotFound","message":"no"}}`), nil)
	if !strings.Contains(e.Reason, "the address in "+EnvEndpoint) || !strings.Contains(e.Reason, "or set "+EnvDeployment) {
		t.Fatalf("%q", e.Reason)
	}
}
