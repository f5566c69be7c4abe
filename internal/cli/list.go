package cli

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/azchat/azchat/chat"
)

// listedChat is one chat as `azchat list --json` prints it.
type listedChat struct {
	ID       string    `json:"id"`
	Title    string    `json:"title"`
	Updated  time.Time `json:"updated"`
	Messages int       `json:"messages"`
}

// listCmd prints the saved chats, newest first: the IDs export --id takes,
// with when each last changed, its number of messages and its title.
func listCmd(args []string, env Env) int {
	fs := newFlags("list", env)
	asJSON := fs.Bool("json", false, "print a JSON array of {id, title, updated, messages}")
	if err := fs.Parse(args); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "azchat list: unexpected argument %s\n", printable(fs.Arg(0)))
		return ExitUsage
	}
	h, err := openHistory(env)
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat list: cannot open the history:", err)
		return ExitFailed
	}
	defer h.Close()
	list, err := h.List(0, 0)
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat list:", err)
		return ExitFailed
	}
	if *asJSON {
		out := make([]listedChat, 0, len(list))
		for _, c := range list {
			out = append(out, listedChat{ID: c.ID, Title: c.Title, Updated: c.Updated, Messages: c.Messages})
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintf(env.Stdout, "%s\n", b)
		return ExitOK
	}
	// Titles are the chats' own words (a model's, an import's): one line
	// each, and nothing a terminal would act on.
	show := forTerminal(env.Stdout)
	if len(list) == 0 {
		// On stderr: stdout stays the list (empty) for a script.
		fmt.Fprintln(env.Stderr, "azchat list: no saved chats yet")
	}
	for _, c := range list {
		fmt.Fprintf(env.Stdout, "%s  %s  %4d  %s\n", c.ID, c.Updated.Local().Format("2006-01-02 15:04"), c.Messages, show(chat.OneLine(c.Title, chat.MaxTitleRunes)))
	}
	return ExitOK
}
