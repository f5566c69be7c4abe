package models

import "testing"

// The vision guide's published examples ("Calculating costs"), per family.
// For patch models the guide publishes the patch counts (1,024 and 1,452);
// the multiplied totals are that count times the family's multiplier,
// rounded up (a fraction of a token is billed as one).
func TestImageCostPublishedExamples(t *testing.T) {
	cases := []struct {
		model  string
		w, h   int
		detail string
		want   int
	}{
		// gpt-4o: 85 + 170 per tile after fitting in 2048 and 768.
		{"gpt-4o", 1024, 1024, "high", 765},
		{"gpt-4o", 2048, 4096, "high", 1105},
		{"gpt-4o", 4096, 8192, "low", 85},
		{"gpt-4o", 1, 1, "low", 85},
		{"gpt-4o-2024-11-20", 1024, 1024, "high", 765},
		// gpt-4o-mini prices the same tiles higher: 2833 + 5667 per tile.
		{"gpt-4o-mini", 1024, 1024, "high", 2833 + 4*5667},
		{"gpt-4o-mini", 1024, 1024, "low", 2833},
		// gpt-4.1 and gpt-4.5 share gpt-4o's rule.
		{"gpt-4.1", 1800, 2400, "high", 85 + 4*170},
		{"gpt-4.5-preview", 2048, 4096, "high", 1105},
		// gpt-5 and gpt-5-chat-latest: 70 + 140 per tile.
		{"gpt-5", 1024, 1024, "high", 70 + 4*140},
		{"gpt-5", 1024, 1024, "low", 70},
		{"gpt-5-chat", 2048, 4096, "high", 70 + 6*140},
		// o1, o1-pro, o3: 75 + 150 per tile.
		{"o1", 1024, 1024, "high", 75 + 4*150},
		{"o1-pro", 512, 512, "high", 75 + 150},
		{"o3", 2048, 4096, "low", 75},
		// Patch models: 1024×1024 is 1,024 patches; 1800×2400 scales to
		// 1056×1408 = 1,452 patches; times the multiplier, rounded up.
		{"gpt-4.1-mini", 1024, 1024, "high", 1659}, // 1024 × 1.62 = 1658.88
		{"gpt-4.1-mini", 1800, 2400, "high", 2353}, // 1452 × 1.62 = 2352.24
		{"gpt-4.1-nano", 1800, 2400, "high", 3572}, // 1452 × 2.46 = 3571.92
		{"gpt-5-mini", 1800, 2400, "low", 2353},    // detail does not change a patch model's cost
		{"gpt-5-nano", 1024, 1024, "auto", 2520},   // 1024 × 2.46 = 2519.04
		{"o4-mini", 1800, 2400, "high", 2498},      // 1452 × 1.72 = 2497.44
	}
	for _, c := range cases {
		rule, _ := ImageRuleFor(c.model)
		if got := rule.Cost(c.w, c.h, c.detail).Tokens; got != c.want {
			t.Errorf("%s %dx%d %s = %d tokens, want %d", c.model, c.w, c.h, c.detail, got, c.want)
		}
	}
}

func TestPatchesAndTiles(t *testing.T) {
	patches := []struct{ w, h, want int }{
		{1024, 1024, 1024},
		{1800, 2400, 1452},
		{32, 32, 1},
		{33, 1, 2},
		{1, 100000, 1},         // a thread of an image still costs a patch, never 0 or a panic
		{100000, 100000, 1521}, // 39×39 whole patches after the shrink
		{2049, 513, 1105},      // 65×17, under the cap: not scaled
	}
	for _, c := range patches {
		if got := Patches(c.w, c.h); got != c.want {
			t.Errorf("Patches(%d, %d) = %d, want %d", c.w, c.h, got, c.want)
		}
	}
	tiles := []struct{ w, h, want int }{
		{1024, 1024, 4}, // 768×768
		{2048, 4096, 6}, // 1024×2048 → 768×1536
		{512, 512, 1},   // never scaled up
		{513, 500, 2},
		{128, 64, 1},
		{10000, 10, 4}, // 2048×2 — short side under 768, four tiles along
	}
	for _, c := range tiles {
		if got := Tiles(c.w, c.h); got != c.want {
			t.Errorf("Tiles(%d, %d) = %d, want %d", c.w, c.h, got, c.want)
		}
	}
}

func TestImageCostLabels(t *testing.T) {
	rule, est := ImageRuleFor("gpt-4o")
	if est {
		t.Error("gpt-4o's rule is published, not an estimate")
	}
	if c := rule.Cost(1024, 1024, "auto"); !c.UpperBound || c.Tokens != 765 {
		t.Errorf("auto on gpt-4o = %+v, want 765 as an upper bound", c)
	}
	if c := rule.Cost(1024, 1024, "high"); c.UpperBound {
		t.Error("high detail is exact, not an upper bound")
	}
	patch, _ := ImageRuleFor("o4-mini")
	if c := patch.Cost(1024, 1024, "auto"); c.UpperBound {
		t.Error("a patch model's cost does not depend on detail: auto is exact")
	}
	unknown, est := ImageRuleFor("my-vision-model")
	if c := unknown.Cost(1024, 1024, "high"); !est || !c.Estimate || c.Tokens != 765 {
		t.Errorf("an unknown model is estimated by gpt-4o's rule: est=%v", est)
	}
	if r, est := ImageRuleFor("gpt-5.1"); !est || r.Cost(1024, 1024, "high").Tokens != 630 {
		t.Errorf("gpt-5.1 is priced like gpt-5, as an estimate: est=%v", est)
	}
	if c := rule.Cost(0, 10, "high"); c.Tokens != 0 {
		t.Errorf("an image without pixels costs nothing, got %d", c.Tokens)
	}
}

// Every family marked with vision has an image rule, and none without.
func TestVisionFamiliesHaveRules(t *testing.T) {
	for _, f := range All() {
		if f.Vision != (f.Image != nil) {
			t.Errorf("%s: vision %v but image rule %v", f.Model, f.Vision, f.Image)
		}
	}
}
