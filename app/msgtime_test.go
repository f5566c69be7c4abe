package app

import (
	"testing"
	"time"
)

// TestTimesSayTheDay: a message header gives the time today, and the day
// as well before that (it gave the time alone, whatever the day); the
// sidebar dates a chat in a few characters, the day once it is not today.
func TestTimesSayTheDay(t *testing.T) {
	loc := time.Local
	now := time.Date(2026, 12, 2, 9, 30, 0, 0, loc)
	for _, c := range []struct {
		at           time.Time
		header, list string
	}{
		{time.Date(2026, 12, 2, 0, 5, 0, 0, loc), "00:05", "00:05"},
		{time.Date(2026, 12, 1, 23, 59, 0, 0, loc), "Yesterday 23:59", "Yesterday"},
		{time.Date(2026, 11, 27, 14, 0, 0, 0, loc), "Friday 14:00", "Fri"},
		{time.Date(2026, 11, 25, 8, 0, 0, 0, loc), "Nov 25, 08:00", "Nov 25"},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, loc), "Jan 1, 00:00", "Jan 1"},
		{time.Date(2025, 12, 24, 18, 15, 0, 0, loc), "Dec 24, 2025, 18:15", "Dec 2025"},
		// A clock ahead on the machine that wrote it: a date, not "today".
		{time.Date(2026, 12, 3, 8, 0, 0, 0, loc), "Dec 3, 08:00", "Dec 3"},
	} {
		if got := messageTime(c.at, now); got != c.header {
			t.Errorf("header %v: %q, want %q", c.at, got, c.header)
		}
		if got := listTime(c.at, now); got != c.list {
			t.Errorf("list %v: %q, want %q", c.at, got, c.list)
		}
	}
	if got := listTime(time.Time{}, now); got != "" {
		t.Errorf("no time is listed as %q", got)
	}
}
