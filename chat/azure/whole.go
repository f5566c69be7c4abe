package azure

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/openai/openai-go/v3/packages/ssestream"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/models"
)

// maxWholeBody bounds an answer read whole: 128,000 tokens of output, its
// reasoning summary and filter verdicts are a few megabytes.
const maxWholeBody = 64 << 20

// errWholeTooLarge ends an answer sent whole that is larger than any.
var errWholeTooLarge = errors.New("the service sent an answer larger than 64 MB")

// wholeEvents reads an answer sent whole (a chat.completion object, or a
// Responses API response object) and returns it as the events its stream
// would have been, for the same readers: one chunk for a chat completion,
// the text and summary deltas and the final event for a response.
func wholeEvents(body io.Reader, api models.API) (*eventList, error) {
	b, err := io.ReadAll(io.LimitReader(body, maxWholeBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxWholeBody {
		return nil, errWholeTooLarge
	}
	var evs []ssestream.Event
	if api == models.Responses {
		evs, err = responseEvents(b)
	} else {
		evs, err = completionEvents(b)
	}
	if err != nil {
		return nil, &chat.Error{Kind: chat.KindMalformed, Reason: "Azure OpenAI sent an answer azchat could not read; try again", Action: chat.ActionRetry, Cause: err}
	}
	return &eventList{evs: evs}, nil
}

// completionEvents is a chat.completion as the one chunk that carries it
// all: each choice's message as its delta.
func completionEvents(b []byte) ([]ssestream.Event, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return nil, err
	}
	var choices []map[string]json.RawMessage
	if raw, ok := obj["choices"]; ok {
		if err := json.Unmarshal(raw, &choices); err != nil {
			return nil, err
		}
	}
	for _, ch := range choices {
		if m, ok := ch["message"]; ok {
			ch["delta"] = m
			delete(ch, "message")
		}
	}
	c, err := json.Marshal(choices)
	if err != nil {
		return nil, err
	}
	obj["choices"] = c
	chunk, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	return []ssestream.Event{{Data: chunk}, {Data: []byte("[DONE]")}}, nil
}

// wholeResponse is the part of a Responses API response object read for
// its text: the output items (reasoning summaries, messages) and status.
type wholeResponse struct {
	Status string `json:"status"`
	Output []struct {
		Type    string `json:"type"`
		Summary []struct {
			Text string `json:"text"`
		} `json:"summary"`
		Content []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"content"`
	} `json:"output"`
}

// responseEvents is a response object as the events of its stream: a
// delta per reasoning summary part and per output text, then the final
// event (completed, incomplete or failed) carrying the response.
func responseEvents(b []byte) ([]ssestream.Event, error) {
	var res wholeResponse
	if err := json.Unmarshal(b, &res); err != nil {
		return nil, err
	}
	var evs []ssestream.Event
	add := func(v map[string]any) error {
		data, err := json.Marshal(v)
		evs = append(evs, ssestream.Event{Data: data})
		return err
	}
	part := 0
	for _, item := range res.Output {
		switch item.Type {
		case "reasoning":
			for _, s := range item.Summary {
				if err := add(map[string]any{"type": "response.reasoning_summary_text.delta", "delta": s.Text, "summary_index": part}); err != nil {
					return nil, err
				}
				part++
			}
		case "message":
			for _, c := range item.Content {
				if c.Type != "output_text" {
					continue // a refusal has no text to show
				}
				if err := add(map[string]any{"type": "response.output_text.delta", "delta": c.Text}); err != nil {
					return nil, err
				}
			}
		}
	}
	final := "response.completed"
	switch res.Status {
	case "incomplete":
		final = "response.incomplete"
	case "failed":
		final = "response.failed"
	case "completed":
	default:
		final = "response.incomplete" // not finished: marked interrupted
	}
	if err := add(map[string]any{"type": final, "response": json.RawMessage(b)}); err != nil {
		return nil, err
	}
	return evs, nil
}

// eventList hands out events already read, as a stream's decoder does.
type eventList struct {
	evs []ssestream.Event
	at  int
}

func (l *eventList) Next() bool {
	if l.at >= len(l.evs) {
		return false
	}
	l.at++
	return true
}

func (l *eventList) Event() ssestream.Event { return l.evs[l.at-1] }

func (l *eventList) Err() error { return nil }
