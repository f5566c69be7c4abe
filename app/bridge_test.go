package app

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/azchat/azchat/chat"
)

// recorder collects the batches a bridge applies.
type recorder struct {
	mu      sync.Mutex
	batches [][]any
}

func (r *recorder) apply(items []any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batches = append(r.batches, append([]any(nil), items...))
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.batches)
}

// afterSlowBatch is a bridge that believes its last batch kept the UI
// thread busy for an hour, so deltas wait about two.
func afterSlowBatch(t *testing.T) (*bridge, *recorder) {
	test.NewTempApp(t)
	rec := &recorder{}
	b := newBridge(rec.apply)
	b.mu.Lock()
	b.cost, b.last = time.Hour, time.Now()
	b.mu.Unlock()
	return b, rec
}

// TestDeltasOfOneMessageMergeInTheQueue: a delta that continues the one
// queued just before it replaces it, its Text covering both; deltas of
// another message, a delta that starts a new text, and deltas without
// Content stay apart, in order.
func TestDeltasOfOneMessageMergeInTheQueue(t *testing.T) {
	b, rec := afterSlowBatch(t)
	for _, d := range []chat.TextDelta{
		{Index: 1, Text: "a", Content: "a"},
		{Index: 1, Text: "bé", Content: "abé"},
		{Index: 1, Text: "c", Content: "abéc"},
		{Index: 2, Text: "x", Content: "x"},
		{Index: 1, Text: "d", Content: "abécd"},
		{Index: 1, Text: "new", Content: "new"}, // the message was replaced
		{Index: 1, Text: "!", Content: "new!"},
		{Index: 3, Text: "p"},
		{Index: 3, Text: "q"},
	} {
		b.push(d)
	}
	b.push(chat.Finished{Index: 1})
	waitUntil(t, func() bool { return rec.count() == 1 })
	rec.mu.Lock()
	got := rec.batches[0]
	rec.mu.Unlock()
	want := []any{
		chat.TextDelta{Index: 1, Text: "abéc", Content: "abéc"},
		chat.TextDelta{Index: 2, Text: "x", Content: "x"},
		chat.TextDelta{Index: 1, Text: "d", Content: "abécd"},
		chat.TextDelta{Index: 1, Text: "new!", Content: "new!"},
		chat.TextDelta{Index: 3, Text: "p"},
		chat.TextDelta{Index: 3, Text: "q"},
		chat.Finished{Index: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("batch %v, want %v", got, want)
	}
	for i := range want {
		if fmt.Sprint(got[i]) != fmt.Sprint(want[i]) {
			t.Fatalf("item %d: %v, want %v", i, got[i], want[i])
		}
	}
	b.waitIdle()
}

// TestDeltasWaitAfterACostlyBatchButNothingElseDoes: after a batch that
// kept the UI busy, text deltas wait (the UI thread gets time for input),
// while a status change is applied at once, with the deltas queued before
// it and in order.
func TestDeltasWaitAfterACostlyBatchButNothingElseDoes(t *testing.T) {
	b, rec := afterSlowBatch(t)
	b.push(chat.TextDelta{Index: 1, Text: "a"})
	b.push(chat.TextDelta{Index: 1, Text: "b"})
	b.mu.Lock()
	paced := b.scheduled && b.timer != nil
	b.mu.Unlock()
	if !paced || rec.count() != 0 {
		t.Fatalf("deltas after a costly batch: paced %v, %d batches applied", paced, rec.count())
	}
	b.push(chat.Finished{Index: 1, Message: chat.Message{Status: chat.Stopped}})
	waitUntil(t, func() bool { return rec.count() == 1 })
	rec.mu.Lock()
	got := rec.batches[0]
	rec.mu.Unlock()
	if len(got) != 3 || got[0] != (chat.TextDelta{Index: 1, Text: "a"}) || got[1] != (chat.TextDelta{Index: 1, Text: "b"}) {
		t.Fatalf("batch %v", got)
	}
	if f, ok := got[2].(chat.Finished); !ok || f.Message.Status != chat.Stopped {
		t.Fatalf("batch %v", got)
	}
	b.waitIdle()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.timer != nil || b.scheduled || b.cost >= time.Hour {
		t.Fatalf("after the batch: timer %v, scheduled %v, cost %v", b.timer != nil, b.scheduled, b.cost)
	}
}

// TestCheapBatchesFollowEachOtherClosely: with cheap batches, deltas are
// applied without a pause of their own (a normal stream still redraws up
// to 60 times a second).
func TestCheapBatchesFollowEachOtherClosely(t *testing.T) {
	test.NewTempApp(t)
	rec := &recorder{}
	b := newBridge(rec.apply)
	for i := 0; i < 3; i++ {
		b.push(chat.TextDelta{Index: 1, Text: "x"})
		waitUntil(t, func() bool { return rec.count() == i+1 })
		b.mu.Lock()
		cost := b.cost
		b.mu.Unlock()
		if cost >= time.Second {
			t.Fatalf("a batch of one delta cost %v", cost)
		}
	}
}

// TestABulkBatchPacesTheNextText: after a batch that brought more than a
// screenful of text, the next text waits at least bulkPause however cheap
// the batch was, after one of several screens at least floodPause; after
// a small one, only the usual interval.
func TestABulkBatchPacesTheNextText(t *testing.T) {
	test.NewTempApp(t)
	rec := &recorder{}
	b := newBridge(rec.apply)
	pauseAfter := func(text string) (time.Duration, time.Duration) {
		n := rec.count()
		b.push(chat.TextDelta{Index: 1, Text: text})
		waitUntil(t, func() bool { return rec.count() == n+1 })
		b.waitIdle()
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.deltaPause(), b.interval + 2*b.cost
	}
	if got, usual := pauseAfter(strings.Repeat("x", bulkBytes+1)); got < bulkPause || got < usual || got != max(bulkPause, usual) {
		t.Fatalf("after %d bytes: pause %v, want at least %v and %v", bulkBytes+1, got, bulkPause, usual)
	}
	if got, usual := pauseAfter(strings.Repeat("x", floodBytes+1)); got < floodPause || got < usual {
		t.Fatalf("after %d bytes: pause %v, want at least %v and %v", floodBytes+1, got, floodPause, usual)
	}
	if got, usual := pauseAfter("a few words"); got != usual {
		t.Fatalf("after a few words: pause %v, want the usual %v", got, usual)
	}
	// Several deltas merged into one batch count together.
	b.mu.Lock()
	b.cost, b.last = time.Hour, time.Now() // hold the next batch back
	b.mu.Unlock()
	for range 5 {
		b.push(chat.TextDelta{Index: 2, Text: strings.Repeat("y", bulkBytes/4)})
	}
	b.mu.Lock()
	b.cost = 0
	if b.timer != nil && b.timer.Stop() {
		b.timer, b.scheduled = nil, false
	}
	b.scheduleLocked() // now, without the hour's pause
	b.mu.Unlock()
	n := rec.count()
	waitUntil(t, func() bool { return rec.count() > n })
	b.waitIdle()
	b.mu.Lock()
	brought := b.brought
	b.mu.Unlock()
	if brought != 5*(bulkBytes/4) {
		t.Fatalf("five deltas of %d bytes in one batch brought %d bytes", bulkBytes/4, brought)
	}
}

// TestShutCancelsAPacedFlush: the window closing does not wait for deltas
// paced far into the future, and drops them.
func TestShutCancelsAPacedFlush(t *testing.T) {
	b, rec := afterSlowBatch(t)
	b.push(chat.TextDelta{Index: 1, Text: "late"})
	done := make(chan struct{})
	go func() {
		b.close()
		close(done)
	}()
	waitUntil(t, func() bool {
		select {
		case <-done:
			return true
		default:
			return false
		}
	})
	if b.push(chat.TextDelta{Index: 1, Text: "after"}) || rec.count() != 0 {
		t.Fatalf("after close: %d batches applied", rec.count())
	}
}

// TestFlushNowAppliesWhatWaits: flushNow applies the queue at once, deltas
// waiting for their paced flush included (whose timer it stops), and leaves
// the bridge idle: nothing applied twice, nothing left scheduled.
func TestFlushNowAppliesWhatWaits(t *testing.T) {
	b, rec := afterSlowBatch(t)
	b.push(chat.TextDelta{Index: 1, Text: "a", Content: "a"})
	b.push(chat.TextDelta{Index: 1, Text: "b", Content: "ab"})
	b.flushNow()
	if rec.count() != 1 {
		t.Fatalf("%d batches applied by flushNow, want the one waiting", rec.count())
	}
	waitBridgeIdle(t, b, "after flushNow: the stopped timer's flush is awaited")
	b.flushNow() // nothing queued: nothing applied
	if rec.count() != 1 {
		t.Fatalf("%d batches after a flushNow with nothing queued, want 1", rec.count())
	}
	rec.mu.Lock()
	got := rec.batches[0]
	rec.mu.Unlock()
	if want := (chat.TextDelta{Index: 1, Text: "ab", Content: "ab"}); len(got) != 1 || got[0] != want {
		t.Fatalf("batch %v, want [%v]", got, want)
	}
}

// TestFlushNowBesideAHandedFlush: an urgent item's flush is handed to
// Fyne's queue at once; a flushNow before it runs applies the item, and
// the handed flush, still coming, finds nothing and leaves the bridge idle.
// Called from a batch being applied, flushNow does nothing: what is queued
// meanwhile goes with the next batch.
func TestFlushNowBesideAHandedFlush(t *testing.T) {
	test.NewTempApp(t)
	var b *bridge
	rec := &recorder{}
	var nested []int
	b = newBridge(func(items []any) {
		rec.apply(items)
		for _, it := range items {
			if it == (chat.ConversationSaved{ID: "1"}) {
				b.push(chat.ConversationSaved{ID: "2"})
				b.flushNow() // inside a batch: nothing
				nested = append(nested, rec.count())
			}
		}
	})
	// The test driver runs fyne.Do on the calling goroutine: hold applyMu
	// as harness.ui does, so the handed flush waits while flushNow runs.
	b.applyMu.Lock()
	b.push(chat.ConversationSaved{ID: "1"})
	b.flushNow()
	b.applyMu.Unlock()
	waitUntil(t, func() bool { return rec.count() == 2 })
	waitBridgeIdle(t, b, "after the handed flush")
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.batches) != 2 || rec.batches[0][0] != (chat.ConversationSaved{ID: "1"}) || rec.batches[1][0] != (chat.ConversationSaved{ID: "2"}) {
		t.Fatalf("batches %v, want saved 1, then saved 2 (queued inside the first)", rec.batches)
	}
	if len(nested) != 1 || nested[0] != 1 {
		t.Fatalf("flushNow inside a batch applied something: %v", nested)
	}
}

// waitBridgeIdle fails the test unless b goes idle within 10 s.
func waitBridgeIdle(t *testing.T, b *bridge, when string) {
	t.Helper()
	idle := make(chan struct{})
	go func() { b.waitIdle(); close(idle) }()
	select {
	case <-idle:
	case <-time.After(10 * time.Second):
		t.Fatal("the bridge is still busy " + when)
	}
}
