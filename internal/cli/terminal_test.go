package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

// lastUserText is the text of the last message of the newest request.
func lastUserText(t *testing.T, srv *fakeazure.Server) string {
	t.Helper()
	reqs := srv.Requests()
	msgs := reqs[len(reqs)-1].Body["messages"].([]any)
	return msgs[len(msgs)-1].(map[string]any)["content"].(string)
}

// TestAskTakesFlagsAfterTheQuestion: Go's flag package stops at the first
// word that is not a flag, and flags after the question were sent to the
// model as part of it (the file unattached, the deployment not used).
func TestAskTakesFlagsAfterTheQuestion(t *testing.T) {
	srv := start(t)
	code, _, errs := run(t, srv, "", "ask", "summarize", "this", "--system", "Be brief.", "--deployment=other", "--usage")
	if code != ExitOK || lastUserText(t, srv) != "summarize this" || srv.Requests()[0].Deployment != "other" || !strings.Contains(errs, "usage:") {
		t.Fatalf("code %d, question %q, deployment %q, stderr %q", code, lastUserText(t, srv), srv.Requests()[0].Deployment, errs)
	}
	if msgs := srv.Requests()[0].Body["messages"].([]any); msgs[0].(map[string]any)["content"] != "Be brief." {
		t.Fatalf("system message not sent: %v", msgs)
	}
	// A word that names no flag is text; after "--" every word is.
	for args, want := range map[string]string{
		"what is -5 squared":          "what is -5 squared",
		"-5 squared":                  "-5 squared",
		"--usage -5 squared":          "-5 squared",
		"what does ls -h do":          "what does ls -h do",
		"-- --usage is a flag":        "--usage is a flag",
		"why -- not --usage":          "why not --usage",
		"--model gpt-4o tell me more": "tell me more",
		"--system -- hello --usage":   "hello",
		"--system -x hi":              "hi",
	} {
		if code, _, errs := run(t, srv, "", append([]string{"ask"}, strings.Fields(args)...)...); code != ExitOK || lastUserText(t, srv) != want {
			t.Errorf("ask %s: code %d, question %q (stderr %q), want %q", args, code, lastUserText(t, srv), errs, want)
		}
	}
	if code, out, _ := run(t, srv, "", "ask", "--help"); code != ExitOK || out != "" {
		t.Errorf("ask --help: code %d", code)
	}
	// An unknown flag before the question is a typo, not the question.
	n := len(srv.Requests())
	if code, _, errs := run(t, srv, "", "ask", "--sytem", "x", "hi"); code != ExitUsage || len(srv.Requests()) != n || !strings.Contains(errs, "sytem") {
		t.Errorf("a mistyped flag: code %d, %d requests, stderr %q", code, len(srv.Requests())-n, errs)
	}
}

// TestAskReadsStdinAfterTheQuestion: `git diff | azchat ask - review this`
// sent "- review this" and never read the input.
func TestAskReadsStdinAfterTheQuestion(t *testing.T) {
	srv := start(t)
	if code, _, errs := run(t, srv, "the diff", "ask", "-", "review", "this"); code != ExitOK || lastUserText(t, srv) != "review this\n\nthe diff" {
		t.Fatalf("code %d, question %q, stderr %q", code, lastUserText(t, srv), errs)
	}
	if code, _, _ := run(t, srv, "only the input", "ask", "-"); code != ExitOK || lastUserText(t, srv) != "only the input" {
		t.Fatalf("code %d, question %q", code, lastUserText(t, srv))
	}
}

// failingWriter is stdout on a full disk.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// TestOutputThatCannotBeWrittenFails: `azchat export --last > backup.md` on
// a full disk exited 0 with an empty file; so did ask and tokens.
func TestOutputThatCannotBeWrittenFails(t *testing.T) {
	srv := start(t)
	db := filepath.Join(t.TempDir(), "history.db")
	if code, _, errs := runWithHistory(t, db, `[{"role":"user","content":"hi"}]`, "import", "-"); code != ExitOK {
		t.Fatalf("import: %d %q", code, errs)
	}
	for _, args := range [][]string{{"ask", "hello"}, {"tokens", "-"}, {"export", "--format", "md", "--last"}, {"import", "-"}, {"models"}, {"usage"}} {
		var errb bytes.Buffer
		code := Run(args, Env{
			Stdin: strings.NewReader(`[{"role":"user","content":"hi"}]`), Stdout: failingWriter{}, Stderr: &errb,
			Getenv: func(k string) string {
				return map[string]string{settings.EnvEndpoint: srv.URL(), settings.EnvDeployment: "chat", settings.EnvAPIKey: key}[k]
			},
			Prefs:       &settings.MemPrefs{},
			OpenHistory: func() (*history.Store, error) { return history.Open(db) },
		})
		if code != ExitFailed || !strings.Contains(errb.String(), "could not write") || !strings.Contains(errb.String(), "no space left") {
			t.Errorf("%v: code %d, stderr %q", args, code, errb.String())
		}
	}
}

