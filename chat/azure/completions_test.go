package azure

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"github.com/azchat/azchat/chat"
)

// openAIGoBody is the chat completions body as openai-go sends it: its own
// types (ChatCompletionNewParams) through its own NewStreaming, captured by
// a server on 127.0.0.1. It is the reference buildChatBody must equal. The
// test binary may link openai-go's root package; the app must not (see
// completions.go).
func openAIGoBody(t *testing.T, req chat.Request) []byte {
	got := make(chan []byte, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- body
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, "data: [DONE]\n\n")
	}))
	defer srv.Close()
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
			var content openai.ChatCompletionUserMessageParamContentUnion
			if len(m.Images) == 0 {
				content.OfString = openai.String(m.Content)
			} else {
				if m.Content != "" {
					content.OfArrayOfContentParts = append(content.OfArrayOfContentParts, openai.TextContentPart(m.Content))
				}
				for _, img := range m.Images {
					content.OfArrayOfContentParts = append(content.OfArrayOfContentParts,
						openai.ImageContentPart(openai.ChatCompletionContentPartImageImageURLParam{URL: img.URL, Detail: string(img.Detail)}))
				}
			}
			msg := openai.ChatCompletionUserMessageParam{Content: content}
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
	p.ReasoningEffort = shared.ReasoningEffort(req.ReasoningEffort)
	p.Verbosity = openai.ChatCompletionNewParamsVerbosity(req.Verbosity)
	svc := openai.NewChatCompletionService(option.WithBaseURL(srv.URL+"/openai/v1/"), option.WithMaxRetries(0), option.WithHeader("api-key", "k"))
	stream := svc.NewStreaming(context.Background(), p)
	for stream.Next() {
	}
	if err := stream.Err(); err != nil {
		t.Fatalf("openai-go: %v", err)
	}
	_ = stream.Close()
	select {
	case b := <-got:
		return b
	default:
		t.Fatal("openai-go sent no request")
		return nil
	}
}

