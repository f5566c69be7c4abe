package tokens

import (
	"testing"

	loader "github.com/pkoukk/tiktoken-go-loader"
)

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
	if _, err := decodeRanks("\xff"); err == nil {
		t.Fatal("a damaged table was accepted")
	}
}
