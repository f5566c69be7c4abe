package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/azchat/azchat/chat"
)

// saveStamp writes what answered message msgID and at which prices
// (schema 7). It is its own statement, by primary key, after the message's
// upsert: it touches no indexed column, so the search index is not
// rewritten, and the upsert stays as it is.
func saveStamp(ctx context.Context, x execer, msgID int64, m *chat.Message) error {
	_, err := x.ExecContext(ctx, `UPDATE messages SET profile = ?, deployment = ?, prices = ? WHERE id = ?`,
		m.Profile, m.Deployment, jsonOrNull(m.Prices, !m.Prices.Set()), msgID)
	return err
}

// loadStamps reads what answered each message of a conversation (byID
// maps message row ids to them): the messages at seqs, or every message
// when seqs is nil. Only rows with something stored are read: old answers
// and user messages have nothing.
func loadStamps(ctx context.Context, tx *sql.Tx, convID string, byID map[int64]*chat.Message, seqs []int64) error {
	only, args := seqFilter("seq", convID, seqs)
	rows, err := tx.QueryContext(ctx, `SELECT id, profile, deployment, prices FROM messages
		WHERE conversation_id = ? AND (profile != '' OR deployment != '' OR prices IS NOT NULL)`+only, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var profile, deployment string
		var prices sql.NullString
		if err := rows.Scan(&id, &profile, &deployment, &prices); err != nil {
			return err
		}
		m := byID[id]
		if m == nil {
			continue
		}
		m.Profile, m.Deployment = profile, deployment
		if prices.Valid {
			// A damaged value reads as no prices: the answer's cost is
			// then unknown, never wrong.
			_ = json.Unmarshal([]byte(prices.String), &m.Prices)
		}
	}
	return rows.Err()
}

// AnswerUsage is one answer's usage as the history has it, for reports.
type AnswerUsage struct {
	Time time.Time
	// Profile and Deployment are "" for answers saved before azchat
	// recorded them (chat.OrUnknown names them).
	Profile, Deployment string
	Usage               chat.Usage
	// Prices are those in force when it was answered; not Set for old
	// answers and profiles without prices.
	Prices chat.Prices
}

// Cost is what the answer cost, and whether its prices were set.
func (a AnswerUsage) Cost() (float64, bool) { return a.Prices.Cost(a.Usage) }

// Usage lists every answer that reported usage, on every branch of every
// conversation (each was billed), answered at or after since (the zero
// time: all), oldest first.
func (s *Store) Usage(since time.Time) ([]AnswerUsage, error) {
	from := int64(0)
	if !since.IsZero() {
		from = since.UnixMilli()
	}
	rows, err := s.db.Query(`SELECT time, profile, deployment, usage, prices FROM messages
		WHERE role = 'assistant' AND usage IS NOT NULL AND time >= ? ORDER BY time, id`, from)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AnswerUsage
	for rows.Next() {
		var a AnswerUsage
		var t int64
		var usage string
		var prices sql.NullString
		if err := rows.Scan(&t, &a.Profile, &a.Deployment, &usage, &prices); err != nil {
			return nil, err
		}
		if json.Unmarshal([]byte(usage), &a.Usage) != nil {
			continue // a damaged usage counts nothing rather than zeros
		}
		a.Usage = a.Usage.Sane() // an older azchat kept a file's figures as they were
		if prices.Valid {
			_ = json.Unmarshal([]byte(prices.String), &a.Prices)
		}
		a.Time = time.UnixMilli(t)
		out = append(out, a)
	}
	return out, rows.Err()
}
