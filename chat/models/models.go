// Package models holds what azchat knows of each model family: its
// encoding, context window, input and output limits, whether it reasons or
// sees images, which API serves it and which parameters it takes. The
// facts are data (models.json, embedded), not code: a new model is a new
// line there.
package models

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// API is the OpenAI API that serves a model.
type API string

// The APIs azchat speaks.
const (
	Chat      API = "chat"      // Chat Completions
	Responses API = "responses" // the Responses API only
)

// Facts is what azchat knows of one model family.
type Facts struct {
	// Model is the family's name (the shortest name it matches).
	Model string `json:"model"`
	// Matches are the name prefixes the family covers (a deployment's
	// model name, or a response's model field, may carry a date).
	Matches  []string `json:"matches,omitempty"`
	Encoding string   `json:"encoding"`
	// ContextWindow is the model's context length; MaxInput caps the
	// prompt within it (gpt-5: 272,000 of 400,000), else it equals it.
	ContextWindow int `json:"context_window"`
	MaxInput      int `json:"max_input"`
	// MaxOutput is the published reply limit, nil where none is published
	// apart from the window.
	MaxOutput *int `json:"max_output"`
	// Reasoning models think in tokens that count against the reply limit
	// (max_completion_tokens) and take no temperature.
	Reasoning bool `json:"reasoning"`
	Vision    bool `json:"vision"`
	// Image is how the family prices an image, nil when it takes none.
	Image *ImageRule `json:"image,omitempty"`
	API   API        `json:"api"`
	// Temperature tells whether the model takes a temperature other than
	// its default; MaxTokensParam names its reply limit parameter.
	Temperature    bool   `json:"temperature"`
	MaxTokensParam string `json:"max_tokens_param"`
	// ReasoningEffort lists the reasoning_effort values the model takes,
	// none when it takes none; Verbosity tells whether it takes verbosity.
	ReasoningEffort []string `json:"reasoning_effort"`
	Verbosity       bool     `json:"verbosity"`
	// NoStream: Azure does not stream the model's answers (o1, o3-pro,
	// gpt-5-pro): it is asked for each answer whole.
	NoStream bool `json:"no_stream"`
	// Versions holds the limits of the versions that differ from the
	// family's (gpt-35-turbo 0613 has a 4,096-token window).
	Versions map[string]VersionFacts `json:"versions,omitempty"`
}

// VersionFacts are the limits of one version that differ from its
// family's (0: the family's).
type VersionFacts struct {
	ContextWindow int  `json:"context_window"`
	MaxInput      int  `json:"max_input"`
	MaxOutput     *int `json:"max_output"`
}

// entry is one line of models.json.
type entry struct {
	Facts
}

//go:embed models.json
var data []byte

var table = mustParse(data)

func mustParse(b []byte) []entry {
	var file struct {
		Models []entry `json:"models"`
	}
	if err := json.Unmarshal(b, &file); err != nil {
		panic(fmt.Sprintf("models.json: %v", err))
	}
	for i := range file.Models {
		e := &file.Models[i]
		if e.MaxInput == 0 {
			e.MaxInput = e.ContextWindow
		}
		if e.ReasoningEffort == nil {
			e.ReasoningEffort = []string{}
		}
	}
	return file.Models
}

// Unknown is what azchat assumes of a model it does not know: o200k_base
// counts (an estimate) and the 4,096-token window of the Chat Completion
// guide, which the user can raise in settings.
func Unknown(model string) Facts {
	return Facts{
		Model: model, Encoding: "o200k_base", ContextWindow: 4096, MaxInput: 4096,
		API: Chat, Temperature: true, MaxTokensParam: "max_tokens", ReasoningEffort: []string{},
	}
}

// Normalize is a model name as the table matches it: lower case, without
// spaces around it or a publisher prefix ("openai/gpt-4o").
func Normalize(model string) string {
	m := strings.ToLower(strings.TrimSpace(model))
	if i := strings.LastIndex(m, "/"); i >= 0 {
		m = m[i+1:]
	}
	return m
}

