package app

import (
	"testing"
	"time"
)

// waitUntil polls cond until it holds, failing the test after 10 s: tests
// wait on conditions, never on fixed sleeps.
func waitUntil(t testing.TB, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
