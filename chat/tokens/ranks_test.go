package tokens

import (
	"path"
	"strings"
	"testing"

	tiktoken "github.com/pkoukk/tiktoken-go"
	loader "github.com/pkoukk/tiktoken-go-loader"
)

// tiktoken-go is the reference the tests hold the encoder to. It reads the
// same embedded tables; without this it would download them.
func init() { tiktoken.SetBpeLoader(rankLoader{}) }

// rankLoader serves tiktoken-go from the embedded tables.
type rankLoader struct{}

// LoadTiktokenBpe implements tiktoken.BpeLoader.
func (rankLoader) LoadTiktokenBpe(file string) (map[string]int, error) {
	table, err := tableOf(Encoding(strings.TrimSuffix(path.Base(file), ".tiktoken")))
	if err != nil {
		return nil, err
	}
	return decodeRanks(table)
}

// TestEmbeddedRanksMatchTiktokenGo: the prebuilt tables hold exactly what
// tiktoken-go-loader's text tables hold (run go run ./tools/gen-ranks to
// rebuild them).
func TestEmbeddedRanksMatchTiktokenGo(t *testing.T) {
	for _, enc := range []Encoding{O200K, CL100K} {
		want, err := loader.NewOfflineLoader().LoadTiktokenBpe(string(enc) + ".tiktoken")
		if err != nil {
			t.Fatal(err)
		}
		got, err := rankLoader{}.LoadTiktokenBpe("https://openaipublic.blob.core.windows.net/encodings/" + string(enc) + ".tiktoken")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d ranks, tiktoken-go has %d", enc, len(got), len(want))
		}
		for tok, r := range want {
			if got[tok] != r {
				t.Fatalf("%s: rank of %q is %d, tiktoken-go says %d", enc, tok, got[tok], r)
			}
		}
	}
	if _, err := (rankLoader{}).LoadTiktokenBpe("p50k_base.tiktoken"); err == nil {
		t.Fatal("a table that is not embedded was served")
	}
	for _, damaged := range []string{"\xff", "\x05ab", "\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x01"} {
		if _, err := decodeRanks(damaged); err == nil {
			t.Fatalf("a damaged table %q was accepted", damaged)
		}
	}
}

// TestDecode: every id decodes to the bytes it stands for, the special
// tokens to their names, as tiktoken-go decodes them.
func TestDecode(t *testing.T) {
	for _, enc := range []Encoding{O200K, CL100K} {
		e, err := Load(enc)
		if err != nil {
			t.Fatal(err)
		}
		ref := referenceEncoding(t, enc)
		table, _ := tableOf(enc)
		ranks, err := decodeRanks(table)
		if err != nil {
			t.Fatal(err)
		}
		for tok, id := range ranks {
			if got := e.Decode(id); got != tok {
				t.Fatalf("%s: Decode(%d) = %q, want %q", enc, id, got, tok)
			}
		}
		for _, id := range []int{-1, 199999, 200018, 100257, 100258, 100259, 100260, 100276, 100261, 1 << 30} {
			if got, want := e.Decode(id), ref.Decode([]int{id}); got != want {
				t.Errorf("%s: Decode(%d) = %q, tiktoken-go %q", enc, id, got, want)
			}
		}
	}
}

// decodeRanks reads a rank table into a map, as tiktoken-go takes it; the
// keys are slices of the table itself.
// The records are counted first so that the map is made at its final size:
// a map that grows leaves its old buckets behind as garbage.
func decodeRanks(table string) (map[string]int, error) {
	count := 0
	for i := 0; i < len(table); count++ {
		var err error
		if _, i, err = readRecord(table, i); err != nil {
			return nil, err
		}
	}
	ranks := make(map[string]int, count)
	for i, rank := 0, 0; i < len(table); rank++ {
		var tok string
		tok, i, _ = readRecord(table, i)
		ranks[tok] = rank
	}
	return ranks, nil
}

// TestRankIndexFindsEveryToken: the index gives every token of both tables
// the rank a Go map of the table gives it, and no rank to bytes that are
// not a token (a token with a byte more or less, text no table holds); a
// damaged table is refused.
func TestRankIndexFindsEveryToken(t *testing.T) {
	for _, enc := range []Encoding{O200K, CL100K} {
		table, _ := tableOf(enc)
		want, err := decodeRanks(table)
		if err != nil {
			t.Fatal(err)
		}
		x, err := newRankIndex(table)
		if err != nil {
			t.Fatal(err)
		}
		if x.len() != len(want) {
			t.Fatalf("%s: %d ranks indexed, the table has %d", enc, x.len(), len(want))
		}
		for tok, r := range want {
			if got := x.lookup(tok); got != uint32(r) {
				t.Fatalf("%s: rank of %q is %d, want %d", enc, tok, got, r)
			}
			for _, other := range []string{tok + "\x00", tok[:len(tok)-1], "\xff" + tok} {
				if _, ok := want[other]; !ok && x.lookup(other) != noRank {
					t.Fatalf("%s: %q is not a token but has rank %d", enc, other, x.lookup(other))
				}
			}
		}
		if x.lookup("") != noRank || x.lookup(strings.Repeat("zq", 200)) != noRank {
			t.Fatalf("%s: bytes that are no token have a rank", enc)
		}
	}
	for _, damaged := range []string{"\xff", "\x05ab", "\x01a\x01a"} {
		if _, err := newRankIndex(damaged); err == nil {
			t.Fatalf("a damaged table %q was indexed", damaged)
		}
	}
	// Tables the index cannot hold are refused, not cut: a token over 255
	// bytes, and more ranks than a slot's rank bits hold.
	if _, err := newRankIndex("\x80\x02" + strings.Repeat("a", 256)); err == nil {
		t.Fatal("a 256-byte token was indexed")
	}
	var many strings.Builder
	for i := 0; i < rankMask; i++ {
		many.WriteString("\x03")
		many.WriteByte(byte(i >> 16))
		many.WriteByte(byte(i >> 8))
		many.WriteByte(byte(i))
	}
	if _, err := newRankIndex(many.String()); err == nil {
		t.Fatalf("a table of %d ranks was indexed", rankMask)
	}
	if x, err := newRankIndex(many.String()[:4*(rankMask-1)]); err != nil || x.lookup("\x00\x01\x02") != 0x0102 {
		t.Fatalf("a table of %d ranks: %v", rankMask-1, err)
	}
}
