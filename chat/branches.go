package chat

import (
	"errors"
	"slices"
	"strings"
)

// ActiveLeaf is the Node of the last message of the active path, 0 for
// an empty conversation.
func (c *Conversation) ActiveLeaf() int64 {
	if c.Leaf != 0 {
		return c.Leaf
	}
	if n := len(c.Messages); n > 0 {
		return c.Messages[n-1].Node
	}
	return 0
}

// All is every message of the conversation: the active path, then the
// other branches.
func (c *Conversation) All() []*Message {
	return append(append(make([]*Message, 0, len(c.Messages)+len(c.Others)), c.Messages...), c.Others...)
}

// EnsureNodes numbers messages that have no Node yet (a new chat, an
// import): each path message follows the one before it. A message of
// another branch without a Node is placed after the path's last.
func (c *Conversation) EnsureNodes() {
	next := c.nextNode()
	var prev int64
	for _, m := range c.Messages {
		if m.Node == 0 {
			m.Node, m.Parent = next, prev
			next++
		}
		prev = m.Node
	}
	for _, m := range c.Others {
		if m.Node == 0 {
			m.Node, m.Parent = next, prev
			next++
		}
	}
}

// nextNode is a Node no message of the conversation has.
func (c *Conversation) nextNode() int64 {
	var n int64
	for _, m := range c.Messages {
		n = max(n, m.Node)
	}
	for _, m := range c.Others {
		n = max(n, m.Node)
	}
	return n + 1
}

// appendToPath adds m at the end of the active path, as a child of the
// path's last message.
func (c *Conversation) appendToPath(m *Message) {
	m.Node = c.nextNode()
	m.Parent = 0
	if n := len(c.Messages); n > 0 {
		m.Parent = c.Messages[n-1].Node
	}
	c.Messages = append(c.Messages, m)
}

// retire moves the path from index i on to the other branches: what
// regenerate and edit & resend replace is kept, not dropped.
func (c *Conversation) retire(i int) {
	c.Others = append(c.Others, c.Messages[i:]...)
	c.Messages = c.Messages[:i:i]
}

// remove deletes the path message at i. A message with other versions
// goes with what followed it (that version of the conversation), and the
// path then follows the newest other version; a message without is taken
// out of its line, its children following its parent.
func (c *Conversation) remove(i int) {
	gone := c.Messages[i]
	sib := c.siblings(gone)
	if len(sib) <= 1 {
		for _, m := range c.All() {
			if m.Parent == gone.Node {
				m.Parent = gone.Parent
			}
		}
		c.Messages = append(c.Messages[:i:i], c.Messages[i+1:]...)
		return
	}
	// Drop gone and everything below it.
	drop := map[int64]bool{gone.Node: true}
	all := c.All()
	for changed := true; changed; {
		changed = false
		for _, m := range all {
			if !drop[m.Node] && drop[m.Parent] {
				drop[m.Node], changed = true, true
			}
		}
	}
	var keep []*Message
	for _, m := range all {
		if !drop[m.Node] {
			keep = append(keep, m)
		}
	}
	var next *Message
	for _, s := range sib {
		if s != gone {
			next = s // the newest other version (siblings are oldest first)
		}
	}
	c.followFrom(keep, c.Messages[:i:i], next)
}

// siblings are the messages that share m's parent, m included, oldest
// first.
func (c *Conversation) siblings(m *Message) []*Message {
	var out []*Message
	for _, x := range c.All() {
		if x.Parent == m.Parent {
			out = append(out, x)
		}
	}
	slices.SortFunc(out, func(a, b *Message) int { return int(a.Node - b.Node) })
	return out
}

// annotate fills Branch and Branches of the path's messages.
func (c *Conversation) annotate() {
	if len(c.Others) == 0 {
		for _, m := range c.Messages {
			m.Branch, m.Branches = 1, 1
		}
		return
	}
	children := map[int64][]int64{}
	for _, m := range c.All() {
		children[m.Parent] = append(children[m.Parent], m.Node)
	}
	for _, m := range c.Messages {
		sib := children[m.Parent]
		slices.Sort(sib)
		m.Branches = len(sib)
		m.Branch = slices.Index(sib, m.Node) + 1
	}
}

// PathTail returns copies of the last n messages of the active path (all
// of them when it holds fewer), each marked with its place among its
// versions (Branch of Branches), as the controller hands messages to the
// window.
func (c *Conversation) PathTail(n int) []Message {
	c.annotate()
	from := len(c.Messages) - min(max(n, 0), len(c.Messages))
	out := make([]Message, len(c.Messages)-from)
	for i, m := range c.Messages[from:] {
		out[i] = *m
	}
	return out
}

