package cli

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat/deploy"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

func deploymentsServer(t *testing.T) *fakeazure.Server {
	t.Helper()
	srv := &fakeazure.Server{APIKey: key, ARMToken: "cli-arm-token", Deployments: map[string]fakeazure.Deployment{
		"chat":  {Model: "gpt-4o-2024-11-20", Version: "2024-11-20", SKU: "GlobalStandard", Capacity: 30},
		"other": {Model: "o4-mini-2025-04-16", Version: "2025-04-16", SKU: "Standard", Capacity: 5},
	}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// TestDeploymentsWithAKey: with an API key, the resource's own listing;
// JSON has name, model, version, sku, capacity and source, with null for
// what that listing does not give.
func TestDeploymentsWithAKey(t *testing.T) {
	srv := deploymentsServer(t)
	code, out, errs := run(t, srv, "", "deployments", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, k := range []string{"name", "model", "version", "sku", "capacity", "source"} {
		if _, ok := rows[0][k]; !ok {
			t.Fatalf("no %q in %v", k, rows[0])
		}
	}
	if rows[0]["name"] != "chat" || rows[0]["model"] != "gpt-4o" || rows[0]["version"] != nil || rows[0]["sku"] != nil || rows[0]["source"] != "data-plane" {
		t.Fatalf("row %v", rows[0])
	}
	code, out, _ = run(t, srv, "", "deployments")
	if code != ExitOK || !strings.HasPrefix(out, "name") || !strings.Contains(out, "o4-mini") {
		t.Fatalf("table: %d\n%s", code, out)
	}
}

// TestDeploymentsWithEntraID: with AZURE_OPENAI_ENDPOINT set and no key,
// azchat signs in with Entra ID (here a stand-in `az`) and asks Resource
// Manager (here the stand-in AZCHAT_ARM_ENDPOINT names).
func TestDeploymentsWithEntraID(t *testing.T) {
	srv := deploymentsServer(t)
	fakeazure.InstallAz(t, "cli-arm-token", false)
	vars := map[string]string{settings.EnvEndpoint: srv.URL(), deploy.EnvARMEndpoint: srv.URL()}
	var out, errb bytes.Buffer
	code := Run([]string{"deployments", "--json"}, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }, Prefs: &settings.MemPrefs{}})
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rows []deploy.Deployment
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil || len(rows) != 2 {
		t.Fatalf("%v\n%s", err, out.String())
	}
	c := rows[0]
	if c.Name != "chat" || c.ModelName() != "gpt-4o" || c.ModelVersion() != "2024-11-20" || c.SKU == nil || *c.SKU != "GlobalStandard" || c.Capacity == nil || *c.Capacity != 30 || c.Source != deploy.ARM {
		t.Fatalf("chat %+v", c)
	}
	for _, r := range srv.Requests() {
		if r.APIKey {
			t.Fatalf("a key was sent to %s", r.Path)
		}
	}
	srv.ARMForbidden = true
	out.Reset()
	errb.Reset()
	code = Run([]string{"deployments"}, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }, Prefs: &settings.MemPrefs{}})
	if code != ExitFailed || !strings.Contains(errb.String(), "Reader role") {
		t.Fatalf("forbidden: exit %d, %q", code, errb.String())
	}
}

// TestPrintableDefusesTerminalTricks: names from a server lose control
// characters and bidirectional overrides before they reach a terminal.
func TestPrintableDefusesTerminalTricks(t *testing.T) {
	for in, want := range map[string]string{
		"gpt-4o":                  "gpt-4o",
		"evil\x1b[2Jname":         "evil?[2Jname",
		"abc\u202eexe.txt":        "abc?exe.txt",
		"a\u2066b\u2069c\u200fd":  "a?b?c?d",
		"déploiement-français-日本": "déploiement-français-日本",
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAskRemembersAResponsesOnlyDeployment: once Chat Completions refused
// a deployment (OperationNotSupported), the next run of `azchat ask` goes
// straight to the Responses API.
func TestAskRemembersAResponsesOnlyDeployment(t *testing.T) {
	srv := &fakeazure.Server{APIKey: key, Deployments: map[string]fakeazure.Deployment{"chat": {Model: "contoso-codex-tune"}}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	prefs := &settings.MemPrefs{}
	vars := map[string]string{settings.EnvEndpoint: srv.URL(), settings.EnvDeployment: "chat", settings.EnvAPIKey: key}
	ask := func() {
		var out, errb bytes.Buffer
		if code := Run([]string{"ask", "hi"}, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }, Prefs: prefs}); code != ExitOK {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
	}
	ask()
	ask()
	var paths []string
	for _, r := range srv.Requests() {
		paths = append(paths, r.Path)
	}
	if strings.Join(paths, " ") != "/openai/v1/chat/completions /openai/v1/responses /openai/v1/responses" {
		t.Fatalf("requests %v", paths)
	}
}
