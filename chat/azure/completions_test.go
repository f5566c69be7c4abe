package azure

import (
	"encoding/json"
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"github.com/azchat/azchat/chat"
)

// openAIGoBody is the chat completions body as openai-go's own types write
// it (ChatCompletionNewParams, plus the "stream": true its NewStreaming
// adds): the reference buildChatBody must equal. The test binary may link
// openai-go's root package; the app must not (see completions.go).
func openAIGoBody(t *testing.T, req chat.Request) map[string]any {
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
	raw, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	body["stream"] = true
	return body
}

func ourBody(t *testing.T, req chat.Request) map[string]any {
	raw, err := json.Marshal(buildChatBody(req))
	if err != nil {
		t.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	return body
}

// TestChatBodyIsOpenAIGos: for every kind of message and every optional
// parameter, alone and together, the body azchat sends is the one
// openai-go's types wrote.
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
		{{Role: chat.User, Content: "quotes \" and \\ and <html> & \u2028 \U0001F600 \x00 end"}},
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
	n := 0
	for mi, msgs := range messages {
		for pi, set := range params {
			req := chat.Request{Deployment: "gpt-4o-prod", Messages: msgs}
			set(&req)
			want, got := openAIGoBody(t, req), ourBody(t, req)
			if !reflect.DeepEqual(got, want) {
				g, _ := json.MarshalIndent(got, "", " ")
				w, _ := json.MarshalIndent(want, "", " ")
				t.Errorf("messages %d, parameters %d:\nazchat:   %s\nopenai-go: %s", mi, pi, g, w)
			}
			n++
		}
	}
	if n != len(messages)*len(params) {
		t.Fatalf("compared %d bodies", n)
	}
}

// TestTheAppLinksNoOpenAIGoRoot: the window and the CLI do not import
// openai-go's root package, whose registrations cost the executable 21 MB
// (11 MB of it resident in the idle window).
func TestTheAppLinksNoOpenAIGoRoot(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	for _, tags := range []string{"", "migrated_fynedo"} {
		out, err := exec.Command("go", "list", "-deps", "-tags", tags, "github.com/azchat/azchat").CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		deps := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(deps) < 50 {
			t.Fatalf("go list listed only %d packages: %s", len(deps), out)
		}
		for _, d := range deps {
			if d == "github.com/openai/openai-go/v3" {
				t.Fatalf("azchat (tags %q) links %s", tags, d)
			}
		}
	}
}
