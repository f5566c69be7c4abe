package chat

import (
	"math"
	"strconv"
)

// Unknown names the profile or deployment of an answer saved before azchat
// recorded them (history schema 7): such answers have no prices either, so
// their cost cannot be told.
const Unknown = "unknown"

// OrUnknown is s, or Unknown when s is empty: how reports name the
// profile or deployment of an old answer.
func OrUnknown(s string) string {
	if s == "" {
		return Unknown
	}
	return s
}

// Clone returns prices that share no pointer with p: an answer keeps the
// prices it was answered at, whatever later happens to the profile's.
func (p Prices) Clone() Prices {
	cp := func(v *float64) *float64 {
		if v == nil {
			return nil
		}
		x := *v
		return &x
	}
	return Prices{Input: cp(p.Input), CachedInput: cp(p.CachedInput), Output: cp(p.Output)}
}

// AnswerCost is what the answer cost at the prices stored with it, and
// whether that can be told: it needs the usage the service reported and
// prices set when it was answered. It is recomputed from those each time,
// so a reloaded answer costs what it cost when it was new.
func (m *Message) AnswerCost() (float64, bool) {
	if m.Usage == nil {
		return 0, false
	}
	return m.Prices.Cost(*m.Usage)
}

// stamp records on an answer who answered it: the profile, the deployment
// and the prices of the request o describes. It runs under c.mu; the
// prices are copied because settings may change the profile's later.
func (m *Message) stamp(o Options) {
	m.Profile, m.Deployment, m.Prices = o.Profile, o.Deployment, o.Prices.Clone()
}

// stampAnswer is stamp under the controller's lock, for the stream's
// callback: the usage about to be applied was billed at o's prices.
func (c *Controller) stampAnswer(answer *Message, o Options) {
	c.mu.Lock()
	answer.stamp(o)
	c.mu.Unlock()
}

// FormatCost writes a cost for a person: prices are in the user's own
// currency, so no symbol; four decimals, and "<0.0001" rather than a
// small cost that would read as nothing.
func FormatCost(c float64) string {
	if c > 0 && c < 0.00005 {
		return "<0.0001"
	}
	// Rounded half away from zero first: 0.01475 is stored a hair below
	// itself, and a person's calculator says 0.0148.
	return strconv.FormatFloat(math.Round(c*1e4)/1e4, 'f', 4, 64)
}
