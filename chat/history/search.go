package history

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Watch reports changes other processes make to the database (an import
// from the command line while the window is open), calling changed at most
// once per interval until ctx ends or the store closes (Close waits for it).
// It polls PRAGMA data_version on a
// connection of its own; the store's own commits move that version too, so
// each of them records the version it caused (see own) and only the rest
// count. One Watch per store.
//
// Changes committed before Watch takes its starting point are not
// reported: ready is called once it has (or once Watch has failed to
// start), and what Watch keeps up to date is read then, not before.
func (s *Store) Watch(ctx context.Context, interval time.Duration, ready, changed func()) {
	started := false
	defer func() {
		if !started {
			ready()
		}
	}()
	s.watchMu.Lock()
	if s.closed {
		s.watchMu.Unlock()
		return
	}
	s.watchers.Add(1)
	s.watchMu.Unlock()
	defer s.watchers.Done()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { // Close ends the watch too
		select {
		case <-s.closing:
			cancel()
		case <-ctx.Done():
		}
	}()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	s.watchMu.Lock()
	s.watchConn = conn
	v, err := version(ctx, conn)
	s.watchKnown = v
	s.watchMu.Unlock()
	defer func() {
		s.watchMu.Lock()
		s.watchConn = nil
		s.watchMu.Unlock()
	}()
	if err != nil {
		return
	}
	started = true
	ready()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.watchMu.Lock()
		v, err := version(ctx, conn)
		news := err == nil && v != s.watchKnown
		s.watchKnown = v
		s.watchPolls++
		s.watchMu.Unlock()
		if err != nil {
			return
		}
		if news {
			changed()
		}
	}
}

func version(ctx context.Context, conn *sql.Conn) (int64, error) {
	var v int64
	err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
	return v, err
}

// own runs one of the store's own commits and moves Watch's known version
// past it, holding Watch off meanwhile so it never sees the commit as news.
// (Another process committing in that same instant would be missed until
// its next change: the window's chat list would catch up then.)
func (s *Store) own(commit func() error) error {
	s.watchMu.Lock()
	defer s.watchMu.Unlock()
	if err := commit(); err != nil {
		return err
	}
	if s.watchConn != nil {
		if v, err := version(context.Background(), s.watchConn); err == nil {
			s.watchKnown = v
		}
	}
	return nil
}

// Hit is one search result.
type Hit struct {
	ConversationID string
	Title          string
	// Node is the message's number in its conversation (chat.Message.Node):
	// Conversation.Activate(Node) opens the branch that holds it and gives
	// its place on that path.
	Node int64
	// Snippet is the text around the match, cut by words ('…' where it
	// was cut), and Matches where in it the query's words are.
	Snippet string
	Matches []Span
	// File is the name of the attached file the match is in ("" for the
	// message's own text).
	File string
	// Time is when the message found was written.
	Time time.Time
}

// Span is a part of a text, in bytes: Text[Start:End].
type Span struct{ Start, End int }

// Marks SQLite puts around a match in a snippet. Control characters,
// because a mark that can be written (such as « and », common in French
// and Russian text) would be taken for one; a message holding these two
// characters themselves shows its highlight a little off.
const (
	matchOpen  = '\x01'
	matchClose = '\x02'
)

