package app

import (
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"github.com/azchat/azchat/chat"
)

// bridge is the one hand-off from the controller's goroutines to the UI
// thread. Events queue here and are applied in batches inside fyne.Do, so
// the controller never waits for the UI.
//
// Text deltas are paced: the next batch of them waits at least an
// interval (≤ 60 redraws a second), plus twice as long as the UI thread
// was busy for the last batch: applying it, and before that, waiting in
// Fyne's queue behind the redraw of the one before. A fast stream of long
// text makes every batch and its redraw cost tens of milliseconds; without
// the pause the next batch is already queued when a redraw ends, Fyne's
// loop picks it or the key presses at random, and Esc waits behind batch
// after batch. With it the UI thread is idle at least two thirds of the
// time while text streams in.
//
// A batch that brought more than bulkBytes of text (a stream faster than
// anyone reads: a screenful or more a batch) makes the next wait at least
// bulkPause, and one that brought more than floodBytes (several screens:
// a data dump streamed flat out) at least floodPause: every redraw makes
// a texture of each new line on screen, which Fyne keeps for a minute, so
// at 60 redraws a second such a stream holds tens of megabytes more for
// text that was on screen for a frame. (300 ms: 14 runs of a 2 MB
// flat-out answer stopped after 3 s peaked 37–48 MB over idle, against
// 51–56 at 150 ms; streamed to its end it peaked 165–199 MB over idle,
// and 93–94 MB with a second. Esc does not wait for a paced batch, as
// Stop applies the stopped answer itself (flushNow), but with the text
// waiting then: 48–204 ms in 20 runs with a second, 72–170 in 5 at 300
// ms.) Everything else (a status change, the answer's end, a func from
// the UI) is applied at once, even when deltas are waiting: Stop must
// show at once.
type bridge struct {
	interval time.Duration
	apply    func([]any) // runs on the UI thread; items are chat.Event or func()

	mu        sync.Mutex
	pending   []any
	urgent    bool        // pending holds more than text deltas
	scheduled bool        // a flush is on its way (timer or Fyne's queue)
	timer     *time.Timer // the paced flush, while it waits
	applying  bool
	handed    time.Time     // when the coming flush was handed to Fyne
	last      time.Time     // when the last batch finished
	cost      time.Duration // how long the UI was busy for it
	brought   int           // the bytes of text it brought
	idle      *sync.Cond

	// applyMu is held while flush applies a batch; tests take it to read
	// widgets without racing the UI thread of the test driver. (flushNow
	// does not take it: it runs on the UI thread, in a handler, which in
	// tests runs inside harness.ui, holding it.)
	applyMu sync.Mutex
	flushes atomic.Int64
	closed  bool
}

const (
	bulkBytes  = 4 << 10
	bulkPause  = 300 * time.Millisecond
	floodBytes = 16 << 10
	floodPause = time.Second
)

func newBridge(apply func([]any)) *bridge {
	b := &bridge{interval: time.Second / 60, apply: apply}
	b.idle = sync.NewCond(&b.mu)
	return b
}

// push queues a chat.Event, or a func() to run on the UI thread; safe from
// any goroutine, it never blocks on the UI. It reports false when the
// bridge is closed and e was dropped.
func (b *bridge) push(e any) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	if d, delta := e.(chat.TextDelta); delta {
		b.pending = appendDelta(b.pending, d)
	} else {
		b.pending = append(b.pending, e)
		b.urgent = true
	}
	if b.applying {
		return true // the batch being applied schedules the next one
	}
	b.scheduleLocked()
	return true
}

// appendDelta queues d, merged into the delta queued just before it when d
// continues that one's text: the window shows a message's whole Content,
// so one delta per message and batch is enough, and a fast stream queues
// a few events per batch rather than thousands. The merged Text is the
// text appended since the earlier delta, a part of d.Content (no copy).
func appendDelta(pending []any, d chat.TextDelta) []any {
	if n := len(pending); n > 0 && d.Content != "" {
		if prev, ok := pending[n-1].(chat.TextDelta); ok && prev.Index == d.Index && prev.Content != "" &&
			len(d.Content)-len(d.Text) == len(prev.Content) {
			d.Text = d.Content[len(prev.Content)-len(prev.Text):]
			pending[n-1] = d
			return pending
		}
	}
	return append(pending, d)
}

