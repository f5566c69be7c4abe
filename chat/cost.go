package chat

// Prices are what a profile's deployment costs, in the user's currency
// per million tokens. Azure's prices depend on region and deployment type,
// so azchat ships none: a nil price is not set.
type Prices struct {
	Input       *float64 `json:"input_per_million,omitempty"`
	CachedInput *float64 `json:"cached_input_per_million,omitempty"`
	Output      *float64 `json:"output_per_million,omitempty"`
}

// Set reports whether any price is set.
func (p Prices) Set() bool { return p.Input != nil || p.CachedInput != nil || p.Output != nil }

// Cost is what an answer's usage cost at prices p, and whether it can be
// told (prices set). The API's cached tokens are part of its prompt
// tokens, and its reasoning tokens part of its completion tokens, so
// neither is added twice:
//
//	(prompt − cached) × input + cached × cached input + completion × output
//
// A cached-input price that is not set counts cached tokens at the input
// price (Azure bills them at most at that); other unset prices count 0.
func (p Prices) Cost(u Usage) (float64, bool) {
	if !p.Set() {
		return 0, false
	}
	val := func(v *float64) float64 {
		if v == nil {
			return 0
		}
		return *v
	}
	cachedPrice := p.CachedInput
	if cachedPrice == nil {
		cachedPrice = p.Input
	}
	cached := min(u.CachedPromptTokens, u.PromptTokens)
	c := float64(u.PromptTokens-cached)*val(p.Input) + float64(cached)*val(cachedPrice) + float64(u.CompletionTokens)*val(p.Output)
	return c / 1e6, true
}
