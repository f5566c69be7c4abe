package chat

import (
	"errors"
	"strings"

	"github.com/azchat/azchat/chat/tokens"
)

// windowLocked returns the context window and reply reserve in force.
func (c *Controller) windowLocked() (int, int) {
	eff := c.effectiveLocked()
	w := eff.Window
	if w <= 0 {
		w, _ = tokens.ContextWindow(c.modelLocked())
	}
	r := eff.MaxTokens
	if r <= 0 {
		r = DefaultReserve(w)
	}
	return w, r
}

// Check plans the budget of the conversation as it stands, plus draft text
// if given, and reports it as BudgetChanged. It runs on its own goroutine;
// checks are numbered, so the count of an older draft that finishes late
// never replaces a newer one. When the draft does not fit, Used is the true
// need (more than the window allows), so the meter can say by how much.
func (c *Controller) Check(draft string) {
	c.mu.Lock()
	c.checkSeq++
	seq := c.checkSeq
	c.mu.Unlock()
	report := func(b Budget) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if seq < c.checkShown {
			return // a newer check has reported already
		}
		c.checkShown = seq
		// Under the lock, so reports leave in the order of their checks;
		// emit never blocks.
		c.emit(BudgetChanged{Budget: b})
	}
	go func() {
		c.mu.Lock()
		model := c.modelLocked()
		empty := draft == "" && len(c.conv.Messages) == 0 && strings.TrimSpace(c.conv.System) == "" && len(c.conv.Examples) == 0
		w, r := c.windowLocked()
		c.mu.Unlock()
		if empty {
			// Nothing to count: report the budget without loading the
			// tokenizer, so an idle new chat does not hold its tables.
			choice := tokens.ForModel(model)
			report(Budget{Window: w, Reserve: r, Used: tokens.ReplyPrimer, Estimate: choice.Estimate, Encoding: choice.Encoding})
			return
		}
		counter, err := tokens.NewCounter(model)
		if err != nil {
			c.mu.Lock()
			c.checkShown = max(c.checkShown, seq)
			c.mu.Unlock()
			return
		}
		c.mu.Lock()
		conv := c.conv
		if draft != "" {
			conv = &Conversation{System: c.conv.System, Examples: c.conv.Examples, Messages: append(append([]*Message(nil), c.conv.Messages...), &Message{Role: User, Content: draft, Status: Complete})}
		}
		w, r = c.windowLocked()
		b, err := Plan(conv, counter, w, r, c.opts.Strategy)
		c.mu.Unlock()
		var tooLong *TooLongError
		if errors.As(err, &tooLong) {
			b.Used = tooLong.Need
		}
		report(b)
	}()
}

// ChecksIdle reports whether every budget check started so far has
// reported (tests wait on it).
func (c *Controller) ChecksIdle() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.checkShown >= c.checkSeq
}
