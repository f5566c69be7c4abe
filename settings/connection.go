package settings

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/azure"
	"github.com/azchat/azchat/chat/deploy"
)

// Env names the environment variables that override the active profile
// for one run; they are shown as such and never written.
const (
	EnvEndpoint   = "AZURE_OPENAI_ENDPOINT"
	EnvDeployment = "AZURE_OPENAI_DEPLOYMENT"
	EnvAPIKey     = "AZURE_OPENAI_API_KEY"
)

// Connection is everything needed to talk to a deployment, resolved from a
// profile, the keychain and the environment.
type Connection struct {
	Profile Profile
	APIKey  string
	// FromEnv lists which of the three values came from the environment.
	FromEnv []string
	// SignInHint is added to an Entra ID sign-in failure: what else the
	// user can do (set by Resolve when it chose Entra ID for them).
	SignInHint string
	// deploymentInEndpoint: the deployment is the one the environment's
	// endpoint (a target URI) named.
	deploymentInEndpoint bool
}

// Options turns a connection into controller options.
func (c Connection) Options() chat.Options {
	return chat.Options{
		Endpoint:    c.Profile.Endpoint,
		Deployment:  c.Profile.Deployment,
		Model:       c.Profile.Model,
		Temperature: c.Profile.Gen.Temperature,
		MaxTokens:   c.Profile.Gen.MaxTokens,
		Window:      c.Profile.Gen.ContextWindow,
		Strategy:    c.Profile.Gen.Strategy,
		API:         c.Profile.API,

		StoreResponses: c.Profile.StoreResponses,
		Profile:        c.Profile.Name,
		Prices:         c.Profile.Prices.Clone(), // a copy: editing the profile never reprices answers
	}
}

// Client builds the Azure client for the connection. The endpoint is
// validated again here, whatever produced the connection: a key is only
// ever sent to an endpoint that passes NormalizeEndpoint's rules.
func (c Connection) Client() (*azure.Client, error) {
	ep, err := NormalizeEndpoint(c.Profile.Endpoint)
	if err != nil {
		return nil, &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings, Reason: "the endpoint is not valid: " + err.Error(), Cause: err}
	}
	cfg := azure.Config{BaseURL: ep.BaseURL, SignInHint: c.SignInHint}
	for _, name := range c.FromEnv {
		switch name {
		case EnvAPIKey:
			cfg.KeyFrom = name
		case EnvEndpoint:
			cfg.EndpointFrom = name
		case EnvDeployment:
			cfg.DeploymentFrom = name
		}
	}
	if c.deploymentInEndpoint && cfg.DeploymentFrom == "" {
		cfg.DeploymentFrom = EnvEndpoint
	}
	if c.Profile.Auth == azure.AuthAPIKey || c.Profile.Auth == "" {
		cfg.APIKey = c.APIKey
	} else {
		cred, err := azure.NewCredential(c.Profile.Auth, c.Profile.Tenant)
		if err != nil {
			return nil, &chat.Error{Kind: chat.KindConfig, Reason: "Microsoft Entra ID sign-in could not start: check the tenant in settings", Action: chat.ActionOpenSettings, Cause: err}
		}
		cfg.Credential, cfg.Auth = cred, c.Profile.Auth
	}
	return azure.New(cfg)
}

// Resolve finds the connection for the current profile, with the keychain's
// key and any environment overrides applied. getenv is os.Getenv in production.
func (s *Store) Resolve(secrets *Secrets, getenv func(string) string) (Connection, error) {
	c, err := s.ResolveResource(secrets, getenv)
	if err == nil && c.Profile.Deployment == "" {
		return c, &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings, Reason: "no deployment is set: enter the deployment name in settings (or set " + EnvDeployment + ")"}
	}
	return c, err
}

