package chat

import "time"

// Stop cancels the request in flight; the partial answer is kept, marked stopped.
func (c *Controller) Stop() {
	c.mu.Lock()
	if c.cancel != nil {
		c.cancel()
	}
	c.mu.Unlock()
}

// StopWithin is Stop, then waits up to d for the turn's answer to settle,
// and reports whether it did: false when no turn was running or d passed
// first. When it reports true the answer's final Finished has been emitted
// (or the turn ended without an answer): the window applies it before it
// draws its next frame. The turn ends (Busy, Wait) once the answer is on
// disk, a moment later.
func (c *Controller) StopWithin(d time.Duration) bool {
	c.mu.Lock()
	if !c.busy || c.cancel == nil {
		c.mu.Unlock()
		return false
	}
	c.cancel()
	settled := c.settled
	c.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-settled:
		return true
	case <-t.C:
		return false
	}
}

// settle marks the running turn's answer final (StopWithin stops
// waiting); end calls it too, for turns that end without an answer.
func (c *Controller) settle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.settled != nil {
		select {
		case <-c.settled:
		default:
			close(c.settled)
		}
	}
}
