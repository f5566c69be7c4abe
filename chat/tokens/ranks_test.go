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
		for tok, id := range e.ranks {
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
