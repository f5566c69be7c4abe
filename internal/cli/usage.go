package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/history"
)

// localZone is the zone whose dates --by day and --since mean; tests fix it.
var localZone = time.Local

// usageRow is one group of `azchat usage`, and the JSON it prints.
type usageRow struct {
	Key        string `json:"key"`
	Answers    int    `json:"answers"`
	Prompt     int    `json:"prompt_tokens"`
	Cached     int    `json:"cached_tokens"`
	Completion int    `json:"completion_tokens"`
	Reasoning  int    `json:"reasoning_tokens"`
	// Cost sums the answers of the group that had prices; nil when none
	// had. priced counts those answers, so the table can mark a group
	// where only some had prices.
	Cost   *float64 `json:"cost"`
	priced int
}

// add counts one answer in the row.
func (r *usageRow) add(a history.AnswerUsage) {
	r.Answers++
	r.Prompt += a.Usage.PromptTokens
	r.Cached += a.Usage.CachedPromptTokens
	r.Completion += a.Usage.CompletionTokens
	r.Reasoning += a.Usage.ReasoningTokens
	if c, ok := a.Cost(); ok {
		r.addCost(c, 1)
	}
}

func (r *usageRow) addCost(c float64, priced int) {
	if r.Cost == nil {
		r.Cost = new(float64)
	}
	*r.Cost += c
	r.priced += priced
}

// partial reports whether some answers of the row had prices and others not.
func (r *usageRow) partial() bool { return r.priced > 0 && r.priced < r.Answers }

func usageCmd(args []string, env Env) int {
	fs := newFlags("usage", env)
	sinceFlag := fs.String("since", "", "count answers from this local date on (YYYY-MM-DD)")
	by := fs.String("by", "day", "group by day, profile or deployment")
	asJSON := fs.Bool("json", false, "print a JSON array instead of a table")
	if err := fs.Parse(args); err != nil {
		return parseFailed(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "azchat usage: unexpected argument %s\n", printable(fs.Arg(0)))
		return ExitUsage
	}
	var since time.Time
	if *sinceFlag != "" {
		t, err := time.ParseInLocation(time.DateOnly, *sinceFlag, localZone)
		if err != nil {
			fmt.Fprintf(env.Stderr, "azchat usage: --since wants a date as YYYY-MM-DD, not %q\n", printable(*sinceFlag))
			return ExitUsage
		}
		since = t
	}
	var keyOf func(history.AnswerUsage) string
	switch *by {
	case "day":
		keyOf = func(a history.AnswerUsage) string { return a.Time.In(localZone).Format(time.DateOnly) }
	case "profile":
		keyOf = func(a history.AnswerUsage) string { return chat.OrUnknown(a.Profile) }
	case "deployment":
		keyOf = func(a history.AnswerUsage) string { return chat.OrUnknown(a.Deployment) }
	default:
		fmt.Fprintf(env.Stderr, "azchat usage: --by takes day, profile or deployment, not %q\n", printable(*by))
		return ExitUsage
	}
	h, err := openHistory(env)
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat usage: cannot open the history:", err)
		return ExitFailed
	}
	defer h.Close()
	answers, err := h.Usage(since)
	if err != nil {
		fmt.Fprintln(env.Stderr, "azchat usage:", err)
		return ExitFailed
	}
	rows := groupUsage(answers, keyOf)
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			fmt.Fprintln(env.Stderr, "azchat usage:", err)
			return ExitFailed
		}
		return ExitOK
	}
	if len(rows) == 0 {
		if _, err := fmt.Fprintln(env.Stdout, "no answers with usage in the history"); err != nil {
			return writeError(env.Stderr, "the table", err)
		}
		return ExitOK
	}
	out := &checkedWriter{w: env.Stdout}
	writeUsageTable(out, *by, rows)
	if out.err != nil {
		return writeError(env.Stderr, "the table", out.err)
	}
	return ExitOK
}

// groupUsage sums answers by key, in key order (days run oldest first).
// Costs are rounded to 10 decimals: far below any price, and it keeps
// the sums of binary fractions from printing as 0.30000000000000004.
func groupUsage(answers []history.AnswerUsage, keyOf func(history.AnswerUsage) string) []usageRow {
	byKey := map[string]*usageRow{}
	for _, a := range answers {
		k := keyOf(a)
		r := byKey[k]
		if r == nil {
			r = &usageRow{Key: k}
			byKey[k] = r
		}
		r.add(a)
	}
	rows := make([]usageRow, 0, len(byKey))
	for _, r := range byKey {
		if r.Cost != nil {
			*r.Cost = math.Round(*r.Cost*1e10) / 1e10
		}
		rows = append(rows, *r)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Key < rows[j].Key })
	return rows
}

// writeUsageTable prints rows as an aligned table with a header and a
// total row. A cost marked * counts only the answers that had prices.
func writeUsageTable(w io.Writer, by string, rows []usageRow) {
	total := usageRow{Key: "total"}
	for _, r := range rows {
		total.Answers += r.Answers
		total.Prompt += r.Prompt
		total.Cached += r.Cached
		total.Completion += r.Completion
		total.Reasoning += r.Reasoning
		if r.Cost != nil {
			total.addCost(*r.Cost, r.priced)
		}
	}
	table := [][]string{{by, "answers", "prompt", "cached", "completion", "reasoning", "cost"}}
	partial := total.partial()
	if partial {
		table[0][6] += " "
	}
	for _, r := range append(rows, total) {
		cost := "-"
		if r.Cost != nil {
			cost = chat.FormatCost(*r.Cost)
		}
		switch {
		case r.partial():
			cost += "*"
		case partial:
			cost += " " // the digits line up with those marked *
		}
		table = append(table, []string{printable(r.Key), chat.FormatInt(int64(r.Answers)), chat.FormatInt(int64(r.Prompt)), chat.FormatInt(int64(r.Cached)),
			chat.FormatInt(int64(r.Completion)), chat.FormatInt(int64(r.Reasoning)), cost})
	}
	widths := make([]int, len(table[0]))
	for _, line := range table {
		for i, cell := range line {
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	for _, line := range table {
		var b strings.Builder
		for i, cell := range line {
			pad := strings.Repeat(" ", widths[i]-len([]rune(cell)))
			switch {
			case i == 0:
				b.WriteString(cell + pad) // the key reads left-aligned
			default:
				b.WriteString("  " + pad + cell) // numbers line up on the right
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	if partial {
		fmt.Fprintln(w, "* some answers in the group had no prices: the cost counts only those that had")
	}
}
