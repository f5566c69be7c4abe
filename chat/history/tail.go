package history

// Tail returns the text of the last n messages stored for conversation id,
// newest first, whichever branch they are on: a cheap look at what opening
// the conversation will draw first (the window loads the font faces those
// messages need while Load reads the whole conversation). An unknown id
// gives none.
func (s *Store) Tail(id string, n int) ([]string, error) {
	rows, err := s.db.Query(`SELECT content FROM messages WHERE conversation_id = ? ORDER BY seq DESC LIMIT ?`, id, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
