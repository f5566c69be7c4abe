package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/azchat/azchat/chat"
	"github.com/azchat/azchat/chat/tokens"
)

// ErrNotFound says no conversation has that ID.
var ErrNotFound = errors.New("no conversation with that ID")

// messageColumns are the columns scanMessage reads, in its order.
const messageColumns = `SELECT id, role, name, content, time, status, finish_reason, prompt_filter, filter, usage,
		model, error, token_encoding, token_count, error_kind, action, reasoning, seq, parent_seq
	FROM messages`

// Load reads a conversation. Answers still marked streaming (azchat was
// closed or crashed mid-answer) come back interrupted, their text kept.
func (s *Store) Load(id string) (*chat.Conversation, error) {
	// One read transaction: the messages and their attachments (matched
	// by row id, which ReplaceAll changes) come from the same snapshot
	// even while another process rewrites the conversation.
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
	rows, err := tx.QueryContext(ctx, messageColumns+` WHERE conversation_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[int64]*chat.Message{}
	for rows.Next() {
		m, rowID, err := scanMessage(rows)
		if err != nil {
			return nil, err
		}
		conv.Messages = append(conv.Messages, m)
		byID[rowID] = m
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := loadExtras(ctx, tx, id, byID, nil); err != nil {
		return nil, err
	}
	shape(conv, leaf)
	return conv, nil
}

// loadExtras reads what the messages table does not hold for the
// messages at seqs (all when nil), byID mapping their row ids to them:
// attachments, and what answered.
func loadExtras(ctx context.Context, tx *sql.Tx, id string, byID map[int64]*chat.Message, seqs []int64) error {
	if err := loadAttachments(ctx, tx, id, byID, seqs); err != nil {
		return err
	}
	return loadStamps(ctx, tx, id, byID, seqs)
}

// readHeader reads a conversation's own row: a conversation without
// messages, and the seq of its active leaf (not Valid when none is set).
func readHeader(ctx context.Context, tx *sql.Tx, id string) (*chat.Conversation, sql.NullInt64, error) {
	conv := &chat.Conversation{ID: id}
	var ex, ov string
	var leaf sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT title, system, examples, overrides, active_leaf FROM conversations WHERE id = ?`, id).Scan(&conv.Title, &conv.System, &ex, &ov, &leaf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, leaf, ErrNotFound
	}
	if err != nil {
		return nil, leaf, err
	}
	_ = json.Unmarshal([]byte(ex), &conv.Examples)
	_ = json.Unmarshal([]byte(ov), &conv.Overrides)
	return conv, leaf, nil
}

// scanMessage reads a row of messageColumns: the message and its row id.
func scanMessage(rows *sql.Rows) (*chat.Message, int64, error) {
	m := &chat.Message{}
	var rowID int64
	var role, status, enc, kind, action string
	var t int64
	var pf, f, u sql.NullString
	var n int
	var seq int64
	var parent sql.NullInt64
	if err := rows.Scan(&rowID, &role, &m.Name, &m.Content, &t, &status, &m.FinishReason, &pf, &f, &u, &m.Model, &m.Error, &enc, &n, &kind, &action, &m.Reasoning, &seq, &parent); err != nil {
		return nil, 0, err
	}
	m.Node = seq + 1
	if parent.Valid {
		m.Parent = parent.Int64 + 1
	}
	m.ErrorKind, m.Action = chat.Kind(kind), chat.Action(action)
	m.Role, m.Status, m.Time = chat.Role(role), chat.Status(status), time.UnixMilli(t)
	if pf.Valid {
		_ = json.Unmarshal([]byte(pf.String), &m.PromptFilter)
	}
	if f.Valid {
		_ = json.Unmarshal([]byte(f.String), &m.Filter)
	}
	if u.Valid {
		var us chat.Usage
		_ = json.Unmarshal([]byte(u.String), &us)
		us = us.Sane() // written by an older azchat from a server's or a file's figures
		m.Usage = &us
	}
	if enc != "" {
		m.SetCachedCost(tokens.Encoding(enc), n)
	}
	if m.Status == chat.Streaming {
		m.Status = chat.Interrupted
		if m.Error == "" {
			m.Error = "azchat closed while it was being written"
			m.Action = chat.ActionRetry
		}
	}
	return m, rowID, nil
}

// shape makes conv's messages, read in seq order, a tree with its active
// path in Messages and the other branches in Others.
func shape(conv *chat.Conversation, leaf sql.NullInt64) {
	// A parent that is not there (a row a failed write never stored)
	// would cut the line above its child: the child follows the message
	// stored before it instead.
	have := map[int64]bool{}
	for _, m := range conv.Messages {
		have[m.Node] = true
	}
	for i, m := range conv.Messages {
		if m.Parent != 0 && !have[m.Parent] {
			m.Parent = 0
			if i > 0 {
				m.Parent = conv.Messages[i-1].Node
			}
		}
	}
	// The path on screen is the one that ends at the active leaf (the
	// newest message when none is set).
	if n := len(conv.Messages); n > 0 {
		target := conv.Messages[n-1].Node
		if leaf.Valid {
			target = leaf.Int64 + 1
		}
		if conv.Activate(target) < 0 {
			conv.Activate(conv.Messages[len(conv.Messages)-1].Node)
		}
	}
}

// inList is an SQL list of n placeholders: "(?,?,?)".
func inList(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?,", n), ",") + ")"
}

// seqFilter is the condition "AND column IN (seqs)" and the query's
// arguments (the conversation's ID, then seqs); no condition when seqs
// is nil.
func seqFilter(column, convID string, seqs []int64) (string, []any) {
	args := []any{convID}
	if seqs == nil {
		return "", args
	}
	for _, s := range seqs {
		args = append(args, s)
	}
	return " AND " + column + " IN " + inList(len(seqs)), args
}
