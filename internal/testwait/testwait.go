// Package testwait is how tests wait: on a condition, with a deadline,
// never for a fixed time (a sleep that is long enough on a quiet machine is
// too short on a loaded CI machine).
package testwait

import (
	"testing"
	"time"
)

// interval is how often a condition is checked.
const interval = 10 * time.Millisecond

// Poll checks cond until it holds or timeout passes, and reports which.
func Poll(timeout time.Duration, cond func() bool) bool {
	if cond() {
		return true
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			if cond() {
				return true
			}
		case <-deadline.C:
			return cond()
		}
	}
}

// Until waits for cond and fails t, saying what it waited for, when it does
// not hold within timeout.
func Until(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	if !Poll(timeout, cond) {
		t.Fatalf("waited %v for %s", timeout, what)
	}
}
