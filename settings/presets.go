package settings

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/azchat/azchat/chat"
)

// Preset is a named prompt style: a system message and pinned examples.
type Preset struct {
	Name     string         `json:"name"`
	System   string         `json:"system"`
	Examples []chat.Example `json:"examples,omitempty"`
	BuiltIn  bool           `json:"-"`
}

// BuiltInPresets are the prompt styles of Azure's Chat Completion guide.
var BuiltInPresets = []Preset{
	{Name: "Basic assistant", BuiltIn: true,
		System: "You are an AI assistant that helps people find information."},
	{Name: "Instructions with guardrails", BuiltIn: true,
		System: "Assistant is an intelligent chatbot designed to help users answer their tax related questions.\n\n" +
			"Instructions:\n" +
			"- Only answer questions related to taxes.\n" +
			"- If you're unsure of an answer, you can say \"I don't know\" or \"I'm not sure\" and recommend users go to the IRS website for more information."},
	{Name: "Grounding with context", BuiltIn: true,
		System: "Assistant is an intelligent chatbot designed to help users answer technical questions about Azure OpenAI.\n" +
			"Only answer questions using the context below and if you're not sure of an answer, you can say \"I don't know\".\n\n" +
			"Context:\n" +
			"- Azure OpenAI provides REST API access to OpenAI's powerful language models including the GPT-3, Codex and Embeddings model series.\n" +
			"- Azure OpenAI gives customers advanced language AI with OpenAI GPT-3, Codex, and DALL-E models with the security and enterprise promise of Azure.\n" +
			"- At Microsoft, we're committed to the advancement of AI driven by principles that put people first. Microsoft has made significant investments to help guard against abuse and unintended harm."},
	{Name: "Few-shot: plain English", BuiltIn: true,
		System: "You are a helpful, pattern-following assistant that translates corporate jargon into plain English.",
		Examples: []chat.Example{
			{User: "New synergies will help drive top-line growth.", Assistant: "Things working well together will increase revenue."},
			{User: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.", Assistant: "Let's talk later when we're less busy about how to do better."},
		}},
	{Name: "Entity extraction to JSON", BuiltIn: true,
		System: "You are an assistant designed to extract entities from text. Users will paste in a string of text and you will respond with entities you've extracted from the text as a JSON object. Here's an example of your output format:\n" +
			"{\n   \"name\": \"\",\n   \"company\": \"\",\n   \"phone_number\": \"\"\n}"},
}

// Presets returns the built-in presets followed by the user's own.
func (s *Store) Presets() []Preset {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(append([]Preset(nil), BuiltInPresets...), s.presets...)
}

// PutPreset adds or replaces a user preset by name.
func (s *Store) PutPreset(p Preset) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		return errors.New("give the preset a name")
	}
	for _, b := range BuiltInPresets {
		if strings.EqualFold(b.Name, p.Name) {
			return errors.New("a built-in preset has that name: choose another")
		}
	}
	for _, ex := range p.Examples {
		if strings.TrimSpace(ex.User) == "" || strings.TrimSpace(ex.Assistant) == "" {
			return errors.New("every example needs both a user message and an answer")
		}
	}
	p.BuiltIn = false
	for i := range s.presets {
		if s.presets[i].Name == p.Name {
			s.presets[i] = p
			s.savePresets()
			return nil
		}
	}
	s.presets = append(s.presets, p)
	s.savePresets()
	return nil
}

// RemovePreset deletes a user preset.
func (s *Store) RemovePreset(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.presets[:0]
	for _, p := range s.presets {
		if p.Name != name {
			out = append(out, p)
		}
	}
	s.presets = out
	s.savePresets()
}

func (s *Store) savePresets() {
	b, _ := json.Marshal(s.presets)
	s.prefs.SetString(keyPresets, string(b))
}
