// Package cli is azchat's headless front: `azchat ask`, `azchat tokens`,
// `azchat usage` and the others, sharing the chat engine, the history and
// the saved settings with the window.
package cli

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
	"github.com/azchat/azchat/chat/models"
	"github.com/azchat/azchat/settings"
)

// Exit codes.
const (
	ExitOK         = 0
	ExitFailed     = 1 // the request failed; the reason is on stderr
	ExitUsage      = 2
	ExitIncomplete = 3 // an answer arrived but did not finish with "stop"
)

// Env is what a command may use from its surroundings.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Prefs are the saved settings (the app's Fyne preferences).
	Prefs   settings.Prefs
	Secrets *settings.Secrets
	Version string
	// OpenHistory opens the conversation database (export, import).
	OpenHistory func() (*history.Store, error)
	// Raise, if set, ends the process by a signal that stopped a command
	// (RaiseSignal), once its output is written: a shell stops a loop of
	// commands only for a child that a signal ended, not for one that
	// exited 130.
	Raise func(os.Signal)
}

// Commands lists the subcommands Run knows.
var Commands = []string{"ask", "tokens", "models", "deployments", "version", "list", "export", "import", "usage"}

// IsCommand reports whether name is a headless subcommand.
func IsCommand(name string) bool {
	for _, c := range Commands {
		if c == name {
			return true
		}
	}
	return name == "help" || name == "-h" || name == "--help"
}