// Lookup returns the facts of a model as Azure names it: a deployment's
// model name and version ("gpt-35-turbo", "0613"), or a response's model
// field ("gpt-4o-2024-11-20"; version ""). The family whose prefix is the
// longest match wins; a prefix matches up to a separator, so "gpt-4" does
// not cover "gpt-4o". ok is false for a model the table does not know,
// with Unknown's facts.
func Lookup(model, version string) (f Facts, ok bool) {
	name := Normalize(model)
	if strings.IndexFunc(version, unicode.IsLetter) >= 0 {
		// A version that names a variant: Resource Manager lists GPT-4
		// Turbo as model gpt-4, version turbo-2024-04-09.
		name, version = name+"-"+strings.ToLower(version), ""
	}
	best, bestLen := -1, 0
	for i, e := range table {
		for _, p := range e.Matches {
			if len(p) > bestLen && covers(name, p) {
				best, bestLen = i, len(p)
			}
		}
	}
	if best < 0 {
		return Unknown(model), false
	}
	e := table[best]
	f = e.Facts
	f.Matches = append([]string(nil), e.Matches...)
	f.ReasoningEffort = append([]string{}, e.ReasoningEffort...)
	f.Image = e.Image.clone()
	if version == "" {
		// A version written into the name: gpt-35-turbo-0613.
		version = strings.TrimLeft(name[bestLen:], "-")
	}
	f.Versions = nil // the facts of this version, not of others
	if v, ok := e.Versions[version]; ok {
		if v.ContextWindow > 0 {
			f.ContextWindow = v.ContextWindow
			f.MaxInput = v.ContextWindow
			if e.MaxInput != e.ContextWindow {
				f.MaxInput = min(e.MaxInput, v.ContextWindow)
			}
		}
		if v.MaxInput > 0 {
			f.MaxInput = v.MaxInput
		}
		if v.MaxOutput != nil {
			out := *v.MaxOutput
			f.MaxOutput = &out
		}
	}
	return f, true
}

// covers reports whether prefix p names model name: equal, or followed by
// a separator.
func covers(name, p string) bool {
	if !strings.HasPrefix(name, p) {
		return false
	}
	if len(name) == len(p) {
		return true
	}
	return strings.ContainsRune("-.:_@", rune(name[len(p)]))
}

// All returns every family, sorted by name.
func All() []Facts {
	out := make([]Facts, 0, len(table))
	for _, e := range table {
		f := e.Facts
		f.Matches = append([]string(nil), e.Matches...)
		f.ReasoningEffort = append([]string{}, e.ReasoningEffort...)
		f.Image = e.Image.clone()
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Model < out[j].Model })
	return out
}

// ReasoningReserve is the default reply reserve of a reasoning model:
// OpenAI advises leaving at least 25,000 tokens for reasoning and the
// answer, which both count against max_completion_tokens.
const ReasoningReserve = 25_000

// DefaultReserve is the part of the context window kept for the reply when
// the user sets no reply limit: an eighth of the window within
// [256, 4,096] tokens for a chat model, ReasoningReserve for a reasoning
// one; never more than the model may write.
func (f Facts) DefaultReserve(window int) int {
	r := min(max(window/8, 256), 4096)
	if f.Reasoning {
		r = min(ReasoningReserve, window/2)
	}
	if f.MaxOutput != nil && *f.MaxOutput < r {
		r = *f.MaxOutput
	}
	return r
}

// PromptLimit is what a prompt may use of window (the model's or the
// user's) with reserve kept for the reply: min(max input, window −
// reserve).
func (f Facts) PromptLimit(window, reserve int) int {
	limit := window - reserve
	if f.MaxInput > 0 && f.MaxInput < limit {
		limit = f.MaxInput
	}
	return limit
}