// scheduleLocked makes sure a flush is coming for what is pending: soon
// for urgent items, after the pause for deltas. b.mu is held.
func (b *bridge) scheduleLocked() {
	if len(b.pending) == 0 {
		return
	}
	if b.scheduled {
		// An urgent item does not wait for a paced flush: stop its timer
		// and queue one now. (If the timer fired, that flush is queued.)
		if !b.urgent || b.timer == nil || !b.timer.Stop() {
			return
		}
	}
	b.scheduled = true
	delay := time.Duration(0)
	if !b.urgent {
		delay = b.deltaPause() - time.Since(b.last)
	}
	hand := func() {
		b.mu.Lock()
		b.timer, b.handed = nil, time.Now()
		b.mu.Unlock()
		fyne.Do(b.flush)
	}
	if delay <= 0 {
		b.timer = nil
		time.AfterFunc(0, hand)
		return
	}
	b.timer = time.AfterFunc(delay, hand)
}

// deltaPause is how long after the last batch the next batch of text
// deltas waits. b.mu is held.
func (b *bridge) deltaPause() time.Duration {
	pause := b.interval + 2*b.cost
	switch {
	case b.brought > floodBytes:
		pause = max(pause, floodPause)
	case b.brought > bulkBytes:
		pause = max(pause, bulkPause)
	}
	return pause
}

// flush applies everything queued; it runs on the UI thread. Once the
// bridge is shut it applies nothing: after the event loop has ended Fyne
// runs fyne.Do work on whatever goroutine calls it.
func (b *bridge) flush() {
	b.applyMu.Lock()
	defer b.applyMu.Unlock()
	b.mu.Lock()
	b.scheduled, b.timer = false, nil
	b.applyLocked(time.Since(b.handed))
}

// flushNow applies everything queued at once, rather than through Fyne's
// queue, which the loop runs after the frame it is about to draw. It is for
// an input handler on the UI thread (Stop: the stopped answer shows in the
// next frame, not the one after). A flush already handed to Fyne still
// comes, and applies whatever arrived since; called while a batch is being
// applied (a handler run by that batch), it does nothing, and what is
// queued goes with the next batch.
func (b *bridge) flushNow() {
	b.mu.Lock()
	if b.applying {
		b.mu.Unlock()
		return
	}
	if b.timer != nil && b.timer.Stop() {
		b.scheduled, b.timer = false, nil // the paced flush will not come
	}
	b.applyLocked(0)
}

// applyLocked applies what is pending and schedules what comes next; it
// is entered with b.mu held and releases it. waited is how long the batch
// waited in Fyne's queue, counted in its cost.
func (b *bridge) applyLocked(waited time.Duration) {
	if b.closed {
		b.pending = nil
	}
	events := b.pending
	b.pending, b.urgent = nil, false
	b.applying = true
	start := time.Now()
	b.mu.Unlock()
	if len(events) > 0 {
		b.flushes.Add(1)
		b.apply(events)
	}
	b.mu.Lock()
	b.applying = false
	if len(events) > 0 {
		b.last = time.Now()
		b.cost = b.last.Sub(start) + max(waited, 0)
		b.brought = textBytes(events)
	}
	if !b.closed {
		b.scheduleLocked()
	}
	if !b.scheduled {
		b.idle.Broadcast()
	}
	b.mu.Unlock()
}

// shut drops everything queued and everything pushed from now on, without
// waiting: the window is going away, and a flush already handed to Fyne's
// loop may never run once that loop has stopped.
func (b *bridge) shut() {
	b.mu.Lock()
	b.closed = true
	b.pending = nil
	if b.timer != nil && b.timer.Stop() {
		// The paced flush will not come: nothing is on its way.
		b.timer, b.scheduled = nil, false
		b.idle.Broadcast()
	}
	b.mu.Unlock()
}

// isShut reports whether shut (or close) was called.
func (b *bridge) isShut() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

// close is shut, then waits for a batch being applied to finish (tests and
// dialogs, where the loop is alive).
func (b *bridge) close() {
	b.shut()
	b.waitIdle()
}

// waitIdle blocks until nothing is queued or being applied (tests, shutdown).
func (b *bridge) waitIdle() {
	b.mu.Lock()
	for b.scheduled || len(b.pending) > 0 || b.applying {
		b.idle.Wait()
	}
	b.mu.Unlock()
	b.applyMu.Lock()
	//lint:ignore SA2001 the empty critical section waits for a batch being applied
	b.applyMu.Unlock()
}

// textBytes is how much text the deltas among events brought.
func textBytes(events []any) int {
	n := 0
	for _, e := range events {
		if d, ok := e.(chat.TextDelta); ok {
			n += len(d.Text)
		}
	}
	return n
}
