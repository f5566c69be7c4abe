// Package azure is azchat's Azure OpenAI v1 client: it streams chat
// completions (its own request, see completions.go) and Responses API
// answers (through openai-go), authenticates with an API key or Microsoft
// Entra ID, parses Azure's content-filter extensions, and turns every failure
// into a chat.Error with a reason and an action.
package azure

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/ssestream"
	"github.com/openai/openai-go/v3/responses"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/models"
)

// Scope is the Entra ID scope of Azure OpenAI.
const Scope = "https://cognitiveservices.azure.com/.default"

// Config says where and how to connect.
type Config struct {
	// BaseURL is the v1 base, ending in "/openai/v1/" (or "/v1/" for an
	// OpenAI-compatible server); settings.NormalizeEndpoint produces it.
	BaseURL string
	// APIKey is sent in Azure's api-key header. Exactly one of APIKey and
	// Credential must be set.
	APIKey     string
	Credential azcore.TokenCredential
	// HTTPClient defaults to one that honours HTTPS_PROXY/NO_PROXY and
	// SSL_CERT_FILE. Whatever is given, redirects are never followed.
	HTTPClient *http.Client
	// FirstByteTimeout, when set, caps each request's wait for its first
	// text (chat.Request.FirstByteTimeout, chosen by model); tests shorten it.
	FirstByteTimeout time.Duration
	// IdleTimeout bounds the silence between two stream events
	// (DefaultIdleTimeout when 0).
	IdleTimeout time.Duration
	// Auth is how Credential signs in (AuthEntra or AuthEntraBrowser),
	// for what a failed sign-in tells the user to do.
	Auth AuthMode
	// SignInHint ends the message of a failed Entra ID sign-in with what
	// else the user can do (e.g. "or set AZURE_OPENAI_API_KEY …").
	SignInHint string
	// KeyFrom, EndpointFrom and DeploymentFrom name the environment
	// variable the key, endpoint or deployment came from ("" for the
	// settings): an error about one then names where to mend it (saving
	// Settings changes nothing while the variable is set).
	KeyFrom, EndpointFrom, DeploymentFrom string
}

// Client streams chat completions from one Azure OpenAI resource.
type Client struct {
	cfg       Config
	responses responses.ResponseService // built from opts alone (see New)
	auth      authKind
	tokens    *tokenCache // Entra ID only
}

var _ chat.Client = (*Client)(nil)

type authKind int

const (
	authKey authKind = iota
	authEntra
)

// New checks the configuration and builds a client. It does no I/O.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		return nil, &chat.Error{Kind: chat.KindConfig, Reason: "no endpoint is set: enter your resource's endpoint in settings", Action: chat.ActionOpenSettings}
	}
	if !strings.HasSuffix(cfg.BaseURL, "/") {
		cfg.BaseURL += "/"
	}
	if (cfg.APIKey == "") == (cfg.Credential == nil) {
		return nil, &chat.Error{Kind: chat.KindConfig, Reason: "no API key is set: enter the key from the Azure portal (Keys and Endpoint) in settings, or choose Microsoft Entra ID sign-in", Action: chat.ActionOpenSettings}
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	// The key and the Entra ID token belong to the endpoint they were set up
	// for: a redirect is reported, never followed (see noRedirects).
	hc := *cfg.HTTPClient
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = noRedirects{base}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cfg.HTTPClient = &hc
	// Built from explicit options only: openai.NewClient would also read
	// OPENAI_API_KEY and OPENAI_BASE_URL, which must never reach Azure.
	// (The chat completions request is azchat's own: see startChat.)
	opts := []option.RequestOption{
		option.WithHTTPClient(cfg.HTTPClient),
		option.WithBaseURL(cfg.BaseURL),
		// The controller owns retries so it can show the wait and bound it.
		option.WithMaxRetries(0),
	}
	c := &Client{cfg: cfg}
	if cfg.APIKey != "" {
		opts = append(opts, option.WithHeader("api-key", cfg.APIKey))
		c.auth = authKey
	} else {
		c.tokens = &tokenCache{cred: cfg.Credential}
		c.auth = authEntra
		opts = append(opts, option.WithMiddleware(func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
			if err := c.authorize(r); err != nil {
				return nil, err
			}
			return next(r)
		}))
	}
	c.responses = responses.NewResponseService(opts...)
	return c, nil
}

// tokenCache keeps an Entra ID token until five minutes before it expires,
// so a conversation does not ask the credential (or the az CLI) every turn.
type tokenCache struct {
	cred azcore.TokenCredential
	mu   sync.Mutex
	tok  azcore.AccessToken
}

func (t *tokenCache) get(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.tok.Token != "" && time.Until(t.tok.ExpiresOn) > 5*time.Minute {
		return t.tok.Token, nil
	}
	tok, err := t.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{Scope}})
	if err != nil {
		return "", &credentialError{err: err}
	}
	t.tok = tok
	return tok.Token, nil
}

// credentialError marks a failure to get an Entra ID token.
type credentialError struct{ err error }

func (e *credentialError) Error() string { return "get Entra ID token: " + e.err.Error() }
func (e *credentialError) Unwrap() error { return e.err }

// DefaultIdleTimeout is how long a stream may send nothing at all before
// the answer is given up (Config.IdleTimeout).
const DefaultIdleTimeout = 60 * time.Second

