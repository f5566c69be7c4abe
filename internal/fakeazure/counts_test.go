package fakeazure

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestReferenceCountsAreTiktokens: the stand-in's counts are the very file
// OpenAI's tiktoken wrote for chat/tokens (tools/gen-token-fixtures.mjs).
func TestReferenceCountsAreTiktokens(t *testing.T) {
	orig, err := os.ReadFile("../../chat/tokens/testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(orig, Fixture("token-reference.json")) {
		t.Fatal("fixtures/token-reference.json differs from chat/tokens/testdata/reference.json: copy it again")
	}
	n, ok := referencePrompt("gpt-4o", []map[string]any{{"role": "user", "content": "Who founded Microsoft?"}})
	if !ok || n != 11 {
		t.Fatalf("reference prompt %d %v", n, ok)
	}
	if _, ok := referencePrompt("gpt-4o", []map[string]any{{"role": "user", "content": "not in the fixtures"}}); ok {
		t.Fatal("a prompt without a reference count got one")
	}
}

func TestSplitReplyKeepsTheText(t *testing.T) {
	for _, s := range []string{"", "Hello, world!", "  two  spaces\nand\ttabs", "été 🚀 日本語のテキスト", strings.Repeat("supercalifragilistic ", 3)} {
		if got := strings.Join(splitReply(s), ""); got != s {
			t.Errorf("splitReply(%q) joins to %q", s, got)
		}
	}
}
