// Package azure is azchat's Azure OpenAI v1 client: it streams chat
// completions through openai-go, authenticates with an API key or Microsoft
// Entra ID, parses Azure's content-filter extensions, and turns every failure
// into a chat.Error with a reason and an action.
package azure

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/azchat/azchat/chat"
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
	// SSL_CERT_FILE, with FirstByteTimeout as its response-header timeout.
	HTTPClient *http.Client
	// FirstByteTimeout bounds the wait for the response headers (default 60 s).
	FirstByteTimeout time.Duration
	// IdleTimeout bounds the silence between two stream events (default 60 s).
	IdleTimeout time.Duration
}

// Client streams chat completions from one Azure OpenAI resource.
type Client struct {
	cfg     Config
	service openai.ChatCompletionService
	auth    authKind
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
	if cfg.FirstByteTimeout == 0 {
		cfg.FirstByteTimeout = 60 * time.Second
	}
	if cfg.IdleTimeout == 0 {
		cfg.IdleTimeout = 60 * time.Second
	}
	if cfg.HTTPClient == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.ResponseHeaderTimeout = cfg.FirstByteTimeout
		cfg.HTTPClient = &http.Client{Transport: tr}
	}
	// Built from explicit options only: openai.NewClient would also read
	// OPENAI_API_KEY and OPENAI_BASE_URL, which must never reach Azure.
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
		tokens := &tokenCache{cred: cfg.Credential}
		opts = append(opts, option.WithMiddleware(func(r *http.Request, next option.MiddlewareNext) (*http.Response, error) {
			tok, err := tokens.get(r.Context())
			if err != nil {
				return nil, err
			}
			r.Header.Set("Authorization", "Bearer "+tok)
			return next(r)
		}))
		c.auth = authEntra
	}
	c.service = openai.NewChatCompletionService(opts...)
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

// Stream sends the request with stream_options.include_usage and reports
// every event to emit. See chat.Client.
func (c *Client) Stream(ctx context.Context, req chat.Request, emit func(chat.Delta)) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	var resp *http.Response
	stream := c.service.NewStreaming(ctx, buildParams(req), option.WithResponseInto(&resp))
	defer stream.Close()

	// The idle watchdog turns a silent connection into a timeout; the
	// transport's header timeout covers the first byte.
	idle := time.AfterFunc(c.cfg.IdleTimeout, func() { cancel(errIdle) })
	defer idle.Stop()
	for stream.Next() {
		idle.Reset(c.cfg.IdleTimeout)
		d, err := ParseChunk([]byte(stream.Current().RawJSON()))
		if err != nil {
			return c.mapError(err, resp)
		}
		emit(d)
	}
	if err := stream.Err(); err != nil {
		if errors.Is(context.Cause(ctx), errIdle) {
			err = errIdle
		}
		return c.mapError(err, resp)
	}
	return nil
}

var errIdle = errors.New("the stream went silent")

func buildParams(req chat.Request) openai.ChatCompletionNewParams {
	p := openai.ChatCompletionNewParams{
		Model:         req.Deployment,
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
	}
	for _, m := range req.Messages {
		switch m.Role {
		case chat.System:
			msg := openai.ChatCompletionSystemMessageParam{Content: openai.ChatCompletionSystemMessageParamContentUnion{OfString: openai.String(m.Content)}}
			if m.Name != "" {
				msg.Name = openai.String(m.Name)
			}
			p.Messages = append(p.Messages, openai.ChatCompletionMessageParamUnion{OfSystem: &msg})
		case chat.Assistant:
			msg := openai.ChatCompletionAssistantMessageParam{Content: openai.ChatCompletionAssistantMessageParamContentUnion{OfString: openai.String(m.Content)}}
			if m.Name != "" {
				msg.Name = openai.String(m.Name)
			}
			p.Messages = append(p.Messages, openai.ChatCompletionMessageParamUnion{OfAssistant: &msg})
		default:
			msg := openai.ChatCompletionUserMessageParam{Content: openai.ChatCompletionUserMessageParamContentUnion{OfString: openai.String(m.Content)}}
			if m.Name != "" {
				msg.Name = openai.String(m.Name)
			}
			p.Messages = append(p.Messages, openai.ChatCompletionMessageParamUnion{OfUser: &msg})
		}
	}
	if req.MaxTokens > 0 {
		if req.Reasoning {
			p.MaxCompletionTokens = openai.Int(int64(req.MaxTokens))
		} else {
			p.MaxTokens = openai.Int(int64(req.MaxTokens))
		}
	}
	if req.Temperature != nil && !req.OmitTemperature {
		p.Temperature = openai.Float(*req.Temperature)
	}
	return p
}

