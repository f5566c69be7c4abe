package settings

import (
	"errors"
	"strconv"
	"strings"
)

// ErrTemperature and ErrTokenCount say what a number field accepts.
var (
	ErrTemperature = errors.New("a number from 0 to 2, or empty")
	ErrTokenCount  = errors.New("a whole number of tokens, or empty")
)

// ParseTemperature reads a temperature field: empty is nil (the service's
// or the profile's default), otherwise a number from 0 to 2.
func ParseTemperature(s string) (*float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f >= 0 && f <= 2) { // NaN ("nan") fails both
		return nil, ErrTemperature
	}
	return &f, nil
}

// CheckLimits is the rule for a reply limit and a context window set
// together (a profile's, or one chat's): the reply must leave room for the
// prompt. Zero means automatic.
func CheckLimits(maxTokens, window int) error {
	if window > 0 && maxTokens >= window {
		return errors.New("the reply limit must be smaller than the context window")
	}
	return nil
}

// ParseTokenCount reads a token-count field as people write it ("4096",
// "4,096", "128 000"): empty is 0 (automatic), otherwise a positive whole
// number.
func ParseTokenCount(s string) (int, error) {
	s = strings.NewReplacer(",", "", " ", "", "\u00a0", "", "\u202f", "", "_", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, ErrTokenCount
	}
	return n, nil
}
