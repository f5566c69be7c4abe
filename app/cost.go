package app

import (
	"fmt"

	"github.com/azchat/azchat/chat"
)

// Costs are shown in the user's own currency, the one their prices are
// in: chat.FormatCost writes no symbol.

// answerCostLine is the line an answer's row shows under it: its usage,
// with the cached and reasoning parts the service reported, and its cost
// when its profile had prices ("1,234 prompt (1,000 cached) + 56
// completion = 1,290 tokens · cost 0.0123", as the status bar says it);
// "" for a message without usage. The cost is the one stored with the
// answer, not today's prices.
func answerCostLine(m chat.Message) string {
	if m.Usage == nil {
		return ""
	}
	line := tokenSum(*m.Usage)
	if c, ok := m.AnswerCost(); ok {
		line += " · cost " + chat.FormatCost(c)
	}
	return line
}

// chatCost is the total cost of the answers in msgs that have one, and
// whether any has; answers without prices add nothing. With us non-nil,
// answer i is counted with that usage (reported before its Finished
// event brings it).
func chatCost(msgs []chat.Message, i int, us *chat.Usage) (float64, bool) {
	total, priced := 0.0, false
	for j := range msgs {
		u := msgs[j].Usage
		if j == i && us != nil {
			u = us
		}
		if u == nil {
			continue
		}
		if c, ok := msgs[j].Prices.Cost(*u); ok {
			total += c
			priced = true
		}
	}
	return total, priced
}

// usageStatus is the status bar's usage label once answer i of msgs
// reported usage us: usageText, the answer's cost at the prices it was
// answered at, and the chat's total, each when there are prices to tell it;
// then shorter texts for a narrow window, drawn in its place when it does
// not fit (dimLabel's shorter), its words kept in a tooltip.
//
// The total is the whole chat's: others are the answers of the branches
// not on screen (regenerated versions were paid for too).
func usageStatus(msgs, others []chat.Message, i int, us chat.Usage) []string {
	cost := ""
	if i >= 0 && i < len(msgs) {
		if c, ok := msgs[i].Prices.Cost(us); ok {
			cost = " · cost " + chat.FormatCost(c)
		}
	}
	total := ""
	if t, ok := chatTotal(msgs, others, i, &us); ok {
		total = " · chat total " + chat.FormatCost(t)
	}
	tokens := num(us.TotalTokens) + " tokens"
	return shorterAfter(
		usageText(us)+cost+total,
		fmt.Sprintf("Last answer: %s + %s = %s", num(us.PromptTokens), num(us.CompletionTokens), tokens)+cost+total,
		"Last answer: "+tokens+cost+total,
		"Last answer: "+tokens+cost,
		tokens+cost,
		tokens,
	)
}

// chatTotal is chatCost over msgs (answer i counted with us, if not nil)
// and the answers of others, the branches not on screen.
func chatTotal(msgs, others []chat.Message, i int, us *chat.Usage) (float64, bool) {
	total, ok := chatCost(msgs, i, us)
	if t, ok2 := chatCost(others, -1, nil); ok2 {
		total, ok = total+t, true
	}
	return total, ok
}

// shorterAfter is texts without those equal to the one before them.
func shorterAfter(texts ...string) []string {
	out := texts[:1]
	for _, s := range texts[1:] {
		if s != out[len(out)-1] {
			out = append(out, s)
		}
	}
	return out
}

// openedUsageStatus is the label for a conversation just shown (opened,
// or its messages changed: a delete, another branch): the usage of its
// last answer and the total, as usageStatus; nil when it has no answer.
// An older answer's usage is not shown as the last one's (a deployment
// that reports none answered last).
func openedUsageStatus(msgs, others []chat.Message) []string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role != chat.Assistant || msgs[i].Usage == nil && !msgs[i].Sendable() {
			continue // not an answer: a request that failed
		}
		if msgs[i].Usage != nil {
			return usageStatus(msgs, others, i, *msgs[i].Usage)
		}
		return noUsageStatus(msgs, others)
	}
	return nil
}

// noUsageStatus is the label once the last answer came without usage
// (the API reported none, or the answer ended before it did), with its
// shorter texts as usageStatus.
func noUsageStatus(msgs, others []chat.Message) []string {
	total := ""
	if t, ok := chatTotal(msgs, others, -1, nil); ok {
		total = " · chat total " + chat.FormatCost(t)
	}
	return shorterAfter("Last answer: no usage reported"+total, "No usage reported"+total, "No usage reported")
}

// showUsage puts texts (usageStatus's) in the status bar; none clears it.
func (u *UI) showUsage(texts []string) {
	if len(texts) == 0 {
		u.usage.setTexts("")
		return
	}
	u.usage.setTexts(texts[0], texts[1:]...)
}
