package cli

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/internal/fakeazure"
	"github.com/azchat/azchat/settings"
)

const key = "cli-test-key-abcdefghijklmnop"

func run(t *testing.T, srv *fakeazure.Server, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	vars := map[string]string{}
	if srv != nil {
		vars = map[string]string{
			settings.EnvEndpoint:   srv.URL(),
			settings.EnvDeployment: "chat",
			settings.EnvAPIKey:     key,
		}
	}
	code := Run(args, Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return vars[k] },
		Prefs:  &settings.MemPrefs{}, Version: "test",
	})
	return code, out.String(), errb.String()
}

func start(t *testing.T) *fakeazure.Server {
	srv := &fakeazure.Server{APIKey: key, Deployments: map[string]fakeazure.Deployment{"chat": {Model: "gpt-4o"}, "other": {Model: "gpt-4o-mini"}}}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

func TestAskStreamsToStdout(t *testing.T) {
	srv := start(t)
	code, out, errs := run(t, srv, "", "ask", "--system", "Be brief.", "What", "is", "Azure?")
	if code != ExitOK || !strings.Contains(out, `You asked: "What is Azure?"`) || errs != "" {
		t.Fatalf("code %d out %q err %q", code, out, errs)
	}
	body := srv.Requests()[0].Body
	msgs := body["messages"].([]any)
	if msgs[0].(map[string]any)["content"] != "Be brief." {
		t.Fatalf("system message not sent: %v", msgs)
	}
	code, _, _ = run(t, srv, "", "ask", "--deployment", "other", "hi")
	if code != ExitOK || srv.Requests()[1].Deployment != "other" {
		t.Fatal("--deployment ignored")
	}
}

func TestAskStdin(t *testing.T) {
	srv := start(t)
	code, out, _ := run(t, srv, "from stdin", "ask", "-")
	if code != ExitOK || !strings.Contains(out, "from stdin") {
		t.Fatalf("%d %q", code, out)
	}
}

func TestAskFinishNotes(t *testing.T) {
	srv := start(t)
	srv.Script(fakeazure.Behaviour{FinishReason: "length"})
	code, out, errs := run(t, srv, "", "ask", "hi")
	if code != ExitIncomplete || out == "" || !strings.Contains(errs, "reply limit") {
		t.Fatalf("length: %d %q", code, errs)
	}
	srv.Script(fakeazure.Behaviour{FinishReason: "content_filter", FilterCategory: "self_harm", FilterSeverity: "high"})
	code, _, errs = run(t, srv, "", "ask", "hi")
	if code != ExitIncomplete || !strings.Contains(errs, "self harm (high)") {
		t.Fatalf("filter: %d %q", code, errs)
	}
	srv.Script(fakeazure.Behaviour{NoFinish: true, NoDone: true})
	code, _, errs = run(t, srv, "", "ask", "hi")
	if code != ExitIncomplete || !strings.Contains(errs, "interrupted") {
		t.Fatalf("interrupted: %d %q", code, errs)
	}
}

func TestAskErrors(t *testing.T) {
	srv := start(t)
	srv.Script(fakeazure.Behaviour{Status: 400, Body: fakeazure.Fixture("error-400-content-filter.json")})
	code, out, errs := run(t, srv, "", "ask", "bad words")
	if code != ExitFailed || out != "" || !strings.Contains(errs, "content filter") || !strings.Contains(errs, "sexual (high)") {
		t.Fatalf("%d %q %q", code, out, errs)
	}
	// The window's advice is said as a command line's: no Retry button,
	// no chat to start anew or context window to lower.
	srv.Script(fakeazure.Behaviour{Status: 400, Body: fakeazure.Fixture("error-400-context-length.json")})
	if code, _, errs = run(t, srv, "", "ask", "a long question"); code != ExitFailed || !strings.Contains(errs, "shorten the question") || !strings.Contains(errs, "Azure counted 131,072 tokens") || strings.Contains(errs, "new chat") || strings.Contains(errs, "settings") {
		t.Fatalf("context length: %d %q", code, errs)
	}
	// While it retries by itself, it says what happened, not to try again.
	srv.Script(fakeazure.Behaviour{Status: 429, Body: fakeazure.Fixture("error-429.json"), Header: map[string]string{"retry-after-ms": "50"}}, fakeazure.Behaviour{Reply: "fine"})
	if code, _, errs = run(t, srv, "", "ask", "busy?"); code != ExitOK || !strings.Contains(errs, "rate limit for this deployment was reached — retrying in") || strings.Contains(errs, "try again") {
		t.Fatalf("a 429 retried: %d %q", code, errs)
	}
	srv.Script(fakeazure.Behaviour{Reply: "a b c d e", ErrorAfter: 2, ErrorEvent: []byte(`{"error":{"code":"server_error","message":"boom"}}`)})
	if code, _, errs = run(t, srv, "", "ask", "hi"); code == ExitOK || !strings.Contains(errs, "run the command again") || strings.Contains(errs, "Retry") {
		t.Fatalf("an error mid-answer: %d %q", code, errs)
	}
	code, _, errs = run(t, nil, "", "ask", "hello")
	// Said for a terminal: the variables first, no "azchat: azchat".
	if code != ExitFailed || !strings.HasPrefix(errs, "azchat: no connection is set up: set AZURE_OPENAI_ENDPOINT") || strings.Contains(errs, "azchat: azchat") {
		t.Fatalf("no settings: %d %q", code, errs)
	}
	if strings.Contains(errs, key) {
		t.Fatal("key in error output")
	}
}

func TestAskRefusesPlainHTTPToRemoteHosts(t *testing.T) {
	var out, errb bytes.Buffer
	vars := map[string]string{settings.EnvEndpoint: "http://example.invalid", settings.EnvDeployment: "d", settings.EnvAPIKey: key}
	code := Run([]string{"ask", "hi"}, Env{Stdout: &out, Stderr: &errb, Getenv: func(k string) string { return vars[k] }, Prefs: &settings.MemPrefs{}})
	if code != ExitFailed || !strings.Contains(errb.String(), "in clear") {
		t.Fatalf("%d %q", code, errb.String())
	}
}

func TestTokensCommand(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "m.json")
	// 24 tokens for both encodings per OpenAI's tiktoken
	// (chat/tokens/testdata/reference.json, conversation 1 with o200k_base).
	msgs := `[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Who were the founders of Microsoft?"}]`
	if err := os.WriteFile(f, []byte(msgs), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, nil, "", "tokens", f)
	if code != ExitOK || strings.TrimSpace(out) != "24" {
		t.Fatalf("%d %q", code, out)
	}
	code, out, _ = run(t, nil, msgs, "tokens", "--model", "gpt-35-turbo", "-")
	if code != ExitOK || strings.TrimSpace(out) != "24" {
		t.Fatalf("stdin: %d %q", code, out)
	}
	code, _, errs := run(t, nil, `[{"role":"user"}]`, "tokens", "-")
	if code != ExitFailed || !strings.Contains(errs, "message 0") {
		t.Fatalf("bad input: %d %q", code, errs)
	}
	code, _, errs = run(t, nil, `[{"role":`, "tokens", "-")
	if code != ExitFailed || !strings.Contains(errs, "JSON") {
		t.Fatalf("bad json: %d %q", code, errs)
	}
	_, _, errs = run(t, nil, msgs, "tokens", "--model", "my-llm", "-")
	if !strings.Contains(errs, "estimate") {
		t.Fatalf("estimate not reported: %q", errs)
	}
}

