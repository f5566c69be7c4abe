package deploy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/cognitiveservices/armcognitiveservices/v2"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/resources/armsubscriptions"

	"github.com/azchat/azchat/chat"
)

// EnvARMEndpoint overrides Azure Resource Manager's endpoint (https, or
// http for a loopback address only: a local stand-in in tests). The token
// audience follows it.
const EnvARMEndpoint = "AZCHAT_ARM_ENDPOINT"

// ARMOptions are the Resource Manager client options for endpoint ("" for
// Azure's public cloud).
func ARMOptions(endpoint string) (*arm.ClientOptions, error) {
	opts := &arm.ClientOptions{
		// A stand-in or a sovereign cloud has no resource providers to
		// register, and azchat only reads.
		DisableRPRegistration: true,
	}
	if endpoint == "" {
		return opts, nil
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, &chat.Error{Kind: chat.KindConfig, Reason: EnvARMEndpoint + " is not an http(s) address"}
	}
	if u.Scheme == "http" {
		if !loopback(u.Hostname()) {
			return nil, &chat.Error{Kind: chat.KindConfig, Reason: EnvARMEndpoint + " must use https (http only for a loopback address)"}
		}
		// The token then travels in the clear, to this machine only.
		opts.InsecureAllowCredentialWithHTTP = true
	}
	root := strings.TrimSuffix(u.String(), "/")
	opts.Cloud = cloud.Configuration{Services: map[cloud.ServiceName]cloud.ServiceConfiguration{
		cloud.ResourceManager: {Endpoint: root, Audience: root},
	}}
	return opts, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// ListARM finds, through Azure Resource Manager, the Azure OpenAI resource
// (an account of kind OpenAI or AIServices) whose endpoint is on the host
// of baseURL, in every subscription the credential can see, and lists its
// deployments that are ready.
func ListARM(ctx context.Context, cred azcore.TokenCredential, baseURL string, opts *arm.ClientOptions) ([]Deployment, error) {
	host := hostOf(baseURL)
	if host == "" {
		return nil, &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings, Reason: "set the endpoint first"}
	}
	var firstErr error
	subs, err := armsubscriptions.NewClient(cred, opts)
	if err != nil {
		return nil, armError(err)
	}
	for pager := subs.NewListPager(nil); pager.More(); {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, armError(err)
		}
		for _, s := range page.Value {
			if s.SubscriptionID == nil || (s.State != nil && *s.State != armsubscriptions.SubscriptionStateEnabled) {
				continue
			}
			out, found, err := listInSubscription(ctx, cred, opts, *s.SubscriptionID, host)
			if found {
				return out, err
			}
			if err != nil && ctx.Err() == nil {
				// A subscription this account may not read (or one that
				// failed): the resource may be in the next one.
				firstErr = cmp.Or(firstErr, err)
				continue
			}
			if err != nil {
				return nil, err
			}
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings,
		Reason: "none of the subscriptions your account can see has an Azure OpenAI resource at " + host + ": check the endpoint, or type the deployment name"}
}

// listInSubscription lists the deployments of the account at host in one
// subscription; found is false when the subscription has no such account.
func listInSubscription(ctx context.Context, cred azcore.TokenCredential, opts *arm.ClientOptions, sub, host string) ([]Deployment, bool, error) {
	f, err := armcognitiveservices.NewClientFactory(sub, cred, opts)
	if err != nil {
		return nil, false, armError(err)
	}
	accounts := f.NewAccountsClient()
	for pager := accounts.NewListPager(nil); pager.More(); {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, false, armError(err)
		}
		for _, a := range page.Value {
			if a.ID == nil || a.Name == nil || a.Kind == nil || (*a.Kind != "OpenAI" && *a.Kind != "AIServices") || !accountAt(a, host) {
				continue
			}
			rid, err := arm.ParseResourceID(*a.ID)
			if err != nil {
				continue
			}
			out, err := listAccount(ctx, f.NewDeploymentsClient(), rid.ResourceGroupName, *a.Name)
			return out, true, err
		}
	}
	return nil, false, nil
}

// accountAt reports whether one of the account's endpoints is on host.
func accountAt(a *armcognitiveservices.Account, host string) bool {
	if a.Properties == nil {
		return false
	}
	if a.Properties.Endpoint != nil && hostOf(*a.Properties.Endpoint) == host {
		return true
	}
	for _, e := range a.Properties.Endpoints {
		if e != nil && hostOf(*e) == host {
			return true
		}
	}
	return false
}

func listAccount(ctx context.Context, c *armcognitiveservices.DeploymentsClient, group, account string) ([]Deployment, error) {
	var out []Deployment
	for pager := c.NewListPager(group, account, nil); pager.More(); {
		page, err := pager.NextPage(ctx)
		if err != nil {
			return nil, armError(err)
		}
		for _, d := range page.Value {
			if d.Name == nil {
				continue
			}
			if p := d.Properties; p != nil && p.ProvisioningState != nil && *p.ProvisioningState != armcognitiveservices.DeploymentProvisioningStateSucceeded {
				continue // being created, updated or deleted
			}
			dep := Deployment{Name: *d.Name, Source: ARM}
			if p := d.Properties; p != nil && p.Model != nil {
				dep.Model, dep.Version = p.Model.Name, p.Model.Version
			}
			if d.SKU != nil {
				dep.SKU = d.SKU.Name
				if d.SKU.Capacity != nil {
					n := int(*d.SKU.Capacity)
					dep.Capacity = &n
				}
			}
			out = append(out, dep)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// armError says what a Resource Manager failure means for the user; the
// raw error, which may quote resource IDs, stays in Cause.
func armError(err error) error {
	var re *azcore.ResponseError
	if errors.As(err, &re) {
		switch {
		case re.StatusCode == http.StatusForbidden:
			return &chat.Error{Kind: chat.KindAuth, Status: re.StatusCode, Code: re.ErrorCode, Cause: err,
				Reason: "Azure Resource Manager refused to list the resource's deployments: your account needs the Reader role on the resource (or its resource group or subscription); or type the deployment name"}
		case re.StatusCode == http.StatusUnauthorized:
			return &chat.Error{Kind: chat.KindAuth, Status: re.StatusCode, Code: re.ErrorCode, Cause: err,
				Reason: "Azure Resource Manager refused your Microsoft Entra ID sign-in: sign in again (for the developer sign-in, run `az login`)"}
		}
		return &chat.Error{Kind: chat.KindServer, Status: re.StatusCode, Code: re.ErrorCode, Cause: err,
			Reason: fmt.Sprintf("Azure Resource Manager could not list deployments (HTTP %d): try again, or type the deployment name", re.StatusCode)}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &chat.Error{Kind: chat.KindTimeout, Cause: err, Reason: "listing deployments took too long: try again, or type the deployment name"}
	}
	var ce *chat.Error
	if errors.As(err, &ce) {
		return ce
	}
	return &chat.Error{Kind: chat.KindConnection, Cause: err,
		Reason: "Azure Resource Manager could not be reached, or the Microsoft Entra ID sign-in failed (for the developer sign-in, run `az login`): try again, or type the deployment name"}
}

// hostOf is the lower-case host (and port) of an address, "" if none.
func hostOf(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
