package fakeazure

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
)

func startServer(t *testing.T, s *Server) *Server {
	t.Helper()
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// post sends body as JSON to path and returns the status and the body.
func post(t *testing.T, s *Server, path string, body any) (int, []byte) {
	t.Helper()
	raw, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(s.URL()+path, "application/json", bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

func encodePNG(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func dataURL(mime string, b []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b)
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func textPart(s string) map[string]any { return map[string]any{"type": "text", "text": s} }

func imageURLPart(url, detail string) map[string]any {
	return map[string]any{"type": "image_url", "image_url": map[string]any{"url": url, "detail": detail}}
}

func inputText(s string) map[string]any { return map[string]any{"type": "input_text", "text": s} }

func inputImage(url, detail string) map[string]any {
	return map[string]any{"type": "input_image", "image_url": url, "detail": detail}
}

// chatBody is a Chat Completions request whose last user message has these
// content parts.
func chatBody(model string, parts ...map[string]any) map[string]any {
	return map[string]any{"model": model, "messages": []any{
		map[string]any{"role": "system", "content": "Be brief."},
		map[string]any{"role": "user", "content": anySlice(parts)}}}
}

func responsesBody(model string, parts ...map[string]any) map[string]any {
	return map[string]any{"model": model, "instructions": "Be brief.", "input": []any{
		map[string]any{"role": "user", "content": anySlice(parts)}}}
}

func anySlice(parts []map[string]any) []any {
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return out
}

// chatReply decodes a non-streamed completion: its text and whether it
// carried usage.
func chatReply(t *testing.T, raw []byte) (string, bool) {
	t.Helper()
	var resp struct {
		Choices []struct {
			Message struct{ Content string } `json:"message"`
		} `json:"choices"`
		Usage *struct {
			PromptTokens int `json:"prompt_tokens"`
		} `json:"usage"`
	}
	if err := json.Unmarshal(raw, &resp); err != nil || len(resp.Choices) != 1 {
		t.Fatalf("completion %s: %v", raw, err)
	}
	return resp.Choices[0].Message.Content, resp.Usage != nil
}

func responsesReply(t *testing.T, raw []byte) string {
	t.Helper()
	var resp struct {
		Status string `json:"status"`
		Output []struct {
			Type    string `json:"type"`
			Content []struct {
				Text string `json:"text"`
			} `json:"content"`
		} `json:"output"`
	}
	if err := json.Unmarshal(raw, &resp); err != nil || resp.Status != "completed" {
		t.Fatalf("response %s: %v", raw, err)
	}
	for _, o := range resp.Output {
		if o.Type == "message" && len(o.Content) == 1 {
			return o.Content[0].Text
		}
	}
	t.Fatalf("no message in %s", raw)
	return ""
}

const echoTail = ". This answer comes from azchat's local stand-in for Azure OpenAI, so it only echoes. Ask for a *markdown demo* to see formatting."

func TestChatImagesAreEchoedAndRecorded(t *testing.T) {
	s := startServer(t, &Server{})
	pngB, jpgB := encodePNG(t, 16, 8), encodeJPEG(t, 8, 8)
	status, raw := post(t, s, "/openai/v1/chat/completions", chatBody("gpt-4o",
		textPart("What is this?"), textPart("And this?"),
		imageURLPart(dataURL("image/png", pngB), "low"), imageURLPart(dataURL("image/jpeg", jpgB), "auto")))
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, raw)
	}
	text, _ := chatReply(t, raw)
	if want := `You asked: "What is this?` + "\n" + `And this?" with 2 images (image/png, image/jpeg)` + echoTail; text != want {
		t.Fatalf("reply %q, want %q", text, want)
	}
	reqs := s.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	want := []Image{{MIME: "image/png", Detail: "low", Bytes: len(pngB), SHA256: sha(pngB)}, {MIME: "image/jpeg", Detail: "auto", Bytes: len(jpgB), SHA256: sha(jpgB)}}
	if got := reqs[0].Images; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("images %+v, want %+v", got, want)
	}
}

func TestChatWithoutImagesKeepsItsReply(t *testing.T) {
	s := startServer(t, &Server{})
	for _, content := range []any{"What is Azure?", []any{textPart("What is Azure?")}} {
		status, raw := post(t, s, "/openai/v1/chat/completions", map[string]any{"model": "gpt-4o",
			"messages": []any{map[string]any{"role": "user", "content": content}}})
		text, _ := chatReply(t, raw)
		if status != http.StatusOK || text != `You asked: "What is Azure?"`+echoTail {
			t.Fatalf("%d %q", status, text)
		}
	}
	for _, r := range s.Requests() {
		if r.Images != nil {
			t.Fatalf("images recorded for a text request: %+v", r.Images)
		}
	}
	// An image alone, and an image asking for the demo.
	url := dataURL("image/png", encodePNG(t, 2, 2))
	_, raw := post(t, s, "/openai/v1/chat/completions", chatBody("gpt-4o", imageURLPart(url, "high")))
	if text, _ := chatReply(t, raw); text != "You sent 1 image (image/png)"+echoTail {
		t.Fatalf("image alone: %q", text)
	}
	_, raw = post(t, s, "/openai/v1/chat/completions", chatBody("gpt-4o", textPart("markdown demo"), imageURLPart(url, "high")))
	if text, _ := chatReply(t, raw); text != demoReply {
		t.Fatalf("demo with an image: %q", text)
	}
}

// A message with images has no reference count, so no usage is sent; the
// same text alone has one.
func TestImagesGetNoReferenceUsage(t *testing.T) {
	s := startServer(t, &Server{})
	msg := func(content any) map[string]any {
		return map[string]any{"model": "gpt-4o", "messages": []any{map[string]any{"role": "user", "content": content}}}
	}
	_, raw := post(t, s, "/openai/v1/chat/completions", msg([]any{textPart("Who founded Microsoft?")}))
	if _, usage := chatReply(t, raw); !usage {
		t.Fatalf("a text part with a reference count got no usage: %s", raw)
	}
	_, raw = post(t, s, "/openai/v1/chat/completions", msg([]any{textPart("Who founded Microsoft?"), imageURLPart(dataURL("image/png", encodePNG(t, 2, 2)), "low")}))
	if _, usage := chatReply(t, raw); usage {
		t.Fatalf("a message with an image got usage: %s", raw)
	}
	img := []map[string]any{{"role": "user", "content": []any{textPart("Who founded Microsoft?"), imageURLPart("data:image/png;base64,iVBORw0KGgo=", "low")}}}
	if _, ok := referencePrompt("gpt-4o", img); ok {
		t.Fatal("referencePrompt matched a message with an image")
	}
	if n, ok := referencePrompt("gpt-4o", []map[string]any{{"role": "user", "content": []any{textPart("Who founded Microsoft?")}}}); !ok || n != 11 {
		t.Fatalf("text part: %d %v", n, ok)
	}
}

func TestScriptedReplyWithImages(t *testing.T) {
	s := startServer(t, &Server{})
	s.Script(Behaviour{Reply: "A cat."}, Behaviour{Reply: "A dog."})
	url := dataURL("image/png", encodePNG(t, 4, 4))
	_, raw := post(t, s, "/openai/v1/chat/completions", chatBody("gpt-4o", textPart("What is it?"), imageURLPart(url, "auto")))
	if text, _ := chatReply(t, raw); text != "A cat." {
		t.Fatalf("chat: %q", text)
	}
	_, raw = post(t, s, "/openai/v1/responses", responsesBody("gpt-4o", inputText("What is it?"), inputImage(url, "auto")))
	if text := responsesReply(t, raw); text != "A dog." {
		t.Fatalf("responses: %q", text)
	}
}

func TestResponsesImagesAreEchoedAndRecorded(t *testing.T) {
	s := startServer(t, &Server{})
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	webp := []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
	status, raw := post(t, s, "/openai/v1/responses", responsesBody("gpt-4.1",
		inputText("Compare"), inputText("these"), inputImage(dataURL("image/gif", gif), "high"), inputImage(dataURL("image/webp", webp), "auto")))
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, raw)
	}
	if text, want := responsesReply(t, raw), `You asked: "Compare`+"\nthese"+`" with 2 images (image/gif, image/webp)`+echoTail; text != want {
		t.Fatalf("reply %q, want %q", text, want)
	}
	want := []Image{{MIME: "image/gif", Detail: "high", Bytes: len(gif), SHA256: sha(gif)}, {MIME: "image/webp", Detail: "auto", Bytes: len(webp), SHA256: sha(webp)}}
	if got := s.Requests()[0].Images; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("images %+v, want %+v", got, want)
	}
	// Streamed, the text deltas carry the same reply.
	body := responsesBody("gpt-4o", inputText("Streamed?"), inputImage(dataURL("image/gif", gif), "low"))
	body["stream"] = true
	status, raw = post(t, s, "/openai/v1/responses", body)
	var text strings.Builder
	for _, line := range strings.Split(string(raw), "\n") {
		var ev struct {
			Type  string `json:"type"`
			Delta string `json:"delta"`
		}
		if data, ok := strings.CutPrefix(line, "data: "); ok && json.Unmarshal([]byte(data), &ev) == nil && ev.Type == "response.output_text.delta" {
			text.WriteString(ev.Delta)
		}
	}
	if want := `You asked: "Streamed?" with 1 image (image/gif)` + echoTail; status != http.StatusOK || text.String() != want {
		t.Fatalf("%d streamed %q", status, text.String())
	}
}