// Run executes one subcommand and returns the process exit code.
func Run(args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 {
		usage(env.Stderr)
		return ExitUsage
	}
	switch args[0] {
	case "ask":
		return ask(args[1:], env)
	case "tokens":
		return countTokens(args[1:], env)
	case "models":
		return modelsCmd(args[1:], env)
	case "deployments":
		return deploymentsCmd(args[1:], env)
	case "version":
		fmt.Fprintf(env.Stdout, "azchat %s\n", env.Version)
		return ExitOK
	case "list":
		return listCmd(args[1:], env)
	case "export":
		return exportCmd(args[1:], env)
	case "import":
		return importCmd(args[1:], env)
	case "usage":
		return usageCmd(args[1:], env)
	case "help", "-h", "--help":
		// "azchat help export": the command's own flags.
		if len(args) == 2 && args[1] != "version" && slices.Contains(Commands, args[1]) {
			return Run([]string{args[1], "-h"}, env)
		}
		usage(env.Stdout)
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "azchat: unknown command %s\n", printable(args[0]))
	usage(env.Stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Usage:
  azchat                                   open the chat window
  azchat ask [--system TEXT] [--deployment NAME] [--model NAME] [--usage]
             [--attach FILE]... [--detail low|high|auto] TEXT
                                           stream one answer to stdout (--usage: tokens on stderr;
                                           --attach: images and UTF-8 text files, repeatable)
  azchat tokens [--model NAME] FILE|-      count the prompt tokens of a JSON message array
                                           (content: a string, or text and image_url parts)
  azchat models [--json]                   the models azchat knows: encoding, limits, API, parameters
  azchat deployments [--json]              the deployments of the resource in settings (or the environment)
  azchat list [--json]                     the saved chats, newest first: ID, last change, messages
                                           (every version), title
  azchat export --format md|json|txt|html (--id ID | --last | --all) [--all-branches] [-o PATH]
                                           write saved conversations: one to stdout without -o; --all
                                           to a folder (-o DIR, or azchat-export-<time> here)
  azchat import FILE|-                     add a JSON export or a [{role, content}] array as a new chat
  azchat usage [--since YYYY-MM-DD] [--by day|profile|deployment] [--json]
                                           tokens and cost of the saved answers, per local day (default),
                                           profile or deployment; cost only where the profile had prices
                                           (a group where some had: the priced ones, marked *; JSON: null
                                           when none had); answers from before azchat recorded them: unknown
  azchat version                           print the version

ask uses the saved settings; AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_DEPLOYMENT and
AZURE_OPENAI_API_KEY override them for that run only. Its flags may also follow TEXT
(-- ends them); "ask - TEXT" asks TEXT about what stdin holds.
Exit codes: 0 answered, 1 failed, 2 usage, 3 the answer did not finish normally,
130 stopped with Ctrl+C.
`)
}

func ask(args []string, env Env) int {
	fs := newFlags("ask", env)
	system := fs.String("system", "", "system message for this question")
	deployment := fs.String("deployment", "", "deployment name (overrides settings)")
	model := fs.String("model", "", "model behind the deployment, if known (e.g. gpt-4o)")
	showUsage := fs.Bool("usage", false, "print the answer's token usage on stderr")
	var files []string
	fs.Func("attach", "attach an image (PNG, JPEG, GIF, WEBP) or a UTF-8 text file; repeat for more", func(v string) error {
		files = append(files, v)
		return nil
	})
	detailFlag := fs.String("detail", "auto", "image detail: low, high or auto")
	words, err := interspersed(fs, args)
	if err != nil {
		return parseFailed(err)
	}
	detail, err := chat.ParseDetail(*detailFlag)
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat ask:", err)
		return ExitUsage
	}
	attachments, code := readAttachments(files, detail, env)
	if code != ExitOK {
		return code
	}
	text := strings.Join(words, " ")
	if len(words) > 0 && words[0] == "-" {
		// `git diff | azchat ask - review this`: the words after "-" are
		// the question, the input what it is about.
		b, err := io.ReadAll(io.LimitReader(env.Stdin, int64(maxTokensInput)+1))
		if err != nil {
			fmt.Fprintln(env.Stderr, "azchat: cannot read stdin:", err)
			return ExitFailed
		}
		if len(b) > maxTokensInput {
			fmt.Fprintf(env.Stderr, "azchat ask: stdin holds more than %d MB, far more than a model takes: give it less\n", maxTokensInput>>20)
			return ExitFailed
		}
		text = string(b)
		if q := strings.Join(words[1:], " "); q != "" {
			text = q + "\n\n" + text
		}
	}
	if strings.TrimSpace(text) == "" && len(attachments) == 0 {
		fmt.Fprintln(env.Stderr, "azchat ask: give the question as arguments, or - to read it from stdin")
		return ExitUsage
	}
	store := settings.Load(env.Prefs)
	secrets := env.Secrets
	if secrets == nil {
		secrets = settings.NewSecrets()
	}
	getenv := env.Getenv
	if *deployment != "" {
		inner := getenv
		getenv = func(k string) string {
			if k == settings.EnvDeployment {
				return *deployment
			}
			return inner(k)
		}
	}
	conn, err := store.Resolve(secrets, getenv)
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat:", resolveReason(err))
		return ExitFailed
	}
	if *model != "" {
		conn.Profile.Model = *model
	}
	client, err := conn.Client()
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat:", chat.AsError(err).Reason)
		return ExitFailed
	}
	opts := conn.Options()
	sys := conn.Profile.Gen.SystemPrompt
	if *system != "" {
		sys = *system
	}

	var (
		mu     sync.Mutex
		final  chat.Message
		failed *chat.Error
		wrote  bool
		werr   error // the first error writing the answer
	)
	shown := forTerminal(env.Stdout)
	// Tokens arrive a few bytes at a time: buffer them and flush every
	// 20 ms, so a long answer is not one write(2) per token while a reader
	// still sees it stream.
	out := bufio.NewWriterSize(env.Stdout, 64<<10)
	stopFlush := make(chan struct{})
	flusherDone := make(chan struct{})
	go func() {
		defer close(flusherDone)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stopFlush:
				return
			case <-tick.C:
				mu.Lock()
				if err := out.Flush(); err != nil && werr == nil {
					werr = err
				}
				mu.Unlock()
			}
		}
	}()
	defer func() {
		close(stopFlush)
		<-flusherDone
	}()
	ctl := chat.NewController(client, opts, func(e chat.Event) {
		mu.Lock()
		defer mu.Unlock()
		switch e := e.(type) {
		case chat.TextDelta:
			if _, err := out.WriteString(shown(e.Text)); err != nil && werr == nil {
				werr = err
			}
			wrote = true
		case chat.Finished:
			if e.Message.Role == chat.Assistant {
				final = e.Message
			}
		case chat.ErrorReported:
			failed = e.Err
		case chat.Waiting:
			// What happened, not the advice to try again while azchat does.
			fmt.Fprintf(env.Stderr, "azchat: %s — retrying in %s (attempt %d)\n", cmp.Or(e.Err.Fact, e.Err.Reason), e.Wait.Round(1e8), e.Attempt)
		case chat.ModelLearned:
			store.Learn(e.Endpoint, e.Deployment, e.Model)
		case chat.APILearned:
			store.LearnAPI(e.Endpoint, e.Deployment, string(e.API))
		}
	})
	if learned := store.Learned(conn.Profile.Endpoint, conn.Profile.Deployment); learned != "" {
		ctl.LearnModel(conn.Profile.Endpoint, conn.Profile.Deployment, learned)
	}
	if api := store.LearnedAPI(conn.Profile.Endpoint, conn.Profile.Deployment); api != "" {
		ctl.LearnAPI(conn.Profile.Endpoint, conn.Profile.Deployment, models.API(api))
	}
	ctl.SetSystem(sys, conn.Profile.Gen.Examples)

	// Ctrl+C (or the terminal closing, or a kill) stops the answer: what
	// arrived is written, and the exit code is the signal's, as a shell
	// expects (a loop of questions stops too).
	sigs := make(chan os.Signal, 1)
	for _, s := range stopSignals {
		// Not one the command was started to ignore: under nohup, the
		// terminal closing must not stop the answer.
		if !signal.Ignored(s) {
			signal.Notify(sigs, s)
		}
	}
	defer signal.Stop(sigs)
	if err := ctl.SendWith(text, attachments); err != nil {
		fmt.Fprintln(env.Stderr, "azchat:", err)
		return ExitFailed
	}
	stoppedBy := make(chan os.Signal, 1)
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case s := <-sigs:
			stoppedBy <- s
			ctl.Stop()
		case <-done:
		}
	}()
	ctl.Wait()
	var got os.Signal
	select {
	case got = <-stoppedBy:
	default:
	}

	mu.Lock()
	defer mu.Unlock()
	if err := out.Flush(); err != nil && werr == nil {
		werr = err
	}
	if wrote && !strings.HasSuffix(final.Content, "\n") && werr == nil {
		_, werr = fmt.Fprintln(env.Stdout)
	}
	if code, ok := signalExit(got); ok && final.Status == chat.Stopped {
		// Before a failed write: the terminal that closed (SIGHUP) takes
		// stdout with it.
		fmt.Fprintf(env.Stderr, "azchat: stopped (%s)\n", got)
		if env.Raise != nil {
			env.Raise(got)
		}
		return code
	}
	if werr != nil {
		return writeError(env.Stderr, "the answer", werr)
	}
	if *showUsage && final.Role == chat.Assistant {
		if final.Usage != nil {
			fmt.Fprintln(env.Stderr, "usage:", final.Usage.Summary())
		} else {
			fmt.Fprintln(env.Stderr, "usage: not reported by the service for this answer")
		}
	}
	if failed != nil && final.Status != chat.Interrupted {
		// The reason may quote what the server sent.
		fmt.Fprintln(env.Stderr, "azchat:", forTerminal(env.Stderr)(commandLineReason(failed)))
		return ExitFailed
	}
	note := FinishNote(final)
	if final.Status == chat.Interrupted && failed != nil {
		note = interruptedNote + ": " + commandLineReason(failed)
	}
	if note != "" {
		fmt.Fprintln(env.Stderr, "azchat:", forTerminal(env.Stderr)(note))
		return ExitIncomplete
	}
	return ExitOK
}

// resolveReason is why the connection could not be set up, for a command
// line: where the keychain cannot give the key (no desktop session over
// SSH, a locked keyring), the environment can.
func resolveReason(err error) string {
	if errors.Is(err, settings.ErrNotSetUp) {
		// Said for a terminal: there is no Settings button here.
		return "no connection is set up: set " + settings.EnvEndpoint + ", " + settings.EnvDeployment + " and " + settings.EnvAPIKey +
			", or run azchat without arguments and enter them in its Settings (File → Settings)"
	}
	reason := chat.AsError(err).Reason
	if errors.Is(err, settings.ErrNoKeychain) || errors.Is(err, settings.ErrKeychainTimeout) {
		reason += "; set " + settings.EnvAPIKey + " for this command instead"
	}
	return reason
}

// FinishNote says how an answer ended when it did not end normally.
func FinishNote(m chat.Message) string {
	switch m.Status {
	case chat.Truncated:
		return "the answer was cut by the reply limit (finish_reason: length); raise max reply tokens, or continue in the app"
	case chat.Filtered:
		cats := m.Filter.Triggered()
		if len(cats) == 0 {
			return "the answer was stopped by Azure's content filter (finish_reason: content_filter)"
		}
		return "the answer was stopped by Azure's content filter: " + strings.Join(cats, ", ")
	case chat.Interrupted:
		note := interruptedNote
		if m.Error != "" {
			return note + ": " + m.Error
		}
		return note + ": run the command again"
	case chat.Stopped:
		return "stopped"
	}
	return ""
}

// wireMessage is one element of the tokens command's input.
// printable keeps a word the user typed safe to echo to a terminal: control
// characters (escape sequences) are shown as "?".
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		// Control characters, and the bidirectional overrides and isolates
		// that would make a name read as something else in a terminal.
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f {
			return '?'
		}
		return r
	}, s)
}
