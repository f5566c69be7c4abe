package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestModelsJSON: `azchat models --json` is an array of objects with the
// fields the issue names, gpt-5's input cap among them.
func TestModelsJSON(t *testing.T) {
	code, out, errs := run(t, nil, "", "models", "--json")
	if code != ExitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	found := false
	for _, r := range rows {
		for _, k := range []string{"model", "encoding", "context_window", "max_input", "max_output", "reasoning", "vision", "api"} {
			if _, ok := r[k]; !ok {
				t.Fatalf("row %v lacks %q", r["model"], k)
			}
		}
		if r["model"] == "gpt-5" {
			found = true
			if r["context_window"] != 400000.0 || r["max_input"] != 272000.0 || r["max_output"] != 128000.0 || r["reasoning"] != true || r["api"] != "chat" {
				t.Fatalf("gpt-5: %v", r)
			}
		}
		if r["model"] == "gpt-4" && r["max_output"] != nil {
			t.Fatalf("gpt-4 max_output %v, want null (none published)", r["max_output"])
		}
	}
	if !found {
		t.Fatal("no gpt-5 row")
	}
}

// TestModelsTable: the table for people has a header, one line per family
// and says what happens to a model it does not list.
func TestModelsTable(t *testing.T) {
	code, out, _ := run(t, nil, "", "models")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "model") || !strings.Contains(lines[0], "max input") {
		t.Fatalf("header %q", lines[0])
	}
	var gpt5 string
	for _, l := range lines {
		if strings.HasPrefix(l, "gpt-5 ") {
			gpt5 = l
		}
	}
	if f := strings.Fields(gpt5); len(f) < 8 || f[2] != "400,000" || f[3] != "272,000" || f[4] != "128,000" {
		t.Fatalf("gpt-5 line %q", gpt5)
	}
	if !strings.Contains(out, "gpt-35-turbo version 0613: a 4,096-token context window.") || !strings.Contains(out, "as an estimate") ||
		!strings.Contains(out, "gpt-4o version 2024-05-13: 4,096 output tokens at most.") ||
		!strings.Contains(out, "gpt-chat-latest version 2026-08-06: a 400,000-token context window, 272,000 tokens of input at most, 128,000 output tokens at most.") {
		t.Fatalf("notes missing:\n%s", out)
	}
	if code, _, _ := run(t, nil, "", "models", "extra"); code != ExitUsage {
		t.Fatalf("an argument: exit %d", code)
	}
}
