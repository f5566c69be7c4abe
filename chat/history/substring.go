package history

import (
	"context"
	"database/sql"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// query is a search split by what can find its words: the full-text
// index (fts, an FTS5 query; "" for none), and words written in scripts
// without spaces between words (subs), found as part of the text.
//
// The index's tokenizer (unicode61) takes a whole run of Chinese or
// Japanese characters for one word: "テスト" in "日本語のテスト" was not
// found, where Find in the chat found it. Such a word is looked for in the
// texts themselves, a scan the index cannot shorten when it is the only
// word (about as long as reading the history's text once).
type query struct {
	fts   string
	words []string // the index's words, as typed (snippets mark them)
	// subs are the other words, each in its forms: composed (NFC) and,
	// when it differs, decomposed (NFD): macOS writes が in file names as
	// か and a voicing mark, and a text pasted from one holds it so.
	subs [][]string
}

func (q query) empty() bool { return q.fts == "" && len(q.subs) == 0 }

// splitQuery splits a search into the words the index finds and those it
// cannot (Spaceless).
func splitQuery(s string) query {
	var q query
	for _, w := range strings.Fields(s) {
		if Spaceless(w) {
			forms := []string{norm.NFC.String(w)}
			if d := norm.NFD.String(w); d != forms[0] {
				forms = append(forms, d)
			}
			q.subs = append(q.subs, forms)
		} else {
			q.words = append(q.words, w)
		}
	}
	q.fts = ftsWords(append([]string(nil), q.words...))
	return q
}

// Spaceless reports whether w holds a character of a script written
// without spaces between its words (Chinese, Japanese, Thai, Lao, Khmer,
// Myanmar), or of Korean, whose particles join the word before: the
// index holds such a run as one word, so w may be inside one, and the
// search finds it anywhere (as the window highlights it).
func Spaceless(w string) bool {
	for _, r := range w {
		if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul,
			unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar) {
			return true
		}
	}
	return false
}

// textSnippets fills in the snippets of the hits at (row of sources[src]
// → hit in out) from their texts, marking the query's words: FTS5's
// snippet cannot mark a word inside one of its words.
func textSnippets(ctx context.Context, tx *sql.Tx, src int, q query, at map[int64]int, out []Hit) error {
	if len(at) == 0 {
		return nil
	}
	ids := make([]any, 0, len(at))
	for rid := range at {
		ids = append(ids, rid)
	}
	table, col := "messages", "content"
	if src == 1 {
		table, col = "attachments", "text"
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, `+col+` FROM `+table+` WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var rid int64
		var text string
		if err := rows.Scan(&rid, &text); err != nil {
			return err
		}
		if i, ok := at[rid]; ok {
			out[i].Snippet, out[i].Matches = textSnippet(text, q)
		}
	}
	return rows.Err()
}

// Around the first match a snippet shows this many characters before it
// and, in all, this many (FTS5's snippets show about twelve words).
const (
	snippetBefore = 24
	snippetRunes  = 72
)

// textSnippet is the part of text around its first match of q's words,
// with '…' where it was cut, and where the words are in it. The index's
// words are matched ignoring case where that keeps the text's length.
func textSnippet(text string, q query) (string, []Span) {
	type word struct {
		w    string
		fold bool
	}
	var words []word
	for _, forms := range q.subs {
		for _, w := range forms {
			words = append(words, word{w, false})
		}
	}
	for _, w := range q.words {
		words = append(words, word{w, true})
	}
	lower := strings.ToLower(text)
	if len(lower) != len(text) {
		lower = "" // offsets would differ: those words are not marked
	}
	find := func(s string, w word) int {
		if !w.fold {
			return strings.Index(s, w.w)
		}
		if lower == "" {
			return -1
		}
		return strings.Index(s, strings.ToLower(w.w))
	}
	first := len(text)
	for _, w := range words {
		hay := text
		if w.fold {
			hay = lower
		}
		if i := find(hay, w); i >= 0 && i < first {
			first = i
		}
	}
	if first == len(text) {
		first = 0
	}
	// The window: snippetBefore characters before the first match, up
	// to snippetRunes in all.
	start := first
	for n := 0; n < snippetBefore && start > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(text[:start])
		start -= size
	}
	end := start
	for n := 0; n < snippetRunes && end < len(text); n++ {
		_, size := utf8.DecodeRuneInString(text[end:])
		end += size
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	offset := b.Len() - start
	b.WriteString(text[start:end])
	if end < len(text) {
		b.WriteString("…")
	}
	var spans []Span
	for _, w := range words {
		hay := text
		if w.fold {
			if lower == "" {
				continue
			}
			hay = lower
		}
		needle := w.w
		if w.fold {
			needle = strings.ToLower(needle)
		}
		if needle == "" {
			continue
		}
		for i := start; i < end; {
			j := strings.Index(hay[i:end], needle)
			if j < 0 {
				break
			}
			spans = append(spans, Span{offset + i + j, offset + i + j + len(needle)})
			i += j + len(needle)
		}
	}
	return b.String(), sortSpans(spans)
}

// sortSpans orders spans by where they start, dropping any that overlaps
// the one before it.
func sortSpans(spans []Span) []Span {
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].Start < spans[j-1].Start; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	out := spans[:0]
	for _, s := range spans {
		if len(out) > 0 && s.Start < out[len(out)-1].End {
			continue
		}
		out = append(out, s)
	}
	return out
}
