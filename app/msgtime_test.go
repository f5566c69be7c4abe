package app

import (
	"testing"
	"time"
)

// TestMessageTimeSaysTheDay: a message header gives the time today, and the
// day as well before that (it gave the time alone, whatever the day).
func TestMessageTimeSaysTheDay(t *testing.T) {
	loc := time.Local
	now := time.Date(2026, 12, 2, 9, 30, 0, 0, loc)
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 12, 2, 0, 5, 0, 0, loc), "00:05"},
		{time.Date(2026, 12, 1, 23, 59, 0, 0, loc), "Yesterday 23:59"},
		{time.Date(2026, 11, 27, 14, 0, 0, 0, loc), "Friday 14:00"},
		{time.Date(2026, 11, 25, 8, 0, 0, 0, loc), "Nov 25, 08:00"},
		{time.Date(2025, 12, 24, 18, 15, 0, 0, loc), "Dec 24, 2025, 18:15"},
	} {
		if got := messageTime(c.at, now); got != c.want {
			t.Errorf("%v: %q, want %q", c.at, got, c.want)
		}
	}
}
