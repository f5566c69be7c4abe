// Package fakeazure is a local stand-in for the Azure OpenAI v1 endpoint: a
// real HTTP server on 127.0.0.1 that speaks the chat completions wire format
// (streaming and not), checks the api-key or bearer header, and plays
// scripted behaviours: a chosen token rate, every error Azure sends, content
// filtering, dropped streams and slow first bytes. Tests use it over real
// HTTP; people use it to try azchat without an Azure subscription.
package fakeazure

import (
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

//go:embed fixtures
var fixtures embed.FS

// Fixture returns one of the wire fixtures by file name (e.g. "error-401.json").
func Fixture(name string) []byte {
	b, err := fixtures.ReadFile("fixtures/" + name)
	if err != nil {
		panic("fakeazure: no fixture " + name)
	}
	return b
}

// Behaviour scripts the answer to one request. The zero value streams the
// default reply at full speed and finishes with "stop".
type Behaviour struct {
	// Status and Body send an error response; Header adds headers to it.
	Status int
	Body   []byte
	Header map[string]string
	// Reply is the answer's text; "" uses the server's Reply function.
	Reply string
	// TokensPerSecond paces the stream; 0 sends as fast as possible.
	TokensPerSecond float64
	// FinishReason overrides "stop"; NoFinish ends without one.
	FinishReason string
	NoFinish     bool
	// FilterCategory and FilterSeverity mark the completion filter's verdict
	// when FinishReason is "content_filter" (default violence, medium).
	FilterCategory, FilterSeverity string
	// DropAfter closes the connection after that many content events; an
	// answer asked for whole (stream: false) is then never sent: the
	// connection closes where it would have come.
	DropAfter int
	// ErrorAfter sends ErrorEvent (an SSE "data: {"error": …}" event, as
	// Azure does when it fails mid-answer) after that many content events
	// and ends the stream.
	ErrorAfter int
	ErrorEvent []byte
	// FirstByteDelay waits before sending the response headers.
	FirstByteDelay time.Duration
	// Gate, when set, holds the stream after GateAfter content events
	// (before its end, when the reply has no more) until it is closed or
	// the client leaves: a test does what it must while the answer is
	// known to be streaming, then lets it go on. An answer asked for
	// whole (stream: false) is not held.
	Gate      <-chan struct{}
	GateAfter int
	// StallAfter stops sending (keeping the connection open) after that many
	// content events, for idle-timeout tests.
	StallAfter int
	// NoDone leaves out the final "data: [DONE]".
	NoDone bool
	// Raw is sent verbatim as the SSE body (e.g. a fixture).
	Raw []byte
	// Malformed sends one event that is not JSON after the first content event.
	Malformed bool
	// Comments interleaves SSE comments and keep-alive lines.
	Comments bool
	// LateFilter sends an asynchronous content-filter event after the finish reason.
	LateFilter bool
	// ChunkTokens puts that many tokens in each content event (default 1).
	ChunkTokens int
	// ReasoningSummary is the Responses API's reasoning summary, sent when
	// the request asks for one; Fail makes a Responses stream end with
	// response.failed and that error code.
	ReasoningSummary, Fail string
	// CachedTokens and ReasoningTokens add usage details, as Azure reports
	// them: prompt tokens served from the cache (at most the prompt) and
	// completion tokens spent reasoning (billed on top of the text).
	CachedTokens, ReasoningTokens int
}

// Deployment is one model deployment of the fake resource.
type Deployment struct {
	Model string
	// Window is the context window; 0 takes the model's.
	Window int
	// Version is the model version the listings give (the date in Model,
	// as Azure's responses carry it); Capacity a manual scale's capacity,
	// SKU the deployment's SKU (ARM only). Creating deployments are not
	// ready.
	Version  string
	Capacity int
	SKU      string
	Creating bool
	// NoStream: the deployment refuses streamed requests, as Azure does
	// for the models it does not stream (those refuse them anyway).
	NoStream bool
}

// Request is what the server received, for tests to inspect.
type Request struct {
	Path       string
	Deployment string
	APIKey     bool // an api-key header was present (its value is never kept)
	Bearer     bool
	Body       map[string]any
	// Images are the images the request's messages (or Responses input)
	// carried, in message order, good or refused.
	Images []Image
}

// Server is the stand-in. Configure it before Start.
type Server struct {
	// APIKey, if set, must arrive in the api-key header.
	APIKey string
	// BearerToken, if set, is accepted as "Authorization: Bearer TOKEN".
	BearerToken string
	// Deployments maps deployment names to models; nil accepts any name as gpt-4o.
	Deployments map[string]Deployment
	// Reply makes the default answer from the request's messages.
	Reply func(messages []map[string]any) string
	// Pace is the default tokens per second for unscripted requests.
	Pace float64
	// ARMToken, if set, is the bearer token the Resource Manager stand-in
	// accepts (see serveARM); ARMForbidden makes it refuse to list
	// accounts, as for an account without the Reader role.
	ARMToken     string
	ARMForbidden bool
	// ARMForbiddenElsewhere refuses only the subscription that does not
	// hold this resource.
	ARMForbiddenElsewhere bool
	// KeysDisabled answers every api-key request as a resource whose keys
	// are turned off does (403 AuthenticationTypeDisabled).
	KeysDisabled bool

	mu       sync.Mutex
	script   []Behaviour
	requests []Request
	finished int
	ln       net.Listener
	srv      *http.Server
}

// Script queues behaviours for the next requests, in order.
func (s *Server) Script(b ...Behaviour) {
	s.mu.Lock()
	s.script = append(s.script, b...)
	s.mu.Unlock()
}

// Requests returns what was received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in
// the background.
func (s *Server) Start(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.ln = ln
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return nil
}

// URL is the server's root, e.g. http://127.0.0.1:41234.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// BaseURL is the v1 base URL azchat should use.
func (s *Server) BaseURL() string { return s.URL() + "/openai/v1/" }

// Close stops the server and ends open streams.
func (s *Server) Close() error {
	if s.srv == nil {
		return nil
	}
	return s.srv.Close()
}

// admit records a request to the model APIs and does what comes before the
// answer: refuses a wrong key or token, a deployment the resource lacks,
// takes the request's scripted behaviour, waits its first-byte delay and
// sends its scripted error, then refuses images as Azure would (see
// imageRefusal). ok is false when the request was answered (or
// gone).
func (s *Server) admit(w http.ResponseWriter, r *http.Request, body map[string]any) (dep Deployment, b Behaviour, ok bool) {
	deployment, _ := body["model"].(string)
	images := requestImages(body)
	s.mu.Lock()
	s.requests = append(s.requests, Request{Path: r.URL.Path, Deployment: deployment, APIKey: r.Header.Get("api-key") != "", Bearer: r.Header.Get("Authorization") != "", Body: body,
		Images: imagesOf(images)})
	s.mu.Unlock()
	if s.refuse(w, r) {
		return dep, b, false
	}
	dep = Deployment{Model: "gpt-4o-2024-11-20"}
	if s.Deployments != nil {
		d, found := s.Deployments[deployment]
		if !found {
			writeError(w, http.StatusNotFound, Fixture("error-404-deployment.json"), nil)
			return dep, b, false
		}
		dep = d
	}
	b = s.next()
	if b.FirstByteDelay > 0 {
		select {
		case <-time.After(b.FirstByteDelay):
		case <-r.Context().Done():
			return dep, b, false
		}
	}
	if b.Status != 0 {
		writeError(w, b.Status, b.Body, b.Header)
		return dep, b, false
	}
	if refusal := imageRefusal(dep.Model, images); refusal != "" {
		writeError(w, http.StatusBadRequest, []byte(refusal), nil)
		return dep, b, false
	}
	return dep, b, true
}

func (s *Server) next() Behaviour {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.script) == 0 {
		return Behaviour{TokensPerSecond: s.Pace}
	}
	b := s.script[0]
	s.script = s.script[1:]
	return b
}

