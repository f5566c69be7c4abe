package app

import (
	"math"
	"testing"
)

// TestNumFormatsEveryInt: the smallest int has no positive counterpart;
// formatting it recursed until the stack ran out.
func TestNumFormatsEveryInt(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234", -999: "-999",
		math.MinInt64: "-9,223,372,036,854,775,808", math.MaxInt64: "9,223,372,036,854,775,807"} {
		if got := num(n); got != want {
			t.Errorf("num(%d) = %q, want %q", n, got, want)
		}
	}
}