// parseSnippet splits SQLite's marked snippet into its text and where the
// matches are; a mark without its pair is dropped.
func parseSnippet(marked string) (string, []Span) {
	var b strings.Builder
	b.Grow(len(marked))
	var spans []Span
	open := -1
	for _, r := range marked {
		switch {
		case r == matchOpen && open < 0:
			open = b.Len()
		case r == matchClose && open >= 0:
			if b.Len() > open {
				spans = append(spans, Span{open, b.Len()})
			}
			open = -1
		case r == matchOpen || r == matchClose:
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), spans
}

// Search finds the chats holding a message, or a file attached to one,
// that contains every word of query (the last word as a prefix): each chat
// once, with its best-matching message (Hit.File names the file when the
// words are in one), best matches first, at most limit chats; chats found
// only in a file follow. The grouping is SQLite's, over every match: a few
// chats holding most matching messages cannot leave others out of the
// list.
func (s *Store) Search(query string, limit int) ([]Hit, error) {
	return s.SearchContext(context.Background(), query, limit)
}

// SearchContext is Search, given up (SQLite interrupted, ctx's error
// returned) when ctx ends: a search typed past need not run to its end
// over a large history.
func (s *Store) SearchContext(ctx context.Context, query string, limit int) ([]Hit, error) {
	q := splitQuery(query)
	if q.empty() {
		return nil, nil
	}
	if limit <= 0 {
		limit = 50
	}
	tx, err := s.db.BeginTx(ctx, nil) // both reads see the same history
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// Each chat's best message, and apart each chat's best file: the two
	// indexes rank by their own statistics (a few files against many
	// messages), so a file's rank is not comparable with a message's.
	found, err := bestPerChat(ctx, tx, q, limit, 0)
	if err != nil {
		return nil, err
	}
	// As many more as there are chats found in a message: those found in
	// both do not take the room kept for chats found only in a file.
	inFiles, err := bestPerChat(ctx, tx, q, limit+len(found), 1)
	if err != nil {
		return nil, err
	}
	// The chats found only in a file come after those found in a message,
	// with room kept for some (a fifth of the list) however many chats
	// hold the words in a message: a log pasted in one chat is found
	// though a hundred others mention "error".
	listed := map[string]bool{}
	for _, h := range found {
		listed[h.ConversationID] = true
	}
	var only []hitRow
	for _, h := range inFiles {
		if !listed[h.ConversationID] {
			only = append(only, h)
		}
	}
	keep := min(len(only), max(limit-len(found), limit/5))
	found = append(found[:min(len(found), limit-keep)], only[:keep]...)
	out := make([]Hit, len(found))
	at := [2]map[int64]int{{}, {}} // each index's rows → their hit in out
	for i, h := range found {
		out[i] = h.Hit
		at[h.src][h.rid] = i
	}
	if len(out) == 0 {
		return nil, nil
	}
	for src, from := range sources {
		var err error
		if len(q.subs) > 0 {
			err = textSnippets(ctx, tx, src, q, at[src], out)
		} else {
			err = snippets(ctx, tx, from.table, q.fts, at[src], out)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// hitRow is a hit as a query found it: which index (src, an index into
// sources) and which of its rows.
type hitRow struct {
	Hit
	src int
	rid int64
}

// source is an index search reads: its table, how its rows reach their
// messages, and the file a row is in ("" for a message's text); and the
// same rows without the index (plain, their id and text), for words the
// index cannot find (splitQuery).
type source struct{ table, from, file, plain, id, text string }

// sources are the messages' index and their files'.
var sources = [2]source{
	{"messages_fts", "messages_fts JOIN messages m ON m.id = messages_fts.rowid", "''",
		"messages m", "m.id", "m.content"},
	{"attachments_fts", "attachments_fts JOIN attachments a ON a.id = attachments_fts.rowid JOIN messages m ON m.id = a.message_id", "a.name",
		"attachments a JOIN messages m ON m.id = a.message_id", "a.id", "a.text"},
}

// bestPerChat is each chat's best match in sources[src], best first, at
// most limit chats. The grouping is SQLite's, over every match. Words
// only found as part of a word (q.subs) must be in the text too; with no
// other word, the text is scanned (no index has them), and a chat's best
// message is its newest, the chats newest first.
func bestPerChat(ctx context.Context, tx *sql.Tx, q query, limit, src int) ([]hitRow, error) {
	from := sources[src]
	var args []any
	var subs strings.Builder
	for _, forms := range q.subs {
		subs.WriteString(" AND (0")
		for _, w := range forms {
			args = append(args, w)
			fmt.Fprintf(&subs, " OR instr(%s, ?%d) > 0", from.text, len(args))
		}
		subs.WriteString(")")
	}
	// SQLite takes the bare columns from the row min() or max() chose.
	best := `SELECT m.conversation_id AS cid, m.seq AS seq, ` + from.id + ` AS rid, ` + from.file + ` AS file, m.time AS t, max(` + from.id + `) AS r
			FROM ` + from.plain + ` WHERE 1` + subs.String() + ` GROUP BY m.conversation_id`
	order := "best.r DESC"
	if q.fts != "" {
		args = append(args, q.fts)
		best = `SELECT m.conversation_id AS cid, m.seq AS seq, ` + from.table + `.rowid AS rid, ` + from.file + ` AS file, m.time AS t, min(rank) AS r
			FROM ` + from.from + `
			WHERE ` + from.table + ` MATCH ?` + strconv.Itoa(len(args)) + subs.String() + ` GROUP BY m.conversation_id`
		order = "best.r"
	}
	args = append(args, limit)
	rows, err := tx.QueryContext(ctx, `SELECT best.cid,
			CASE WHEN c.title != '' THEN c.title WHEN c.first_line != '' THEN c.first_line ELSE 'New chat' END,
			best.seq + 1, best.rid, best.file, best.t
		FROM (`+best+`) best JOIN conversations c ON c.id = best.cid
		ORDER BY `+order+`, best.cid LIMIT ?`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []hitRow
	for rows.Next() {
		h := hitRow{src: src}
		var t int64
		if err := rows.Scan(&h.ConversationID, &h.Title, &h.Node, &h.rid, &h.File, &t); err != nil {
			return nil, err
		}
		h.Time = time.UnixMilli(t)
		out = append(out, h)
	}
	return out, rows.Err()
}

// snippets fills in the snippets of the hits at (row of table, the
// messages' or the files' index → hit in out). One
// pass over the matches: FTS5 would evaluate the whole query again for
// each message picked by its row (with a prefix word, as long as the
// search itself), so the row is compared after the match (+rowid keeps it
// from FTS5) and only the messages picked get a snippet.
func snippets(ctx context.Context, tx *sql.Tx, table, q string, at map[int64]int, out []Hit) error {
	if len(at) == 0 {
		return nil
	}
	ids := make([]any, 0, len(at)+1)
	ids = append(ids, q)
	for rid := range at {
		ids = append(ids, rid)
	}
	rows, err := tx.QueryContext(ctx, `SELECT rowid, snippet(`+table+`, 0, char(1), char(2), '…', 12)
		FROM `+table+` WHERE `+table+` MATCH ? AND +rowid IN (?`+strings.Repeat(", ?", len(at)-1)+`)`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rid int64
		var marked string
		if err := rows.Scan(&rid, &marked); err != nil {
			return err
		}
		if i, ok := at[rid]; ok {
			out[i].Snippet, out[i].Matches = parseSnippet(marked)
		}
	}
	return rows.Err()
}

// ftsWords is the FTS5 query of words: each quoted, so FTS5 syntax in
// user text ("AND", quotes, colons, parentheses) is searched for
// literally, the last one as a prefix. It quotes words in place.
func ftsWords(words []string) string {
	for i, w := range words {
		words[i] = `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
	}
	if len(words) == 0 {
		return ""
	}
	words[len(words)-1] += "*"
	return strings.Join(words, " ")
}
