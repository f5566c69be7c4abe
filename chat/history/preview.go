package history

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/azchat/azchat/chat"
)

// Preview is what opening a long conversation draws first: its newest
// messages, read in a fraction of the time Load takes to read the whole of
// it (10,000 messages: 17 against 87 ms on a slow 2-core machine, twice
// that while a window starts). It is for showing only: nothing may be
// saved or sent from it.
type Preview struct {
	// Conversation is the conversation's ID, title, system message,
	// examples and overrides; its messages are not read.
	Conversation *chat.Conversation
	// Messages are the last messages of the active path, whole, as Load
	// and the controller give them to the window: Branch and Branches
	// are set, attachments and what answered are read.
	Messages []chat.Message
	// Total is how many messages the active path holds.
	Total int
	// FirstQuestion is the text of the path's first user message, which
	// names a chat without a title (chat.TitleFrom); "" when none of its
	// first messages is one.
	FirstQuestion string
}

// titleLook is how many of the path's first messages Preview looks through
// for its first question (a chat begins with one).
const titleLook = 8

// Preview reads the last n messages of conversation id's active path (n
// is a screenful: each is an SQL parameter). It returns nil when the path
// holds n messages or fewer (Load is then as quick, and a preview would
// only be drawn twice), or when n is not positive.
func (s *Store) Preview(id string, n int) (*Preview, error) {
	if n <= 0 {
		return nil, nil
	}
	ctx := context.Background()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	conv, leaf, err := readHeader(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	// The tree's shape from two integer columns, made into a path exactly
	// as Load makes it. SQLite joins them into one text ("seq,parent;"
	// for each row): a row handed to Go costs more than parsing it
	// (10,000 rows: 12 ms as rows, 3 as a text). The rows are joined in
	// the subquery's order, as SQLite does it, though its documentation
	// leaves that order open: parseShape sorts what is not in seq order.
	// (An ORDER BY inside group_concat sorts them again: 8 ms more.)
	var shapeText sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT group_concat(seq || ',' || ifnull(parent_seq, ''), ';')
		FROM (SELECT seq, parent_seq FROM messages WHERE conversation_id = ? ORDER BY seq)`, id).Scan(&shapeText)
	if err != nil {
		return nil, err
	}
	conv.Messages, err = parseShape(shapeText.String)
	if err != nil {
		return nil, err
	}
	shape(conv, leaf)
	total := len(conv.Messages)
	if total <= n {
		return nil, nil
	}
	// The tail's rows, whole. Its messages keep the parents shape gave
	// them (a missing parent mended), as Load's do.
	tail := conv.Messages[total-n:]
	bySeq := make(map[int64]*chat.Message, n)
	seqs := make([]int64, n)
	for i, m := range tail {
		seqs[i] = m.Node - 1
		bySeq[m.Node-1] = m
	}
	only, args := seqFilter("seq", id, seqs)
	full, err := tx.QueryContext(ctx, messageColumns+` WHERE conversation_id = ?`+only, args...)
	if err != nil {
		return nil, err
	}
	defer full.Close()
	byID := make(map[int64]*chat.Message, n)
	for full.Next() {
		m, rowID, err := scanMessage(full)
		if err != nil {
			return nil, err
		}
		if at := bySeq[m.Node-1]; at != nil {
			m.Parent = at.Parent
			*at = *m
			byID[rowID] = at
		}
	}
	if err := full.Err(); err != nil {
		return nil, err
	}
	if err := loadExtras(ctx, tx, id, byID, seqs); err != nil {
		return nil, err
	}
	first, err := firstQuestion(ctx, tx, id, conv.Messages[:min(titleLook, total)])
	if err != nil {
		return nil, err
	}
	head := &chat.Conversation{ID: conv.ID, Title: conv.Title, System: conv.System, Examples: conv.Examples, Overrides: conv.Overrides}
	return &Preview{Conversation: head, Messages: conv.PathTail(n), Total: total, FirstQuestion: first}, nil
}

// parseShape reads Preview's "seq,parent;seq,parent;…" (parent empty for
// none) into messages that have only a Node and a Parent, in one block, in
// seq order.
func parseShape(text string) ([]*chat.Message, error) {
	if text == "" {
		return nil, nil
	}
	n := strings.Count(text, ";") + 1
	block := make([]chat.Message, n)
	out := make([]*chat.Message, n)
	sorted := true
	for i := range out {
		row := text
		if j := strings.IndexByte(text, ';'); j >= 0 {
			row, text = text[:j], text[j+1:]
		}
		seq, parent, ok := strings.Cut(row, ",")
		if !ok {
			return nil, fmt.Errorf("history: bad shape row %q", row)
		}
		s, err := strconv.ParseInt(seq, 10, 64)
		if err != nil {
			return nil, err
		}
		m := &block[i]
		m.Node = s + 1
		if parent != "" {
			p, err := strconv.ParseInt(parent, 10, 64)
			if err != nil {
				return nil, err
			}
			m.Parent = p + 1
		}
		out[i] = m
		if i > 0 && out[i-1].Node >= m.Node {
			sorted = false
		}
	}
	if !sorted {
		slices.SortFunc(out, func(a, b *chat.Message) int { return cmp.Compare(a.Node, b.Node) })
	}
	return out, nil
}

// firstQuestion is the text of the first user message among path.
func firstQuestion(ctx context.Context, tx *sql.Tx, id string, path []*chat.Message) (string, error) {
	seqs := make([]int64, len(path))
	for i, m := range path {
		seqs[i] = m.Node - 1
	}
	only, args := seqFilter("seq", id, seqs)
	rows, err := tx.QueryContext(ctx, `SELECT seq, content FROM messages WHERE conversation_id = ? AND role = 'user'`+only, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	questions := map[int64]string{}
	for rows.Next() {
		var seq int64
		var content string
		if err := rows.Scan(&seq, &content); err != nil {
			return "", err
		}
		questions[seq] = content
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	for _, s := range seqs {
		if q, ok := questions[s]; ok {
			return q, nil
		}
	}
	return "", nil
}
