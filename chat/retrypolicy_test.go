package chat

import (
	"testing"
	"time"
)

func TestBackoffDoublesWithJitter(t *testing.T) {
	seen := map[time.Duration]bool{}
	for n := 0; n < 4; n++ {
		base := time.Duration(1<<n) * time.Second
		for i := 0; i < 200; i++ {
			d := backoff(n)
			if d < base*3/4 || d > base*5/4 {
				t.Fatalf("backoff(%d) = %v, outside %v±25%%", n, d, base)
			}
			seen[d] = true
		}
	}
	if len(seen) < 100 {
		t.Fatalf("only %d distinct waits: no jitter", len(seen))
	}
}

func TestFirstByteTimeoutByModel(t *testing.T) {
	for model, want := range map[string]time.Duration{
		"gpt-4o-2024-11-20": 60 * time.Second, "gpt-35-turbo": 60 * time.Second,
		"o4-mini": 300 * time.Second, "gpt-5": 300 * time.Second, "o3": 300 * time.Second,
		"": 120 * time.Second, "my-own-model": 120 * time.Second,
	} {
		if got := firstByteTimeout(model, false); got != want {
			t.Errorf("firstByteTimeout(%q) = %v, want %v", model, got, want)
		}
	}
	if got := firstByteTimeout("gpt-4o", true); got != 300*time.Second {
		t.Errorf("a deployment that showed itself a reasoning model: %v", got)
	}
}
