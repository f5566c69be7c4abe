package tokens

import (
	"embed"
	"encoding/binary"
	"fmt"
	"path"
	"strings"
)

// The BPE rank tables, prebuilt by tools/gen-ranks from tiktoken-go-loader's
// text tables (and checked against them by the tests): one record per rank,
// in rank order, a uvarint length and the token's bytes. Reading one takes
// a fraction of the time of decoding the base64 text, and only the encoding
// a model needs is read.
//
//go:embed ranks/o200k_base.bin ranks/cl100k_base.bin
var rankFiles embed.FS

// rankLoader serves tiktoken-go from the embedded tables; nothing is ever
// downloaded.
type rankLoader struct{}

// LoadTiktokenBpe implements tiktoken.BpeLoader.
func (rankLoader) LoadTiktokenBpe(file string) (map[string]int, error) {
	name := strings.TrimSuffix(path.Base(file), ".tiktoken")
	data, err := rankFiles.ReadFile("ranks/" + name + ".bin")
	if err != nil {
		return nil, fmt.Errorf("no embedded table for %s: %w", name, err)
	}
	return decodeRanks(data)
}

// decodeRanks reads a rank table. The keys are slices of one string made
// from the whole table: one allocation instead of one per token.
func decodeRanks(data []byte) (map[string]int, error) {
	all := string(data)
	ranks := make(map[string]int, len(data)/8)
	for i, rank := 0, 0; i < len(all); rank++ {
		n, w := binary.Uvarint(data[i:])
		if w <= 0 || i+w+int(n) > len(all) {
			return nil, fmt.Errorf("rank table damaged at byte %d", i)
		}
		i += w
		ranks[all[i:i+int(n)]] = rank
		i += int(n)
	}
	return ranks, nil
}
