package history

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/azchat/azchat/chat"
)

// Imported says what Import did with a chat read from a file.
type Imported struct {
	// ID is the chat that holds the file's messages.
	ID string
	// Already is true when that chat held every message of the file
	// before (the file is an export of it, or was imported before):
	// nothing was written. Chat is then that chat, as the history has it.
	Already bool
	Chat    *chat.Conversation
}

// Import adds conv, a chat read from a file (an azchat export keeps its
// chat's ID), to the history without ever changing a chat it has:
//   - no chat has its ID: it is added under that ID, so importing the
//     same file again finds it;
//   - the chat with its ID holds every message of it (the file is an
//     export of that chat, continued since or not): nothing is written;
//   - otherwise (that chat was changed since) it is added under an ID made
//     of that one and the file's messages, so that importing the same
//     file again finds it there. Answers it shares with the chat of the
//     file's ID keep their text but not their usage: they were paid for
//     once, in that chat, and azchat usage counts them there (as a fork
//     does).
//
// A file without an ID azchat makes is added as a new chat each time.
// conv.ID is changed to the ID it is added under.
func (s *Store) Import(conv *chat.Conversation) (Imported, error) {
	orig := conv.ID
	for range 4 {
		conv.ID = orig
		got, err := s.importOnce(conv)
		// Another process wrote a chat under that ID since it was
		// looked for (the same file imported from the window and the
		// command line at once): look again.
		if !errors.Is(err, errTaken) {
			return got, err
		}
	}
	return Imported{}, errors.New("another azchat kept writing chats under the file's ID: try the import again")
}

func (s *Store) importOnce(conv *chat.Conversation) (Imported, error) {
	if !chat.IsConversationID(conv.ID) {
		conv.ID = chat.NewConversationID()
		return Imported{ID: conv.ID}, s.replaceAll(conv, true, nil)
	}
	var original *chat.Conversation // the chat of the file's ID
	// A copy's ID is made of its original's (without an earlier copy's
	// suffix: a copy of a copy would grow past what IsConversationID takes).
	root, _, _ := strings.Cut(conv.ID, "-")
	for _, id := range []string{conv.ID, root + "-" + fingerprint(conv)} {
		have, err := s.Load(id)
		switch {
		case errors.Is(err, ErrNotFound):
			if original != nil {
				paidIn(original, conv)
				if err := s.markCopy(conv); err != nil {
					return Imported{}, err
				}
			}
			conv.ID = id
			return Imported{ID: id}, s.replaceAll(conv, true, nil)
		case err != nil:
			return Imported{}, err
		case holdsAll(have, conv):
			return Imported{ID: id, Already: true, Chat: have}, nil
		}
		if original == nil {
			original = have
		}
	}
	// Both IDs hold other messages (a copy changed after its import).
	paidIn(original, conv)
	if err := s.markCopy(conv); err != nil {
		return Imported{}, err
	}
	conv.ID = chat.NewConversationID()
	return Imported{ID: conv.ID}, s.replaceAll(conv, true, nil)
}

// copyMark ends the title of a chat imported beside the chat it is a
// changed copy of: the two were listed under one title, not told apart.
// A second copy is "(imported copy 2)", and so on.
const copyMark = " (imported copy"

// copyMarked matches a title that ends with a copy's mark.
var copyMarked = regexp.MustCompile(` \(imported copy(?: [0-9]+)?\)$`)

// markCopy titles conv, a changed copy of a chat the history has, as one,
// with the first number no chat's title has (a copy of a copy is numbered
// among the copies of its original, not marked twice).
func (s *Store) markCopy(conv *chat.Conversation) error {
	base := conv.Title
	if base == "" {
		base = conv.AutoTitle(chat.MaxTitleRunes)
	}
	base = copyMarked.ReplaceAllString(base, "")
	for n := 1; ; n++ { // ends: there are only so many chats
		mark := copyMark + ")"
		if n > 1 {
			mark = copyMark + " " + strconv.Itoa(n) + ")"
		}
		title := chat.OneLine(base, chat.MaxTitleRunes-len([]rune(mark))) + mark
		var one int
		err := s.db.QueryRow(`SELECT 1 FROM conversations WHERE title = ? LIMIT 1`, title).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			conv.Title = title
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// fingerprint is 8 hex digits of a digest of what conv holds: its system
// message, examples and messages (roles, names, text, files), in the
// tree's order.
func fingerprint(conv *chat.Conversation) string {
	c := conv.Clone()
	c.EnsureNodes()
	msgs := c.All()
	slices.SortFunc(msgs, func(a, b *chat.Message) int { return cmp.Compare(a.Node, b.Node) })
	h := sha256.New()
	field := func(s string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	field(c.System)
	for _, e := range c.Examples {
		field(e.User)
		field(e.Assistant)
	}
	for _, m := range msgs {
		var tree [16]byte
		binary.LittleEndian.PutUint64(tree[:8], uint64(m.Node))
		binary.LittleEndian.PutUint64(tree[8:], uint64(m.Parent))
		h.Write(tree[:])
		field(string(m.Role))
		field(m.Name)
		field(m.Content)
		for _, a := range m.Attachments {
			field(string(a.Kind))
			field(a.Name)
			field(a.Text)
			sum := sha256.Sum256(a.Data)
			h.Write(sum[:])
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:4])
}

// holdsAll reports whether have holds every message of imp under the
// same earlier messages, with the same system message and examples. An
// answer in have may be longer than imp's (continued since); every other
// message is the same, its files included. Where have holds the same
// message twice under one parent (two identical versions of an answer),
// the one under which the rest of imp is found counts.
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
	// under reports whether the messages after imp's message i are found
	// after have's message h (0: before the first). Each pair is decided
	// once, so identical versions cost no more than a walk of each tree.
	type pair struct{ i, h int64 }
	known := map[pair]bool{}
	var under func(i, h int64) bool
	under = func(i, h int64) bool {
		p := pair{i, h}
		if v, ok := known[p]; ok {
			return v
		}
		known[p] = false // a cycle in a file holds nothing
		ok := true
		for _, m := range impKids[i] {
			found := false
			for _, c := range haveKids[h] {
				if sameMessage(c, m) && under(m.Node, c.Node) {
					found = true
					break
				}
			}
			if !found {
				ok = false
				break
			}
		}
		known[p] = ok
		return ok
	}
	return under(0, 0)
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

// paidIn leaves out the usage of imp's answers that have holds, with the
// same text and usage, or (one that was cut short) continued since: they
// were counted there. Two answers alike in text ("Yes.") but each paid for
// stay apart by their usage.
func paidIn(have, imp *chat.Conversation) {
	type answer struct {
		text  string
		usage chat.Usage
	}
	same := map[answer]bool{}
	var counted []string
	for _, m := range have.All() {
		if m.Role == chat.Assistant && m.Usage != nil {
			same[answer{m.Content, *m.Usage}] = true
			counted = append(counted, m.Content)
		}
	}
	sort.Strings(counted)
	for _, m := range imp.All() {
		if m.Role != chat.Assistant || m.Usage == nil {
			continue
		}
		if same[answer{m.Content, *m.Usage}] {
			m.Usage = nil
			continue
		}
		if m.Status == chat.Complete {
			continue
		}
		// Continued since (its usage grew with it). Texts starting with
		// m's sort right from where m's would be.
		if i := sort.SearchStrings(counted, m.Content); i < len(counted) && strings.HasPrefix(counted[i], m.Content) {
			m.Usage = nil
		}
	}
}
