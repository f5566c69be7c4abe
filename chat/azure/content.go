package azure

import (
	"github.com/openai/openai-go/v3"

	"github.com/azchat/azchat/chat"
)

// userContent is a user message's content: its text alone, or, with
// images, a text part followed by one image_url part per image (each a
// data: URL; chat.WireImage never holds another kind).
func userContent(m chat.WireMessage) openai.ChatCompletionUserMessageParamContentUnion {
	if len(m.Images) == 0 {
		return openai.ChatCompletionUserMessageParamContentUnion{OfString: openai.String(m.Content)}
	}
	parts := make([]openai.ChatCompletionContentPartUnionParam, 0, len(m.Images)+1)
	if m.Content != "" {
		parts = append(parts, openai.TextContentPart(m.Content))
	}
	for _, img := range m.Images {
		parts = append(parts, openai.ImageContentPart(openai.ChatCompletionContentPartImageImageURLParam{URL: img.URL, Detail: string(img.Detail)}))
	}
	return openai.ChatCompletionUserMessageParamContentUnion{OfArrayOfContentParts: parts}
}
