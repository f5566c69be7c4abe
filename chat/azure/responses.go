package azure

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/param"
	"github.com/openai/openai-go/v3/packages/ssestream"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	"github.com/azchat/azchat/chat"
)

// startResponses sends a streamed Responses API request to {base}responses
// (the resource's v1 base). The conversation goes as input items, so no
// state is needed on the service; the events are read by the caller, as
// for chat completions.
func (c *Client) startResponses(ctx context.Context, req chat.Request) (*http.Response, error) {
	var resp *http.Response
	if req.Whole {
		// The body is left unread (WithResponseBodyInto an
		// *http.Response), for wholeEvents to read.
		_, err := c.responses.New(ctx, buildResponsesParams(req), option.WithResponseBodyInto(&resp))
		return resp, err
	}
	stream := c.responses.NewStreaming(ctx, buildResponsesParams(req), option.WithResponseInto(&resp))
	return resp, stream.Err()
}

// buildResponsesParams turns a request into the Responses API's: the
// system message becomes instructions, few-shot examples and turns become
// input messages, the reply limit max_output_tokens; store is off unless
// the profile turned it on (azchat keeps its own history). A reasoning
// model is asked for a summary of its reasoning.
func buildResponsesParams(req chat.Request) responses.ResponseNewParams {
	p := responses.ResponseNewParams{Model: req.Deployment, Store: param.NewOpt(req.Store)}
	var instructions []string
	input := make(responses.ResponseInputParam, 0, len(req.Messages))
	for _, m := range req.Messages {
		switch {
		case m.Role == chat.System && m.Name == "example_user":
			input = append(input, responses.ResponseInputItemParamOfMessage(m.Content, responses.EasyInputMessageRoleUser))
		case m.Role == chat.System && m.Name == "example_assistant":
			input = append(input, responses.ResponseInputItemParamOfMessage(m.Content, responses.EasyInputMessageRoleAssistant))
		case m.Role == chat.System:
			instructions = append(instructions, m.Content)
		case m.Role == chat.Assistant:
			input = append(input, responses.ResponseInputItemParamOfMessage(m.Content, responses.EasyInputMessageRoleAssistant))
		case len(m.Images) > 0:
			content := responses.ResponseInputMessageContentListParam{}
			if m.Content != "" {
				content = append(content, responses.ResponseInputContentParamOfInputText(m.Content))
			}
			for _, img := range m.Images {
				part := responses.ResponseInputContentParamOfInputImage(responses.ResponseInputImageDetail(img.Detail))
				part.OfInputImage.ImageURL = param.NewOpt(img.URL)
				content = append(content, part)
			}
			input = append(input, responses.ResponseInputItemParamOfMessage(content, responses.EasyInputMessageRoleUser))
		default:
			input = append(input, responses.ResponseInputItemParamOfMessage(m.Content, responses.EasyInputMessageRoleUser))
		}
	}
	if len(instructions) > 0 {
		p.Instructions = param.NewOpt(strings.Join(instructions, "\n\n"))
	}
	p.Input = responses.ResponseNewParamsInputUnion{OfInputItemList: input}
	if req.MaxTokens > 0 {
		p.MaxOutputTokens = param.NewOpt(int64(req.MaxTokens))
	}
	if req.Temperature != nil && !req.OmitTemperature {
		p.Temperature = param.NewOpt(*req.Temperature)
	}
	if req.Reasoning {
		p.Reasoning = shared.ReasoningParam{Effort: shared.ReasoningEffort(req.ReasoningEffort)}
		if !req.NoSummary {
			p.Reasoning.Summary = shared.ReasoningSummaryAuto
		}
	}
	if req.Verbosity != "" {
		p.Text = responses.ResponseTextConfigParam{Verbosity: responses.ResponseTextConfigVerbosity(req.Verbosity)}
	}
	return p
}

