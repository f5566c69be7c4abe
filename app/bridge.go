package app

import (
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
)

// bridge is the one hand-off from the controller's goroutines to the UI
// thread. Events queue here and are applied in batches inside fyne.Do, at
// most once per interval, so a fast stream costs ≤ 60 redraws a second and
// the controller never waits for the UI.
type bridge struct {
	interval time.Duration
	apply    func([]any) // runs on the UI thread; items are chat.Event or func()

	mu        sync.Mutex
	pending   []any
	scheduled bool
	last      time.Time
	idle      *sync.Cond

	// applyMu is held while a batch is applied; tests take it to read
	// widgets without racing the UI thread of the test driver.
	applyMu sync.Mutex
	flushes atomic.Int64
	closed  bool
}

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
	b.pending = append(b.pending, e)
	if b.scheduled {
		return true
	}
	b.scheduled = true
	delay := b.interval - time.Since(b.last)
	if delay < 0 {
		delay = 0
	}
	time.AfterFunc(delay, func() { fyne.Do(b.flush) })
	return true
}

// flush applies everything queued; it runs on the UI thread. Once the
// bridge is shut it applies nothing: after the event loop has ended Fyne
// runs fyne.Do work on whatever goroutine calls it.
func (b *bridge) flush() {
	b.applyMu.Lock()
	defer b.applyMu.Unlock()
	b.mu.Lock()
	if b.closed {
		b.pending = nil
	}
	events := b.pending
	b.pending = nil
	b.scheduled = false
	b.last = time.Now()
	b.mu.Unlock()
	if len(events) > 0 {
		b.flushes.Add(1)
		b.apply(events)
	}
	b.mu.Lock()
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
	for b.scheduled || len(b.pending) > 0 {
		b.idle.Wait()
	}
	b.mu.Unlock()
	b.applyMu.Lock()
	//lint:ignore SA2001 the empty critical section waits for a batch being applied
	b.applyMu.Unlock()
}
