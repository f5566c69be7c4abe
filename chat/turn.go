package chat

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/azchat/azchat/chat/models"
	"github.com/azchat/azchat/chat/tokens"
)

type runSpec struct {
	newUser    *Message
	isContinue bool
	continueAt int
}

// run plans, sends and streams one answer, retrying what can be retried.
// It is the only code that changes messages while busy.
func (c *Controller) run(ctx context.Context, spec runSpec) {
	c.mu.Lock()
	model := c.modelLocked()
	c.mu.Unlock()
	facts, _ := models.Lookup(model, "")
	counter, err := tokens.NewCounter(model)
	if err != nil {
		c.fail(-1, spec, &Error{Kind: KindConfig, Reason: "the tokenizer could not be loaded; reinstall azchat", Cause: err})
		return
	}

	if spec.newUser != nil {
		// Counted before the lock (the plan below then finds it cached):
		// a pasted document takes seconds, and Stop waits for the lock.
		// The message is the turn's own until it is appended.
		spec.newUser.Cost(counter)
	}
	c.mu.Lock()
	if spec.newUser != nil {
		c.conv.appendToPath(spec.newUser)
	}
	lim := c.limitsLocked()
	r := lim.Reserve
	// Continue sends one more message, after the answer (see below): the
	// plan leaves room for it, and the meter counts it.
	extra := 0
	if spec.isContinue {
		extra = counter.Message(string(User), "", ContinuePrompt)
		lim.Window -= extra
		if lim.MaxInput > 0 {
			lim.MaxInput -= extra
		}
	}
	budget, perr := PlanWithin(c.conv, counter, lim, c.opts.Strategy)
	if extra > 0 {
		budget.Window += extra
		if budget.MaxInput > 0 {
			budget.MaxInput += extra
		}
		budget.Used += extra
	}
	// A new message with images for a model that sees none is refused;
	// images of earlier messages are left out of the request (NoImages).
	if perr == nil && budget.NoImages && spec.newUser != nil && len(spec.newUser.Images()) > 0 {
		perr = &NoVisionError{Model: model}
	}
	if perr != nil && spec.newUser != nil {
		// Not sent: take the message back so the user's text returns to the input.
		c.conv.Messages = c.conv.Messages[:len(c.conv.Messages)-1]
	}
	c.last = budget
	c.mu.Unlock()
	c.emit(BudgetChanged{Budget: budget})
	if perr != nil {
		c.fail(-1, spec, AsError(perr))
		return
	}
	if spec.newUser != nil {
		c.mu.Lock()
		idx := len(c.conv.Messages) - 1
		snap := c.conv.Messages[idx].Clone()
		save := c.saveLocked(idx)
		c.mu.Unlock()
		c.emit(MessageAdded{Index: idx, Message: snap})
		// Committed before the request leaves: a crash never loses the question.
		save()
	}

	// The answer: a new message, or the truncated one being continued.
	c.mu.Lock()
	var idx int
	var answer *Message
	if spec.isContinue {
		idx = spec.continueAt
		answer = c.conv.Messages[idx]
		answer.Status = Streaming
		answer.FinishReason = ""
	} else {
		answer = &Message{Role: Assistant, Time: time.Now(), Status: Streaming, Model: model}
		c.conv.appendToPath(answer)
		c.conv.annotate() // a regenerated answer has siblings: the switcher shows at once
		idx = len(c.conv.Messages) - 1
		// Stamped now so the row and the status bar know the prices as
		// soon as usage arrives; stampAnswer below makes it exact.
		answer.stamp(c.effectiveLocked())
	}
	snap := answer.Clone()
	save := c.saveLocked(idx)
	// What the answer cost before it is continued, added to the new usage.
	var before *Usage
	if spec.isContinue && answer.Usage != nil {
		u := *answer.Usage
		before = &u
	}
	// The answer's text grows in a builder: appending each delta to a
	// string would copy the whole answer every time (quadratic).
	var text strings.Builder
	text.WriteString(answer.Content)
	c.mu.Unlock()
	if spec.isContinue {
		c.emit(Finished{Index: idx, Message: snap})
	} else {
		c.emit(MessageAdded{Index: idx, Message: snap})
	}
	save()

	retries, timeouts := 0, 0
	adapted := map[string]bool{}
	for {
		c.mu.Lock()
		opts := c.effectiveLocked()
		q := c.quirks[deploymentKey(opts.Endpoint, opts.Deployment)]
		wire := budget.Wire(c.conv)
		if spec.isContinue {
			wire = append(wire, WireMessage{Role: User, Content: ContinuePrompt})
		}
		c.mu.Unlock()
		req := Request{
			Deployment:       opts.Deployment,
			Messages:         wire,
			MaxTokens:        opts.MaxTokens,
			Temperature:      opts.Temperature,
			Reasoning:        q.reasoning || facts.Reasoning || facts.MaxTokensParam == "max_completion_tokens",
			NoSummary:        q.noSummary,
			OmitTemperature:  q.omitTemperature || q.reasoning || !facts.Temperature,
			FirstByteTimeout: firstByteTimeout(model, q.reasoning),
			API:              apiFor(opts.API, facts, q),
			Store:            opts.StoreResponses,
			Whole:            q.whole || facts.NoStream,
		}
		if req.Whole {
			req.FirstByteTimeout = wholeAnswer
		}
		if slices.Contains(facts.ReasoningEffort, opts.reasoningEffort) {
			req.ReasoningEffort = opts.reasoningEffort
		}
		if facts.Verbosity {
			req.Verbosity = opts.verbosity
		}
		streamed, tooLarge := false, false
		c.mu.Lock()
		size := len(answer.Content) + len(answer.Reasoning) // a continued answer's too
		c.mu.Unlock()
		sctx, stop := context.WithCancel(ctx)
		err := c.client.Stream(sctx, req, func(d Delta) {
			if tooLarge {
				return
			}
			if d.Content != "" {
				streamed = true
			}
			if size+len(d.Content)+len(d.Reasoning) > maxAnswerText {
				// What fits is kept; the answer is never asked again.
				tooLarge, streamed = true, true
				stop()
				room := max(0, maxAnswerText-size)
				d.Content = cutUTF8(d.Content, room)
				d.Reasoning = cutUTF8(d.Reasoning, room-len(d.Content))
			}
			size += len(d.Content) + len(d.Reasoning)
			if d.Usage != nil && before != nil {
				// A continued answer was billed for both requests.
				sum := before.Plus(*d.Usage)
				d.Usage = &sum
			}
			if d.Usage != nil {
				// The usage was billed at this request's prices, even
				// if the settings changed while it streamed.
				c.stampAnswer(answer, opts)
			}
			c.apply(idx, answer, &text, d)
		})
		stop()
		if tooLarge && ctx.Err() == nil {
			err = &Error{Kind: KindMalformed, Reason: fmt.Sprintf("the service sent an answer of more than %d MB, far more than any model writes: azchat stopped reading it and kept what came", max(1, maxAnswerText>>20))}
		}
		if err == nil {
			c.finish(idx, answer, ctx.Err() != nil)
			return
		}
		if ctx.Err() != nil {
			c.finish(idx, answer, true)
			return
		}
		e := AsError(err)
		if streamed {
			// Text already reached the user: keep it and say it was cut short.
			c.mu.Lock()
			answer.Status = Interrupted
			answer.Error, answer.ErrorKind, answer.Action = e.Reason, e.Kind, e.Action
			final := answer.Clone()
			save := c.saveLocked(idx)
			c.mu.Unlock()
			c.emitFinal(Finished{Index: idx, Message: final}, save)
			c.emit(ErrorReported{Index: idx, Err: e})
			return
		}
		// Adapt once per kind of rejection, remembering it for the deployment.
		if e.Kind == KindOperationNotSupported && req.API == models.Chat && (opts.API == "" || opts.API == APIAuto) && !adapted["responses"] {
			// A model only the Responses API serves: switch, retry once,
			// and remember it for this deployment.
			adapted["responses"] = true
			c.mu.Lock()
			q := c.quirks[deploymentKey(opts.Endpoint, opts.Deployment)]
			q.responses = true
			c.quirks[deploymentKey(opts.Endpoint, opts.Deployment)] = q
			c.mu.Unlock()
			c.emit(APILearned{Endpoint: opts.Endpoint, Deployment: opts.Deployment, API: models.Responses})
			continue
		}
		if e.Kind == KindUnsupportedParam && !adapted[e.Param] {
			adapted[e.Param] = true
			c.mu.Lock()
			q := c.quirks[deploymentKey(opts.Endpoint, opts.Deployment)]
			switch {
			case e.Param == "stream":
				q.whole = true // asked for whole, as it was refused
			case strings.Contains(e.Param, "reasoning.summary"):
				q.noSummary = true
			case strings.Contains(e.Param, "max_tokens"):
				q.reasoning = true
			case strings.Contains(e.Param, "temperature"):
				q.omitTemperature = true
			default:
				c.mu.Unlock()
				c.fail(idx, spec, e)
				return
			}
			c.quirks[deploymentKey(opts.Endpoint, opts.Deployment)] = q
			c.mu.Unlock()
			continue
		}
		if e.Kind == KindContextLength && !adapted["context"] {
			// The count said it fits but the service disagrees (an estimate, or
			// a window set too large): trim to three quarters and try once more.
			adapted["context"] = true
			c.mu.Lock()
			// With the answer being continued counted as what it is (the
			// text to go on from: as streaming it was left out, and the
			// continuation went without it), and the room for Continue's
			// prompt, as the first plan.
			retry := Limits{Window: budget.Used*3/4 + r - extra, Reserve: r, MaxInput: lim.MaxInput}
			if spec.isContinue {
				answer.Status = Truncated
			}
			nb, perr := PlanWithin(c.conv, counter, retry, c.opts.Strategy)
			if spec.isContinue {
				answer.Status = Streaming
			}
			if perr == nil {
				if extra > 0 {
					nb.Window += extra
					if nb.MaxInput > 0 {
						nb.MaxInput += extra
					}
					nb.Used += extra
				}
				budget = nb
				c.last = nb
			}
			c.mu.Unlock()
			if perr == nil {
				c.emit(BudgetChanged{Budget: nb})
				continue
			}
		}
		if e.Kind == KindTimeout {
			// Only reached when no text arrived (see streamed above).
			timeouts++
			if req.Whole {
				// Half an hour without the answer: not sent again (it
				// may still be running, and billed).
				timeouts = maxTimeoutRetries + 1
			}
		}
		if req.Whole && e.Retryable() && mayHaveAnswered(e) {
			c.fail(idx, spec, notResent(e))
			return
		}
		if e.Retryable() && retries < opts.MaxRetries && timeouts <= maxTimeoutRetries {
			wait := e.RetryAfter
			if wait == 0 {
				wait = backoff(retries)
			}
			if e.Kind != KindRateLimited || wait <= opts.MaxRateLimitWait {
				retries++
				c.emit(Waiting{Index: idx, Wait: wait, Attempt: retries, Err: e})
				if opts.Sleep(ctx, wait) != nil {
					c.finish(idx, answer, true)
					return
				}
				continue
			}
		}
		if e.Kind == KindAttachment {
			c.mu.Lock()
			e = c.traceRefusedImage(e, req, budget, idx, spec.isContinue)
			c.mu.Unlock()
		}
		c.fail(idx, spec, e)
		return
	}
}

