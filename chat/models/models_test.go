package models

import (
	"encoding/json"
	"slices"
	"testing"
)

func intp(n int) *int { return &n }

// TestPublishedFigures: one case per figure the issue and the model pages
// publish (context window, max input, max output), as Azure names the
// model in a deployment or a response.
func TestPublishedFigures(t *testing.T) {
	cases := []struct {
		model, version string
		window, input  int
		output         *int
	}{
		{"gpt-4o", "", 128_000, 128_000, intp(16_384)},
		{"gpt-4o-2024-11-20", "", 128_000, 128_000, intp(16_384)},
		{"gpt-4o-mini", "2024-07-18", 128_000, 128_000, intp(16_384)},
		{"gpt-4.1", "", 1_047_576, 1_047_576, intp(32_768)},
		{"gpt-4.1-mini", "", 1_047_576, 1_047_576, intp(32_768)},
		{"gpt-4.1-nano", "", 1_047_576, 1_047_576, intp(32_768)},
		{"gpt-5", "", 400_000, 272_000, intp(128_000)},
		{"gpt-5-2025-08-07", "", 400_000, 272_000, intp(128_000)},
		{"gpt-5-mini", "", 400_000, 272_000, intp(128_000)},
		{"gpt-5-nano", "", 400_000, 272_000, intp(128_000)},
		{"gpt-5-chat", "", 128_000, 128_000, intp(16_384)},
		{"gpt-5-chat-latest", "", 128_000, 128_000, intp(16_384)},
		{"o1", "", 200_000, 200_000, intp(100_000)},
		{"o1-2024-12-17", "", 200_000, 200_000, intp(100_000)},
		{"o1-preview", "", 128_000, 128_000, intp(32_768)},
		{"o1-mini", "", 128_000, 128_000, intp(65_536)},
		{"o3", "", 200_000, 200_000, intp(100_000)},
		{"o3-mini", "", 200_000, 200_000, intp(100_000)},
		{"o4-mini", "", 200_000, 200_000, intp(100_000)},
		{"gpt-4", "", 8_192, 8_192, nil},
		{"gpt-4-32k", "", 32_768, 32_768, nil},
		{"gpt-4-turbo", "2024-04-09", 128_000, 128_000, intp(4_096)},
		{"gpt-4", "turbo-2024-04-09", 128_000, 128_000, intp(4_096)},  // as Resource Manager lists it
		{"gpt-4-turbo-2024-04-09", "", 128_000, 128_000, intp(4_096)}, // as the picker states it
		{"gpt-35-turbo", "", 16_385, 16_385, intp(4_096)},
		{"gpt-35-turbo", "0125", 16_385, 16_385, intp(4_096)},
		{"gpt-35-turbo", "0613", 4_096, 4_096, intp(4_096)},
		{"gpt-35-turbo-0613", "", 4_096, 4_096, intp(4_096)},
		// Azure's models page (models-azure-direct-openai.md, 2026-06):
		// versions and families "gpt-5" or "gpt-5.1" used to cover.
		{"gpt-4o", "2024-05-13", 128_000, 128_000, intp(4_096)},
		{"gpt-4o-2024-05-13", "", 128_000, 128_000, intp(4_096)},
		{"gpt-5.1-chat", "2025-11-13", 128_000, 111_616, intp(16_384)},
		{"gpt-5.2-chat", "", 128_000, 111_616, intp(16_384)},
		{"gpt-5.3-chat", "2026-03-03", 128_000, 111_616, intp(16_384)},
		{"gpt-5.2", "2025-12-11", 400_000, 272_000, intp(128_000)},
		{"gpt-5.4", "2026-03-05", 1_050_000, 922_000, intp(128_000)},
		{"gpt-5.4-mini", "", 400_000, 272_000, intp(128_000)},
		{"gpt-5.5", "", 1_050_000, 922_000, intp(128_000)},
		{"gpt-5.6-sol", "", 1_050_000, 922_000, intp(128_000)},
		{"gpt-chat-latest", "2026-05-28", 128_000, 111_616, intp(16_384)},
		{"gpt-chat-latest", "2026-08-06", 400_000, 272_000, intp(128_000)},
		{"gpt-oss-120b", "", 131_072, 131_072, intp(131_072)},
	}
	for _, c := range cases {
		f, ok := Lookup(c.model, c.version)
		if !ok {
			t.Errorf("%s %s: unknown", c.model, c.version)
			continue
		}
		if f.ContextWindow != c.window || f.MaxInput != c.input || (f.MaxOutput == nil) != (c.output == nil) || (c.output != nil && *f.MaxOutput != *c.output) {
			t.Errorf("%s %s: window %d, input %d, output %v; want %d, %d, %v", c.model, c.version, f.ContextWindow, f.MaxInput, deref(f.MaxOutput), c.window, c.input, deref(c.output))
		}
	}
}

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestFamilyFacts: encoding, reasoning, vision, API and parameters of the
// families whose requests differ.
func TestFamilyFacts(t *testing.T) {
	cases := []struct {
		model     string
		enc       string
		reasoning bool
		api       API
		param     string
		temp      bool
		efforts   []string
		verbosity bool
		vision    bool
	}{
		{"gpt-4o", "o200k_base", false, Chat, "max_tokens", true, nil, false, true},
		{"gpt-5", "o200k_base", true, Chat, "max_completion_tokens", false, []string{"minimal", "low", "medium", "high"}, true, true},
		{"gpt-5-chat", "o200k_base", false, Chat, "max_tokens", true, nil, false, true},
		{"o1-mini", "o200k_base", true, Chat, "max_completion_tokens", false, nil, false, false},
		{"o3-mini", "o200k_base", true, Chat, "max_completion_tokens", false, []string{"low", "medium", "high"}, false, false},
		{"gpt-5.1-codex", "o200k_base", true, Responses, "max_output_tokens", false, []string{"none", "low", "medium", "high"}, false, true},
		{"gpt-5.1-codex-max", "o200k_base", true, Responses, "max_output_tokens", false, []string{"low", "medium", "high", "xhigh"}, false, true},
		{"gpt-5.2-codex", "o200k_base", true, Responses, "max_output_tokens", false, []string{"low", "medium", "high"}, false, true},
		{"gpt-5.1-chat", "o200k_base", true, Chat, "max_completion_tokens", false, []string{"low", "medium", "high"}, false, true},
		{"gpt-5.2", "o200k_base", true, Chat, "max_completion_tokens", false, []string{"none", "low", "medium", "high"}, true, true},
		{"gpt-5.4", "o200k_base", true, Chat, "max_completion_tokens", false, []string{"none", "low", "medium", "high", "xhigh"}, true, true},
		{"gpt-5.4-pro", "o200k_base", true, Responses, "max_output_tokens", false, []string{"high"}, false, true},
		{"gpt-5-pro", "o200k_base", true, Responses, "max_output_tokens", false, []string{"high"}, false, true},
		{"o3-pro", "o200k_base", true, Responses, "max_output_tokens", false, []string{"low", "medium", "high"}, false, true},
		{"gpt-4", "cl100k_base", false, Chat, "max_tokens", true, nil, false, false},
		{"gpt-35-turbo-16k", "cl100k_base", false, Chat, "max_tokens", true, nil, false, false},
		{"openai/GPT-4o-mini", "o200k_base", false, Chat, "max_tokens", true, nil, false, true},
	}
	for _, c := range cases {
		f, ok := Lookup(c.model, "")
		if !ok || f.Encoding != c.enc || f.Reasoning != c.reasoning || f.API != c.api || f.MaxTokensParam != c.param ||
			f.Temperature != c.temp || !slices.Equal(f.ReasoningEffort, append([]string{}, c.efforts...)) || f.Verbosity != c.verbosity || f.Vision != c.vision {
			t.Errorf("%s: %+v (known %v)", c.model, f, ok)
		}
	}
}

