package tokens

// longMerge is the byte-pair merge of a long piece in O(n log n) instead of
// mergeShort's O(n²): a pasted run of 100 kB of letters or spaces is one
// piece, and the quadratic loop would take seconds over it. It makes the
// same merges in the same order (lowest rank first, the leftmost of
// equals), finding each in a heap of candidate pairs rather than by a scan.
type longMerge struct {
	// The boundaries still standing form a list through next and prev.
	next, prev []int32
	// rank[p] is the rank of the token from boundary p to the boundary
	// after next, noRank if there is none, and noRank once p is merged
	// away: a heap entry whose rank is no longer rank[p] is stale. A pair
	// only ever grows, so its rank never returns to an old value.
	rank []uint32
	heap []candidate
}

// candidate is a pair that could merge: the rank of the token it makes,
// and the boundary it starts at.
type candidate struct {
	rank  uint32
	start int32
}

func (c candidate) before(d candidate) bool {
	return c.rank < d.rank || c.rank == d.rank && c.start < d.start
}

// merge returns the boundaries of piece's tokens, appended to bounds.
func (l *longMerge) merge(e *Encoder, piece string, bounds []int32) []int32 {
	n := len(piece)
	l.next = grow(l.next, n+1)
	l.prev = grow(l.prev, n+1)
	l.rank = grow(l.rank, n+1)
	l.heap = l.heap[:0]
	for p := 0; p <= n; p++ {
		l.next[p], l.prev[p], l.rank[p] = int32(p+1), int32(p-1), noRank
		if p+2 <= n {
			if r := e.rank(piece[p : p+2]); r != noRank {
				l.rank[p] = r
				l.heap = append(l.heap, candidate{r, int32(p)})
			}
		}
	}
	for i := len(l.heap)/2 - 1; i >= 0; i-- {
		l.down(i)
	}
	for len(l.heap) > 0 {
		c := l.pop()
		p := c.start
		if l.rank[p] != c.rank {
			continue
		}
		// Merge the parts at p and q: q goes, p now reaches r.
		q := l.next[p]
		r := l.next[q]
		l.next[p] = r
		l.prev[r] = p
		l.rank[q] = noRank
		l.rank[p] = noRank
		if int(r) < n {
			l.set(e, piece, p, l.next[r])
		}
		if p > 0 {
			l.set(e, piece, l.prev[p], r)
		}
	}
	for p := int32(0); int(p) < n; p = l.next[p] {
		bounds = append(bounds, p)
	}
	return append(bounds, int32(n))
}

// set records the rank of the pair from boundary p to end and offers it.
func (l *longMerge) set(e *Encoder, piece string, p, end int32) {
	r := e.rank(piece[p:end])
	l.rank[p] = r
	if r != noRank {
		l.heap = append(l.heap, candidate{r, p})
		l.up(len(l.heap) - 1)
	}
}

func (l *longMerge) pop() candidate {
	h := l.heap
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	l.heap = h[:last]
	if last > 0 {
		l.down(0)
	}
	return top
}

func (l *longMerge) up(i int) {
	h := l.heap
	for i > 0 {
		parent := (i - 1) / 2
		if !h[i].before(h[parent]) {
			return
		}
		h[i], h[parent] = h[parent], h[i]
		i = parent
	}
}

func (l *longMerge) down(i int) {
	h := l.heap
	for {
		least := i
		if c := 2*i + 1; c < len(h) && h[c].before(h[least]) {
			least = c
		}
		if c := 2*i + 2; c < len(h) && h[c].before(h[least]) {
			least = c
		}
		if least == i {
			return
		}
		h[i], h[least] = h[least], h[i]
		i = least
	}
}

// grow returns s with length n, reusing its array when it is big enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}
