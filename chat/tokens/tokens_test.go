package tokens

import (
	"encoding/json"
	"os"
	"testing"
)

type reference struct {
	Generator string `json:"generator"`
	Texts     []struct {
		Text   string `json:"text"`
		O200K  int    `json:"o200k_base"`
		CL100K int    `json:"cl100k_base"`
	} `json:"texts"`
	Conversations []struct {
		Messages []struct {
			Role    string `json:"role"`
			Name    string `json:"name"`
			Content string `json:"content"`
		} `json:"messages"`
		O200K  int `json:"o200k_base"`
		CL100K int `json:"cl100k_base"`
	} `json:"conversations"`
}

func loadReference(t testing.TB) reference {
	t.Helper()
	b, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// The expected counts come from OpenAI's tiktoken (tools/gen-token-fixtures.mjs).
func TestTextMatchesOpenAITiktoken(t *testing.T) {
	ref := loadReference(t)
	if len(ref.Texts) < 20 {
		t.Fatalf("reference data too small: %d texts", len(ref.Texts))
	}
	for _, model := range []string{"gpt-4o", "gpt-4"} {
		c, err := NewCounter(model)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range ref.Texts {
			want := row.O200K
			if c.Choice().Encoding == CL100K {
				want = row.CL100K
			}
			if got := c.Text(row.Text); got != want {
				t.Errorf("%s: Text(%q) = %d, tiktoken says %d", c.Choice().Encoding, row.Text, got, want)
			}
		}
	}
}

func TestMessageFormulaMatchesGuide(t *testing.T) {
	ref := loadReference(t)
	for _, model := range []string{"gpt-4o-2024-11-20", "gpt-35-turbo"} {
		c, err := NewCounter(model)
		if err != nil {
			t.Fatal(err)
		}
		for i, conv := range ref.Conversations {
			total := ReplyPrimer
			for _, m := range conv.Messages {
				total += c.Message(m.Role, m.Name, m.Content)
			}
			want := conv.O200K
			if c.Choice().Encoding == CL100K {
				want = conv.CL100K
			}
			if total != want {
				t.Errorf("%s conversation %d: %d tokens, reference %d", model, i, total, want)
			}
		}
	}
}

func TestForModel(t *testing.T) {
	cases := []struct {
		model    string
		enc      Encoding
		estimate bool
	}{
		{"gpt-4o", O200K, false},
		{"gpt-4o-2024-11-20", O200K, false},
		{"gpt-4o-mini", O200K, false},
		{"gpt-4.1-nano", O200K, false},
		{"gpt-4.5-preview", O200K, false},
		{"gpt-5", O200K, false},
		{"gpt-5-mini", O200K, false},
		{"o1", O200K, false},
		{"o3-mini", O200K, false},
		{"o4-mini", O200K, false},
		{"gpt-4", CL100K, false},
		{"gpt-4-turbo", CL100K, false},
		{"gpt-4-32k", CL100K, false},
		{"gpt-35-turbo", CL100K, false},
		{"gpt-3.5-turbo-0125", CL100K, false},
		{"GPT-4O", O200K, false},
		{"text-embedding-3-small", CL100K, false},
		{"my-deployment", O200K, true},
		{"", O200K, true},
		{"mistral-large", O200K, true},
	}
	for _, c := range cases {
		got := ForModel(c.model)
		if got.Encoding != c.enc || got.Estimate != c.estimate {
			t.Errorf("ForModel(%q) = %+v, want %s estimate=%v", c.model, got, c.enc, c.estimate)
		}
	}
}

func TestLoadIsShared(t *testing.T) {
	a, err := Load(O200K)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Load(O200K)
	if a != b {
		t.Fatal("Load built the tables twice")
	}
}

func FuzzCount(f *testing.F) {
	for _, s := range []string{"", "hello", "🚀👩‍👩‍👧", "\x00\xff\xfe", "<|endoftext|>", "e\u0301"} {
		f.Add(s)
	}
	c, err := NewCounter("gpt-4o")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := c.Text(s)
		if n < 0 || (s != "" && n == 0) {
			t.Fatalf("Text(%q) = %d", s, n)
		}
		if again := c.Text(s); again != n {
			t.Fatalf("not deterministic: %d then %d", n, again)
		}
	})
}

// BenchmarkCountMixed2MB counts 2 MB of the reference texts (English,
// CJK, emoji, marks, code) over and over; tools/bench/counttext times the
// same text beside gpt-tokenizer.
func BenchmarkCountMixed2MB(b *testing.B) {
	text := mixedText(b, 2<<20)
	for _, model := range []string{"gpt-4o", "gpt-4"} {
		c, err := NewCounter(model)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(string(c.Choice().Encoding), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(text)))
			for i := 0; i < b.N; i++ {
				c.Text(text)
			}
		})
	}
}