// Every way Azure refuses images, for both APIs; each refused request is
// still recorded with its images.
func TestImagesRefusedLikeAzure(t *testing.T) {
	pngB := encodePNG(t, 2, 2)
	pngURL := dataURL("image/png", pngB)
	good := Image{MIME: "image/png", Detail: "auto", Bytes: len(pngB), SHA256: sha(pngB)}
	text := []byte("not an image at all")
	noVision := func(typ, param string) string {
		return `{"error":{"code":"BadRequest","message":"Invalid content type. ` + typ + ` is only supported by certain models.","param":"` + param + `","type":"invalid_request_error"}}`
	}
	many := func(url string) []string {
		out := make([]string, 11)
		for i := range out {
			out[i] = url
		}
		return out
	}
	cases := []struct {
		name, model string
		urls        []string
		chat, resp  string // the error bodies; "" for 200
		recorded    Image  // the first image as recorded
	}{
		{"remote URL", "gpt-4o", []string{"https://example.invalid/cat.png"}, errImageURL, errImageURL, Image{Detail: "auto", URL: "https://example.invalid/cat.png"}},
		{"file id", "gpt-4o", []string{""}, errImageURL, errImageURL, Image{Detail: "auto"}},
		{"bad base64", "gpt-4o", []string{"data:image/png;base64,!!notbase64"}, errImageData, errImageData, Image{MIME: "image/png", Detail: "auto"}},
		{"not base64", "gpt-4o", []string{"data:image/png,rawbytes"}, errImageData, errImageData, Image{MIME: "image/png", Detail: "auto"}},
		{"not an image", "gpt-4o", []string{dataURL("image/png", text)}, errImageData, errImageData, Image{MIME: "image/png", Detail: "auto", Bytes: len(text), SHA256: sha(text)}},
		{"empty", "gpt-4o", []string{"data:image/png;base64,"}, errImageData, errImageData, Image{MIME: "image/png", Detail: "auto", Bytes: 0, SHA256: sha(nil)}},
		{"second bad", "gpt-4o", []string{pngURL, "data:image/jpeg;base64,AAAA"}, errImageData, errImageData, good},
		{"eleven", "gpt-4o", many(pngURL), errTooManyImages, errTooManyImages, good},
		{"ten", "gpt-4o", many(pngURL)[:10], "", "", good},
		{"gpt-35-turbo", "gpt-35-turbo-0125", []string{pngURL}, noVision("image_url", "messages.[1].content.[1].type"), noVision("input_image", "input.[0].content.[1].type"), good},
		{"gpt-4", "gpt-4-0613", []string{pngURL}, noVision("image_url", "messages.[1].content.[1].type"), noVision("input_image", "input.[0].content.[1].type"), good},
		{"o3-mini", "o3-mini-2025-01-31", []string{pngURL}, noVision("image_url", "messages.[1].content.[1].type"), noVision("input_image", "input.[0].content.[1].type"), good},
		{"gpt-oss", "gpt-oss-120b", []string{"https://example.invalid/x.png"}, noVision("image_url", "messages.[1].content.[1].type"), noVision("input_image", "input.[0].content.[1].type"), Image{Detail: "auto", URL: "https://example.invalid/x.png"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := startServer(t, &Server{Deployments: map[string]Deployment{"d": {Model: c.model}}})
			chatParts := []map[string]any{textPart("Look")}
			respParts := []map[string]any{inputText("Look")}
			for _, u := range c.urls {
				chatParts = append(chatParts, imageURLPart(u, "auto"))
				respParts = append(respParts, inputImage(u, "auto"))
			}
			for _, api := range []struct {
				path string
				body map[string]any
				want string
			}{
				{"/openai/v1/chat/completions", chatBody("d", chatParts...), c.chat},
				{"/openai/v1/responses", responsesBody("d", respParts...), c.resp},
			} {
				status, raw := post(t, s, api.path, api.body)
				switch {
				case api.want == "" && status != http.StatusOK:
					t.Fatalf("%s: %d %s", api.path, status, raw)
				case api.want != "" && (status != http.StatusBadRequest || strings.TrimSpace(string(raw)) != api.want):
					t.Fatalf("%s: %d %s\nwant 400 %s", api.path, status, raw, api.want)
				case api.want != "" && !json.Valid(raw):
					t.Fatalf("%s: not JSON: %s", api.path, raw)
				}
				reqs := s.Requests()
				got := reqs[len(reqs)-1]
				if got.Path != api.path || len(got.Images) != len(c.urls) {
					t.Fatalf("recorded %s with %d images", got.Path, len(got.Images))
				}
				if first := got.Images[0]; first != c.recorded {
					t.Fatalf("%s: first image %+v, want %+v", api.path, first, c.recorded)
				}
			}
		})
	}
}

