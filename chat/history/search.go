package history

import (
	"context"
	"strings"
	"time"
	// registers the "sqlite" driver
)

// Watch reports changes made to the database through any other connection
// — another process (an import from the command line while the window is
// open) as well as this store's own writes — calling changed at most once
// per interval until ctx ends. It polls PRAGMA data_version on a
// connection of its own. A caller whose reaction is cheap (the sidebar's
// reload, off the UI thread) need not tell the two apart.
func (s *Store) Watch(ctx context.Context, interval time.Duration, changed func()) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	version := func() (int64, bool) {
		var v int64
		err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
		return v, err == nil
	}
	last, ok := version()
	if !ok {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		v, ok := version()
		if !ok {
			return
		}
		if v != last {
			last = v
			changed()
		}
	}
}

// Hit is one search result.
type Hit struct {
	ConversationID string
	Title          string
	Index          int    // the message's position in its conversation
	Snippet        string // with the match between « and »
}

// Search finds messages containing every word of query (the last word as
// a prefix), best matches first.
func (s *Store) Search(query string, limit int) ([]Hit, error) {
	q := ftsQuery(query)
	if q == "" {
		return nil, nil
	}
	if limit <= 0 {
		limit = 50
	}
	rows, err := s.db.Query(`SELECT m.conversation_id,
			CASE WHEN c.title != '' THEN c.title WHEN c.first_line != '' THEN c.first_line ELSE 'New chat' END,
			m.seq, snippet(messages_fts, 0, '«', '»', '…', 12)
		FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid JOIN conversations c ON c.id = m.conversation_id
		WHERE messages_fts MATCH ? ORDER BY rank LIMIT ?`, q, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Hit
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.ConversationID, &h.Title, &h.Index, &h.Snippet); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// ftsQuery quotes each word so FTS5 syntax in user text ("AND", quotes,
// colons, parentheses) is searched for literally.
func ftsQuery(q string) string {
	words := strings.Fields(q)
	for i, w := range words {
		words[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	if len(words) == 0 {
		return ""
	}
	words[len(words)-1] += "*"
	return strings.Join(words, " ")
}
