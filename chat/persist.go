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

// ConversationSaved says a conversation reached storage: a user message, a
// finished answer (not a checkpoint of one streaming) or the whole of it.
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
// A checkpoint rewrites the whole answer, so a long one (over
// longAnswer bytes) is written at most once a second.
const (
	checkpointEvery     = 500 * time.Millisecond
	longCheckpointEvery = time.Second
	longAnswer          = 64 << 10
)

// NewConversationID returns a random conversation ID.
func NewConversationID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// IsConversationID reports whether id is one azchat makes: lowercase hex
// digits from NewConversationID, with a hyphen and more of them on a copy
// the history made. An import keeps only such an ID from a file.
func IsConversationID(id string) bool {
	if len(id) < 16 || len(id) > 64 || id[0] == '-' || id[len(id)-1] == '-' {
		return false
	}
	for _, r := range id {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') && r != '-' {
			return false
		}
	}
	return true
}

// SetPersister makes the controller save every change through p. A
// conversation chatted before (the history opens after the window) is
// queued for a whole save in the same step, so a message sent meanwhile is
// in it or saved after it, never neither; it reports whether there was one.
// (The window decided from its own copy of the messages, which the bridge
// may not have updated yet: a question sent just before the database
// opened was never saved, its answer's rows were.)
func (c *Controller) SetPersister(p Persister) (chatted bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return false // Close has begun: nothing more is written
	}
	c.persist = p
	if p == nil || len(c.conv.Messages) == 0 {
		return false
	}
	c.replaceLocked()
	return true
}

// headerLocked is what a message save needs of the conversation: its
// metadata and first user message (the automatic title), not every message.
func (c *Controller) headerLocked() *Conversation {
	if c.conv.ID == "" {
		c.conv.ID = NewConversationID()
	}
	h := &Conversation{ID: c.conv.ID, Title: c.conv.Title, System: c.conv.System, Examples: c.conv.Examples, Overrides: c.conv.Overrides, Leaf: c.conv.ActiveLeaf()}
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
			c.storageFailed(h.ID, err)
			return
		}
		if m.Role == User || m.Status != Streaming {
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
			c.storageFailed(conv.ID, err)
			return
		}
		c.emit(ConversationSaved{ID: conv.ID})
	})
}

// storageFailed runs on the writer goroutine: conversation id in memory
// is now ahead of the disk.
func (c *Controller) storageFailed(id string, err error) {
	c.mu.Lock()
	if c.unsaved == nil {
		c.unsaved = map[string]*Conversation{}
	}
	if _, ok := c.unsaved[id]; !ok {
		// nil until a copy is needed: the open conversation is in memory;
		// one the user has left gets its copy from SetConversation.
		c.unsaved[id] = nil
	}
	c.mu.Unlock()
	c.emit(StorageFailed{Err: err})
}

// Save queues a write of the whole open conversation (a fork); the outcome
// arrives as ConversationSaved or StorageFailed.
func (c *Controller) Save() {
	c.mu.Lock()
	c.replaceLocked()
	c.mu.Unlock()
}

// Unsaved reports whether some conversation is only in memory because a
// write failed.
func (c *Controller) Unsaved() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.unsaved) > 0
}

// Flush blocks until every history write queued so far is done (tests
// use it to read what the history holds). Call it off the UI thread.
func (c *Controller) Flush() {
	c.mu.Lock()
	wait := c.enqueueLocked(func() {})
	c.mu.Unlock()
	wait()
}

// Discard deletes conversation id with del (the history's Delete), in
// the writer's queue: after every write queued before it, and before any
// queued after (a Retry cannot write the chat back in between). Once the
// delete succeeded, what a failed write left of the chat only in memory is
// dropped too (Retry or quitting would write it back), and when nothing
// else is left unsaved StorageRecovered says so. A failed delete keeps it.
// It returns del's error; call it off the UI thread.
func (c *Controller) Discard(id string, del func(string) error) error {
	var err error
	c.mu.Lock()
	wait := c.enqueueLocked(func() {
		if err = del(id); err != nil {
			return
		}
		c.mu.Lock()
		_, had := c.unsaved[id]
		delete(c.unsaved, id)
		left := len(c.unsaved)
		c.mu.Unlock()
		if had && left == 0 {
			c.emit(StorageRecovered{ID: id})
		}
	})
	c.mu.Unlock()
	wait()
	return err
}

// RetrySave writes again, whole, every conversation a failed write left
// only in memory (the user freed space and pressed Retry). It returns at
// once; the outcome arrives as StorageRecovered or StorageFailed.
func (c *Controller) RetrySave() {
	c.mu.Lock()
	c.resaveLocked()
	c.mu.Unlock()
}

// SaveNow is RetrySave that waits: it returns nil once nothing is left
// only in memory, or the error of the last failed write. Call it off the
// UI thread (the quit path asks it before closing).
func (c *Controller) SaveNow() error {
	c.mu.Lock()
	wait := c.resaveLocked()
	c.mu.Unlock()
	return wait()
}

// keepUnsavedLocked runs when the user moves to another conversation: a
// copy of the one they leave is kept if a write of it failed, now or in a
// write still queued (checked behind them), so Retry can still save it.
func (c *Controller) keepUnsavedLocked() {
	if c.persist == nil || c.conv.ID == "" {
		return
	}
	old := c.conv.Clone()
	keep := func() {
		if snap, ok := c.unsaved[old.ID]; ok && snap == nil && c.conv.ID != old.ID {
			c.unsaved[old.ID] = old
		}
	}
	c.enqueueLocked(func() {
		c.mu.Lock()
		keep()
		c.mu.Unlock()
	})
}

// resaveLocked queues a rewrite of every conversation a failed write left
// only in memory. Every later write is behind it in the queue, so nothing
// newer is overwritten. The returned func waits and reports the outcome.
func (c *Controller) resaveLocked() func() error {
	p := c.persist
	if len(c.unsaved) == 0 || p == nil {
		return func() error { return nil }
	}
	c.headerLocked()
	var convs []*Conversation
	for id, snap := range c.unsaved {
		if id == c.conv.ID {
			snap = c.conv.Clone() // the open one: memory is newest
		}
		if snap != nil {
			convs = append(convs, snap)
		}
	}
	var last error
	wait := c.enqueueLocked(func() {
		for _, conv := range convs {
			c.mu.Lock()
			_, still := c.unsaved[conv.ID]
			c.mu.Unlock()
			if !still {
				continue // saved since, or deleted (Discard)
			}
			if err := p.ReplaceAll(conv); err != nil {
				last = err
				c.emit(StorageFailed{Err: err})
				return
			}
			c.mu.Lock()
			if snap, ok := c.unsaved[conv.ID]; ok && (snap == nil || snap == conv) {
				delete(c.unsaved, conv.ID)
			}
			left := len(c.unsaved)
			c.mu.Unlock()
			c.emit(ConversationSaved{ID: conv.ID})
			if left == 0 {
				c.emit(StorageRecovered{ID: conv.ID})
			}
		}
	})
	return func() error {
		wait()
		return last
	}
}
