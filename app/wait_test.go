package app

import (
	"testing"
	"time"

	"github.com/azchat/azchat/internal/testwait"
)

// waitUntil polls cond until it holds, failing the test after 10 s: tests
// wait on conditions, never on fixed sleeps.
func waitUntil(t testing.TB, cond func() bool) {
	t.Helper()
	testwait.Until(t, 10*time.Second, "a condition", cond)
}
