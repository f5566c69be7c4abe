package cli

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/models"
)

// modelsCmd prints the model facts table: a table for people, or with
// --json an array of objects (model, encoding, context_window, max_input,
// max_output, reasoning, vision, api and the parameters).
func modelsCmd(args []string, env Env) int {
	asJSON, exit, ok := jsonOnly("models", args, env)
	if !ok {
		return exit
	}
	all := models.All()
	if asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(all); err != nil {
			fmt.Fprintln(env.Stderr, "azchat:", err)
			return ExitFailed
		}
		return ExitOK
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "model\tencoding\tcontext window\tmax input\tmax output\treasoning\tvision\tapi\treply limit\treasoning effort")
	for _, f := range all {
		out := "-"
		if f.MaxOutput != nil {
			out = chat.FormatInt(int64(*f.MaxOutput))
		}
		effort := strings.Join(f.ReasoningEffort, ",")
		if effort == "" {
			effort = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.Model, f.Encoding, chat.FormatInt(int64(f.ContextWindow)), chat.FormatInt(int64(f.MaxInput)), out,
			yesNo(f.Reasoning), yesNo(f.Vision), f.API, f.MaxTokensParam, effort)
	}
	if err := w.Flush(); err != nil {
		return writeError(env.Stderr, "the table", err)
	}
	out := &checkedWriter{w: env.Stdout}
	for _, f := range all {
		versions := make([]string, 0, len(f.Versions))
		for v := range f.Versions {
			versions = append(versions, v)
		}
		sort.Strings(versions)
		for _, v := range versions {
			fmt.Fprintf(out, "%s version %s: %s.\n", f.Model, v, versionLimits(f.Versions[v]))
		}
	}
	u := models.Unknown("")
	fmt.Fprintf(out, "\nA model not listed is counted with %s as an estimate, with a %s-token window until you set one in settings.\n",
		u.Encoding, chat.FormatInt(int64(u.ContextWindow)))
	if out.err != nil {
		return writeError(env.Stderr, "the list", out.err)
	}
	return ExitOK
}

// versionLimits says how a version's limits differ from its family's.
func versionLimits(v models.VersionFacts) string {
	var parts []string
	if v.ContextWindow > 0 {
		parts = append(parts, "a "+chat.FormatInt(int64(v.ContextWindow))+"-token context window")
	}
	if v.MaxInput > 0 {
		parts = append(parts, chat.FormatInt(int64(v.MaxInput))+" tokens of input at most")
	}
	if v.MaxOutput != nil {
		parts = append(parts, chat.FormatInt(int64(*v.MaxOutput))+" output tokens at most")
	}
	return strings.Join(parts, ", ")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// jsonOnly parses the flags of a listing command that takes only --json;
// when the command should not go on, exit is its exit code (0 for -h).
func jsonOnly(name string, args []string, env Env) (asJSON bool, exit int, ok bool) {
	fs := newFlags(name, env)
	j := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return false, parseFailed(err), false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "azchat %s takes no arguments\n", name)
		return false, ExitUsage, false
	}
	return *j, ExitOK, true
}
