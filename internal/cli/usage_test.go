package cli

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func price(v float64) *float64 { return &v }

// usageHistory writes a history with answers of two profiles, one whose
// prices were removed for a while, and one saved before azchat recorded
// profiles and prices. Times are UTC; the tests read them at UTC−5, so
// an answer at 03:30 UTC on 2 March counts for 1 March.
func usageHistory(t *testing.T) string {
	t.Helper()
	work := chat.Prices{Input: price(2.5), CachedInput: price(1.25), Output: price(10)}
	home := chat.Prices{Input: price(1.1), Output: price(4.4)} // cached tokens at the input price
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	user := func(s string) *chat.Message {
		return &chat.Message{Role: chat.User, Content: "question", Time: at(s).Add(-time.Minute), Status: chat.Complete}
	}
	answer := func(s, profile, deployment string, p chat.Prices, u *chat.Usage) *chat.Message {
		return &chat.Message{Role: chat.Assistant, Content: "answer", Time: at(s), Status: chat.Complete, FinishReason: "stop",
			Profile: profile, Deployment: deployment, Prices: p, Usage: u}
	}
	convs := []*chat.Conversation{
		{ID: "work", Messages: []*chat.Message{
			user("2026-03-01T15:00:00Z"),
			answer("2026-03-01T15:00:00Z", "work", "gpt-4o", work, &chat.Usage{PromptTokens: 1200, CachedPromptTokens: 1000, CompletionTokens: 300, TotalTokens: 1500}),
			user("2026-03-02T03:30:00Z"),
			answer("2026-03-02T03:30:00Z", "work", "gpt-4o", work, &chat.Usage{PromptTokens: 2000, CompletionTokens: 500, ReasoningTokens: 120, TotalTokens: 2500}),
			user("2026-03-02T04:00:00Z"),
			// Failed before any usage: billed nothing, counted nowhere.
			{Role: chat.Assistant, Time: at("2026-03-02T04:00:00Z"), Status: chat.Failed, Error: "the service is busy", Profile: "work", Deployment: "gpt-4o", Prices: work},
		}},
		{ID: "home", Messages: []*chat.Message{
			user("2026-03-02T12:00:00Z"),
			answer("2026-03-02T12:00:00Z", "home", "o4-mini", home, &chat.Usage{PromptTokens: 5000, CachedPromptTokens: 4000, CompletionTokens: 2500, ReasoningTokens: 2000, TotalTokens: 7500}),
			user("2026-03-03T18:00:00Z"),
			answer("2026-03-03T18:00:00Z", "home", "o4-mini", chat.Prices{}, &chat.Usage{PromptTokens: 800, CompletionTokens: 200, TotalTokens: 1000}),
			user("2026-03-03T20:00:00Z"),
			answer("2026-03-03T20:00:00Z", "home", "o4-mini", home, &chat.Usage{PromptTokens: 1000, CompletionTokens: 100, TotalTokens: 1100}),
		}},
		{ID: "old", Messages: []*chat.Message{
			user("2026-02-27T10:00:00Z"),
			answer("2026-02-27T10:00:00Z", "", "", chat.Prices{}, &chat.Usage{PromptTokens: 100, CompletionTokens: 50, TotalTokens: 150}),
		}},
	}
	path := filepath.Join(t.TempDir(), "history.db")
	h, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	for _, c := range convs {
		if err := h.ReplaceAll(c); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

// atUTCMinus5 makes the command's local dates those of UTC−5.
func atUTCMinus5(t *testing.T) {
	old := localZone
	localZone = time.FixedZone("UTC-5", -5*3600)
	t.Cleanup(func() { localZone = old })
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -run Usage -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestUsageReportGolden: `azchat usage` groups by local day (default),
// profile and deployment, as a table and as JSON, from --since on. Costs
// are the stored prices' (cached tokens inside the prompt, reasoning
// inside the completion); a group where only some answers had prices sums
// those (marked * in the table), one where none had has none (null); old
// answers are "unknown".
func TestUsageReportGolden(t *testing.T) {
	atUTCMinus5(t)
	db := usageHistory(t)
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"usage-day.txt", nil},
		{"usage-day.json", []string{"--json"}},
		{"usage-profile.txt", []string{"--by", "profile"}},
		{"usage-profile.json", []string{"--by", "profile", "--json"}},
		{"usage-deployment.txt", []string{"--by", "deployment"}},
		{"usage-deployment.json", []string{"--by=deployment", "--json"}},
		{"usage-since.txt", []string{"--since", "2026-03-02"}},
		{"usage-since.json", []string{"--since", "2026-03-02", "--by", "profile", "--json"}},
	} {
		code, out, errs := runWithHistory(t, db, "", append([]string{"usage"}, tc.args...)...)
		if code != ExitOK || errs != "" {
			t.Fatalf("%v: exit %d, stderr %q", tc.args, code, errs)
		}
		golden(t, tc.name, out)
	}
}

// TestUsageCostArithmetic checks the golden files' numbers by hand: the
// work profile's two answers on 1 March (local) cost
// (200×2.5 + 1000×1.25 + 300×10 + 2000×2.5 + 500×10) / 10⁶.
func TestUsageCostArithmetic(t *testing.T) {
	atUTCMinus5(t)
	db := usageHistory(t)
	code, out, _ := runWithHistory(t, db, "", "usage", "--by", "profile", "--json")
	if code != ExitOK || !strings.Contains(out, `"key": "work",
    "answers": 2,
    "prompt_tokens": 3200,
    "cached_tokens": 1000,
    "completion_tokens": 800,
    "reasoning_tokens": 120,
    "cost": 0.01475`) {
		t.Fatalf("%d %s", code, out)
	}
}

func TestUsageEmptyHistory(t *testing.T) {
	db := filepath.Join(t.TempDir(), "history.db")
	code, out, errs := runWithHistory(t, db, "", "usage", "--json")
	if code != ExitOK || out != "[]\n" || errs != "" {
		t.Fatalf("%d %q %q", code, out, errs)
	}
	code, out, _ = runWithHistory(t, db, "", "usage")
	if code != ExitOK || !strings.Contains(out, "no answers") {
		t.Fatalf("%d %q", code, out)
	}
}

func TestUsageBadFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "history.db")
	for _, args := range [][]string{
		{"--since", "2026-13-01"},
		{"--since", "yesterday"},
		{"--by", "week"},
		{"--by", ""},
		{"--frobnicate"},
		{"extra"},
	} {
		code, out, errs := runWithHistory(t, db, "", append([]string{"usage"}, args...)...)
		if code != ExitUsage || out != "" || errs == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
	_, _, errs := runWithHistory(t, db, "", "usage", "--by", "week\x1b[2J")
	if strings.Contains(errs, "\x1b") {
		t.Fatalf("control characters echoed: %q", errs)
	}
	if _, err := os.Stat(db); err == nil {
		t.Fatal("a usage error opened (created) the history")
	}
	// No history at all is a failure, not a usage error.
	var errb strings.Builder
	code := Run([]string{"usage"}, Env{Stdout: &strings.Builder{}, Stderr: &errb, Getenv: func(string) string { return "" }})
	if code != ExitFailed || !strings.Contains(errb.String(), "cannot open the history") {
		t.Fatalf("no history: %d %q", code, errb.String())
	}
}

func TestUsageIsListed(t *testing.T) {
	if !IsCommand("usage") {
		t.Fatal("usage is not a command")
	}
	code, out, _ := run(t, nil, "", "help")
	if code != ExitOK || !strings.Contains(out, "azchat usage [--since YYYY-MM-DD] [--by day|profile|deployment] [--json]") {
		t.Fatalf("help: %q", out)
	}
}
