// Command gen-ranks writes chat/tokens/ranks/*.bin, the BPE rank tables
// azchat embeds, from tiktoken-go-loader's offline tables: one record per
// rank, in rank order, each a uvarint length and the token's bytes. Loading
// these takes a fraction of the time of parsing the base64 text tables.
// Run: go run ./tools/gen-ranks (chat/tokens tests check the result).
package main

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"

	loader "github.com/pkoukk/tiktoken-go-loader"
)

func main() {
	for _, enc := range []string{"o200k_base", "cl100k_base"} {
		ranks, err := loader.NewOfflineLoader().LoadTiktokenBpe(enc + ".tiktoken")
		if err != nil {
			panic(err)
		}
		byRank := make([]string, len(ranks))
		for tok, r := range ranks {
			if r < 0 || r >= len(ranks) || byRank[r] != "" {
				panic(fmt.Sprintf("%s: ranks are not 0..%d", enc, len(ranks)-1))
			}
			byRank[r] = tok
		}
		var out []byte
		for _, tok := range byRank {
			out = binary.AppendUvarint(out, uint64(len(tok)))
			out = append(out, tok...)
		}
		path := filepath.Join("chat", "tokens", "ranks", enc+".bin")
		if err := os.WriteFile(path, out, 0o644); err != nil {
			panic(err)
		}
		fmt.Printf("%s: %d ranks, %d bytes\n", path, len(byRank), len(out))
	}
}
