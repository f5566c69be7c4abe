package app

import (
	"sync"

	"fyne.io/fyne/v2/widget"
)

// findText is the text find searches in a block: its runs (see walkRuns).
// It builds no widget, so it runs off the UI thread.
func findText(b block) []string {
	var runs []string
	walkRuns(blockSegments(b, linkActions{}), func(run []*widget.TextSegment) []widget.RichTextSegment {
		runs = append(runs, runText(run))
		return nil
	})
	return runs
}

// textCache keeps, per message, the text find searches in each of its
// blocks: learning what the markdown shows costs a parse, done once per
// content, on the search's goroutine.
type textCache struct {
	mu sync.Mutex
	m  map[int]cachedText
}

type cachedText struct {
	content string
	user    bool
	blocks  [][]string
}

// get is the runs of text of each block of message id (its content; user
// for the user's own), as the transcript draws the message once it has
// ended (messageBlocks).
func (c *textCache) get(id int, content string, user bool) [][]string {
	c.mu.Lock()
	e, ok := c.m[id]
	c.mu.Unlock()
	if ok && e.content == content && e.user == user {
		return e.blocks
	}
	blocks := messageBlocks(content, user)
	e = cachedText{content: content, user: user, blocks: make([][]string, len(blocks))}
	for i, b := range blocks {
		e.blocks[i] = findText(b)
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[int]cachedText{}
	}
	c.m[id] = e
	c.mu.Unlock()
	return e.blocks
}

// peek is get without the parse: the runs of message id's blocks if they
// are kept for that content.
func (c *textCache) peek(id int, content string, user bool) ([][]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[id]
	if !ok || e.content != content || e.user != user {
		return nil, false
	}
	return e.blocks, true
}

func (c *textCache) clear() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}