func TestVersionAndUsage(t *testing.T) {
	if code, out, _ := run(t, nil, "", "version"); code != 0 || out != "azchat test\n" {
		t.Fatalf("%d %q", code, out)
	}
	if code, _, _ := run(t, nil, "", "frobnicate"); code != ExitUsage {
		t.Fatal("unknown command accepted")
	}
}

func runWithHistory(t *testing.T, db, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Prefs: &settings.MemPrefs{},
		OpenHistory: func() (*history.Store, error) { return history.Open(db) }})
	return code, out.String(), errb.String()
}

func TestImportThenExport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "history.db")
	// Nothing saved yet: --all says so and makes no folder.
	empty := filepath.Join(dir, "empty")
	if code, _, errs := runWithHistory(t, db, "", "export", "--all", "-o", empty); code != ExitFailed || !strings.Contains(errs, "no saved conversations yet") {
		t.Fatalf("export --all of no chats: %d %q", code, errs)
	}
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Fatalf("export --all of no chats made its folder: %v", err)
	}
	guide := `[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Who founded Microsoft?"},{"role":"assistant","content":"Bill Gates and **Paul Allen**."}]`
	code, out, errs := runWithHistory(t, db, guide, "import", "-")
	if code != ExitOK || !strings.Contains(out, "imported 2 messages") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	code, out, _ = runWithHistory(t, db, "", "export", "--format", "md", "--last")
	if code != ExitOK || !strings.Contains(out, "# Who founded Microsoft?") || !strings.Contains(out, "**Paul Allen**") {
		t.Fatalf("export md: %d %q", code, out)
	}
	jsonPath := filepath.Join(dir, "out.json")
	if code, _, errs = runWithHistory(t, db, "", "export", "--format", "json", "--last", "-o", jsonPath); code != ExitOK {
		t.Fatalf("export json: %q", errs)
	}
	// The chat's own JSON export is found in the history, not added again.
	if code, out, errs = runWithHistory(t, db, "", "import", jsonPath); code != ExitOK || !strings.Contains(out, "already in the history as conversation ") || !strings.Contains(out, "nothing imported") {
		t.Fatalf("re-import: %d %q %q", code, out, errs)
	}
	if code, out, _ = runWithHistory(t, db, "", "list"); code != ExitOK || strings.Count(out, "Who founded Microsoft?") != 1 {
		t.Fatalf("after importing the chat's own export: %q", out)
	}
	// A guide-style array names no chat: imported again, it is a second one.
	if code, _, errs = runWithHistory(t, db, guide, "import", "-"); code != ExitOK {
		t.Fatalf("second import of the array: %q", errs)
	}
	all := filepath.Join(dir, "all")
	if code, _, errs = runWithHistory(t, db, "", "export", "--format", "html", "--all", "-o", all); code != ExitOK {
		t.Fatalf("export all: %q", errs)
	}
	entries, _ := os.ReadDir(all)
	if len(entries) != 2 {
		t.Fatalf("%d files for 2 conversations", len(entries))
	}
	// Transcripts are private: the folder 0700, each file 0600.
	if fi, _ := os.Stat(all); fi.Mode().Perm() != 0o700 {
		t.Fatalf("export folder mode %v", fi.Mode())
	}
	for _, e := range entries {
		if fi, _ := e.Info(); fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s mode %v", e.Name(), fi.Mode())
		}
	}
	// Exporting again into the same folder adds no copies of chats not
	// changed since, and says so.
	if code, _, errs = runWithHistory(t, db, "", "export", "--format", "html", "--all", "-o", all); code != ExitOK || !strings.Contains(errs, "exported 0 conversations") || !strings.Contains(errs, "2 were there already, unchanged") {
		t.Fatalf("export all again: %d %q", code, errs)
	}
	if entries, _ = os.ReadDir(all); len(entries) != 2 {
		t.Fatalf("%d files after a second export of 2 unchanged conversations into the folder", len(entries))
	}
	// A file of that name that holds something else is kept: the export
	// goes beside it.
	if err := os.WriteFile(filepath.Join(all, entries[0].Name()), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs = runWithHistory(t, db, "", "export", "--format", "html", "--all", "-o", all); code != ExitOK || !strings.Contains(errs, "exported 1 conversations") {
		t.Fatalf("export all beside a changed file: %d %q", code, errs)
	}
	if entries, _ = os.ReadDir(all); len(entries) != 3 {
		t.Fatalf("%d files after exporting beside a file of the same name", len(entries))
	}
	mine := 0
	for _, e := range entries {
		if b, _ := os.ReadFile(filepath.Join(all, e.Name())); string(b) == "mine" {
			mine++
		}
	}
	if mine != 1 {
		t.Fatal("the file of the same name was replaced")
	}
	// Again: the export written beside it is found there (no "(3)").
	if code, _, errs = runWithHistory(t, db, "", "export", "--format", "html", "--all", "-o", all); code != ExitOK || !strings.Contains(errs, "2 were there already") {
		t.Fatalf("export all a third time: %d %q", code, errs)
	}
	if entries, _ = os.ReadDir(all); len(entries) != 3 {
		t.Fatalf("%d files after a third export", len(entries))
	}
	// A JSON export differs from the last one only in when it was made.
	jsonAll := filepath.Join(dir, "all-json")
	for i, want := range []string{"exported 2 conversations", "2 were there already"} {
		if code, _, errs = runWithHistory(t, db, "", "export", "--format", "json", "--all", "-o", jsonAll); code != ExitOK || !strings.Contains(errs, want) {
			t.Fatalf("JSON export %d: %d %q", i+1, code, errs)
		}
	}
	if entries, _ = os.ReadDir(jsonAll); len(entries) != 2 {
		t.Fatalf("%d files after exporting 2 chats as JSON twice", len(entries))
	}
	// A file in a folder that is not there: said so, not Go's error.
	if code, _, errs = runWithHistory(t, db, "", "export", "--last", "-o", filepath.Join(dir, "nowhere", "x.md")); code != ExitFailed || !strings.Contains(errs, "the folder "+filepath.Join(dir, "nowhere")+" does not exist") {
		t.Fatalf("export into a missing folder: %d %q", code, errs)
	}
	if code, _, errs = runWithHistory(t, db, "", "export", "--id", "nope"); code != ExitFailed || !strings.Contains(errs, "no conversation") {
		t.Fatalf("unknown id: %d %q", code, errs)
	}
	if code, _, _ = runWithHistory(t, db, "", "export", "--last", "--all"); code != ExitUsage {
		t.Fatal("two selectors accepted")
	}
	code, _, errs = runWithHistory(t, db, `[{"role":"user","content":"ok"},{"role":"robot","content":"x"}]`, "import", "-")
	if code != ExitFailed || !strings.Contains(errs, "message 2") {
		t.Fatalf("bad import: %d %q", code, errs)
	}
	h, _ := history.Open(db)
	defer h.Close()
	if list, _ := h.List(0, 0); len(list) != 2 {
		t.Fatalf("a failed import left %d conversations", len(list))
	}
}

