package tokens

import (
	"math"
)

// Encoder turns text into the token ids of one encoding, exactly as
// tiktoken does (ordinary text: special-token spellings are plain text). It
// holds the index of the embedded table's ranks and nothing else of size.
// It is safe for concurrent use.
type Encoder struct {
	name  Encoding
	ranks *rankIndex // token bytes -> rank (= id), and back
	o200k bool       // which split pattern
}

// newEncoder reads an encoding's table.
func newEncoder(enc Encoding, table string) (*Encoder, error) {
	ranks, err := newRankIndex(table)
	if err != nil {
		return nil, err
	}
	buildClasses()
	return &Encoder{name: enc, ranks: ranks, o200k: enc == O200K}, nil
}

// pieceEnd returns the end of the pre-tokenizer piece that starts at s[i:].
func (e *Encoder) pieceEnd(s string, i int) int {
	if e.o200k {
		return o200kEnd(s, i)
	}
	return cl100kEnd(s, i)
}

// Count returns the number of tokens of s, without building the ids.
func (e *Encoder) Count(s string) int {
	s = valid(s)
	var m merger
	n := 0
	for i := 0; i < len(s); {
		j := e.pieceEnd(s, i)
		if e.rank(s[i:j]) != noRank {
			// Most pieces are one token: one lookup and no merging.
			n++
		} else {
			n += len(m.merge(e, s[i:j])) - 1
		}
		i = j
	}
	return n
}

// Encode returns the token ids of s.
func (e *Encoder) Encode(s string) []int {
	s = valid(s)
	// English runs at about four bytes a token; a guess that is too small
	// only costs the slice a few regrowths.
	ids := make([]int, 0, len(s)/4+1)
	var m merger
	for i := 0; i < len(s); {
		j := e.pieceEnd(s, i)
		piece := s[i:j]
		if id := e.rank(piece); id != noRank {
			ids = append(ids, int(id))
		} else {
			b := m.merge(e, piece)
			for k := 0; k+1 < len(b); k++ {
				ids = append(ids, int(e.rank(piece[b[k]:b[k+1]])))
			}
		}
		i = j
	}
	return ids
}

// Decode returns the bytes of one token, which may be part of a UTF-8
// sequence; the special tokens come back by name, unknown ids as "".
func (e *Encoder) Decode(id int) string {
	if s, ok := specialToken(e.name, id); ok {
		return s
	}
	if id < 0 || id >= e.ranks.len() {
		return ""
	}
	return e.ranks.token(uint32(id))
}

// specialToken names the special tokens tiktoken-go decodes.
func specialToken(enc Encoding, id int) (string, bool) {
	switch o := enc == O200K; {
	case o && id == 199999, !o && id == 100257:
		return "<|endoftext|>", true
	case o && id == 200018, !o && id == 100276:
		return "<|endofprompt|>", true
	case !o && id == 100258:
		return "<|fim_prefix|>", true
	case !o && id == 100259:
		return "<|fim_middle|>", true
	case !o && id == 100260:
		return "<|fim_suffix|>", true
	}
	return "", false
}

// noRank stands for "these bytes are not a token".
const noRank = math.MaxUint32

// rank returns the rank of b, or noRank.
func (e *Encoder) rank(b string) uint32 { return e.ranks.lookup(b) }

// shortPiece is the longest piece merged by tiktoken's own quadratic loop;
// longer ones (a pasted run of letters or spaces) take the heap, whose
// bookkeeping costs more than it saves on the short pieces that text is
// made of.
const shortPiece = 64

// merger is the scratch space of the byte-pair merge, reused for every
// piece of one text: the short pieces fit in buf, on the caller's stack.
type merger struct {
	buf    [shortPiece + 1]part
	bounds []int32
	long   longMerge
}

// part is a boundary in a piece being merged: where a part starts, and the
// rank of the token that merging it with the next part would make.
type part struct {
	start int32
	rank  uint32
}

// merge runs the byte-pair merge on a piece that is not a token itself, and
// returns the boundaries of its tokens: token k is piece[b[k]:b[k+1]].
func (m *merger) merge(e *Encoder, piece string) []int32 {
	if len(piece) > shortPiece {
		m.bounds = m.long.merge(e, piece, m.bounds[:0])
		return m.bounds
	}
	parts := mergeShort(e, piece, m.buf[:0])
	m.bounds = m.bounds[:0]
	for _, p := range parts {
		m.bounds = append(m.bounds, p.start)
	}
	return m.bounds
}

// mergeShort is tiktoken's byte_pair_merge: merge the adjacent pair whose
// token has the lowest rank (the leftmost of equals) until no pair is a
// token. parts is scratch space.
func mergeShort(e *Encoder, piece string, parts []part) []part {
	for i := 0; i <= len(piece); i++ {
		parts = append(parts, part{start: int32(i), rank: noRank})
	}
	for i := 0; i+2 < len(parts); i++ {
		parts[i].rank = e.rank(piece[i : i+2])
	}
	// pairRank is the rank of parts i and i+1 once parts i+1 and i+2 are
	// one: the token from parts[i] to parts[i+3].
	pairRank := func(i int) uint32 {
		if i+3 < len(parts) {
			return e.rank(piece[parts[i].start:parts[i+3].start])
		}
		return noRank
	}
	for len(parts) > 1 {
		low, at := uint32(noRank), -1
		for i := 0; i < len(parts)-1; i++ {
			if parts[i].rank < low {
				low, at = parts[i].rank, i
			}
		}
		if at < 0 {
			break
		}
		parts[at].rank = pairRank(at)
		if at > 0 {
			parts[at-1].rank = pairRank(at - 1)
		}
		parts = append(parts[:at+1], parts[at+2:]...)
	}
	return parts
}