// apply merges one stream event into the answer and reports it.
func (c *Controller) apply(idx int, answer *Message, text *strings.Builder, d Delta) {
	var learned *ModelLearned
	c.mu.Lock()
	// Taken once an answer, from the first event naming another: a server
	// naming another model in each event would have the settings
	// rewritten for each.
	if d.Model != "" && answer.Model != d.Model && c.modelOf != answer {
		c.modelOf = answer
		answer.Model = d.Model
		key := deploymentKey(c.opts.Endpoint, c.opts.Deployment)
		c.answered[key] = true
		if c.learned[key] != d.Model {
			c.learned[key] = d.Model
			learned = &ModelLearned{Endpoint: c.opts.Endpoint, Deployment: c.opts.Deployment, Model: d.Model}
		}
	}
	content := ""
	if d.Content != "" {
		// String shares the builder's bytes: no copy, and later writes
		// never change the bytes a snapshot already holds.
		text.WriteString(d.Content)
		content = text.String()
		answer.SetContent(content)
	}
	answer.Reasoning += d.Reasoning
	answer.PromptFilter = answer.PromptFilter.Merge(d.PromptFilter)
	answer.Filter = answer.Filter.Merge(d.Filter)
	// The first finish reason wins: a late asynchronous filter event must
	// not erase it.
	if d.FinishReason != "" && answer.FinishReason == "" {
		answer.FinishReason = d.FinishReason
	}
	if d.Usage != nil {
		u := *d.Usage
		answer.Usage = &u
	}
	save := func() {}
	every := checkpointEvery
	if text.Len() > longAnswer {
		every = longCheckpointEvery
	}
	if d.Content != "" && time.Since(c.lastSave) >= every {
		save = c.saveLocked(idx)
	}
	c.mu.Unlock()
	save()
	if learned != nil {
		c.emit(*learned)
	}
	if d.Content != "" {
		c.emit(TextDelta{Index: idx, Text: d.Content, Content: content})
	}
	if d.Usage != nil {
		c.emit(UsageReported{Index: idx, Usage: *d.Usage})
	}
}