// TestTerminalShowsControlCharacters: on a terminal, escape sequences in
// a model's answer or an export would run (OSC 52 writes the clipboard);
// they are shown as symbols. Piped elsewhere the text is as it is.
func TestTerminalShowsControlCharacters(t *testing.T) {
	in := "a\x1b]52;c;ZXZpbA==\x07b\tc\r\nd\x7f\u009be"
	if got, want := visibleControls(in), "a␛]52;c;ZXZpbA==␇b\tc\nd␡\uFFFDe"; got != want {
		t.Fatalf("visibleControls = %q, want %q", got, want)
	}
	// A carriage return would let "rm -rf ~" overwrite the line it
	// follows; overrides and isolates reorder what is read.
	for in, want := range map[string]string{
		"echo safe\rrm -rf ~":          "echo safe␍rm -rf ~",
		"line\r":                       "line",
		"if ok \u202e{ }\u2066x\u2069": "if ok \uFFFD{ }\uFFFDx\uFFFD",
		"שלום \u200fעולם":              "שלום \u200fעולם",
	} {
		if got := visibleControls(in); got != want {
			t.Errorf("visibleControls(%q) = %q, want %q", in, got, want)
		}
	}
	var buf bytes.Buffer
	if forTerminal(&buf)(in) != in {
		t.Fatal("text to a pipe or file was changed")
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) || isTerminal(&buf) {
		t.Fatal("a file taken for a terminal")
	}
}

// TestTokensReadsABoundedInput: `azchat tokens /dev/zero` read until memory
// ran out; a file that is not there is named.
func TestTokensReadsABoundedInput(t *testing.T) {
	defer func(n int) { maxTokensInput = n }(maxTokensInput)
	maxTokensInput = 1 << 10
	if code, _, errs := run(t, nil, "", "tokens", "/dev/zero"); code != ExitFailed || !strings.Contains(errs, "/dev/zero is larger than") {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
	if code, _, errs := run(t, nil, "", "tokens", "no-such-file.json"); code != ExitFailed || !strings.Contains(errs, "cannot read no-such-file.json") {
		t.Fatalf("code %d, stderr %q", code, errs)
	}
}

// TestKeychainTroubleNamesTheEnvironment: over SSH or with the keyring
// locked the CLI said to use the key "for this session only" or to
// unlock the keyring; the environment variable is the way that works.
func TestKeychainTroubleNamesTheEnvironment(t *testing.T) {
	prefs := &settings.MemPrefs{}
	store := settings.Load(prefs)
	if _, err := store.Put(settings.Profile{Name: "Main", Endpoint: "https://res.invalid", Deployment: "d"}); err != nil {
		t.Fatal(err)
	}
	sec := &settings.Secrets{Timeout: 50 * time.Millisecond}
	defer sec.Stall()()
	for _, args := range [][]string{{"ask", "hi"}, {"deployments"}} {
		var out, errb bytes.Buffer
		code := Run(args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
			Prefs: prefs, Secrets: sec})
		if code != ExitFailed || !strings.Contains(errb.String(), "keychain") || !strings.Contains(errb.String(), "; set AZURE_OPENAI_API_KEY for this command instead") {
			t.Errorf("%v: code %d, stderr %q", args, code, errb.String())
		}
	}
}

// TestTokensSaysWhatTheFileHolds: a JSON object instead of an array was
// reported in Go's terms ("into Go value of type []cli.wireMessage").
func TestTokensSaysWhatTheFileHolds(t *testing.T) {
	for in, want := range map[string]string{
		`{"messages":[]}`:               "but the file holds a JSON object",
		`[{"role":"user","content":5}]`: "", // content may be a string or parts: its own message
		`[{"role":7,"content":"x"}]`:    `but "role" is a JSON number`,
	} {
		code, _, errs := run(t, nil, in, "tokens", "-")
		if code != ExitFailed || strings.Contains(errs, "Go value") || !strings.Contains(errs, want) {
			t.Errorf("%s: code %d, stderr %q", in, code, errs)
		}
	}
}

// TestHelpExitsZero: asking a command for its help is not a usage error.
func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"models", "-h"}, {"deployments", "--help"}, {"tokens", "-h"}, {"usage", "--help"}, {"export", "-h"}, {"import", "--help"}, {"ask", "-h"}} {
		if code, _, errs := run(t, nil, "", args...); code != ExitOK {
			t.Errorf("%v: code %d, stderr %q", args, code, errs)
		}
	}
}
