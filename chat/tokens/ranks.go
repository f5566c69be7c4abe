package tokens

import (
	_ "embed" // the rank tables
	"fmt"
)

// The BPE rank tables, prebuilt by tools/gen-ranks from tiktoken-go-loader's
// text tables (and checked against them by the tests): one record per rank,
// in rank order, a uvarint length and the token's bytes. Reading one takes
// a fraction of the time of decoding the base64 text, and only the encoding
// a model needs is read. They are strings, so the index reads tokens from
// the binary's data: no copy of a table is ever made.
var (
	//go:embed ranks/o200k_base.bin
	o200kTable string
	//go:embed ranks/cl100k_base.bin
	cl100kTable string
)

// tableOf returns the embedded table of an encoding.
func tableOf(enc Encoding) (string, error) {
	switch enc {
	case O200K:
		return o200kTable, nil
	case CL100K:
		return cl100kTable, nil
	}
	return "", fmt.Errorf("no embedded table for %s", enc)
}

// readRecord reads the record at table[i:]: the token and where the next
// record starts.
func readRecord(table string, i int) (string, int, error) {
	var n uint64
	for shift := uint(0); ; shift += 7 {
		if i >= len(table) || shift > 63 {
			return "", 0, fmt.Errorf("rank table damaged at byte %d", i)
		}
		b := table[i]
		i++
		n |= uint64(b&0x7f) << shift
		if b < 0x80 {
			break
		}
	}
	if n > uint64(len(table)-i) {
		return "", 0, fmt.Errorf("rank table damaged at byte %d", i)
	}
	return table[i : i+int(n)], i + int(n), nil
}