// The exact body azchat's error mapping expects for bad image data.
func TestInvalidImageDataBody(t *testing.T) {
	s := startServer(t, &Server{})
	status, raw := post(t, s, "/openai/v1/chat/completions", chatBody("gpt-4o", imageURLPart("data:image/jpeg;base64,"+base64.StdEncoding.EncodeToString([]byte("GIF88a")), "low")))
	if want := `{"error":{"code":"BadRequest","message":"Invalid image data.","param":null,"type":"invalid_request_error"}}`; status != 400 || strings.TrimSpace(string(raw)) != want {
		t.Fatalf("%d %s", status, raw)
	}
}

func TestVisionModels(t *testing.T) {
	for model, want := range map[string]bool{
		"gpt-4o-2024-11-20": true, "gpt-4o-mini": true, "gpt-4.1-2025-04-14": true, "gpt-4.1-nano": true, "gpt-4.5-preview": true,
		"gpt-4-turbo-2024-04-09": true, "gpt-4-vision-preview": true, "gpt-5": true, "gpt-5-chat": true, "o1": true, "o1-2024-12-17": true,
		"o3": true, "o4-mini": true, "gpt-5-codex": true,
		"gpt-35-turbo": false, "gpt-35-turbo-0125": false, "gpt-3.5-turbo": false, "gpt-4": false, "gpt-4-0613": false,
		"gpt-4-32k": false, "o1-mini": false, "o1-mini-2024-09-12": false, "o1-preview": false, "o3-mini-2025-01-31": false,
		"gpt-oss-120b": false, "GPT-35-Turbo": false,
	} {
		if got := visionModel(model); got != want {
			t.Errorf("visionModel(%q) = %v, want %v", model, got, want)
		}
	}
}

