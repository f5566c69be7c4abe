package export

import (
	"math"
	"strconv"
	"testing"
)

// TestImportBoundsUsage: a crafted file's usage counts are read within
// 0..2^40 (the smallest int once crashed the window at every start: it
// formats counts with a sign).
func TestImportBoundsUsage(t *testing.T) {
	min64, max64 := strconv.FormatInt(math.MinInt64, 10), strconv.FormatInt(math.MaxInt64, 10)
	conv, err := Parse([]byte(`[{"role":"user","content":"hi"},{"role":"assistant","content":"ok","usage":{"prompt_tokens":` + min64 +
		`,"completion_tokens":` + max64 + `,"total_tokens":-5,"cached_prompt_tokens":7,"reasoning_tokens":-1}}]`))
	if err != nil {
		t.Fatal(err)
	}
	u := conv.Messages[1].Usage
	if u == nil || u.PromptTokens != 0 || u.CompletionTokens != 1<<40 || u.TotalTokens != 0 || u.CachedPromptTokens != 7 || u.ReasoningTokens != 0 {
		t.Fatalf("usage %+v", u)
	}
}