// TestExportRefusesANewerHistory: a database from a newer azchat is not
// declared damaged; export says to update, exits non-zero, and leaves the
// file as it was.
func TestExportRefusesANewerHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	h, err := history.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	h.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, _ := os.ReadFile(path)
	var out, errb bytes.Buffer
	code := Run([]string{"export", "--last"}, Env{
		Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Prefs: &settings.MemPrefs{},
		OpenHistory: func() (*history.Store, error) { return history.Open(path) },
	})
	if code == ExitOK || !strings.Contains(errb.String(), "newer azchat (schema 99") || strings.Contains(errb.String(), "damaged") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Fatal("the newer history was changed")
	}
	if m, _ := filepath.Glob(path + ".damaged-*"); len(m) != 0 {
		t.Fatalf("set aside: %v", m)
	}
}

// TestAskUsage: --usage prints the usage line on stderr with the cached
// and reasoning tokens Azure reported; without it, nothing.
func TestAskUsage(t *testing.T) {
	srv := start(t)
	srv.Script(fakeazure.Behaviour{CachedTokens: 12, ReasoningTokens: 64}, fakeazure.Behaviour{})
	// A prompt tiktoken counted (24 tokens): the stand-in reports usage
	// only for those.
	code, out, errs := run(t, srv, "", "ask", "--usage", "--system", "You are a helpful assistant.", "Who were the founders of Microsoft?")
	if code != ExitOK || out == "" {
		t.Fatalf("code %d out %q err %q", code, out, errs)
	}
	var prompt, cached, comp, reasoning int
	if n, err := fmt.Sscanf(errs, "usage: prompt %d (cached %d), completion %d (reasoning %d)\n", &prompt, &cached, &comp, &reasoning); n != 4 || err != nil {
		t.Fatalf("stderr %q (%v)", errs, err)
	}
	if prompt != 24 || cached != 12 || reasoning != 64 || comp <= reasoning {
		t.Fatalf("usage line %q", errs)
	}
	code, _, errs = run(t, srv, "", "ask", "--system", "You are a helpful assistant.", "Who were the founders of Microsoft?")
	if code != ExitOK || errs != "" {
		t.Fatalf("without --usage: code %d stderr %q", code, errs)
	}
}