// Stream sends the request with stream_options.include_usage and reports
// every event to emit. See chat.Client.
func (c *Client) Stream(ctx context.Context, req chat.Request, emit func(chat.Delta)) error {
	err := c.stream(ctx, req, emit)
	if e, ok := errors.AsType[*chat.Error](err); ok && e.Kind == chat.KindDeploymentNotFound && c.cfg.DeploymentFrom == "" && req.Deployment != "" {
		// The name the request was sent with: "of that name" made the
		// user guess which (a profile's, or a chat's after a switch).
		e.Reason = fmt.Sprintf("this resource has no deployment named %q: check the deployment name in settings (Azure AI Foundry > Deployments); a deployment created in the last 5 minutes may not be ready yet", chat.PlainName(req.Deployment))
	}
	return err
}

func (c *Client) stream(ctx context.Context, req chat.Request, emit func(chat.Delta)) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	// One watchdog: until the first text arrives it allows the first-byte
	// timeout (minutes for a reasoning model, which may send its prompt
	// filter verdict and then think); after that, the idle timeout between
	// events turns a silent connection into an error.
	first := req.FirstByteTimeout
	if first <= 0 || (c.cfg.FirstByteTimeout > 0 && c.cfg.FirstByteTimeout < first) {
		first = c.cfg.FirstByteTimeout
	}
	if first <= 0 {
		first = defaultFirstByte
	}
	var writing atomic.Bool
	watchdog := time.AfterFunc(first, func() {
		if writing.Load() {
			cancel(errIdle)
		} else {
			cancel(errFirstByte)
		}
	})
	defer watchdog.Stop()
	// The request returns once the response headers are in: the watchdog
	// runs from before it, so a server slow to answer at all is caught too.
	var resp *http.Response
	var read eventReader
	var err error
	if req.API == models.Responses {
		resp, err = c.startResponses(ctx, req)
		read = &responsesReader{}
	} else {
		resp, err = c.startChat(ctx, req)
		read = &chunkReader{}
	}
	if resp != nil && resp.Body != nil {
		defer resp.Body.Close()
	}
	if err != nil {
		return c.streamFailed(ctx, err, resp)
	}
	if resp == nil || resp.Body == nil {
		return c.streamFailed(ctx, errors.New("no response body"), resp)
	}
	var dec events = newSSEDecoder(resp.Body)
	if req.Whole {
		w, err := wholeEvents(resp.Body, req.API)
		if err != nil {
			return c.streamFailed(ctx, err, resp)
		}
		dec = w
	}
	for dec.Next() {
		// Stopped: end now. The decoder's buffer can hold hundreds of a
		// fast stream's events, each decoded and emitted before the read
		// that fails on the closed connection (20 ms of a 2 MB answer).
		if ctx.Err() != nil {
			return c.streamFailed(ctx, ctx.Err(), resp)
		}
		d, done, err := read.read(dec.Event())
		if err != nil {
			return c.mapError(err, resp)
		}
		if done {
			return nil
		}
		if d.Content != "" || d.FinishReason != "" {
			writing.Store(true)
		}
		if writing.Load() {
			watchdog.Reset(c.cfg.IdleTimeout)
		}
		emit(d)
	}
	if err := dec.Err(); err != nil {
		return c.streamFailed(ctx, err, resp)
	}
	return nil
}

// events are the events of one answer: an SSE stream (sseDecoder), or
// the events an answer read whole stands for (wholeEvents).
type events interface {
	Next() bool
	Event() ssestream.Event
	Err() error
}

// eventReader turns the events of one stream into deltas; done marks the
// stream's last event.
type eventReader interface {
	read(ev ssestream.Event) (d chat.Delta, done bool, err error)
}

// streamFailed maps a failed request or read, naming the watchdog's reason
// when it is what cancelled the context.
func (c *Client) streamFailed(ctx context.Context, err error, resp *http.Response) error {
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, errIdle), errors.Is(cause, errFirstByte):
		err = cause
	}
	return c.mapError(err, resp)
}

var errIdle = errors.New("the stream went silent")

// errFirstByte: nothing arrived within the first-byte timeout.
var errFirstByte = errors.New("no answer within the first-byte timeout")

// defaultFirstByte is used when neither the request nor the config sets one.
const defaultFirstByte = 120 * time.Second

// String describes the client without its secret, for logs.
func (c *Client) String() string {
	mode := "api-key"
	if c.auth == authEntra {
		mode = "entra-id"
	}
	return fmt.Sprintf("azure(%s, %s)", c.cfg.BaseURL, mode)
}

// noRedirects turns any 3xx answer into an error naming where it pointed.
// The api-key header and the Entra ID token were given for the endpoint in
// settings; following a redirect could hand them to another host (net/http
// follows it; openai-go would refuse it with a message that hides why).
type noRedirects struct{ next http.RoundTripper }

func (n noRedirects) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := n.next.RoundTrip(r)
	if err == nil && resp.StatusCode >= 400 {
		// An error's body is read whole (openai-go does so for the
		// Responses API): a server may send any amount.
		resp.Body = limitedBody{io.LimitReader(resp.Body, maxErrorBody), resp.Body}
	}
	if err != nil || resp.StatusCode < 300 || resp.StatusCode > 399 {
		return resp, err
	}
	resp.Body.Close()
	to := ""
	if loc, lerr := resp.Location(); lerr == nil {
		to = loc.Host
		if loc.Scheme != "" && loc.Scheme != r.URL.Scheme {
			to = loc.Scheme + "://" + loc.Host
		}
	}
	return nil, &redirectError{Status: resp.StatusCode, To: to}
}

// limitedBody reads an error body up to a limit and closes the whole.
type limitedBody struct {
	io.Reader
	io.Closer
}

// redirectError is an endpoint that answered with a redirect.
type redirectError struct {
	Status int
	To     string // host (with scheme when it changes), "" when unknown
}

func (e *redirectError) Error() string {
	return fmt.Sprintf("the endpoint answered HTTP %d, a redirect to %q", e.Status, e.To)
}
