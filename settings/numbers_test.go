package settings

import "testing"

func TestParseTokenCount(t *testing.T) {
	for in, want := range map[string]int{"": 0, " ": 0, "4096": 4096, "4,096": 4096, "128 000": 128000, "1_000": 1000, " 200 ": 200} {
		if got, err := ParseTokenCount(in); err != nil || got != want {
			t.Errorf("ParseTokenCount(%q) = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"many", "-1", "0", "4.5", "1e3"} {
		if _, err := ParseTokenCount(bad); err == nil {
			t.Errorf("ParseTokenCount(%q) accepted", bad)
		}
	}
}

func TestParseTemperature(t *testing.T) {
	if v, err := ParseTemperature(""); v != nil || err != nil {
		t.Fatal("empty is the default")
	}
	if v, err := ParseTemperature(" 0.3 "); err != nil || *v != 0.3 {
		t.Fatalf("0.3: %v %v", v, err)
	}
	for _, bad := range []string{"7", "-0.1", "warm", "nan", "NaN", "inf", "-Inf"} {
		if _, err := ParseTemperature(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