func ourBody(t *testing.T, req chat.Request) []byte {
	raw, err := encodeChatBody(buildChatBody(req))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestChatBodyIsOpenAIGos: for every kind of message and every optional
// parameter, alone and together, the body azchat sends is, byte for byte,
// the one openai-go sent.
func TestChatBodyIsOpenAIGos(t *testing.T) {
	temp, zero := 0.7, 0.0
	img := func(url string, d chat.Detail) chat.WireImage { return chat.WireImage{URL: url, Detail: d} }
	messages := [][]chat.WireMessage{
		{{Role: chat.User, Content: "Hello"}},
		{{Role: chat.System, Content: "Be brief."}, {Role: chat.User, Content: "Hi"}},
		{ // few-shot examples are named system messages
			{Role: chat.System, Content: "You translate."},
			{Role: chat.System, Name: "example_user", Content: "chat"},
			{Role: chat.System, Name: "example_assistant", Content: "cat"},
			{Role: chat.User, Content: "chien"},
			{Role: chat.Assistant, Content: "dog"},
			{Role: chat.User, Name: "ann", Content: ""},
		},
		{ // images with and without text, every detail
			{Role: chat.User, Content: "What is this?", Images: []chat.WireImage{img("data:image/png;base64,iVBORw0KGgo=", "")}},
			{Role: chat.Assistant, Content: "A pixel."},
			{Role: chat.User, Images: []chat.WireImage{img("data:image/jpeg;base64,/9j/", "low"), img("data:image/gif;base64,R0lG", "high"), img("data:image/webp;base64,UklG", "auto")}},
		},
		{{Role: chat.User, Content: "quotes \" and \\ and <html> & \u2028 \U0001F600 \x00 \xff end"}},
		{{Role: chat.User, Name: "ann", Content: "named, with a picture", Images: []chat.WireImage{img("data:image/png;base64,iVBORw0KGgo=", "low")}}},
	}
	params := []func(*chat.Request){
		func(*chat.Request) {},
		func(r *chat.Request) { r.MaxTokens = 800 },
		func(r *chat.Request) { r.MaxTokens, r.Reasoning = 4000, true },
		func(r *chat.Request) { r.Temperature = &temp },
		func(r *chat.Request) { r.Temperature = &zero },
		func(r *chat.Request) { r.Temperature, r.OmitTemperature = &temp, true },
		func(r *chat.Request) { r.ReasoningEffort, r.Reasoning = "high", true },
		func(r *chat.Request) { r.Verbosity = "low" },
		func(r *chat.Request) {
			r.MaxTokens, r.Reasoning, r.ReasoningEffort, r.Verbosity, r.Temperature = 100, true, "minimal", "high", &temp
		},
	}
	for mi, msgs := range messages {
		for pi, set := range params {
			req := chat.Request{Deployment: "gpt-4o-prod", Messages: msgs}
			set(&req)
			want, got := openAIGoBody(t, req), ourBody(t, req)
			if !bytes.Equal(got, want) {
				t.Errorf("messages %d, parameters %d:\nazchat:    %s\nopenai-go: %s", mi, pi, got, want)
			}
		}
	}
}

// TestChatRequestOnTheWire: the request goes to {base}chat/completions
// with the key in api-key only and the body buildChatBody makes; an error
// status comes back mapped, with its Retry-After, and no text of the error
// holds the key.
func TestChatRequestOnTheWire(t *testing.T) {
	const key = "secret-key-0123456789"
	type seen struct {
		path, contentType, apiKey, auth string
		body                            []byte
	}
	got := make(chan seen, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- seen{r.URL.Path, r.Header.Get("Content-Type"), r.Header.Get("api-key"), r.Header.Get("Authorization"), body}
		w.Header().Set("retry-after-ms", "1500")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation have exceeded the rate limit."}}`)
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL + "/openai/v1/", APIKey: key})
	if err != nil {
		t.Fatal(err)
	}
	req := chat.Request{Deployment: "gpt-4o", Messages: []chat.WireMessage{{Role: chat.User, Content: "a <b> & c"}}}
	err = c.Stream(context.Background(), req, func(chat.Delta) { t.Error("a delta from an error status") })
	e := chat.AsError(err)
	if e == nil || e.Kind != chat.KindRateLimited || e.Status != 429 || e.RetryAfter != 1500*time.Millisecond {
		t.Fatalf("error %+v", e)
	}
	for _, text := range []string{err.Error(), e.Cause.Error(), fmt.Sprintf("%+v", e)} {
		if strings.Contains(text, key) {
			t.Fatalf("the key is in the error's text: %q", text)
		}
	}
	s := <-got
	want, _ := encodeChatBody(buildChatBody(req))
	if s.path != "/openai/v1/chat/completions" || s.contentType != "application/json" || s.apiKey != key || s.auth != "" || !bytes.Equal(s.body, want) {
		t.Fatalf("request: path %q, content type %q, api-key set %v, Authorization %q, body %s", s.path, s.contentType, s.apiKey == key, s.auth, s.body)
	}
}

// TestAnUnwritableRequestIsASettingsError: a number JSON cannot hold (a NaN
// temperature) is reported as a setting to fix, before anything is sent,
// not as a network failure.
func TestAnUnwritableRequestIsASettingsError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Error("a request was sent") }))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL + "/openai/v1/", APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	req := chat.Request{Deployment: "gpt-4o", Temperature: &nan, Messages: []chat.WireMessage{{Role: chat.User, Content: "hi"}}}
	e := chat.AsError(c.Stream(context.Background(), req, func(chat.Delta) {}))
	if e == nil || e.Kind != chat.KindConfig || e.Action != chat.ActionOpenSettings || !strings.Contains(e.Reason, "temperature") {
		t.Fatalf("error %+v", e)
	}
}
