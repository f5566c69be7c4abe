package history

import (
	"context"
	"database/sql"
	"time"

	"github.com/azchat/azchat/chat"
)

// sum is what tells a chat's messages changed without comparing them:
// how many there are, the newest one's time and their text's length in
// bytes. Each change a user makes (a message written, edited and resent,
// regenerated, deleted, an answer streamed) moves one of them; showing
// another version moves none.
type sum struct {
	count, newest, bytes int64
	// updated is the chat's date then; not valid for a chat the history
	// did not have.
	updated sql.NullInt64
}

// messagesSum is conversation id's sum as stored.
func messagesSum(ctx context.Context, tx *sql.Tx, id string) (sum, error) {
	var s sum
	err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(max(time), 0), coalesce(sum(length(CAST(content AS BLOB))), 0),
			(SELECT updated FROM conversations WHERE id = ?1)
		FROM messages WHERE conversation_id = ?1`, id).Scan(&s.count, &s.newest, &s.bytes, &s.updated)
	return s, err
}

// keepDate sets conversation conv's dates once its messages are written
// (upsertConversation dated it now). When its messages are what they were
// (was: messagesSum before), the chat keeps the date it had. An imported
// chat (fresh) is dated by its messages: begun with its first, changed
// with its newest (it was dated by the import, "00:07" beside messages of
// 2024, and listed above the chats of the last days). Times from a clock
// ahead of this one are not taken.
func keepDate(ctx context.Context, tx *sql.Tx, conv *chat.Conversation, was sum, fresh bool) error {
	if fresh {
		now := time.Now().UnixMilli()
		var first, last int64
		for _, m := range conv.All() {
			t := m.Time.UnixMilli()
			if m.Time.IsZero() || t > now {
				continue
			}
			if first == 0 || t < first {
				first = t
			}
			last = max(last, t)
		}
		if last == 0 {
			return nil // no times: dated now
		}
		_, err := tx.ExecContext(ctx, `UPDATE conversations SET created = ?, updated = ? WHERE id = ?`, first, last, conv.ID)
		return err
	}
	if !was.updated.Valid {
		return nil
	}
	now, err := messagesSum(ctx, tx, conv.ID)
	if err != nil || now.count != was.count || now.newest != was.newest || now.bytes != was.bytes {
		return err
	}
	// The row's date as it was: upsertConversation wrote now over it.
	_, err = tx.ExecContext(ctx, `UPDATE conversations SET updated = ?2 WHERE id = ?1`, conv.ID, was.updated.Int64)
	return err
}
