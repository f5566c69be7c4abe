package chat

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/azchat/azchat/chat/models"
)

// lastAnswerLocked finds the final assistant message after the last user message.
func (c *Controller) lastAnswerLocked() int {
	for i := len(c.conv.Messages) - 1; i >= 0; i-- {
		switch c.conv.Messages[i].Role {
		case Assistant:
			return i
		case User:
			return -1
		}
	}
	return -1
}

// Regenerate asks for a new answer to the last question; the old one is
// kept as another version of it (a failed attempt is dropped).
func (c *Controller) Regenerate() error {
	return c.redo(func() error {
		i := c.lastAnswerLocked()
		if i < 0 {
			if n := len(c.conv.Messages); n > 0 && c.conv.Messages[n-1].Role == User {
				return nil // the last question has no answer yet: answer it
			}
			return ErrNothingTo
		}
		if m := c.conv.Messages[i]; m.Status == Failed || (m.Content == "" && m.Usage == nil && m.Status != Complete) {
			// A failed attempt is not a version worth keeping (one that
			// was billed, such as a filtered answer, is kept).
			c.conv.remove(i)
			if i < len(c.conv.Messages) {
				// It was itself a regenerated answer: the version before
				// it came back in its place, and stays one version of
				// the answer, beside the new one, not before it.
				c.conv.retire(i)
			}
		} else {
			c.conv.retire(i) // kept as another version, behind the switcher
		}
		return nil
	})
}

// Retry re-sends after a failed answer; it is Regenerate under another name
// so that the UI's Retry action reads naturally.
func (c *Controller) Retry() error { return c.Regenerate() }

// Edit asks again with new text for the user message at index; the old
// message and everything after it stay as another branch.
func (c *Controller) Edit(index int, text string) error {
	if strings.TrimSpace(text) == "" {
		return errors.New("the message cannot be empty")
	}
	return c.redo(func() error {
		if index < 0 || index >= len(c.conv.Messages) || c.conv.Messages[index].Role != User {
			return errors.New("only your own messages can be edited")
		}
		m := c.conv.Messages[index].Clone()
		m.SetContent(text)
		m.Time = time.Now()
		// The message edited and what followed it stay as another branch.
		c.conv.retire(index)
		c.conv.appendToPath(&m)
		return nil
	})
}

// Delete removes the message at index from the conversation.
func (c *Controller) Delete(index int) error {
	c.mu.Lock()
	if err := c.changeableLocked(index); err != nil {
		c.mu.Unlock()
		return err
	}
	c.conv.remove(index)
	c.publishLocked()
	return nil
}

// ErrNoMessage says an index names no message of the path on screen.
var ErrNoMessage = errors.New("no such message")

// changeableLocked reports why message index cannot be changed now (an
// answer is being written, or there is no such message), nil if it can.
func (c *Controller) changeableLocked(index int) error {
	if c.busy {
		return ErrBusy
	}
	if index < 0 || index >= len(c.conv.Messages) {
		return ErrNoMessage
	}
	return nil
}

// publishLocked saves the changed conversation whole (queued in order
// behind earlier saves; nothing waits for it), unlocks, and hands the
// messages to the UI.
func (c *Controller) publishLocked() {
	msgs, others := c.snapshotLocked(), c.othersLocked()
	c.replaceLocked()
	c.mu.Unlock()
	c.emit(Reloaded{Messages: msgs, Others: others})
}

func (c *Controller) redo(change func() error) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	if c.busy {
		c.mu.Unlock()
		return ErrBusy
	}
	if err := change(); err != nil {
		c.mu.Unlock()
		return err
	}
	ctx, done, err := c.beginLocked()
	if err != nil { // not busy and not closed (checked above, same lock)
		c.mu.Unlock()
		return err
	}
	msgs, others := c.snapshotLocked(), c.othersLocked()
	replace := c.replaceLocked()
	c.mu.Unlock()
	c.emit(Reloaded{Messages: msgs, Others: others})
	c.emit(Busy{Busy: true})
	go func() {
		defer c.end(done)
		replace()
		c.run(ctx, runSpec{})
	}()
	return nil
}

// Continue asks the model to go on with an answer cut by the reply limit;
// the new text is appended to that same answer.
func (c *Controller) Continue() error {
	c.mu.Lock()
	if c.busy {
		c.mu.Unlock()
		return ErrBusy
	}
	i := c.lastAnswerLocked()
	if i < 0 || c.conv.Messages[i].Status != Truncated {
		c.mu.Unlock()
		return ErrNothingTo
	}
	ctx, done, err := c.beginLocked()
	c.mu.Unlock()
	if err != nil {
		return err
	}
	c.emit(Busy{Busy: true})
	go func() {
		defer c.end(done)
		c.run(ctx, runSpec{continueAt: i, isContinue: true})
	}()
	return nil
}

// TestConnection sends a one-token request and returns the model that
// answered, for the settings dialog's "Test connection".
func TestConnection(ctx context.Context, client Client, deployment string) (string, error) {
	var model string
	req := Request{Deployment: deployment, Messages: []WireMessage{{Role: User, Content: "Say OK."}}, MaxTokens: 1}
	emit := func(d Delta) {
		if d.Model != "" {
			model = d.Model
		}
	}
	// Adapted as a turn adapts, each at most once: the request a model
	// takes may need several (o1: max_completion_tokens, then no stream).
	for range 4 {
		err := client.Stream(ctx, req, emit)
		e := AsError(err)
		switch {
		case e == nil:
			return model, nil
		case e.Kind == KindUnsupportedParam && e.Param == "stream" && !req.Whole:
			// A model Azure does not stream (o1, o3-pro, gpt-5-pro).
			req.Whole = true
		case e.Kind == KindUnsupportedParam && e.Param != "stream" && !req.Reasoning:
			// A reasoning deployment: it wants max_completion_tokens.
			req.Reasoning, req.OmitTemperature = true, true
		case e.Kind == KindOperationNotSupported && req.API != models.Responses:
			// A model only the Responses API serves (gpt-5.1-codex, the
			// -pro models): test it there, as Auto would ask it. Its
			// smallest reply limit is 16 tokens.
			req.API, req.MaxTokens = models.Responses, 16
		default:
			return "", e
		}
	}
	return "", errors.New("the deployment refused every form of the test request")
}