// TestExportHasChatsAnOlderAzchatSavedAfterTheMove: an azchat from before
// the history moved to its own folder, run after, saved a chat at the old
// place. The next command has it, and says where it came from.
func TestExportHasChatsAnOlderAzchatSavedAfterTheMove(t *testing.T) {
	dir := t.TempDir()
	old, moved := filepath.Join(dir, "history.db"), filepath.Join(dir, "history", "history.db")
	chat := func(q string) string {
		return `[{"role":"user","content":"` + q + `"},{"role":"assistant","content":"An answer."}]`
	}
	if code, _, errs := runWithHistory(t, moved, chat("Asked in this azchat"), "import", "-"); code != ExitOK {
		t.Fatal(errs)
	}
	if code, _, errs := runWithHistory(t, old, chat("Asked in the older azchat"), "import", "-"); code != ExitOK {
		t.Fatal(errs)
	}
	var out, errb bytes.Buffer
	all := filepath.Join(dir, "all")
	code := Run([]string{"export", "--format", "md", "--all", "-o", all}, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }, Prefs: &settings.MemPrefs{},
		OpenHistory: func() (*history.Store, error) { return history.OpenMoving(old, moved) }})
	if code != ExitOK || !strings.Contains(errb.String(), "added 1 chat(s) that an older azchat saved in "+dir) {
		t.Fatalf("%d %q", code, errb.String())
	}
	var texts []string
	entries, _ := os.ReadDir(all)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(all, e.Name()))
		texts = append(texts, string(b))
	}
	joined := strings.Join(texts, "\n")
	if len(entries) != 2 || !strings.Contains(joined, "Asked in this azchat") || !strings.Contains(joined, "Asked in the older azchat") {
		t.Fatalf("%d chats exported: %.300q", len(entries), joined)
	}
}

