package history

import (
	"bytes"
	"errors"
	"slices"
	"strings"

	"github.com/azchat/azchat/chat"
)

// Imported says what Import did with a chat read from a file.
type Imported struct {
	// ID is the chat that holds the file's messages.
	ID string
	// Already is true when that chat held every message of the file
	// before (the file is an export of it, or was imported before):
	// nothing was written.
	Already bool
}

// Import adds conv, a chat read from a file (an azchat export keeps its
// chat's ID), to the history without ever changing a chat it has:
//   - no chat has its ID: it is added under that ID, so importing the
//     same file again finds it;
//   - the chat with its ID holds every message of it (the file is an
//     export of that chat, continued since or not): nothing is written;
//   - otherwise (that chat was changed since, or the ID is not one azchat
//     makes) it is added as a new chat. Answers it shares with the chat of
//     its ID keep their text but not their usage: they were paid for once,
//     in that chat, and azchat usage counts them there (as a fork does).
//
// A chat added changes conv.ID to its own.
func (s *Store) Import(conv *chat.Conversation) (Imported, error) {
	if !chat.IsConversationID(conv.ID) {
		conv.ID = chat.NewConversationID()
		return Imported{ID: conv.ID}, s.ReplaceAll(conv)
	}
	have, err := s.Load(conv.ID)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return Imported{}, err
	case holdsAll(have, conv):
		return Imported{ID: have.ID, Already: true}, nil
	default:
		paidIn(have, conv)
		conv.ID = chat.NewConversationID()
	}
	return Imported{ID: conv.ID}, s.ReplaceAll(conv)
}

// holdsAll reports whether have holds every message of imp under the
// same earlier messages, with the same system message and examples. An
// answer in have may be longer than imp's (continued since); every other
// message is the same, its files included.
func holdsAll(have, imp *chat.Conversation) bool {
	if have.System != imp.System || !slices.Equal(have.Examples, imp.Examples) {
		return false
	}
	imp = imp.Clone()
	imp.EnsureNodes() // a plain export has no numbers until it is stored
	kids := func(c *chat.Conversation) map[int64][]*chat.Message {
		out := map[int64][]*chat.Message{}
		for _, m := range c.All() {
			out[m.Parent] = append(out[m.Parent], m)
		}
		return out
	}
	haveKids, impKids := kids(have), kids(imp)
	// Pairs of an imported message's number and the matching one's in
	// have, whose children are still to match; 0 is before the first.
	type pair struct{ imp, have int64 }
	todo := []pair{{0, 0}}
	seen := map[int64]bool{}
	for len(todo) > 0 {
		p := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, m := range impKids[p.imp] {
			if seen[m.Node] {
				continue
			}
			seen[m.Node] = true
			i := slices.IndexFunc(haveKids[p.have], func(h *chat.Message) bool { return sameMessage(h, m) })
			if i < 0 {
				return false
			}
			todo = append(todo, pair{m.Node, haveKids[p.have][i].Node})
		}
	}
	return true
}

// sameMessage reports whether h, as the history has it, is m as a file
// has it: an answer may have been continued since.
func sameMessage(h, m *chat.Message) bool {
	if h.Role != m.Role || h.Name != m.Name || len(h.Attachments) != len(m.Attachments) {
		return false
	}
	if h.Content != m.Content && (m.Role != chat.Assistant || !strings.HasPrefix(h.Content, m.Content)) {
		return false
	}
	for i := range h.Attachments {
		a, b := &h.Attachments[i], &m.Attachments[i]
		if a.Kind != b.Kind || a.Name != b.Name || a.Text != b.Text || !bytes.Equal(a.Data, b.Data) {
			return false
		}
	}
	return true
}

// paidIn leaves out the usage of imp's answers that have holds with the
// same text and usage: they were counted there.
func paidIn(have, imp *chat.Conversation) {
	type answer struct {
		text  string
		usage chat.Usage
	}
	counted := map[answer]bool{}
	for _, m := range have.All() {
		if m.Role == chat.Assistant && m.Usage != nil {
			counted[answer{m.Content, *m.Usage}] = true
		}
	}
	for _, m := range imp.All() {
		if m.Usage != nil && counted[answer{m.Content, *m.Usage}] {
			m.Usage = nil
		}
	}
}
