package history

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/azchat/azchat/chat"
)

// saveAttachments makes the attachment rows of message msgID exactly atts:
// the old rows go, the current ones go in, and an image only the old rows
// used is dropped.
func saveAttachments(ctx context.Context, x execer, msgID int64, atts []chat.Attachment) error {
	old, err := deleteAttachments(ctx, x, msgID)
	if err != nil {
		return err
	}
	used := make(map[string]bool, len(atts))
	for i := range atts {
		a := &atts[i]
		var image any // NULL unless an image with bytes in the history
		if a.Kind == chat.ImageAttachment {
			sha, err := putImage(ctx, x, a)
			if err != nil {
				return err
			}
			if sha != "" {
				image = sha
				used[sha] = true
			}
		}
		if _, err := x.ExecContext(ctx, `INSERT INTO attachments(message_id, ord, kind, name, detail, image, text, lang)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			msgID, i, string(a.Kind), a.Name, string(a.Detail), image, a.Text, a.Lang); err != nil {
			return err
		}
	}
	for _, sha := range old {
		if used[sha] {
			continue
		}
		if _, err := x.ExecContext(ctx, `DELETE FROM images WHERE sha256 = ?
			AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.image = ?)`, sha, sha); err != nil {
			return err
		}
	}
	return nil
}

// deleteAttachments deletes a message's attachment rows and returns the
// images they referred to.
func deleteAttachments(ctx context.Context, x execer, msgID int64) ([]string, error) {
	rows, err := x.QueryContext(ctx, `DELETE FROM attachments WHERE message_id = ? RETURNING image`, msgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sha sql.NullString
		if err := rows.Scan(&sha); err != nil {
			return nil, err
		}
		if sha.Valid {
			out = append(out, sha.String)
		}
	}
	return out, rows.Err()
}

// putImage stores an image's bytes unless the history has them already,
// and returns the key its attachment row refers to ("" for none).
func putImage(ctx context.Context, x execer, a *chat.Attachment) (string, error) {
	sha := strings.ToLower(a.SHA256)
	if len(a.Data) == 0 {
		// No bytes (an attachment parsed from an export, which carries
		// none): refer to the image only if the history already has it,
		// never store an empty blob that the real one could not replace.
		if sha == "" {
			return "", nil
		}
		err := x.QueryRowContext(ctx, `SELECT sha256 FROM images WHERE sha256 = ?`, sha).Scan(&sha)
		if errors.Is(err, sql.ErrNoRows) {
			return "", nil
		}
		return sha, err
	}
	if sha != "" {
		// ReplaceAll rewrites every message of a chat: looking the key up
		// first spares binding (copying) up to 20 MB per image each time.
		var one int
		err := x.QueryRowContext(ctx, `SELECT 1 FROM images WHERE sha256 = ?`, sha).Scan(&one)
		if err == nil {
			return sha, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return "", err
		}
	}
	// A new image: the key is the digest of the bytes being written, so a
	// missing or wrong SHA256 field cannot file them under another key.
	sum := sha256.Sum256(a.Data)
	sha = hex.EncodeToString(sum[:])
	_, err := x.ExecContext(ctx, `INSERT INTO images(sha256, mime, width, height, data) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(sha256) DO NOTHING`, sha, a.MIME, a.Width, a.Height, a.Data)
	return sha, err
}

// dropUnusedImages deletes the images no attachment refers to any more,
// after messages were deleted.
func dropUnusedImages(ctx context.Context, x execer) error {
	_, err := x.ExecContext(ctx, `DELETE FROM images WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.image = images.sha256)`)
	return err
}

// loadAttachments reads the attachments of a conversation's messages (byID
// maps message row ids to them) in one query, in order: those of the
// messages at seqs, or of every message when seqs is nil.
func loadAttachments(ctx context.Context, tx *sql.Tx, convID string, byID map[int64]*chat.Message, seqs []int64) error {
	only, args := seqFilter("m.seq", convID, seqs)
	rows, err := tx.QueryContext(ctx, `SELECT a.message_id, a.kind, a.name, a.detail, a.image, a.text, a.lang,
			i.mime, i.width, i.height, i.data
		FROM attachments a JOIN messages m ON m.id = a.message_id LEFT JOIN images i ON i.sha256 = a.image
		WHERE m.conversation_id = ?`+only+` ORDER BY m.seq, a.ord`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	// An image sent again (every version of an edited question carries
	// it) is held once: the rows share the first one's bytes.
	bytesOf := map[string][]byte{}
	for rows.Next() {
		var msgID int64
		var kind, detail string
		var image, mime sql.NullString
		var width, height sql.NullInt64
		var a chat.Attachment
		if err := rows.Scan(&msgID, &kind, &a.Name, &detail, &image, &a.Text, &a.Lang, &mime, &width, &height, &a.Data); err != nil {
			return err
		}
		a.Kind, a.Detail = chat.AttachmentKind(kind), chat.Detail(detail)
		a.SHA256, a.MIME = image.String, mime.String
		if a.SHA256 != "" && len(a.Data) > 0 {
			if held, ok := bytesOf[a.SHA256]; ok {
				a.Data = held
			} else {
				bytesOf[a.SHA256] = a.Data
			}
		}
		a.Width, a.Height = int(width.Int64), int(height.Int64)
		if m := byID[msgID]; m != nil {
			// The field, not SetAttachments: that would drop the token
			// count Load just restored with SetCachedCost.
			m.Attachments = append(m.Attachments, a)
		}
	}
	return rows.Err()
}