// Images count toward the rough prompt (the context-length check): a
// small window refuses a high-detail image a low-detail one fits in.
func TestImagesCountTowardTheContextCheck(t *testing.T) {
	s := startServer(t, &Server{Deployments: map[string]Deployment{"d": {Model: "gpt-4o", Window: 400}}})
	url := dataURL("image/png", encodePNG(t, 2, 2))
	if status, raw := post(t, s, "/openai/v1/chat/completions", chatBody("d", textPart("hi"), imageURLPart(url, "low"))); status != 200 {
		t.Fatalf("low detail: %d %s", status, raw)
	}
	status, raw := post(t, s, "/openai/v1/chat/completions", chatBody("d", textPart("hi"), imageURLPart(url, "high")))
	if status != 400 || !bytes.Equal(bytes.TrimSpace(raw), bytes.TrimSpace(Fixture("error-400-context-length.json"))) {
		t.Fatalf("high detail: %d %s", status, raw)
	}
}

func TestMessageText(t *testing.T) {
	for _, c := range []struct {
		content any
		want    string
	}{
		{"plain", "plain"},
		{[]any{textPart("a"), imageURLPart("data:image/png;base64,AAAA", "low"), textPart("b")}, "a\nb"},
		{[]any{inputText("x"), map[string]any{"type": "output_text", "text": "y"}, inputImage("u", "")}, "x\ny"},
		{[]any{map[string]any{"type": "refusal", "refusal": "no"}}, ""},
		{nil, ""},
	} {
		if got := MessageText(map[string]any{"content": c.content}); got != c.want {
			t.Errorf("MessageText(%v) = %q, want %q", c.content, got, c.want)
		}
	}
}