// wireResponseEvent is the part of a Responses API stream event azchat
// reads.
type wireResponseEvent struct {
	Type         string          `json:"type"`
	Delta        string          `json:"delta"`
	SummaryIndex int             `json:"summary_index"`
	Response     *wireResponse   `json:"response"`
	Code         json.RawMessage `json:"code"`
	Message      string          `json:"message"`
	// Error is an error object some servers nest in the error event.
	Error json.RawMessage `json:"error"`
}

type wireResponse struct {
	Model             string `json:"model"`
	Status            string `json:"status"`
	IncompleteDetails *struct {
		Reason string `json:"reason"`
	} `json:"incomplete_details"`
	Error json.RawMessage `json:"error"`
	Usage *struct {
		InputTokens        int `json:"input_tokens"`
		InputTokensDetails struct {
			CachedTokens int `json:"cached_tokens"`
		} `json:"input_tokens_details"`
		OutputTokens        int `json:"output_tokens"`
		OutputTokensDetails struct {
			ReasoningTokens int `json:"reasoning_tokens"`
		} `json:"output_tokens_details"`
		TotalTokens int `json:"total_tokens"`
	} `json:"usage"`
}

// responsesReader reads the events of one Responses API stream.
type responsesReader struct {
	summaries int // reasoning summary parts begun
	lastPart  int
}

func (r *responsesReader) read(ev ssestream.Event) (chat.Delta, bool, error) {
	var w wireResponseEvent
	if err := json.Unmarshal(ev.Data, &w); err != nil {
		return chat.Delta{}, false, &chat.Error{Kind: chat.KindMalformed, Reason: "Azure OpenAI sent a stream event azchat could not read; try again", Action: chat.ActionRetry, Cause: err}
	}
	var d chat.Delta
	switch w.Type {
	case "response.output_text.delta":
		d.Content = w.Delta
	case "response.reasoning_summary_text.delta":
		// Summary parts read as paragraphs.
		if r.summaries > 0 && w.SummaryIndex != r.lastPart {
			d.Reasoning = "\n\n"
		}
		r.summaries++
		r.lastPart = w.SummaryIndex
		d.Reasoning += w.Delta
	case "error":
		// An error event, reported as a chat stream's error event is: its
		// code and message flat, or nested in an error object.
		body, _ := json.Marshal(map[string]any{"error": map[string]any{"code": w.Code, "message": w.Message}})
		if len(w.Error) > 0 && string(w.Error) != "null" {
			body, _ = json.Marshal(map[string]json.RawMessage{"error": w.Error})
		}
		return d, false, &ssestream.StreamError{Message: "received error while streaming", Event: ssestream.Event{Type: "error", Data: body}}
	}
	if w.Response == nil {
		return d, false, nil
	}
	res := w.Response
	d.Model = chat.ModelName(res.Model)
	if u := res.Usage; u != nil {
		us := chat.Usage{PromptTokens: u.InputTokens, CompletionTokens: u.OutputTokens, TotalTokens: u.TotalTokens,
			CachedPromptTokens: u.InputTokensDetails.CachedTokens, ReasoningTokens: u.OutputTokensDetails.ReasoningTokens}.Sane()
		d.Usage = &us
	}
	switch w.Type {
	case "response.completed":
		d.FinishReason = "stop"
	case "response.incomplete":
		// The reasons map to Chat Completions' finish reasons, so the
		// answer is marked as a truncated or filtered one is.
		reason := ""
		if res.IncompleteDetails != nil {
			reason = res.IncompleteDetails.Reason
		}
		switch reason {
		case "max_output_tokens":
			d.FinishReason = "length"
		case "content_filter":
			d.FinishReason = "content_filter"
		}
		// Any other reason leaves no finish reason: the answer is marked
		// interrupted.
	case "response.failed":
		body, _ := json.Marshal(map[string]json.RawMessage{"error": res.Error})
		return d, false, &ssestream.StreamError{Message: "the response failed", Event: ssestream.Event{Type: "error", Data: body}}
	}
	return d, false, nil
}
