package fakeazure

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// operationNotSupported is Azure's answer to a chat completion for a model
// that only the Responses API serves.
const operationNotSupported = `{"error":{"code":"OperationNotSupported","message":"The chatCompletion operation does not work with the specified model, %s. Please choose different model and try again. You can learn more about which models can be used with each operation here: https://go.microsoft.com/fwlink/?linkid=2197993."}}`

// responsesOnly: the models Azure serves only through the Responses API
// (the codex and -pro families), by its documentation.
func responsesOnly(model string) bool {
	m := strings.ToLower(model)
	return strings.Contains(m, "codex") || strings.HasSuffix(strings.Split(m, "-20")[0], "-pro")
}

// streamRefused is OpenAI's answer to a streamed request for a model that
// does not stream.
const streamRefused = `{"error":{"code":"unsupported_value","type":"invalid_request_error","param":"stream","message":"Unsupported value: 'stream' does not support true with this model. Supported values are: false."}}`

// noStreaming: the models Azure does not stream, by its reasoning models
// page (o1, o3-pro, gpt-5-pro; o1-mini and o1-preview in 2025).
func noStreaming(model string) bool {
	m := strings.ToLower(strings.Split(model, "-20")[0])
	switch m {
	case "o1", "o1-mini", "o1-preview", "o3-pro", "gpt-5-pro":
		return true
	}
	return false
}

// refuseStream answers a streamed request for such a model (or a
// deployment set to refuse them) as Azure does; it reports whether it did.
func refuseStream(w http.ResponseWriter, dep Deployment, body map[string]any) bool {
	if stream, _ := body["stream"].(bool); stream && (dep.NoStream || noStreaming(dep.Model)) {
		writeError(w, http.StatusBadRequest, []byte(streamRefused), nil)
		return true
	}
	return false
}

// noSummaries: the early reasoning models, which do not summarise their
// reasoning.
func noSummaries(model string) bool {
	m := strings.ToLower(model)
	return strings.HasPrefix(m, "o1-mini") || strings.HasPrefix(m, "o1-preview")
}

// inputMessages turns a Responses request's instructions and input into
// chat-style messages (role, content) for the default reply: text parts
// become the content, joined with "\n"; a message with images keeps a
// content array, in Chat Completions' shape (text and image_url parts).
func inputMessages(body map[string]any) []map[string]any {
	var out []map[string]any
	if ins, _ := body["instructions"].(string); ins != "" {
		out = append(out, map[string]any{"role": "system", "content": ins})
	}
	switch in := body["input"].(type) {
	case string:
		out = append(out, map[string]any{"role": "user", "content": in})
	case []any:
		for _, it := range in {
			m, _ := it.(map[string]any)
			role, _ := m["role"].(string)
			var content any = MessageText(m)
			if images := messageImages(m); len(images) > 0 {
				var parts []any
				if text := MessageText(m); text != "" {
					parts = append(parts, map[string]any{"type": "text", "text": text})
				}
				for _, p := range images {
					url, detail, _ := imageRef(p)
					parts = append(parts, map[string]any{"type": "image_url", "image_url": map[string]any{"url": url, "detail": detail}})
				}
				content = parts
			}
			out = append(out, map[string]any{"role": role, "content": content})
		}
	}
	return out
}

