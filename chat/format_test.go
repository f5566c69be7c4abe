package chat

import "testing"

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		20 << 20:      "20 MB",
		20<<20 + 1:    "20.1 MB",
		25<<20 + 1000: "25.1 MB",
		1000:          "1 KB",
		1 << 40:       "1,048,576 MB",
	} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
	if got := FormatInt(1234567); got != "1,234,567" {
		t.Errorf("FormatInt = %q", got)
	}
}

// TestFormatIntKeepsTheSign: a negative count keeps its sign (the smallest
// int is not negated).
func TestFormatIntKeepsTheSign(t *testing.T) {
	if got := FormatInt(-1234567); got != "-1,234,567" {
		t.Errorf("FormatInt(-1234567) = %q", got)
	}
}
