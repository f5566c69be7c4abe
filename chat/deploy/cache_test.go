package deploy

import (
	"testing"
	"time"
)

func TestCacheKeepsAListingForItsKeyAWhile(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	c := &Cache{now: func() time.Time { return now }}
	if _, ok := c.Get("p1"); ok {
		t.Fatal("an empty cache has a listing")
	}
	list := []Deployment{{Name: "chat", Source: DataPlane}}
	c.Put("p1", list)
	list[0].Name = "changed by the caller"
	got, ok := c.Get("p1")
	if !ok || len(got) != 1 || got[0].Name != "chat" {
		t.Fatalf("got %+v %v", got, ok)
	}
	if _, ok := c.Get("p2"); ok {
		t.Fatal("another profile's key hit")
	}
	now = now.Add(CacheFor + time.Second)
	if _, ok := c.Get("p1"); ok {
		t.Fatal("a stale listing was reused")
	}
}
