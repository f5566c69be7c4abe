package chat

import (
	"context"
	"errors"
	"io"
)

// ErrClosed is returned by Send and the other requests once Close was called.
var ErrClosed = errors.New("azchat is closing")

// Closed reports whether Close has been called: a persister set since is
// refused (see SetPersister).
func (c *Controller) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// Close ends the controller's work for good, for every way the app quits:
// it stops the answer in flight (saved as stopped, with every word
// received), waits until every history write queued before it is done, and
// then closes the persister if it can be closed (the history database).
// It is safe to call more than once and from any goroutine; each call
// returns when the database is closed, or with ctx's error when ctx ends
// first (the work goes on in the background).
func (c *Controller) Close(ctx context.Context) error {
	c.mu.Lock()
	if c.closeDone == nil {
		c.closed = true
		c.closeDone = make(chan struct{})
		if c.cancel != nil {
			c.cancel()
		}
		running := c.done
		go func() {
			defer close(c.closeDone)
			if running != nil {
				// The run saves the answer's final state before it ends.
				<-running
			}
			c.mu.Lock()
			// A last chance for a conversation a failed write left behind.
			c.resaveLocked()
			drained := c.enqueueLocked(func() {}) // behind every write queued so far
			p := c.persist
			c.mu.Unlock()
			drained()
			if cl, ok := p.(io.Closer); ok {
				c.closeErr = cl.Close()
			}
		}()
	}
	done := c.closeDone
	c.mu.Unlock()
	select {
	case <-done:
		return c.closeErr
	case <-ctx.Done():
		return ctx.Err()
	}
}