// ResolveResource is Resolve without needing a deployment: the resource
// and how to sign in to it (to list its deployments).
func (s *Store) ResolveResource(secrets *Secrets, getenv func(string) string) (Connection, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	p, _ := s.Current()
	if p.ID != "" {
		v, err := Validate(p)
		if err != nil {
			return Connection{Profile: p}, &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings, Reason: "the saved profile \"" + p.Name + "\" is not valid (" + err.Error() + "): fix it in settings", Cause: err}
		}
		p = v
	}
	c := Connection{Profile: p}
	envKey := strings.TrimSpace(getenv(EnvAPIKey))
	if e := strings.TrimSpace(getenv(EnvEndpoint)); e != "" {
		ep, err := NormalizeEndpoint(e)
		if err != nil {
			return c, &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings, Reason: EnvEndpoint + ": " + err.Error(), Cause: err}
		}
		if h := hostname(ep.BaseURL); envKey == "" && !SameHost(ep.BaseURL, p.Endpoint) && !isAzureHost(h) && !isLoopbackHost(h) {
			// Neither the saved key (it belongs to the saved endpoint's
			// host) nor an Entra ID token (it works on every resource the
			// account may use, whichever profile asked for it) goes to a
			// host only the environment names, unless it is Azure's public
			// cloud or this machine.
			return c, &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings,
				Reason: EnvEndpoint + " names " + ep.Host() + ", which is not an Azure public-cloud OpenAI address: set " + EnvAPIKey +
					" to its key (any value, for a server that takes none), or save a profile for it in Settings; azchat sends a saved key or an Azure sign-in only where they belong"}
		}
		if envKey == "" && (c.Profile.Auth == azure.AuthAPIKey || c.Profile.Auth == "") && !SameHost(ep.BaseURL, p.Endpoint) {
			// The saved key belongs to the saved endpoint's host, never to
			// one named in the environment: sign in with Entra ID instead,
			// as Azure's own examples do.
			c.Profile.Auth = azure.AuthEntra
			c.Profile.Tenant = ""
			c.SignInHint = "or set " + EnvAPIKey + " to use an API key for " + ep.Host()
		}
		c.Profile.Endpoint = ep.BaseURL
		if ep.Deployment != "" && getenv(EnvDeployment) == "" {
			c.Profile.Deployment = ep.Deployment
			c.deploymentInEndpoint = true
		}
		c.FromEnv = append(c.FromEnv, EnvEndpoint)
		if c.Profile.ID == "" {
			c.Profile.Name = "environment"
		}
	}
	if d := strings.TrimSpace(getenv(EnvDeployment)); d != "" {
		c.Profile.Deployment = d
		c.FromEnv = append(c.FromEnv, EnvDeployment)
	}
	if k := envKey; k != "" && s.envKeyFits(c.Profile.Endpoint, getenv(EnvEndpoint) != "") {
		c.APIKey = k
		c.Profile.Auth = azure.AuthAPIKey
		c.FromEnv = append(c.FromEnv, EnvAPIKey)
	} else if c.Profile.ID != "" && (c.Profile.Auth == azure.AuthAPIKey || c.Profile.Auth == "") {
		k, err := secrets.GetFor(c.Profile.Name, c.Profile.ID, c.Profile.Endpoint)
		if err != nil {
			return c, &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings, Reason: err.Error(), Cause: err}
		}
		c.APIKey = k
	}
	if c.Profile.Endpoint == "" {
		return c, &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings, Cause: ErrNotSetUp,
			Reason: "azchat is not connected yet: open Settings and enter your endpoint, deployment and key (or set " + EnvEndpoint + ", " + EnvDeployment + " and " + EnvAPIKey + ")"}
	}
	return c, nil
}

// ErrNotSetUp is Resolve finding no endpoint: no profile, and none in the
// environment.
var ErrNotSetUp = errors.New("no connection is set up")

// envKeyFits reports whether AZURE_OPENAI_API_KEY may go to endpoint.
// With AZURE_OPENAI_ENDPOINT it goes to that one. Without, it was given
// for the profile in use when azchat started: it goes to that profile's
// host, not to another profile's the user switches to in the window (a
// key belongs to its resource; the other profile uses its own key).
func (s *Store) envKeyFits(endpoint string, envEndpoint bool) bool {
	if envEndpoint {
		return true
	}
	if endpoint == "" {
		return true // nothing to send it to: the connection says what is missing
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.envKeyEndpoint == "" {
		s.envKeyEndpoint = endpoint
	}
	return SameHost(endpoint, s.envKeyEndpoint)
}

// Deployments lists the deployments of the connection's resource: through
// Azure Resource Manager with Microsoft Entra ID (armEndpoint overrides
// its address, see deploy.EnvARMEndpoint), through the resource's own
// listing with an API key.
func (c Connection) Deployments(ctx context.Context, armEndpoint string) ([]deploy.Deployment, error) {
	ep, err := NormalizeEndpoint(c.Profile.Endpoint)
	if err != nil {
		return nil, &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings, Reason: "the endpoint is not valid: " + err.Error(), Cause: err}
	}
	if c.Profile.Auth == azure.AuthAPIKey || c.Profile.Auth == "" {
		client, err := c.Client()
		if err != nil {
			return nil, err
		}
		return client.Deployments(ctx)
	}
	opts, err := deploy.ARMOptions(armEndpoint)
	if err != nil {
		return nil, err
	}
	cred, err := azure.NewCredential(c.Profile.Auth, c.Profile.Tenant)
	if err != nil {
		return nil, &chat.Error{Kind: chat.KindConfig, Reason: "Microsoft Entra ID sign-in could not start: check the tenant in settings", Action: chat.ActionOpenSettings, Cause: err}
	}
	return deploy.ListARM(ctx, cred, ep.BaseURL, opts)
}