// follow makes the active path run through start (at path index i) and on
// through the newest child of each message below it; the rest of the tree
// becomes Others.
func (c *Conversation) follow(i int, start *Message) {
	c.followFrom(c.All(), c.Messages[:i:i], start)
}

// followFrom is follow over the messages all, with prefix the path above
// start.
func (c *Conversation) followFrom(all, prefix []*Message, start *Message) {
	children := make(map[int64][]*Message, len(all))
	for _, m := range all {
		children[m.Parent] = append(children[m.Parent], m)
	}
	path := append(prefix[:len(prefix):len(prefix)], start)
	// At most one step per message: a damaged tree (a cycle in an
	// imported file) cannot loop.
	for cur := start; len(path) <= len(all); {
		kids := children[cur.Node]
		if len(kids) == 0 {
			break
		}
		cur = slices.MaxFunc(kids, func(a, b *Message) int { return int(a.Node - b.Node) })
		path = append(path, cur)
	}
	on := make(map[int64]bool, len(path))
	for _, m := range path {
		on[m.Node] = true
	}
	var others []*Message
	for _, m := range all {
		if !on[m.Node] {
			others = append(others, m)
		}
	}
	c.Messages, c.Others, c.Leaf = path, others, 0
	c.annotate()
}

// Activate makes the path through the message numbered node active (the
// branch a search found) and returns its index on the path, -1 if no
// message has that number.
func (c *Conversation) Activate(node int64) int {
	all := c.All()
	byNode := make(map[int64]*Message, len(all))
	for _, m := range all {
		byNode[m.Node] = m
	}
	target, ok := byNode[node]
	if !ok {
		return -1
	}
	// The path from the root down to target, then on below it.
	var up []*Message
	for m := target; m != nil; m = byNode[m.Parent] {
		up = append(up, m)
		if m.Parent == 0 || len(up) > len(byNode) {
			break
		}
	}
	slices.Reverse(up)
	c.followFrom(all, up[:len(up)-1], target)
	return len(up) - 1
}

// ErrNoBranch says there is no other branch that way.
var ErrNoBranch = errors.New("no other version of this message that way")

// SwitchBranch shows another version of the message at index: delta −1
// for the previous, +1 for the next (‹ 2/3 ›). The path below it follows
// that version's newest answers. The change is saved.
func (c *Controller) SwitchBranch(index, delta int) error {
	c.mu.Lock()
	if err := c.changeableLocked(index); err != nil {
		c.mu.Unlock()
		return err
	}
	sib := c.conv.siblings(c.conv.Messages[index])
	at := slices.Index(sib, c.conv.Messages[index])
	to := at + delta
	if to < 0 || to >= len(sib) {
		c.mu.Unlock()
		return ErrNoBranch
	}
	c.conv.follow(index, sib[to])
	c.publishLocked()
	return nil
}

// forkTitleRunes is how much of the first question names a fork of a
// chat without a title of its own.
const forkTitleRunes = 48

// Fork copies the active path up to and including the message at index
// into a new conversation, opens it and saves it; the original is left as
// it is. It returns the new conversation.
func (c *Controller) Fork(index int) (*Conversation, error) {
	c.mu.Lock()
	if err := c.changeableLocked(index); err != nil {
		c.mu.Unlock()
		return nil, err
	}
	fork := &Conversation{ID: NewConversationID(), System: c.conv.System, Examples: append([]Example(nil), c.conv.Examples...), Overrides: c.conv.Overrides}
	if c.conv.Title != "" {
		fork.Title = c.conv.Title + " (fork)"
	} else {
		// Named by its first question, as the original is: told apart.
		for _, m := range c.conv.Messages[:index+1] {
			if m.Role == User && strings.TrimSpace(m.Content) != "" {
				fork.Title = OneLine(m.Content, forkTitleRunes) + " (fork)"
				break
			}
		}
	}
	for _, m := range c.conv.Messages[:index+1] {
		cp := m.Clone()
		cp.Node, cp.Parent = 0, 0
		// The copies were paid for in the original chat: a fork does not
		// count them again (in its total or in azchat usage).
		cp.Usage, cp.Profile, cp.Deployment, cp.Prices = nil, "", "", Prices{}
		fork.Messages = append(fork.Messages, &cp)
	}
	fork.EnsureNodes()
	c.mu.Unlock()
	if err := c.SetConversation(fork); err != nil {
		return nil, err
	}
	c.Save()
	return fork.Clone(), nil
}
