package chat

import (
	"errors"
	"strings"

	"github.com/azchat/azchat/chat/models"
	"github.com/azchat/azchat/chat/tokens"
)

// limitsLocked returns the context window, reply reserve and prompt cap
// in force: the user's window and reply limit where set, else the model's
// from the facts table. A known model's input cap (gpt-5: 272,000 of its
// 400,000) holds under any window; for a model the table does not know,
// the window the user set is all there is.
func (c *Controller) limitsLocked() Limits {
	eff := c.effectiveLocked()
	model := c.modelLocked()
	facts, known := models.Lookup(model, "")
	if model == "" {
		// No model stated and none learned yet (no answer from this
		// deployment): a deployment named after its model, as most are
		// ("gpt-4o"), gives its window rather than 4,096 tokens, still
		// counted as an estimate. A wrong guess that sends too much meets
		// Azure's context-length error (retried once with fewer messages,
		// then said), and the first answer names the model.
		facts, known = models.Lookup(c.opts.Deployment, "")
	}
	l := Limits{Window: facts.ContextWindow, MaxInput: facts.MaxInput}
	if eff.Window > 0 {
		l.Window = eff.Window
		l.MaxInput = eff.Window
		if known {
			l.MaxInput = min(facts.MaxInput, eff.Window)
		}
	}
	l.Reserve = eff.MaxTokens
	if l.Reserve <= 0 {
		l.Reserve = facts.DefaultReserve(l.Window)
	}
	return l
}

// Check plans the budget of the conversation as it stands, plus draft text
// if given, and reports it as BudgetChanged. It runs on its own goroutine;
// checks are numbered, so the count of an older draft that finishes late
// never replaces a newer one. When the draft does not fit, Used is the true
// need (more than the window allows), so the meter can say by how much.
func (c *Controller) Check(draft string) { c.CheckWith(draft, nil) }

// CheckWith is Check for a draft with attachments: their text files and
// images count in the plan as they will when sent.
func (c *Controller) CheckWith(draft string, attachments []Attachment) {
	attachments = append([]Attachment(nil), attachments...)
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
		empty := draft == "" && len(attachments) == 0 && len(c.conv.Messages) == 0 && strings.TrimSpace(c.conv.System) == "" && len(c.conv.Examples) == 0
		lim := c.limitsLocked()
		c.mu.Unlock()
		if empty {
			// Nothing to count: report the budget without loading the
			// tokenizer, so an idle new chat does not hold its tables.
			choice := tokens.ForModel(model)
			report(Budget{Window: lim.Window, Reserve: lim.Reserve, MaxInput: lim.MaxInput, Used: tokens.ReplyPrimer, Estimate: choice.Estimate, Encoding: choice.Encoding})
			return
		}
		counter, err := tokens.NewCounter(model)
		if err != nil {
			c.mu.Lock()
			c.checkShown = max(c.checkShown, seq)
			c.mu.Unlock()
			return
		}
		// The draft's text (with its attached files, up to megabytes) is
		// counted before the lock is taken: the window asks the
		// controller for the model while it draws.
		var d *Message
		if draft != "" || len(attachments) > 0 {
			d = &Message{Role: User, Content: draft, Status: Complete, Attachments: attachments}
			d.Cost(counter)
		}
		c.mu.Lock()
		conv := c.conv
		if d != nil {
			for i := range d.Attachments {
				if d.Attachments[i].Detail == "" && d.Attachments[i].Kind == ImageAttachment {
					d.Attachments[i].Detail = c.conv.Overrides.Detail
				}
			}
			conv = &Conversation{System: c.conv.System, Examples: c.conv.Examples, Messages: append(append([]*Message(nil), c.conv.Messages...), d)}
		}
		b, err := PlanWithin(conv, counter, c.limitsLocked(), c.opts.Strategy)
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