// TestTransferFailuresNameWhatToMend: a missing file to import and a
// missing folder to export to are named (not a temporary file's name),
// and a Markdown export given to import is said to be one.
func TestTransferFailuresNameWhatToMend(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "history.db")
	if code, _, errs := runWithHistory(t, db, `[{"role":"user","content":"hi"}]`, "import", "-"); code != ExitOK {
		t.Fatal(errs)
	}
	missing := filepath.Join(dir, "nowhere", "x.md")
	if code, _, errs := runWithHistory(t, db, "", "export", "--last", "-o", missing); code == ExitOK ||
		!strings.Contains(errs, "the folder "+filepath.Dir(missing)+" does not exist") || strings.Contains(errs, ".tmp-") {
		t.Fatalf("export to a missing folder: %d %q", code, errs)
	}
	gone := filepath.Join(dir, "gone.json")
	if code, _, errs := runWithHistory(t, db, "", "import", gone); code == ExitOK || !strings.Contains(errs, "cannot read "+gone) {
		t.Fatalf("import of a missing file: %d %q", code, errs)
	}
	md := filepath.Join(dir, "chat.md")
	if code, _, errs := runWithHistory(t, db, "", "export", "--last", "-o", md); code != ExitOK {
		t.Fatal(errs)
	}
	if code, _, errs := runWithHistory(t, db, "", "import", md); code == ExitOK || !strings.Contains(errs, "not a JSON file") {
		t.Fatalf("import of a Markdown export: %d %q", code, errs)
	}
}

