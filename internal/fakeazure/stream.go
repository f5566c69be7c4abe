package fakeazure

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// stream sends a chat completion as Azure streams it: the prompt filter's
// verdict first, one event a piece with its filter results, the finish
// reason, and the usage where it is known.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, b Behaviour, model string, pieces []string, finish string, usage map[string]any) {
	fl, _ := w.(http.Flusher)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	send := func(v any) {
		bs, _ := json.Marshal(v)
		_, _ = fmt.Fprintf(w, "data: %s\n\n", bs)
		if fl != nil {
			fl.Flush()
		}
	}
	if b.Raw != nil {
		_, _ = w.Write(b.Raw)
		return
	}
	chunk := func(choices []any) map[string]any {
		return map[string]any{"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": time.Now().Unix(),
			"model": model, "system_fingerprint": "fp_fake", "choices": choices}
	}
	// Azure's first event: no choices, only the prompt filter's verdict.
	send(map[string]any{"choices": []any{}, "created": 0, "id": "", "model": "", "object": "",
		"prompt_filter_results": []any{map[string]any{"prompt_index": 0, "content_filter_results": safeFilter}}})
	send(chunk([]any{map[string]any{"index": 0, "delta": map[string]any{"role": "assistant", "content": ""}, "finish_reason": nil, "content_filter_results": map[string]any{}}}))
	var gap time.Duration
	if b.TokensPerSecond > 0 {
		gap = time.Duration(float64(time.Second) / b.TokensPerSecond)
	}
	next := time.Now()
	for i, p := range pieces {
		if b.DropAfter > 0 && i == b.DropAfter {
			dropConnection(w)
			return
		}
		if b.ErrorAfter > 0 && i == b.ErrorAfter {
			_, _ = fmt.Fprintf(w, "data: %s\n\n", b.ErrorEvent)
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			return
		}
		if b.Gate != nil && i == b.GateAfter && !waitGate(r, b.Gate) {
			return
		}
		if b.StallAfter > 0 && i == b.StallAfter {
			<-r.Context().Done()
			return
		}
		if r.Context().Err() != nil {
			return // the client went away (Stop): the rest is not sent
		}
		if gap > 0 {
			next = next.Add(gap)
			if d := time.Until(next); d > 0 {
				select {
				case <-time.After(d):
				case <-r.Context().Done():
					return
				}
			}
		}
		if b.Comments && i%3 == 0 {
			_, _ = io.WriteString(w, ": keep-alive\n\n")
		}
		send(chunk([]any{map[string]any{"index": 0, "delta": map[string]any{"content": p}, "finish_reason": nil, "content_filter_results": safeFilter}}))
		if b.Malformed && i == 0 {
			_, _ = io.WriteString(w, "data: {\"choices\": [ this is not json\n\n")
			if fl != nil {
				fl.Flush()
			}
		}
	}
	if b.Gate != nil && b.GateAfter >= len(pieces) && !waitGate(r, b.Gate) {
		return // held before the end: a gate past the reply still holds
	}
	if !b.NoFinish {
		cf := map[string]any{}
		if finish == "content_filter" {
			cat, sev := b.FilterCategory, b.FilterSeverity
			if cat == "" {
				cat = "violence"
			}
			if sev == "" {
				sev = "medium"
			}
			for k, v := range safeFilter {
				cf[k] = v
			}
			cf[cat] = map[string]any{"filtered": true, "severity": sev}
		}
		send(chunk([]any{map[string]any{"index": 0, "delta": map[string]any{}, "finish_reason": finish, "content_filter_results": cf}}))
		if b.LateFilter {
			send(chunk([]any{map[string]any{"index": 0, "finish_reason": nil, "content_filter_results": safeFilter, "content_filter_offsets": map[string]any{"start_offset": 0, "end_offset": 10}}}))
		}
		if usage != nil {
			// Only where tiktoken's count for this prompt is known.
			c := chunk([]any{})
			c["usage"] = usage
			send(c)
		}
	}
	if !b.NoDone {
		_, _ = io.WriteString(w, "data: [DONE]\n\n")
		if fl != nil {
			fl.Flush()
		}
	}
	s.mu.Lock()
	s.finished++
	s.mu.Unlock()
}

// waitGate holds a stream until gate is closed; false when the client left
// first.
func waitGate(r *http.Request, gate <-chan struct{}) bool {
	select {
	case <-gate:
		return true
	case <-r.Context().Done():
		return false
	}
}