// TestPrefixesStopAtSeparators: "gpt-4" does not cover "gpt-4o", "o1" not
// "o10", and unknown names get the labelled estimate.
func TestPrefixesStopAtSeparators(t *testing.T) {
	if f, _ := Lookup("gpt-4o", ""); f.Model != "gpt-4o" {
		t.Errorf("gpt-4o matched %s", f.Model)
	}
	if f, _ := Lookup("gpt-4.1-mini-2025-04-14", ""); f.Model != "gpt-4.1-mini" {
		t.Errorf("gpt-4.1-mini-… matched %s", f.Model)
	}
	for _, m := range []string{"o10", "my-fine-tune", "", "gpt-4oo"} {
		f, ok := Lookup(m, "")
		if ok || f.ContextWindow != 4096 || f.Encoding != "o200k_base" {
			t.Errorf("%q: %+v known %v, want the estimate", m, f, ok)
		}
	}
}

// TestPromptLimitAndReserve: the prompt budget is min(max input, window −
// reply reserve), and a reasoning model keeps room for its reasoning.
func TestPromptLimitAndReserve(t *testing.T) {
	gpt5, _ := Lookup("gpt-5", "")
	if r := gpt5.DefaultReserve(gpt5.ContextWindow); r != ReasoningReserve {
		t.Errorf("gpt-5 reserve %d", r)
	}
	if got := gpt5.PromptLimit(gpt5.ContextWindow, gpt5.DefaultReserve(gpt5.ContextWindow)); got != 272_000 {
		t.Errorf("gpt-5 prompt limit %d, want its 272,000 input cap", got)
	}
	if got := gpt5.PromptLimit(gpt5.ContextWindow, 200_000); got != 200_000 {
		t.Errorf("gpt-5 with a 200,000 reply limit: prompt limit %d", got)
	}
	o1mini, _ := Lookup("o1-mini", "")
	if got := o1mini.PromptLimit(o1mini.ContextWindow, o1mini.DefaultReserve(o1mini.ContextWindow)); got != 128_000-ReasoningReserve {
		t.Errorf("o1-mini prompt limit %d", got)
	}
	gpt4o, _ := Lookup("gpt-4o", "")
	if r := gpt4o.DefaultReserve(gpt4o.ContextWindow); r != 4096 {
		t.Errorf("gpt-4o reserve %d", r)
	}
	gpt4, _ := Lookup("gpt-4", "")
	if r := gpt4.DefaultReserve(gpt4.ContextWindow); r != 1024 {
		t.Errorf("gpt-4 reserve %d", r)
	}
	turbo, _ := Lookup("gpt-4-turbo", "")
	if r := turbo.DefaultReserve(turbo.ContextWindow); r != 4096 {
		t.Errorf("gpt-4-turbo reserve %d", r)
	}
}

