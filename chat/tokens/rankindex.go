package tokens

import (
	"fmt"
	"hash/maphash"
	"math/bits"
)

// rankIndex finds the rank of a token in an embedded table. It is an
// open-addressing hash table of ranks whose token bytes are read from the
// table itself: 5 bytes a rank (where the token starts, its length) and a
// 4-byte slot per rank at a load of three-eighths to three-quarters.
// Measured: 3.1 MB for o200k_base, 1.6 MB for cl100k_base, where a
// map[string]int of the same ranks held 7.0 and 3.5 MB of the window's
// heap from the first message on. Counting got faster with it (make
// bench: o200k_base 47.9–48.4 MB/s, 41.4–42.7 with the map).
//
// A slot holds rank+1 in its low rankBits (0: empty) and the top bits of
// the token's hash above them, so a probe compares token bytes only when
// the hashes agree.
type rankIndex struct {
	table  string
	starts []uint32 // where each rank's token starts in table
	lens   []uint8  // and its length (tokens are at most 128 bytes)
	slots  []uint32
	mask   uint64
	seed   maphash.Seed
}

const (
	rankBits = 18 // ranks below 262,143: o200k_base has 199,998
	rankMask = 1<<rankBits - 1
)

// newRankIndex reads a table (see readRecord) and indexes its ranks.
func newRankIndex(table string) (*rankIndex, error) {
	n := 0
	for i := 0; i < len(table); n++ {
		tok, next, err := readRecord(table, i)
		if err != nil {
			return nil, err
		}
		if len(tok) > 255 {
			return nil, fmt.Errorf("rank table damaged at byte %d: a token of %d bytes", i, len(tok))
		}
		i = next
	}
	if n >= rankMask {
		return nil, fmt.Errorf("rank table has %d ranks, more than the index holds", n)
	}
	size := uint64(1) << bits.Len(uint(n+n/3)) // a load of at most three quarters
	x := &rankIndex{table: table, starts: make([]uint32, 0, n), lens: make([]uint8, 0, n),
		slots: make([]uint32, size), mask: size - 1, seed: maphash.MakeSeed()}
	for i, rank := 0, 0; i < len(table); rank++ {
		tok, next, _ := readRecord(table, i)
		start := next - len(tok)
		x.starts = append(x.starts, uint32(start))
		x.lens = append(x.lens, uint8(len(tok)))
		h := maphash.String(x.seed, tok)
		tag := uint32(h>>(64-(32-rankBits))) << rankBits
		for j := h & x.mask; ; j = (j + 1) & x.mask {
			if v := x.slots[j]; v == 0 {
				x.slots[j] = tag | uint32(rank+1)
				break
			} else if v>>rankBits == tag>>rankBits && x.token(v&rankMask-1) == tok {
				return nil, fmt.Errorf("rank table damaged at byte %d: %q appears twice", i, tok)
			}
		}
		i = next
	}
	return x, nil
}

// token is the bytes of rank r.
func (x *rankIndex) token(r uint32) string {
	s := x.starts[r]
	return x.table[s : s+uint32(x.lens[r])]
}

// len is the number of ranks.
func (x *rankIndex) len() int { return len(x.starts) }

// lookup returns the rank of b, or noRank.
func (x *rankIndex) lookup(b string) uint32 {
	h := maphash.String(x.seed, b)
	tag := uint32(h >> (64 - (32 - rankBits)))
	for j := h & x.mask; ; j = (j + 1) & x.mask {
		v := x.slots[j]
		if v == 0 {
			return noRank
		}
		if v>>rankBits == tag {
			if r := v&rankMask - 1; x.token(r) == b {
				return r
			}
		}
	}
}
