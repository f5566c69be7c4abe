package app

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

func findServer(t *testing.T) *fakeazure.Server {
	t.Helper()
	srv := &fakeazure.Server{APIKey: "find-key-abcdefghijklmnop", ARMToken: "find-arm-token", Deployments: map[string]fakeazure.Deployment{
		"chat":   {Model: "gpt-35-turbo-0613", Version: "0613", SKU: "Standard", Capacity: 20},
		"reason": {Model: "o4-mini-2025-04-16", Version: "2025-04-16", SKU: "GlobalStandard", Capacity: 50},
	}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// TestFindDeploymentsWithTheTypedKey: with the key typed in the form, Find
// deployments lists them from the resource's own listing (which gives no
// version) and a pick fills the Deployment and Model fields before any
// answer.
func TestFindDeploymentsWithTheTypedKey(t *testing.T) {
	srv := findServer(t)
	d, _ := openDialog(t, settings.Load(&settings.MemPrefs{}), nil)
	d.Endpoint.SetText(srv.URL())
	d.Key.SetText("find-key-abcdefghijklmnop")
	test.Tap(d.FindButton)
	d.Wait()
	if !d.Picker.Visible() || len(d.Picker.Options) != 2 || !strings.HasPrefix(d.Status.Text, "Found 2 deployments") {
		t.Fatalf("picker %v %q, status %q", d.Picker.Visible(), d.Picker.Options, d.Status.Text)
	}
	if d.Picker.Options[0] != "chat — gpt-35-turbo" {
		t.Fatalf("label %q", d.Picker.Options[0])
	}
	d.Picker.SetSelected(d.Picker.Options[1])
	if d.Deployment.Text != "reason" || d.Model.Text != "o4-mini" {
		t.Fatalf("picked: deployment %q, model %q", d.Deployment.Text, d.Model.Text)
	}
	d.Key.SetText("wrong-key-abcdefghijklmnop")
	test.Tap(d.FindButton)
	d.Wait()
	if !strings.HasPrefix(d.Status.Text, "Could not list the deployments — Azure refused the API key") || strings.Contains(d.Status.Text, "wrong-key") {
		t.Fatalf("status %q", d.Status.Text)
	}
	if d.Deployment.Text != "reason" {
		t.Fatal("a failed listing changed the Deployment field")
	}
}

// TestFindDeploymentsWithEntraID: signed in with Entra ID, the listing
// comes from Resource Manager with model, version, SKU and capacity, and
// no key goes anywhere; a picked gpt-35-turbo 0613 is stated with its
// version (gpt-35-turbo-0613, whose window the facts table gives as 4,096).
func TestFindDeploymentsWithEntraID(t *testing.T) {
	srv := findServer(t)
	fakeazure.InstallAz(t, "find-arm-token", false)
	d, _ := openDialog(t, settings.Load(&settings.MemPrefs{}), map[string]string{"AZCHAT_ARM_ENDPOINT": srv.URL()})
	d.Endpoint.SetText(srv.URL())
	d.Auth.SetSelected(authLabels[azure.AuthEntra])
	test.Tap(d.FindButton)
	d.Wait()
	if len(d.Picker.Options) != 2 || d.Picker.Options[0] != "chat — gpt-35-turbo 0613 · Standard 20" {
		t.Fatalf("options %q, status %q", d.Picker.Options, d.Status.Text)
	}
	d.Picker.SetSelected(d.Picker.Options[0])
	if d.Deployment.Text != "chat" || d.Model.Text != "gpt-35-turbo-0613" {
		t.Fatalf("picked: %q %q", d.Deployment.Text, d.Model.Text)
	}
	for _, r := range srv.Requests() {
		if r.APIKey {
			t.Fatalf("a key went to %s", r.Path)
		}
	}
}

// TestFindDeploymentsAsksBeforeSendingTheSavedKeyElsewhere: the saved key
// goes to an edited, unsaved address only after the user agrees.
func TestFindDeploymentsAsksBeforeSendingTheSavedKeyElsewhere(t *testing.T) {
	srv := findServer(t)
	store := settings.Load(&settings.MemPrefs{})
	p, err := store.Put(settings.Profile{Name: "Main", Endpoint: "https://home.openai.azure.com", Deployment: "chat"})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := openDialog(t, store, nil)
	d.cfg.Secrets.SetSession(p.ID, "find-key-abcdefghijklmnop")
	d.Endpoint.SetText(srv.URL())
	test.Tap(d.FindButton)
	d.Wait()
	if d.keyConfirm == nil || len(srv.Requests()) != 0 {
		t.Fatalf("no question before sending the saved key elsewhere (%d requests)", len(srv.Requests()))
	}
	d.keyConfirm.Confirm()
	d.Wait()
	if len(d.Picker.Options) != 2 {
		t.Fatalf("after agreeing: %q, status %q", d.Picker.Options, d.Status.Text)
	}
}

// TestFindDeploymentsCacheKnowsTheKey: the window reuses a listing for the
// same profile and key, and asks again when the key changed (a wrong key
// is not answered from the cache).
func TestFindDeploymentsCacheKnowsTheKey(t *testing.T) {
	h := newHarness(t, false)
	srv := findServer(t)
	ep, err := settings.NormalizeEndpoint(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	conn := settings.Connection{Profile: settings.Profile{ID: "p1", Endpoint: ep.BaseURL, Auth: azure.AuthAPIKey}, APIKey: "find-key-abcdefghijklmnop"}
	list, err := h.u.findDeployments(context.Background(), conn)
	if err != nil || len(list) != 2 {
		t.Fatalf("%v %v", list, err)
	}
	if _, err := h.u.findDeployments(context.Background(), conn); err != nil || len(srv.Requests()) != 1 {
		t.Fatalf("the same key asked again: %d requests, %v", len(srv.Requests()), err)
	}
	conn.APIKey = "wrong-key-abcdefghijklmnop"
	if _, err := h.u.findDeployments(context.Background(), conn); err == nil || len(srv.Requests()) != 2 {
		t.Fatalf("a changed key: %d requests, %v", len(srv.Requests()), err)
	}
}
