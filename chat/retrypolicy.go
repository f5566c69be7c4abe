package chat

import (
	"time"

	"github.com/azchat/azchat/chat/tokens"
)

// How long a request may wait for its first stream event. Reasoning models
// think before they write and may send nothing for minutes; a model azchat
// does not know gets the benefit of the doubt.
const (
	chatFirstByte      = 60 * time.Second
	reasoningFirstByte = 300 * time.Second
	unknownFirstByte   = 120 * time.Second
)

// firstByteTimeout is the first-byte timeout for a request to model;
// reasoning is set when the deployment showed itself to be one.
func firstByteTimeout(model string, reasoning bool) time.Duration {
	switch {
	case reasoning || tokens.IsReasoningModel(model):
		return reasoningFirstByte
	case model == "" || tokens.ForModel(model).Estimate:
		return unknownFirstByte
	}
	return chatFirstByte
}

// maxTimeoutRetries bounds resending a request that timed out before any
// text arrived: once, since a second wait of the same length rarely helps
// and the user is left watching a spinner.
const maxTimeoutRetries = 1
