package tokens

import (
	_ "embed" // the rank tables
	"fmt"
	"path"
	"strings"
)

// The BPE rank tables, prebuilt by tools/gen-ranks from tiktoken-go-loader's
// text tables (and checked against them by the tests): one record per rank,
// in rank order, a uvarint length and the token's bytes. Reading one takes
// a fraction of the time of decoding the base64 text, and only the encoding
// a model needs is read. They are strings, so the map's keys point into the
// binary's data: no copy of a table is ever made.
var (
	//go:embed ranks/o200k_base.bin
	o200kTable string
	//go:embed ranks/cl100k_base.bin
	cl100kTable string
)

// rankLoader serves tiktoken-go from the embedded tables; nothing is ever
// downloaded.
type rankLoader struct{}

// LoadTiktokenBpe implements tiktoken.BpeLoader.
func (rankLoader) LoadTiktokenBpe(file string) (map[string]int, error) {
	switch name := strings.TrimSuffix(path.Base(file), ".tiktoken"); name {
	case string(O200K):
		return decodeRanks(o200kTable)
	case string(CL100K):
		return decodeRanks(cl100kTable)
	default:
		return nil, fmt.Errorf("no embedded table for %s", name)
	}
}

// decodeRanks reads a rank table; the keys are slices of the table itself.
func decodeRanks(table string) (map[string]int, error) {
	ranks := make(map[string]int, len(table)/8)
	for i, rank := 0, 0; i < len(table); rank++ {
		var n uint64
		var shift uint
		for {
			if i >= len(table) || shift > 63 {
				return nil, fmt.Errorf("rank table damaged at byte %d", i)
			}
			b := table[i]
			i++
			n |= uint64(b&0x7f) << shift
			if b < 0x80 {
				break
			}
			shift += 7
		}
		if n > uint64(len(table)-i) {
			return nil, fmt.Errorf("rank table damaged at byte %d", i)
		}
		ranks[table[i:i+int(n)]] = rank
		i += int(n)
	}
	return ranks, nil
}
