package azure

// Reading the events of a Chat Completions stream: Azure's chunk JSON,
// its filter verdicts and usage, turned into chat.Delta values.

import (
	"bytes"
	"encoding/json"

	"github.com/openai/openai-go/v3/packages/ssestream"

	"github.com/azchat/azchat/chat"
)

// wireChunk is the part of a stream event azchat reads, including Azure's
// filter extensions that openai-go leaves in ExtraFields.
//
// Its raw parts are views of the event's bytes, not copies (json.RawMessage
// copies): Azure repeats the same filter verdicts in nearly every event,
// and the reader parses them only when they change.
type wireChunk struct {
	Error   rawView `json:"error"` // set (even to null) in an error event
	Model   string  `json:"model"`
	Choices []struct {
		Index int `json:"index"`
		Delta *struct {
			Content *string `json:"content"`
		} `json:"delta"`
		FinishReason         *string `json:"finish_reason"`
		ContentFilterResults rawView `json:"content_filter_results"`
	} `json:"choices"`
	PromptFilterResults []struct {
		PromptIndex          int     `json:"prompt_index"`
		ContentFilterResults rawView `json:"content_filter_results"`
	} `json:"prompt_filter_results"`
	Usage *wireUsage `json:"usage"`
}

// rawView holds a JSON value as the bytes of the document being decoded,
// without a copy: json.Unmarshal hands UnmarshalJSON a part of its input.
// It is valid only while that input is, so it never leaves parse.
type rawView []byte

// UnmarshalJSON keeps b, a part of the input (see rawView).
func (v *rawView) UnmarshalJSON(b []byte) error {
	*v = b
	return nil
}

// wireUsage is the usage object of Chat Completions, with the details
// Azure adds for cached prompts and reasoning.
type wireUsage struct {
	PromptTokens        int `json:"prompt_tokens"`
	CompletionTokens    int `json:"completion_tokens"`
	TotalTokens         int `json:"total_tokens"`
	PromptTokensDetails struct {
		CachedTokens int `json:"cached_tokens"`
	} `json:"prompt_tokens_details"`
	CompletionTokensDetails struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"completion_tokens_details"`
}

func (u *wireUsage) usage() *chat.Usage {
	if u == nil {
		return nil
	}
	us := chat.Usage{PromptTokens: u.PromptTokens, CompletionTokens: u.CompletionTokens, TotalTokens: u.TotalTokens,
		CachedPromptTokens: u.PromptTokensDetails.CachedTokens, ReasoningTokens: u.CompletionTokensDetails.ReasoningTokens}.Sane()
	return &us
}

// ParseChunk reads one stream event's JSON. Events with no choices, choices
// with no delta, and usage-only events are all valid.
func ParseChunk(data []byte) (chat.Delta, error) {
	var r chunkReader
	return r.parse(data)
}

// chunkReader reads the events of one stream. Azure sends the same filter
// verdict (all "safe") with nearly every event: the last one read is kept
// and reused while the bytes are the same.
type chunkReader struct {
	lastRaw    string
	lastFilter chat.FilterResults
}

func (r *chunkReader) filter(raw rawView) chat.FilterResults {
	if string(raw) != r.lastRaw {
		r.lastRaw, r.lastFilter = string(raw), ParseFilter(json.RawMessage(raw))
	}
	return r.lastFilter
}

func (r *chunkReader) parse(data []byte) (chat.Delta, error) {
	var w wireChunk
	if err := json.Unmarshal(data, &w); err != nil {
		return chat.Delta{}, &chat.Error{Kind: chat.KindMalformed, Reason: "Azure OpenAI sent a stream event azchat could not read; try again", Action: chat.ActionRetry, Cause: err}
	}
	if w.Error != nil {
		// An error event (Azure fails mid-answer this way), reported as
		// openai-go's Stream reports it: read in the same pass as the rest.
		// The event outlives the decoder's buffer: copied.
		return chat.Delta{}, &ssestream.StreamError{Message: "received error while streaming: " + string(w.Error), Event: ssestream.Event{Data: bytes.Clone(data)}}
	}
	d := chat.Delta{Model: chat.ModelName(w.Model), Usage: w.Usage.usage()}
	for _, p := range w.PromptFilterResults {
		d.PromptFilter = d.PromptFilter.Merge(r.filter(p.ContentFilterResults))
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
		d.Filter = d.Filter.Merge(r.filter(ch.ContentFilterResults))
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
		if fc.Filtered == nil || len(out) >= maxFilterCategories {
			continue
		}
		if out == nil {
			out = make(chat.FilterResults, len(m))
		}
		out[k] = chat.FilterCategory{Filtered: *fc.Filtered, Severity: fc.Severity, Detected: fc.Detected}
	}
	return out
}

// maxFilterCategories bounds the verdicts kept of one filter result
// (Azure sends about ten): a server's body may hold thousands.
const maxFilterCategories = 32

func (r *chunkReader) read(ev ssestream.Event) (chat.Delta, bool, error) {
	if bytes.HasPrefix(ev.Data, []byte("[DONE]")) {
		return chat.Delta{}, true, nil
	}
	d, err := r.parse(ev.Data)
	return d, false, err
}