// TestTableIsWellFormed: every family has an encoding azchat counts, a
// window, an API and a reply parameter, and its own name among its matches;
// no prefix belongs to two families.
func TestTableIsWellFormed(t *testing.T) {
	seen := map[string]string{}
	for _, f := range All() {
		if (f.Encoding != "o200k_base" && f.Encoding != "cl100k_base") || f.ContextWindow <= 0 || f.MaxInput <= 0 || f.MaxInput > f.ContextWindow ||
			(f.API != Chat && f.API != Responses) || f.MaxTokensParam == "" || len(f.Matches) == 0 {
			t.Errorf("%+v", f)
		}
		if f.Reasoning && f.Temperature {
			t.Errorf("%s: a reasoning model with a temperature", f.Model)
		}
		for _, m := range f.Matches {
			if other, ok := seen[m]; ok {
				t.Errorf("prefix %q in %s and %s", m, other, f.Model)
			}
			seen[m] = f.Model
		}
		if g, ok := Lookup(f.Model, ""); !ok || g.Model != f.Model {
			t.Errorf("%s looks up as %s", f.Model, g.Model)
		}
	}
	b, err := json.Marshal(All()[0])
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]any
	_ = json.Unmarshal(b, &fields)
	for _, k := range []string{"model", "encoding", "context_window", "max_input", "max_output", "reasoning", "vision", "api"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
}
