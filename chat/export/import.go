package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/azchat/azchat/chat"
)

// Parse reads an azchat JSON export or a bare JSON array of
// {role, content, name?} messages. Errors name what is wrong and where
// (line and column, or message number); nothing is half-imported.
func Parse(data []byte) (*chat.Conversation, error) {
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trimmed) == 0 {
		return nil, errors.New("the file is empty")
	}
	if !json.Valid(trimmed) {
		var v any
		err := json.Unmarshal(trimmed, &v)
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line, col := position(trimmed, se.Offset)
			return nil, fmt.Errorf("not valid JSON at line %d, column %d: %s", line, col, se.Error())
		}
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	var raw []json.RawMessage
	conv := &chat.Conversation{}
	switch trimmed[0] {
	case '[':
		if err := json.Unmarshal(trimmed, &raw); err != nil {
			return nil, err
		}
	case '{':
		var doc struct {
			Title    string            `json:"title"`
			System   string            `json:"system"`
			Examples []chat.Example    `json:"examples"`
			Messages []json.RawMessage `json:"messages"`
		}
		if err := json.Unmarshal(trimmed, &doc); err != nil {
			return nil, fmt.Errorf("the top-level object does not look like an azchat export: %v", err)
		}
		if doc.Messages == nil {
			return nil, errors.New(`the object has no "messages" array: expected an azchat JSON export or an array of {"role", "content"} messages`)
		}
		conv.Title, conv.System, conv.Examples = doc.Title, doc.System, doc.Examples
		raw = doc.Messages
	default:
		return nil, errors.New(`expected an azchat JSON export or an array of {"role", "content"} messages`)
	}
	for i, r := range raw {
		var m struct {
			Role         *string            `json:"role"`
			Content      *string            `json:"content"`
			Name         string             `json:"name"`
			Time         *time.Time         `json:"time"`
			Status       string             `json:"status"`
			FinishReason string             `json:"finish_reason"`
			Model        string             `json:"model"`
			Usage        *chat.Usage        `json:"usage"`
			Reasoning    string             `json:"reasoning"`
			Filter       chat.FilterResults `json:"content_filter_results"`
			PromptFilter chat.FilterResults `json:"prompt_filter_results"`
			Error        string             `json:"error"`
		}
		if err := json.Unmarshal(r, &m); err != nil {
			return nil, fmt.Errorf("message %d: %v", i+1, err)
		}
		if m.Role == nil {
			return nil, fmt.Errorf(`message %d has no "role"`, i+1)
		}
		if m.Content == nil {
			return nil, fmt.Errorf(`message %d has no "content" string`, i+1)
		}
		role := chat.Role(strings.ToLower(*m.Role))
		switch role {
		case chat.System:
			// A guide-style array starts with the system message.
			if len(conv.Messages) == 0 && m.Name == "" && conv.System == "" {
				conv.System = *m.Content
				continue
			}
			if m.Name == "example_user" || m.Name == "example_assistant" {
				if m.Name == "example_user" {
					conv.Examples = append(conv.Examples, chat.Example{User: *m.Content})
				} else if n := len(conv.Examples); n > 0 && conv.Examples[n-1].Assistant == "" {
					conv.Examples[n-1].Assistant = *m.Content
				}
				continue
			}
		case chat.User, chat.Assistant:
		default:
			return nil, fmt.Errorf(`message %d: role must be "system", "user" or "assistant", not %q`, i+1, *m.Role)
		}
		msg := &chat.Message{Role: role, Name: m.Name, Content: *m.Content, Status: chat.Status(m.Status),
			FinishReason: m.FinishReason, Model: m.Model, Usage: m.Usage, Reasoning: m.Reasoning, Filter: m.Filter, PromptFilter: m.PromptFilter, Error: m.Error}
		switch msg.Status {
		case chat.Complete, chat.Stopped, chat.Interrupted, chat.Truncated, chat.Filtered, chat.Failed:
		case chat.Streaming:
			msg.Status = chat.Interrupted
		case "":
			msg.Status = chat.Complete
		default:
			return nil, fmt.Errorf("message %d: unknown status %q", i+1, m.Status)
		}
		if m.Time != nil {
			msg.Time = *m.Time
		}
		conv.Messages = append(conv.Messages, msg)
	}
	for i, ex := range conv.Examples {
		if ex.Assistant == "" {
			return nil, fmt.Errorf("few-shot example %d has no answer (example_assistant)", i+1)
		}
	}
	if len(conv.Messages) == 0 && conv.System == "" {
		return nil, errors.New("the file holds no messages")
	}
	return conv, nil
}

func position(data []byte, offset int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < offset-1 && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}
