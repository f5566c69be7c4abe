package models

import "math"

// ImageRule is how a model family prices an image in tokens, from the
// "Calculating costs" section of OpenAI's vision guide. Tile-based
// families (gpt-4o, gpt-4.1, gpt-5, o1, o3) cost Base plus Tile for each
// 512-px tile; patch-based ones (gpt-4.1-mini/-nano, gpt-5-mini/-nano,
// o4-mini) cost their 32-px patches times Patch.
type ImageRule struct {
	Base  int     `json:"base,omitempty"`
	Tile  int     `json:"tile,omitempty"`
	Patch float64 `json:"patch,omitempty"`
	// Estimate marks a family the guide's table does not list, priced by
	// its nearest relative's rule.
	Estimate bool `json:"estimate,omitempty"`
}

func (r *ImageRule) clone() *ImageRule {
	if r == nil {
		return nil
	}
	c := *r
	return &c
}

// ImageRuleFor is the rule azchat prices an image by for a model: its
// family's, or gpt-4o's for a model the table does not know or marks
// without vision (then estimate is true).
func ImageRuleFor(model string) (rule ImageRule, estimate bool) {
	f, ok := Lookup(model, "")
	if ok && f.Image != nil {
		return *f.Image, f.Image.Estimate
	}
	g, _ := Lookup("gpt-4o", "")
	rule = *g.Image
	rule.Estimate = true // not this model's rule: every cost it gives is an estimate
	return rule, true
}

// ImageCost is what one image costs a model.
type ImageCost struct {
	Tokens int
	// Estimate: the rule is not the model's own (an unknown model is
	// priced by gpt-4o's rule, a family the guide's table does not list by
	// a relative's), so the count is an estimate.
	Estimate bool
	// UpperBound: detail auto on a tile-based model, counted as high
	// (the service may choose low, which costs only the base).
	UpperBound bool
}

// The published limits of the rules.
const (
	// TileFit is the square a tile-based model first fits an image in.
	TileFit = 2048
	// TileShortSide is the shortest side a tile-based model then scales to.
	TileShortSide = 768
	// TileSize is a tile's side in pixels.
	TileSize = 512
	// PatchSize is a patch's side in pixels.
	PatchSize = 32
	// MaxPatches caps the patches of one image.
	MaxPatches = 1536
)

// Cost is what an image of w×h pixels costs at detail ("low", "high",
// "auto" or ""; auto and "" count as high on tile-based models). Patch
// models look at every image the same way, whatever its detail.
func (r ImageRule) Cost(w, h int, detail string) ImageCost {
	c := ImageCost{Estimate: r.Estimate}
	if w <= 0 || h <= 0 {
		return c
	}
	if r.Patch > 0 {
		// Rounded up: a fraction of a token is billed as one.
		c.Tokens = int(math.Ceil(float64(Patches(w, h))*r.Patch - 1e-9))
		return c
	}
	if detail == "low" {
		c.Tokens = r.Base
		return c
	}
	c.UpperBound = detail != "high"
	c.Tokens = r.Base + r.Tile*Tiles(w, h)
	return c
}

// Tiles is the number of 512-px tiles of a w×h image at high detail: the
// image is fitted in 2048×2048, then scaled so its shortest side is 768
// (never up), each step keeping the aspect ratio and whole pixels.
func Tiles(w, h int) int {
	fw, fh := float64(w), float64(h)
	if long := max(fw, fh); long > TileFit {
		fw, fh = math.Floor(fw*TileFit/long), math.Floor(fh*TileFit/long)
	}
	if short := min(fw, fh); short > TileShortSide {
		fw, fh = math.Floor(fw*TileShortSide/short), math.Floor(fh*TileShortSide/short)
	}
	fw, fh = max(fw, 1), max(fh, 1)
	return int(math.Ceil(fw/TileSize) * math.Ceil(fh/TileSize))
}

// Patches is the number of 32-px patches covering a w×h image, at most
// 1,536: a larger image is scaled down so its patches fit, by the factor
// that leaves whole patches along its tighter side (the guide's step B).
func Patches(w, h int) int {
	cover := func(w, h float64) int { return int(math.Ceil(w/PatchSize) * math.Ceil(h/PatchSize)) }
	fw, fh := float64(w), float64(h)
	if n := cover(fw, fh); n <= MaxPatches {
		return n
	}
	shrink := math.Sqrt(PatchSize * PatchSize * MaxPatches / (fw * fh))
	// Whole patches along each side: the factor that keeps the tighter
	// one whole, written so the limiting side lands exactly on a patch.
	pw, ph := math.Floor(fw*shrink/PatchSize), math.Floor(fh*shrink/PatchSize)
	shrink = min(pw*PatchSize/fw, ph*PatchSize/fh)
	rw, rh := math.Floor(fw*shrink+1e-9), math.Floor(fh*shrink+1e-9)
	return min(cover(max(rw, 1), max(rh, 1)), MaxPatches)
}
