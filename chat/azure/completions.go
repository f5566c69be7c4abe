package azure

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/azchat/azchat/chat"
)

// The chat completions request is written here rather than with openai-go's
// ChatCompletionNewParams: that type lives in openai-go's root package,
// whose init functions register every API's union types (realtime, agents,
// fine-tuning, …). Linking it made the executable 21 MB larger (15 MB of
// code and data loaded, 11 MB of it resident in the idle window; see
// docs/performance-notes.md). The Responses API still goes through
// openai-go (its responses package links only its own types).
// TestChatBodyIsOpenAIGos proves this body is, byte for byte, the JSON
// openai-go sent, for every kind of message and parameter azchat sends;
// the headers are azchat's (no X-Stainless-*, its own User-Agent).

// chatBody is the body of a streamed chat completion on the v1 endpoint.
// Optional fields are left out when unset, as openai-go's omitzero did:
// only models that take a parameter get it. The fields are in openai-go's
// order, so the bytes are the same as well.
type chatBody struct {
	Messages            []chatMessage  `json:"messages"`
	Model               string         `json:"model"`
	MaxCompletionTokens int64          `json:"max_completion_tokens,omitempty"`
	MaxTokens           int64          `json:"max_tokens,omitempty"`
	Temperature         *float64       `json:"temperature,omitempty"`
	ReasoningEffort     string         `json:"reasoning_effort,omitempty"`
	StreamOptions       *streamOptions `json:"stream_options,omitempty"`
	Verbosity           string         `json:"verbosity,omitempty"`
	Stream              bool           `json:"stream"`
}

type streamOptions struct {
	IncludeUsage bool `json:"include_usage"`
}

// chatMessage is one message; Content is a string, or for a user message
// with images a list of parts.
type chatMessage struct {
	Content any    `json:"content"`
	Name    string `json:"name,omitempty"`
	Role    string `json:"role"`
}

// contentPart is a text part or an image_url part.
type contentPart struct {
	Text     string        `json:"text,omitempty"`
	ImageURL *imageURLPart `json:"image_url,omitempty"`
	Type     string        `json:"type"`
}

type imageURLPart struct {
	URL    string `json:"url"`
	Detail string `json:"detail,omitempty"`
}

// buildChatBody turns a request into the chat completions body: usage is
// asked for in the stream's last chunk, a reasoning model's reply limit is
// max_completion_tokens (others take max_tokens).
func buildChatBody(req chat.Request) chatBody {
	b := chatBody{
		Messages:      make([]chatMessage, 0, len(req.Messages)),
		Model:         req.Deployment,
		StreamOptions: &streamOptions{IncludeUsage: true},
		// Left out when "": only models that take them get them.
		ReasoningEffort: req.ReasoningEffort,
		Verbosity:       req.Verbosity,
		Stream:          true,
	}
	if req.Whole {
		// One JSON answer, usage in it (stream_options is refused
		// without a stream).
		b.Stream, b.StreamOptions = false, nil
	}
	for _, m := range req.Messages {
		msg := chatMessage{Content: m.Content, Name: m.Name}
		switch m.Role {
		case chat.System:
			msg.Role = "system"
		case chat.Assistant:
			msg.Role = "assistant"
		default:
			msg.Role = "user"
			msg.Content = userContent(m)
		}
		b.Messages = append(b.Messages, msg)
	}
	if req.MaxTokens > 0 {
		if req.Reasoning {
			b.MaxCompletionTokens = int64(req.MaxTokens)
		} else {
			b.MaxTokens = int64(req.MaxTokens)
		}
	}
	if req.Temperature != nil && !req.OmitTemperature {
		t := *req.Temperature
		b.Temperature = &t
	}
	return b
}

// userContent is a user message's content: its text alone, or, with
// images, a text part (when there is text) followed by one image_url part
// per image (each a data: URL; chat.WireImage never holds another kind).
func userContent(m chat.WireMessage) any {
	if len(m.Images) == 0 {
		return m.Content
	}
	parts := make([]contentPart, 0, len(m.Images)+1)
	if m.Content != "" {
		parts = append(parts, contentPart{Type: "text", Text: m.Content})
	}
	for _, img := range m.Images {
		parts = append(parts, contentPart{Type: "image_url", ImageURL: &imageURLPart{URL: img.URL, Detail: string(img.Detail)}})
	}
	return parts
}

// startChat sends a streamed chat completion to {base}chat/completions and
// returns once the response headers are in; the caller reads the events.
// An error status comes back as a *statusError with Azure's error object.
func (c *Client) startChat(ctx context.Context, req chat.Request) (*http.Response, error) {
	body, err := encodeChatBody(buildChatBody(req))
	if err != nil {
		return nil, &chat.Error{Kind: chat.KindConfig, Action: chat.ActionOpenSettings, Cause: err,
			Reason: "azchat could not write the request (the temperature is not a number JSON can hold): check the temperature in settings"}
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.BaseURL+"chat/completions", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/json")
	// What is asked for (openai-go sent Accept: application/json; Azure
	// streams either way).
	hr.Header.Set("Accept", "text/event-stream")
	if req.Whole {
		hr.Header.Set("Accept", "application/json")
	}
	hr.Header.Set("User-Agent", userAgent)
	if err := c.authorize(hr); err != nil {
		return nil, err
	}
	resp, err := c.cfg.HTTPClient.Do(hr)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		// 3xx included: noRedirects reports those before this, but a
		// redirect must never be read as an empty answer.
		return resp, readStatusError(resp)
	}
	return resp, nil
}

// encodeChatBody writes b as openai-go did: without Go's HTML escaping of
// <, > and & (valid JSON either way, but code-heavy chats grew by five
// bytes a character), and without the encoder's trailing newline.
func encodeChatBody(b chatBody) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// userAgent names the client in chat requests (Azure's logs show it; the
// Responses API's requests carry openai-go's).
const userAgent = "azchat"

// maxErrorBody bounds how much of an error response is read: Azure's error
// objects are small, and a misconfigured proxy may send a page.
const maxErrorBody = 1 << 20

// statusError is an error status from the chat endpoint with the error
// object of its body (zero when there was none) and the response's
// headers (Retry-After). Its text names only the status: the body may
// quote what was sent. It keeps no request: that holds the key.
type statusError struct {
	Status int
	Body   apiError
	Header http.Header
}

func (e *statusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Status, http.StatusText(e.Status))
}

// readStatusError reads an error response's body (its "error" object, as
// Azure sends it) and leaves a copy in resp.Body for whoever reads it next.
func readStatusError(resp *http.Response) *statusError {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	var wrapped struct {
		Error apiError `json:"error"`
	}
	_ = json.Unmarshal(raw, &wrapped)
	return &statusError{Status: resp.StatusCode, Body: wrapped.Error, Header: resp.Header}
}