// wireChunk is the part of a stream event azchat reads, including Azure's
// filter extensions that openai-go leaves in ExtraFields.
type wireChunk struct {
	Model   string `json:"model"`
	Choices []struct {
		Index int `json:"index"`
		Delta *struct {
			Content *string `json:"content"`
		} `json:"delta"`
		FinishReason         *string         `json:"finish_reason"`
		ContentFilterResults json.RawMessage `json:"content_filter_results"`
	} `json:"choices"`
	PromptFilterResults []struct {
		PromptIndex          int             `json:"prompt_index"`
		ContentFilterResults json.RawMessage `json:"content_filter_results"`
	} `json:"prompt_filter_results"`
	Usage *chat.Usage `json:"usage"`
}

// ParseChunk reads one stream event's JSON. Events with no choices, choices
// with no delta, and usage-only events are all valid.
func ParseChunk(data []byte) (chat.Delta, error) {
	var w wireChunk
	if err := json.Unmarshal(data, &w); err != nil {
		return chat.Delta{}, &chat.Error{Kind: chat.KindMalformed, Reason: "Azure OpenAI sent a stream event azchat could not read; try again", Action: chat.ActionRetry, Cause: err}
	}
	d := chat.Delta{Model: w.Model, Usage: w.Usage}
	for _, p := range w.PromptFilterResults {
		d.PromptFilter = d.PromptFilter.Merge(ParseFilter(p.ContentFilterResults))
	}
	for _, ch := range w.Choices {
		if ch.Index != 0 {
			continue // azchat asks for one choice
		}
		if ch.Delta != nil && ch.Delta.Content != nil {
			d.Content += *ch.Delta.Content
		}
		if ch.FinishReason != nil {
			d.FinishReason = *ch.FinishReason
		}
		d.Filter = d.Filter.Merge(ParseFilter(ch.ContentFilterResults))
	}
	return d, nil
}

type filterEntry struct {
	Filtered *bool  `json:"filtered"`
	Severity string `json:"severity"`
	Detected *bool  `json:"detected"`
}

// ParseFilter reads a content_filter_results object into typed verdicts,
// skipping entries that are not category verdicts (e.g. "error").
func ParseFilter(raw json.RawMessage) chat.FilterResults {
	if len(raw) == 0 || string(raw) == "null" || string(raw) == "{}" {
		return nil
	}
	var m map[string]filterEntry
	if err := json.Unmarshal(raw, &m); err != nil {
		// Some entry is not an object: read them one by one.
		var loose map[string]json.RawMessage
		if json.Unmarshal(raw, &loose) != nil {
			return nil
		}
		m = map[string]filterEntry{}
		for k, v := range loose {
			var fe filterEntry
			if json.Unmarshal(v, &fe) == nil {
				m[k] = fe
			}
		}
	}
	var out chat.FilterResults
	for k, fc := range m {
		if fc.Filtered == nil {
			continue
		}
		if out == nil {
			out = make(chat.FilterResults, len(m))
		}
		out[k] = chat.FilterCategory{Filtered: *fc.Filtered, Severity: fc.Severity, Detected: fc.Detected}
	}
	return out
}

// String describes the client without its secret, for logs.
func (c *Client) String() string {
	mode := "api-key"
	if c.auth == authEntra {
		mode = "entra-id"
	}
	return fmt.Sprintf("azure(%s, %s)", c.cfg.BaseURL, mode)
}