func writeError(w http.ResponseWriter, status int, body []byte, header map[string]string) {
	for k, v := range header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// ServeHTTP implements the chat completions endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveListing(w, r) || s.serveARM(w, r) || s.serveResponses(w, r) {
		return
	}
	if r.Method != http.MethodPost || r.URL.Path != "/openai/v1/chat/completions" {
		writeError(w, http.StatusNotFound, []byte(`{"error":{"code":"404","message":"Resource not found"}}`), nil)
		return
	}
	var body map[string]any
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err := json.Unmarshal(raw, &body); err != nil {
		writeError(w, http.StatusBadRequest, []byte(`{"error":{"code":"invalid_json","message":"We could not parse the JSON body of your request."}}`), nil)
		return
	}
	dep, b, ok := s.admit(w, r, body)
	if !ok {
		return
	}
	if refuseStream(w, dep, body) {
		return
	}
	if responsesOnly(dep.Model) {
		writeError(w, http.StatusBadRequest, []byte(fmt.Sprintf(operationNotSupported, dep.Model)), nil)
		return
	}
	if reasoningModel(dep.Model) {
		if _, ok := body["max_tokens"]; ok {
			writeError(w, http.StatusBadRequest, Fixture("error-400-unsupported-max-tokens.json"), nil)
			return
		}
		if t, ok := body["temperature"].(float64); ok && t != 1 {
			writeError(w, http.StatusBadRequest, Fixture("error-400-unsupported-temperature.json"), nil)
			return
		}
	}
	messages := messagesOf(body)
	prompt, known := referencePrompt(dep.Model, messages)
	estimate := prompt
	if !known {
		estimate = roughPrompt(messages)
	}
	window := dep.Window
	if window == 0 {
		window = modelWindow(dep.Model)
	}
	maxTokens := intField(body, "max_tokens")
	if mc := intField(body, "max_completion_tokens"); mc > 0 {
		maxTokens = mc
	}
	if estimate+maxTokens > window {
		writeError(w, http.StatusBadRequest, Fixture("error-400-context-length.json"), nil)
		return
	}
	pieces := splitReply(s.replyFor(b, messages))
	finish := "stop"
	if b.FinishReason != "" {
		finish = b.FinishReason
	}
	if maxTokens > 0 && len(pieces) > maxTokens {
		pieces, finish = pieces[:maxTokens], "length"
	}
	var usage map[string]any
	if known {
		// Reasoning tokens are billed as completion tokens, on top of the text.
		completion := len(pieces) + b.ReasoningTokens
		usage = map[string]any{"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}
		if b.CachedTokens > 0 || b.ReasoningTokens > 0 {
			usage["prompt_tokens_details"] = map[string]int{"cached_tokens": min(b.CachedTokens, prompt), "audio_tokens": 0}
			usage["completion_tokens_details"] = map[string]int{"reasoning_tokens": b.ReasoningTokens, "audio_tokens": 0,
				"accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
		}
	}
	if b.ChunkTokens > 1 {
		var grouped []string
		for i := 0; i < len(pieces); i += b.ChunkTokens {
			grouped = append(grouped, strings.Join(pieces[i:min(i+b.ChunkTokens, len(pieces))], ""))
		}
		pieces = grouped
	}
	if stream, _ := body["stream"].(bool); !stream {
		if b.DropAfter > 0 {
			dropConnection(w)
			return
		}
		writeCompletion(w, dep.Model, strings.Join(pieces, ""), finish, usage)
		return
	}
	s.stream(w, r, b, dep.Model, pieces, finish, usage)
}

func messagesOf(body map[string]any) []map[string]any {
	list, _ := body["messages"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, m := range list {
		if mm, ok := m.(map[string]any); ok {
			out = append(out, mm)
		}
	}
	return out
}

func intField(body map[string]any, k string) int {
	f, _ := body[k].(float64)
	return int(f)
}

var safeFilter = map[string]any{
	"hate":      map[string]any{"filtered": false, "severity": "safe"},
	"self_harm": map[string]any{"filtered": false, "severity": "safe"},
	"sexual":    map[string]any{"filtered": false, "severity": "safe"},
	"violence":  map[string]any{"filtered": false, "severity": "safe"},
}

func writeCompletion(w http.ResponseWriter, model, text, finish string, usage map[string]any) {
	resp := map[string]any{
		"id": "chatcmpl-fake", "object": "chat.completion", "created": time.Now().Unix(), "model": model,
		"choices": []any{map[string]any{"index": 0, "finish_reason": finish,
			"message":                map[string]any{"role": "assistant", "content": text},
			"content_filter_results": safeFilter}},
		"prompt_filter_results": []any{map[string]any{"prompt_index": 0, "content_filter_results": safeFilter}},
	}
	if usage != nil {
		resp["usage"] = usage
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}

// Finished counts the streams sent to their end.
func (s *Server) Finished() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.finished
}

// dropConnection cuts the TCP connection without ending the chunked body,
// as a network failure would.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0) // RST, not FIN
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// DefaultReply answers the last user message (its text parts, if it has
// content parts), naming the images it carried. Asked for a demo (any
// message with "markdown" or "demo"), it shows off headings, code and a
// table.
func DefaultReply(messages []map[string]any) string {
	var lastMsg map[string]any
	for i := len(messages) - 1; i >= 0; i-- {
		if messages[i]["role"] == "user" {
			lastMsg = messages[i]
			break
		}
	}
	last, images := MessageText(lastMsg), imagesPhrase(lastMsg)
	lower := strings.ToLower(last)
	if strings.Contains(lower, "markdown") || strings.Contains(lower, "demo") {
		return demoReply
	}
	asked := "You asked: \"" + last + "\""
	switch {
	case images != "" && strings.TrimSpace(last) == "":
		asked = "You sent " + images
	case images != "":
		asked += " with " + images
	case strings.TrimSpace(last) == "":
		return "Hello! I am the local stand-in for Azure OpenAI. Ask me anything."
	}
	return asked + ". This answer comes from azchat's local stand-in for Azure OpenAI, so it only echoes. Ask for a *markdown demo* to see formatting."
}

const demoReply = "## Token budgets, briefly\n\n" +
	"Each message costs **3 tokens** plus its content, a *name* costs 1 more, and every reply is primed with 3.\n\n" +
	"| Model | Encoding | Context window |\n|---|---|---:|\n| gpt-4o | o200k_base | 128,000 |\n| gpt-4.1 | o200k_base | 1,047,576 |\n| gpt-35-turbo | cl100k_base | 4,096 |\n\n" +
	"Counting in Go:\n\n```go\nn := tokens.ReplyPrimer\nfor _, m := range msgs {\n\tn += counter.Message(m.Role, m.Name, m.Content)\n}\n```\n\n" +
	"1. Keep the system message and few-shot examples.\n2. Add the newest turns that fit.\n3. Leave the rest out — see [the guide](https://learn.microsoft.com/azure/ai-services/openai/how-to/chatgpt).\n"