// serveResponses answers the Responses API (POST /openai/v1/responses),
// streamed or not, as Azure does: a reasoning summary when one is asked
// for and scripted, the text as response.output_text.delta events, and
// the response's status, incomplete details and usage at the end. It
// reports whether the path was the Responses API.
func (s *Server) serveResponses(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost || r.URL.Path != "/openai/v1/responses" {
		return false
	}
	var body map[string]any
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 64<<20))
	if err := json.Unmarshal(raw, &body); err != nil {
		writeError(w, http.StatusBadRequest, []byte(`{"error":{"code":"invalid_json","message":"We could not parse the JSON body of your request."}}`), nil)
		return true
	}
	dep, b, ok := s.admit(w, r, body)
	if !ok {
		return true
	}
	if refuseStream(w, dep, body) {
		return true
	}
	if rs, _ := body["reasoning"].(map[string]any); rs != nil && rs["summary"] != nil && noSummaries(dep.Model) {
		writeError(w, http.StatusBadRequest, []byte(`{"error":{"message":"Unsupported parameter: 'reasoning.summary' is not supported with this model.","type":"invalid_request_error","param":"reasoning.summary","code":"unsupported_parameter"}}`), nil)
		return true
	}
	messages := inputMessages(body)
	pieces := splitReply(s.replyFor(b, messages))
	status, incomplete := "completed", ""
	if maxOut := intField(body, "max_output_tokens"); maxOut > 0 && len(pieces) > maxOut {
		pieces, status, incomplete = pieces[:maxOut], "incomplete", "max_output_tokens"
	}
	if b.FinishReason == "content_filter" {
		status, incomplete = "incomplete", "content_filter"
	}
	prompt := roughPrompt(messages)
	usage := map[string]any{
		"input_tokens": prompt, "input_tokens_details": map[string]int{"cached_tokens": min(b.CachedTokens, prompt)},
		"output_tokens": len(pieces) + b.ReasoningTokens, "output_tokens_details": map[string]int{"reasoning_tokens": b.ReasoningTokens},
		"total_tokens": prompt + len(pieces) + b.ReasoningTokens,
	}
	summary := ""
	if rs, _ := body["reasoning"].(map[string]any); rs != nil && rs["summary"] != nil {
		summary = b.ReasoningSummary
	}
	response := func(st string, text string) map[string]any {
		out := []any{}
		if summary != "" {
			out = append(out, map[string]any{"type": "reasoning", "id": "rs_fake", "summary": []any{map[string]any{"type": "summary_text", "text": summary}}})
		}
		if text != "" || st != "in_progress" {
			out = append(out, map[string]any{"type": "message", "id": "msg_fake", "role": "assistant", "status": "completed",
				"content": []any{map[string]any{"type": "output_text", "text": text, "annotations": []any{}}}})
		}
		resp := map[string]any{"id": "resp_fake", "object": "response", "created_at": time.Now().Unix(), "model": dep.Model, "status": st,
			"output": out, "store": body["store"], "incomplete_details": nil, "error": nil}
		if st != "in_progress" {
			resp["usage"] = usage
		}
		if incomplete != "" && st == "incomplete" {
			resp["incomplete_details"] = map[string]any{"reason": incomplete}
		}
		if st == "failed" {
			resp["error"] = map[string]any{"code": b.Fail, "message": "The model failed to answer."}
		}
		return resp
	}
	if b.Fail != "" {
		status = "failed"
	}
	if stream, _ := body["stream"].(bool); !stream {
		if b.DropAfter > 0 {
			dropConnection(w)
			return true
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(response(status, strings.Join(pieces, "")))
		return true
	}
	fl, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	seq := 0
	send := func(typ string, v map[string]any) {
		v["type"], v["sequence_number"] = typ, seq
		seq++
		bs, _ := json.Marshal(v)
		_, _ = fmt.Fprintf(w, "event: %s\ndata: %s\n\n", typ, bs)
		if fl != nil {
			fl.Flush()
		}
	}
	send("response.created", map[string]any{"response": response("in_progress", "")})
	if summary != "" {
		for _, p := range splitReply(summary) {
			send("response.reasoning_summary_text.delta", map[string]any{"item_id": "rs_fake", "output_index": 0, "summary_index": 0, "delta": p})
		}
		send("response.reasoning_summary_text.done", map[string]any{"item_id": "rs_fake", "output_index": 0, "summary_index": 0, "text": summary})
	}
	var gap time.Duration
	if b.TokensPerSecond > 0 {
		gap = time.Duration(float64(time.Second) / b.TokensPerSecond)
	}
	for i, p := range pieces {
		if b.Gate != nil && i == b.GateAfter && !waitGate(r, b.Gate) {
			return true
		}
		if b.StallAfter > 0 && i == b.StallAfter {
			<-r.Context().Done()
			return true
		}
		if gap > 0 {
			select {
			case <-time.After(gap):
			case <-r.Context().Done():
				return true
			}
		}
		send("response.output_text.delta", map[string]any{"item_id": "msg_fake", "output_index": 1, "content_index": 0, "delta": p})
	}
	if b.Gate != nil && b.GateAfter >= len(pieces) && !waitGate(r, b.Gate) {
		return true
	}
	final := strings.Join(pieces, "")
	send("response.output_text.done", map[string]any{"item_id": "msg_fake", "output_index": 1, "content_index": 0, "text": final})
	switch status {
	case "failed":
		send("response.failed", map[string]any{"response": response("failed", final)})
	case "incomplete":
		send("response.incomplete", map[string]any{"response": response("incomplete", final)})
	default:
		send("response.completed", map[string]any{"response": response("completed", final)})
	}
	return true
}