// TestListShowsTheIDsExportTakes: list prints the saved chats newest
// first, one line each (a title's line breaks and escapes flattened), and
// as JSON; an ID it prints exports that chat.
func TestListShowsTheIDsExportTakes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "history.db")
	// None yet: said on stderr; stdout is the (empty) list.
	if code, out, errs := runWithHistory(t, db, "", "list"); code != ExitOK || out != "" || !strings.Contains(errs, "no saved chats yet") {
		t.Fatalf("empty history: %d %q %q", code, out, errs)
	}
	for _, q := range []string{"first question", "second\nquestion \x1b[31mred"} {
		b, _ := json.Marshal([]map[string]string{{"role": "user", "content": q}})
		if code, _, errs := runWithHistory(t, db, string(b), "import", "-"); code != ExitOK {
			t.Fatal(errs)
		}
	}
	code, out, errs := runWithHistory(t, db, "", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != ExitOK || len(lines) != 2 || !strings.HasSuffix(lines[1], "first question") || strings.ContainsRune(out, '\x1b') || !strings.Contains(lines[0], "second question") {
		t.Fatalf("list: %d %q %q", code, out, errs)
	}
	code, out, _ = runWithHistory(t, db, "", "list", "--json")
	var listed []listedChat
	if err := json.Unmarshal([]byte(out), &listed); code != ExitOK || err != nil || len(listed) != 2 || listed[1].Messages != 1 {
		t.Fatalf("list --json: %d %v %q", code, err, out)
	}
	if code, out, errs := runWithHistory(t, db, "", "export", "--id", strings.Fields(lines[1])[0]); code != ExitOK || !strings.Contains(out, "first question") {
		t.Fatalf("export of a listed ID: %d %q %q", code, out, errs)
	}
}

// TestFlagsAreSpokenOfAsTyped: a wrong flag is named with its two dashes,
// and the flags are listed as azchat help writes them (Go's flag package
// wrote -bogus and -format); azchat help CMD lists CMD's flags.
func TestFlagsAreSpokenOfAsTyped(t *testing.T) {
	code, _, errs := run(t, nil, "", "export", "--bogus")
	if code != ExitUsage || !strings.Contains(errs, "flag provided but not defined: --bogus") || !strings.Contains(errs, "  --format STRING") || strings.Contains(errs, "\n  -format") {
		t.Fatalf("export --bogus: %d %q", code, errs)
	}
	if code, _, errs = run(t, nil, "", "export", "--format", "md", "--id"); code != ExitUsage || !strings.Contains(errs, "flag needs an argument: --id") {
		t.Fatalf("export --id without its value: %d %q", code, errs)
	}
	if code, _, errs = run(t, nil, "", "export", "--last", "-o"); code != ExitUsage || !strings.Contains(errs, "flag needs an argument: -o\n") {
		t.Fatalf("-o without its value: %d %q", code, errs)
	}
	if code, _, errs = run(t, nil, "", "help", "ask"); code != ExitOK || !strings.Contains(errs, "usage: azchat ask [flags] QUESTION") {
		t.Fatalf("help ask: %d %q", code, errs)
	}
	if code, _, errs = run(t, nil, "", "help", "export"); code != ExitOK || !strings.Contains(errs, "usage: azchat export") || !strings.Contains(errs, "--all-branches") || !strings.Contains(errs, "\n  -o STRING") {
		t.Fatalf("help export: %d %q", code, errs)
	}
	if code, out, _ := run(t, nil, "", "help", "frobnicate"); code != ExitOK || !strings.Contains(out, "azchat ask") {
		t.Fatalf("help of no command: %d %q", code, out)
	}
}