// finish sets the answer's status from how the stream ended.
func (c *Controller) finish(idx int, answer *Message, stopped bool) {
	c.mu.Lock()
	switch {
	case answer.FinishReason == "stop":
		answer.Status = Complete
	case answer.FinishReason == "length":
		answer.Status = Truncated
	case answer.FinishReason == "content_filter":
		answer.Status = Filtered
	case stopped:
		answer.Status = Stopped
	case answer.FinishReason == "":
		answer.Status = Interrupted
	default:
		// tool_calls, function_call: azchat sends no tools, so treat as done.
		answer.Status = Complete
	}
	final := answer.Clone()
	save := c.saveLocked(idx)
	c.mu.Unlock()
	c.emitFinal(Finished{Index: idx, Message: final}, save)
}

// emitFinal emits the answer's final state, then waits for its save: the
// window shows a stopped or finished answer at once, and the turn ends
// (done, Busy) only once it is on disk, so that what reads the history
// after it finds the answer there. A large answer takes the writer tens of
// milliseconds (its search index), which Esc would otherwise wait for.
func (c *Controller) emitFinal(f Finished, save func()) {
	c.emit(f)
	c.settle()
	save()
}

// fail records a failure on the answer (or hands the text back when there is none).
func (c *Controller) fail(idx int, spec runSpec, e *Error) {
	if idx < 0 {
		text := ""
		var atts []Attachment
		if spec.newUser != nil {
			text, atts = spec.newUser.Content, spec.newUser.Attachments
		}
		c.emit(ErrorReported{Index: -1, Text: text, Attachments: atts, Err: e})
		return
	}
	c.mu.Lock()
	m := c.conv.Messages[idx]
	if spec.isContinue {
		m.Status = Truncated
		m.FinishReason = "length"
	} else {
		m.Status = Failed
	}
	m.Error, m.ErrorKind, m.Action = e.Reason, e.Kind, e.Action
	if e.Kind == KindPromptFiltered {
		m.PromptFilter = m.PromptFilter.Merge(e.Filter)
	}
	final := m.Clone()
	save := c.saveLocked(idx)
	c.mu.Unlock()
	c.emitFinal(Finished{Index: idx, Message: final}, save)
	c.emit(ErrorReported{Index: idx, Err: e})
}

// LastBudget is the plan of the latest request.
func (c *Controller) LastBudget() Budget {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}
