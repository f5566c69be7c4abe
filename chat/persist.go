package chat

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Persister saves a conversation as it changes. The controller calls it on
// its own goroutines, never while holding its lock, and never from the
// caller of Send: disk work stays off the UI thread.
type Persister interface {
	// SaveMessage inserts or updates the message at index.
	SaveMessage(conv *Conversation, index int, m Message) error
	// ReplaceAll rewrites every message (after edit, delete, regenerate).
	ReplaceAll(conv *Conversation) error
}

// ConversationSaved says a conversation's user message reached storage.
type ConversationSaved struct {
	ID string
}

// StorageFailed says history could not be written; the conversation in
// memory is intact and is written again, whole, on the next message, on
// RetrySave and at Close.
type StorageFailed struct {
	Err error
}

// StorageRecovered says a conversation that could not be saved before is
// now saved whole.
type StorageRecovered struct {
	ID string
}

func (ConversationSaved) event() {}
func (StorageFailed) event()     {}
func (StorageRecovered) event()  {}

// checkpointEvery bounds how much of a streaming answer a crash can lose.
const checkpointEvery = 500 * time.Millisecond

// NewConversationID returns a random conversation ID.
func NewConversationID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// SetPersister makes the controller save every change through p.
func (c *Controller) SetPersister(p Persister) {
	c.mu.Lock()
	c.persist = p
	c.mu.Unlock()
}

// headerLocked is what a message save needs of the conversation: its
// metadata and first user message (the automatic title), not every message.
func (c *Controller) headerLocked() *Conversation {
	if c.conv.ID == "" {
		c.conv.ID = NewConversationID()
	}
	h := &Conversation{ID: c.conv.ID, Title: c.conv.Title, System: c.conv.System, Examples: c.conv.Examples, Overrides: c.conv.Overrides}
	for _, m := range c.conv.Messages {
		if m.Role == User {
			cp := m.Clone()
			h.Messages = []*Message{&cp}
			break
		}
	}
	return h
}

// enqueueLocked queues disk work on the controller's one writer goroutine.
// Queuing under the lock keeps saves in the order the changes happened;
// the writer never takes the lock. The returned func waits for this item.
func (c *Controller) enqueueLocked(f func()) (wait func()) {
	if c.queue == nil {
		c.queue = make(chan func(), 1024)
		go func(q chan func()) {
			for f := range q {
				f()
			}
		}(c.queue)
	}
	done := make(chan struct{})
	c.queue <- func() { f(); close(done) }
	return func() { <-done }
}

// saveLocked snapshots message i and queues its save; call the returned
// func, without the lock, to wait until it is on disk.
func (c *Controller) saveLocked(i int) func() {
	p := c.persist
	if p == nil || i < 0 || i >= len(c.conv.Messages) {
		return func() {}
	}
	h := c.headerLocked()
	m := c.conv.Messages[i].Clone()
	c.lastSave = time.Now()
	return c.enqueueLocked(func() {
		if err := p.SaveMessage(h, i, m); err != nil {
			c.storageFailed(err)
			return
		}
		if m.Role == User {
			c.emit(ConversationSaved{ID: h.ID})
		}
	})
}

// replaceLocked snapshots the whole conversation and queues ReplaceAll.
func (c *Controller) replaceLocked() func() {
	p := c.persist
	if p == nil {
		return func() {}
	}
	c.headerLocked()
	conv := c.conv.Clone()
	return c.enqueueLocked(func() {
		if err := p.ReplaceAll(conv); err != nil {
			c.storageFailed(err)
			return
		}
		c.emit(ConversationSaved{ID: conv.ID})
	})
}

// storageFailed runs on the writer goroutine: the conversation in memory
// is now ahead of the disk.
func (c *Controller) storageFailed(err error) {
	c.mu.Lock()
	c.unsaved = true
	c.mu.Unlock()
	c.emit(StorageFailed{Err: err})
}

// Flush blocks until every history write queued so far is done (before a
// conversation is deleted from the history, so no late save re-creates it).
// Call it off the UI thread.
func (c *Controller) Flush() {
	c.mu.Lock()
	wait := c.enqueueLocked(func() {})
	c.mu.Unlock()
	wait()
}

// RetrySave writes the whole conversation again if an earlier write failed
// (the user freed space and pressed Retry). It returns at once; the outcome
// arrives as StorageRecovered or StorageFailed.
func (c *Controller) RetrySave() {
	c.mu.Lock()
	c.resaveLocked()
	c.mu.Unlock()
}

// resaveLocked queues a rewrite of the whole conversation when a write
// failed since the last success. Every later write is behind it in the
// queue, so nothing newer is overwritten.
func (c *Controller) resaveLocked() func() {
	p := c.persist
	if !c.unsaved || p == nil {
		return func() {}
	}
	c.headerLocked()
	conv := c.conv.Clone()
	return c.enqueueLocked(func() {
		c.mu.Lock()
		if !c.unsaved {
			c.mu.Unlock()
			return // an earlier retry in the queue already succeeded
		}
		c.mu.Unlock()
		if err := p.ReplaceAll(conv); err != nil {
			c.emit(StorageFailed{Err: err})
			return
		}
		c.mu.Lock()
		c.unsaved = false
		c.mu.Unlock()
		c.emit(StorageRecovered{ID: conv.ID})
		c.emit(ConversationSaved{ID: conv.ID})
	})
}
