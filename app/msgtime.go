package app

import "time"

// messageTime is when a message was written, as its header says it: the
// time alone today, then "Yesterday", the weekday in the week before,
// the date after that (with the year when it is not this one). Every
// header said only the time: a message of last month read as one of the
// last hour.
func messageTime(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	clock := t.Format("15:04")
	switch days := daysBetween(t, now); {
	case days == 0:
		return clock
	case days == 1:
		return "Yesterday " + clock
	case days > 1 && days < 7:
		return t.Format("Monday") + " " + clock
	case t.Year() == now.Year():
		return t.Format("Jan 2") + ", " + clock
	}
	return t.Format("Jan 2, 2006") + ", " + clock
}
